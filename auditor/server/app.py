"""The workspace's ASGI app: the page, its static files and the JSON API (``/api/v1``).

Every error is JSON ``{"error": "one line"}`` with a status that says what went wrong: 400 a
bad option (an unknown rule code), 401 no or a wrong token, 403 a path outside ``--root`` or a
save without ``--write``, 404, 413 a request over the size limit, 415 a body that is neither
JSON nor a form, 422 input the auditor cannot read (not text, not UTF-8), 503 a full queue
(with Retry-After).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import ipaddress
import json
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources as package_files
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Config, load_config, parse_codes
from ..errors import ConfigError, UsageError
from ..version import __version__
from .work import Busy, Lane, Refused, audit_job, fix_job

API = "/api/v1"
STDIN_NAME = "<stdin>.txt"  # pasted text is named as `auditor check --stdin` names stdin
TOKEN_COOKIE = "auditor_token"
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
MAX_LISTED_FILES = 5000


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    root: Path | None = None  # a content repo whose articles the page opens
    write: bool = False  # saving back under root allowed
    token: str | None = None
    no_auth: bool = False
    max_bytes: int = 10 * 1024 * 1024
    queue: int = 50  # requests a lane holds, running or waiting
    isolated: bool = False
    no_lm: bool = False  # no language model at all: a desk without the model, or a quick test
    cors: list[str] = field(default_factory=list)
    warm: bool = True  # load the models at start-up, not at the first request

    def problem(self) -> str | None:
        """Why these settings may not serve, or None."""
        if self.write and self.root is None:
            return "--write needs --root DIR"
        if self.root is not None and not self.root.is_dir():
            return f"--root {self.root}: not a directory"
        if self.token and self.no_auth:
            return "give --token or --no-auth, not both"
        if not is_loopback(self.host) and not self.token and not self.no_auth:
            return (
                f"--host {self.host} listens beyond this machine: give --token SECRET (every "
                "request must carry it) or --no-auth"
            )
        return None


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class CheckOptions(BaseModel):
    """The options of ``auditor check``, by the same names."""

    model_config = ConfigDict(extra="forbid")

    style: str | None = None
    select: str | list[str] | None = None
    ignore: str | list[str] | None = None
    fail_on: Literal["minor", "major", "critical", "never"] | None = None
    min_score: float | None = None
    lm: str | None = None
    no_lm: bool = False
    max_chars: int | None = None
    time_budget: float | None = None


class CheckRequest(CheckOptions):
    """One article: ``text`` (named ``filename``, whose suffix gives the format, as
    ``--stdin-filename`` does; default ``<stdin>.txt``) or ``path``, a file under ``--root``.
    Findings whose fingerprints are in ``dismissed``, or whose rule and flagged text are a pair
    in ``dismissed_everywhere``, are left out and the score is computed without them."""

    text: str | None = None
    filename: str | None = None
    path: str | None = None
    dismissed: list[str] = []
    dismissed_everywhere: list[tuple[str, str]] = []


class FixRequest(CheckOptions):
    """Apply the suggestions of the findings with ``fingerprints`` to ``text``, or (``safe``)
    every fix ``auditor fix`` would apply."""

    text: str
    filename: str | None = None
    fingerprints: list[str] | None = None
    safe: bool = False


class SaveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


def create_app(settings: Settings) -> FastAPI:
    problem = settings.problem()
    if problem:
        raise UsageError(problem)
    base = _config({}, settings)
    queue = settings.queue
    lanes = {
        "lm": Lane("language-model", queue, warm=base if base.lm and settings.warm else None),
        "plain": Lane("plain", queue, warm=dataclasses.replace(base, lm=False)),
    }

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.warm:
            await asyncio.gather(*(asyncio.to_thread(lane.start) for lane in lanes.values()))
        yield
        await asyncio.gather(*(asyncio.to_thread(lane.close) for lane in lanes.values()))

    app = FastAPI(
        title="auditor",
        version=__version__,
        summary="Translation-quality audits of machine-translated news: the JSON API of "
        "`auditor serve`.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not on this page
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.lanes = lanes
    _install_guards(app, settings)
    _api_routes(app, settings, lanes)
    _page_routes(app, settings)
    return app


# --- guards: size, auth, headers, hosts, errors -------------------------------------------------


def _install_guards(app: FastAPI, settings: Settings) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return JSONResponse({"error": str(exc)}, exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return JSONResponse({"error": _validation_message(exc.errors())}, 422)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        # A bug, or a worker that died: one line, never a traceback to the client.
        return JSONResponse({"error": f"internal error: {type(exc).__name__}: {exc}"}, 500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": str(exc.detail)}, exc.status_code)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        try:
            _check_host(request, settings)
            _check_token(request, settings)
        except ApiError as exc:
            response: Response = JSONResponse({"error": str(exc)}, exc.status, exc.headers)
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    if settings.cors:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_bytes)


class BodyLimit:
    """413 for a request body over ``max_bytes``: by its Content-Length before anything is
    read, or while it streams in (chunked uploads say no length)."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._too_large(send)
        seen = 0
        started = False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send):
        body = json.dumps(
            {"error": f"request body over the limit of {self.max_bytes:,} bytes (--max-bytes)"}
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _check_host(request: Request, settings: Settings) -> None:
    """Without a token, a loopback server answers only to loopback names: a page elsewhere
    cannot reach it by pointing a name of its own at 127.0.0.1 (DNS rebinding)."""
    if settings.token or settings.no_auth:
        return
    host = request.headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name not in LOOPBACK_NAMES:
        raise ApiError(421, f"this server answers to localhost only, not to host '{host}'")


def _check_token(request: Request, settings: Settings) -> None:
    if not settings.token:
        return
    given = ""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        given = credentials.strip()
    elif request.url.path == "/" and "token" in request.query_params:
        given = request.query_params["token"]
    else:
        given = request.cookies.get(TOKEN_COOKIE, "")
    if not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise ApiError(
            401,
            "a token is needed: 'Authorization: Bearer TOKEN', or open /?token=TOKEN once",
            {"WWW-Authenticate": "Bearer"},
        )


def _validation_message(errors) -> str:
    parts = []
    for e in errors[:3]:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts)


