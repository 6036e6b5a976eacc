"""``auditor check PATH...``: audit articles and report; the exit code is the gate's verdict."""

from __future__ import annotations

import sys
from pathlib import Path

from ..cli import UsageError


def register(sub) -> None:
    p = sub.add_parser("check", help="audit articles and write reports")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to audit")
    p.add_argument("--format", "-f", default="text", help="text, json, jsonl, csv, ...")
    p.add_argument("--output", "-o", metavar="FILE|DIR", help="write the report here")
    p.add_argument("--select", help="comma-separated rule codes or prefixes to enable")
    p.add_argument("--ignore", help="comma-separated rule codes or prefixes to disable")
    p.add_argument("--fail-on", choices=["minor", "major", "critical", "never"],
                   help="lowest finding severity that fails the gate (default: major)")
    p.add_argument("--min-score", type=float, metavar="N",
                   help="fail the gate for an article scoring below N")
    p.add_argument("--style", help="house style for names: ap, reuters, bbc or a file")
    p.add_argument("--no-lm", action="store_true", help="skip the language-model checks")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--stdin", action="store_true", help="read one article from standard input")
    p.add_argument("--stdin-filename", metavar="NAME", help="name (and format) of stdin input")
    p.add_argument("--batch-size", type=int, default=32, help="articles audited together")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(func=run)


def gate_failed(result, config) -> bool:
    from ..config import SEVERITY_ORDER

    if result.status != "ok":
        return False
    if config.fail_on != "never":
        bar = SEVERITY_ORDER[config.fail_on]
        if any(SEVERITY_ORDER[f.severity] >= bar for f in result.findings):
            return True
    return config.min_score is not None and (result.score or 0.0) < config.min_score


def build_config(args):
    from ..config import load_config, parse_codes

    overrides = {
        "select": parse_codes(args.select),
        "ignore": parse_codes(args.ignore),
        "fail_on": args.fail_on,
        "min_score": args.min_score,
        "style": args.style,
        "lm": False if args.no_lm else None,
    }
    return load_config(overrides, use_files=not args.isolated)


def run(args) -> int:
    from ..checks import all_rules
    from ..ingest import read_bytes, read_paths
    from ..pipeline import Auditor
    from ..reporters import FORMATS, ReportContext, reporter_for

    if args.format not in FORMATS:
        raise UsageError(f"unknown format '{args.format}' (choose from {', '.join(FORMATS)})")
    if args.stdin and args.paths:
        raise UsageError("give paths or --stdin, not both")
    if not args.stdin and not args.paths:
        raise UsageError("no input: give one or more paths, or --stdin")
    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"{path}: no such file or directory")
    config = build_config(args)
    if args.stdin:
        name = args.stdin_filename or "<stdin>.txt"
        items = read_bytes(sys.stdin.buffer.read(), name)
    else:
        items = read_paths(args.paths)
    auditor = Auditor(config)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    ctx = ReportContext(
        signature=auditor.signature,
        config=config,
        rules=all_rules(),
        output=Path(args.output) if args.output else None,
        color=color and not args.output,
    )
    reporter = reporter_for(args.format, ctx)
    results = auditor.audit(items, batch_size=max(1, args.batch_size))
    if sys.stderr.isatty() and not args.quiet:
        from tqdm import tqdm

        results = tqdm(results, desc="auditing", unit="article", file=sys.stderr, leave=False)
    failed = errored = False
    for result in results:
        if result.status != "ok":
            errored = True
            print(f"auditor: {result.path}: {result.error}", file=sys.stderr)
        failed |= gate_failed(result, config)
        reporter.add(result)
    reporter.finish()
    if errored:
        return 2
    return 1 if failed else 0
