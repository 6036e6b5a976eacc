"""``auditor serve``: the editor's workspace and the JSON API on uvicorn (``auditor.server``).

Binds to 127.0.0.1 unless told otherwise; listening anywhere else needs ``--token`` (a bearer
token on every request) or an explicit ``--no-auth``. The models load before the first request
is taken, and stay loaded.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import UsageError


def register(sub) -> None:
    p = sub.add_parser("serve", help="the editor's workspace and the JSON API (a web server)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    p.add_argument("--root", metavar="DIR", help="a content repo whose articles the page opens")
    p.add_argument(
        "--write", action="store_true", help="let the page save articles back under --root"
    )
    auth = p.add_mutually_exclusive_group()
    auth.add_argument(
        "--token",
        metavar="SECRET",
        help="require 'Authorization: Bearer SECRET' (or $AUDITOR_TOKEN); the page takes it "
        "once as /?token=SECRET",
    )
    auth.add_argument(
        "--no-auth", action="store_true", help="serve beyond this machine without a token"
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=10 * 1024 * 1024,
        metavar="N",
        help="largest request body (413 beyond it; default 10 MiB)",
    )
    p.add_argument(
        "--queue",
        type=int,
        default=50,
        metavar="N",
        help="requests each worker holds, running or waiting (503 beyond it; default 50)",
    )
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow cross-origin API calls from this origin (repeatable; default none)",
    )
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument(
        "--no-lm", action="store_true", help="never use the language model (no FLU checks)"
    )
    p.set_defaults(func=run)


def run(args) -> int:
    import uvicorn

    from ..server.app import Settings, create_app

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port between 1 and 65535")
    if args.queue < 1 or args.max_bytes < 1:
        raise UsageError("--queue and --max-bytes must be at least 1")
    _check_address(args.host, args.port)
    settings = Settings(
        host=args.host,
        port=args.port,
        root=Path(args.root) if args.root else None,
        write=args.write,
        token=args.token or os.environ.get("AUDITOR_TOKEN") or None,
        no_auth=args.no_auth,
        max_bytes=args.max_bytes,
        queue=args.queue,
        isolated=args.isolated,
        no_lm=args.no_lm,
        cors=args.cors_origin,
    )
    app = create_app(settings)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"auditor: loading the models, then serving http://{host}:{args.port}/ "
        f"(API: /api/v1, described in /api/v1/openapi.json); Ctrl-C stops",
        file=sys.stderr,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


def _check_address(host: str, port: int) -> None:
    """Fail now, not after the models have loaded, when the address cannot be listened on."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
