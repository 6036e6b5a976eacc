"""``auditor report RESULTS.jsonl``: rebuild any report from saved results, without auditing.

Results come from ``auditor check --format results`` (JSONL with the article text). Scores and
verdicts are taken as saved, so a rebuilt report says what the audit said; the same results
give byte-identical reports. Exit codes: 0 the report was written, 2 usage error or a results
line that could not be read (the other lines are still reported).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import UsageError


def register(sub) -> None:
    p = sub.add_parser("report", help="rebuild reports from saved results (no re-audit)")
    p.add_argument("results", metavar="RESULTS.jsonl", help="from check --format results")
    p.add_argument("--format", "-f", default="text", help="text, json, csv, markdown, html, ...")
    p.add_argument("--output", "-o", metavar="FILE|DIR", help="write the report here")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..config import load_config
    from ..registry import all_rules
    from ..reporters import FORMATS, ReportContext, output_path, reporter_for
    from ..reporters.results import BadLine, ResultsError, read_results

    if args.format not in FORMATS:
        raise UsageError(f"unknown format '{args.format}' (choose from {', '.join(FORMATS)})")
    source = Path(args.results)
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    if args.output and Path(args.output).resolve() == source.resolve():
        raise UsageError(f"{source}: the report would overwrite its own results")
    results = read_results(source)
    # The report carries the signature of the run; read up to the first good line for it.
    pending: list = []
    signature = ""
    try:
        for item in results:
            pending.append(item)
            if not isinstance(item, BadLine):
                signature = item[0]
                break
    except ResultsError as exc:
        raise UsageError(str(exc)) from exc
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    ctx = ReportContext(
        signature=signature or "unknown",
        config=load_config(use_files=not args.isolated),
        rules=all_rules(),
        output=output_path(args.output),
        color=color and not args.output,
    )
    reporter = reporter_for(args.format, ctx)
    errored = False
    signatures = {signature}
    without_text = 0
    try:
        for item in _chain(pending, results):
            if isinstance(item, BadLine):
                errored = True
                print(f"auditor: {source}:{item.line}: {item.reason}", file=sys.stderr)
                continue
            line_signature, result = item
            signatures.add(line_signature)
            without_text += result.status == "ok" and result.text is None
            reporter.add(result)
    except ResultsError as exc:
        reporter.abort()
        raise UsageError(str(exc)) from exc
    except BaseException:
        reporter.abort()
        raise
    reporter.finish()
    if len(signatures) > 1:
        print(
            f"auditor: {source}: results of {len(signatures)} different runs (signatures); "
            "the report carries the first",
            file=sys.stderr,
        )
    if without_text:
        print(
            f"auditor: {source}: {without_text} result(s) without article text "
            "(use --format results); context and in-place highlights are left out",
            file=sys.stderr,
        )
    return 2 if errored else 0


def _chain(first, rest):
    yield from first
    yield from rest