# --- the API ------------------------------------------------------------------------------------


def _json_body(schema: type[BaseModel], form: bool = False) -> dict:
    content = {"application/json": {"schema": schema.model_json_schema()}}
    if form:
        content["multipart/form-data"] = {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    **{k: {"type": "string"} for k in CheckOptions.model_fields},
                },
                "required": ["file"],
            }
        }
    return {"requestBody": {"required": True, "content": content}}


def _api_routes(app: FastAPI, settings: Settings, lanes: dict[str, Lane]) -> None:
    from ..commands.rule import all_rule_dicts

    @app.post(
        f"{API}/check",
        summary="Audit one article",
        description='JSON `{"text": ..., options}` or a multipart `file` (with the options as '
        "form fields). Returns the JSON report, byte for byte what `auditor check --stdin "
        "--stdin-filename NAME --format json` prints for the same text and options; pasted "
        f"text is named `{STDIN_NAME}` as stdin is, unless `filename` says otherwise.",
        openapi_extra=_json_body(CheckRequest, form=True),
        responses={200: {"content": {"application/json": {}}}},
    )
    async def check(request: Request):
        req, data, name = await _read_check(request, settings)
        audited, config = await _audit(req, data, name, settings, lanes)
        return Response(_report_json(audited, config), media_type="application/json")

    @app.post(
        f"{API}/review",
        summary="Audit one article for the workspace page",
        description="As `check`, plus what the page shows: the article with its findings "
        "highlighted and its header as the HTML report renders them, each finding's anchor "
        "and whether it is a safe fix, and the editable text.",
        openapi_extra=_json_body(CheckRequest, form=True),
    )
    async def review(request: Request):
        req, data, name = await _read_check(request, settings)
        audited, config = await _audit(req, data, name, settings, lanes, for_page=True)
        from .page import review_payload

        report = json.loads(_report_json(audited, config))
        return JSONResponse(review_payload(audited, config, report))

    @app.post(
        f"{API}/fix",
        summary="Apply fixes",
        description="Applies the suggestions of the findings with the given `fingerprints` "
        "(as a check with the same options reports them), or with `safe: true` every fix "
        "`auditor fix` applies (NAME001, NAME002, MECH001-MECH004; none in text that is not "
        "English). Returns "
        "the new text and a unified diff. Markdown and text only.",
        openapi_extra=_json_body(FixRequest),
    )
    async def fix(request: Request):
        req = _parse(FixRequest, await _body(request))
        if (req.fingerprints is None) == (not req.safe):
            raise ApiError(400, "give 'fingerprints' (a list) or 'safe': true, one of them")
        config = _request_config(req, settings)
        name = _filename(req.filename)
        lane = lanes["plain"] if req.safe else _lane(config, lanes)
        fixed = await _run(lane, fix_job, config, req.text, name, req.fingerprints)
        return dataclasses.asdict(fixed)

    @app.get(f"{API}/rules", summary="Every rule, as `auditor rule --all --format json`")
    async def rules():
        return all_rule_dicts()

    @app.get(f"{API}/health", summary="Is the server up, and how full are its queues")
    async def health():
        base = _config({}, settings)
        return {
            "status": "ok",
            "version": __version__,
            "lm": base.lm or None,
            "root": settings.root is not None,
            "write": settings.write,
            "queues": {name: lane.state() for name, lane in lanes.items()},
        }

    @app.get(f"{API}/files", summary="The articles under --root")
    async def files():
        root = _root(settings)
        return {"files": _listed(root)}

    @app.get(f"{API}/files/{{path:path}}", summary="One article under --root, as text")
    async def read_file(path: str):
        target = _under_root(settings, path)
        from ..commands.fix import FIXABLE_SUFFIXES
        from ..ingest.decode import InputProblem, decode

        editable = target.suffix.lower() in FIXABLE_SUFFIXES
        text = None
        if editable:
            try:
                text, _ = decode(target.read_bytes())
            except InputProblem as exc:
                raise ApiError(422, f"{path}: {exc}") from exc
        return {"path": path, "text": text, "editable": editable, "write": settings.write}

    @app.put(f"{API}/files/{{path:path}}", summary="Save an article back under --root")
    async def save_file(path: str, request: Request):
        if not settings.write:
            raise ApiError(403, "saving is off: the server was started without --write")
        target = _under_root(settings, path)
        from ..atomic import write_bytes
        from ..commands.fix import FIXABLE_SUFFIXES, encode_like
        from ..ingest.decode import InputProblem, decode

        if target.suffix.lower() not in FIXABLE_SUFFIXES:
            raise ApiError(403, f"{path}: only Markdown and text files are saved")
        req = _parse(SaveRequest, await _body(request))
        original = target.read_bytes()
        try:
            _, encoding = decode(original)
        except InputProblem:
            encoding = "utf-8"
        try:
            data = encode_like(req.text, encoding, original)
        except UnicodeEncodeError:
            data = req.text.encode("utf-8")  # text the old encoding cannot hold
        write_bytes(target, data)
        return {"path": path, "bytes": len(data)}


async def _body(request: Request) -> dict:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise ApiError(415, f"send JSON (Content-Type: application/json), not '{kind or 'none'}'")
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(422, f"request body is not UTF-8 (byte {exc.start})") from exc
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise ApiError(400, f"request body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "request body must be a JSON object")
    return body


def _parse(model: type[BaseModel], data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, _validation_message(exc.errors())) from exc


async def _read_check(request: Request, settings: Settings) -> tuple[CheckRequest, bytes, str]:
    """The options, the input's bytes and its name, from JSON or a multipart form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(400, "a multipart request needs a 'file' field")
        fields: dict[str, Any] = {k: v for k, v in form.items() if k != "file"}
        if "no_lm" in fields:
            fields["no_lm"] = str(fields["no_lm"]).lower() in ("1", "true", "yes", "on")
        if "dismissed" in fields:
            fields["dismissed"] = [d for d in str(fields["dismissed"]).split(",") if d]
        req = _parse(CheckRequest, fields)
        name = PurePosixPath(upload.filename or "upload.txt").name
        return req, await upload.read(), name
    req = _parse(CheckRequest, await _body(request))
    if (req.text is None) == (req.path is None):
        raise ApiError(400, "give 'text' or 'path' (a file under --root), one of them")
    if req.path is not None:
        target = _under_root(settings, req.path)
        return req, target.read_bytes(), req.path
    return req, req.text.encode("utf-8", "surrogatepass"), _filename(req.filename)


def _filename(name: str | None) -> str:
    """The name an input is reported under: as given when it is a relative path that stays
    where it is (an article opened under ``--root``), else its last part."""
    if not name:
        return STDIN_NAME
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        return path.name or STDIN_NAME
    return path.as_posix()


def _request_config(req: CheckOptions, settings: Settings) -> Config:
    """The configuration of a request: its options over the server's configuration, as
    ``auditor check``'s options override the configuration file's."""

    def codes(value, flag):
        if isinstance(value, list):
            value = ",".join(value)
        return parse_codes(value, flag)

    try:
        overrides = {
            "select": codes(req.select, "select"),
            "ignore": codes(req.ignore, "ignore"),
            "fail_on": req.fail_on,
            "min_score": req.min_score,
            "style": req.style,
            "lm": False if req.no_lm else req.lm,
            "max_chars": req.max_chars,
            "time_budget": req.time_budget,
        }
    except UsageError as exc:
        raise ApiError(400, str(exc)) from exc
    return _config(overrides, settings)


def _config(overrides: dict, settings: Settings) -> Config:
    if settings.no_lm:
        overrides = {**overrides, "lm": False}
    try:
        return load_config(overrides, use_files=not settings.isolated)
    except (UsageError, ConfigError) as exc:
        raise ApiError(400, str(exc)) from exc


def _lane(config: Config, lanes: dict[str, Lane]) -> Lane:
    return lanes["lm"] if config.lm and config.wants_prefix("FLU") else lanes["plain"]


async def _run(lane: Lane, job, *args):
    try:
        return await lane.run(job, *args)
    except Busy as exc:
        raise ApiError(503, str(exc), {"Retry-After": str(exc.retry_after)}) from exc
    except Refused as exc:
        raise ApiError(422, str(exc)) from exc


async def _audit(req, data, name, settings, lanes, for_page: bool = False):
    config = _request_config(req, settings)
    audited = await _run(_lane(config, lanes), audit_job, config, data, name, for_page)
    errors = [r for r in audited.results if r.status == "error"]
    if errors and len(errors) == len(audited.results):
        raise ApiError(422, f"{errors[0].path}: {errors[0].error}")
    if req.dismissed or req.dismissed_everywhere:
        from ..scoring import score

        gone = set(req.dismissed)
        alike = {tuple(pair) for pair in req.dismissed_everywhere}
        for result in audited.results:
            if result.status == "ok":
                result.findings = [
                    f
                    for f in result.findings
                    if f.fingerprint not in gone and (f.rule, f.text) not in alike
                ]
                score(result, config)
    return audited, config


def _report_json(audited, config: Config) -> str:
    from ..registry import all_rules
    from ..reporters import ReportContext
    from ..reporters.json import JsonReporter

    ctx = ReportContext(signature=audited.signature, config=config, rules=all_rules())
    return JsonReporter(ctx).render(audited.results)


# --- files under --root -------------------------------------------------------------------------


def _root(settings: Settings) -> Path:
    if settings.root is None:
        raise ApiError(404, "no articles to open: the server was started without --root")
    return settings.root.resolve()


def _under_root(settings: Settings, path: str) -> Path:
    """The article file ``path`` names under ``--root``; never a path that leaves it, by
    ``..``, an absolute path or a symbolic link."""
    from ..ingest import KNOWN_SUFFIXES

    root = _root(settings)
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\x00" in path:
        raise ApiError(403, f"path '{path}' is outside the root")
    target = root.joinpath(*parts)
    if not target.resolve().is_relative_to(root):
        raise ApiError(403, f"path '{path}' is outside the root (a link leads out)")
    if target.suffix.lower() not in KNOWN_SUFFIXES:
        raise ApiError(403, f"path '{path}' is not an article file")
    if not target.is_file():
        raise ApiError(404, f"{path}: no such file under the root")
    return target


def _listed(root: Path) -> list[str]:
    from ..ingest import KNOWN_SUFFIXES

    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            full = Path(folder, name)
            if name.startswith(".") or full.suffix.lower() not in KNOWN_SUFFIXES:
                continue
            if full.resolve().is_relative_to(root):
                found.append(full.relative_to(root).as_posix())
            if len(found) >= MAX_LISTED_FILES:
                return found
    return found


# --- the page -----------------------------------------------------------------------------------


def _page_routes(app: FastAPI, settings: Settings) -> None:
    from .page import page_html, report_css

    static = package_files.files(__package__) / "static"

    @app.get("/", include_in_schema=False)
    async def page(request: Request):
        if settings.token and "token" in request.query_params:
            response = RedirectResponse("/", 303)
            response.set_cookie(
                TOKEN_COOKIE, settings.token, httponly=True, samesite="strict", path="/"
            )
            return response
        html = page_html(
            root=settings.root is not None, write=settings.write, lm=bool(_config({}, settings).lm)
        )
        return Response(html, media_type="text/html; charset=utf-8")

    @app.get("/static/report.css", include_in_schema=False)
    async def report_stylesheet():
        return Response(report_css(), media_type="text/css; charset=utf-8")

    for name, kind in (("workspace.js", "text/javascript"), ("workspace.css", "text/css")):

        def serve(name=name, kind=kind):
            body = (static / name).read_text(encoding="utf-8")
            return Response(body, media_type=f"{kind}; charset=utf-8")

        app.get(f"/static/{name}", include_in_schema=False)(serve)
