"""``auditor check PATH...``: audit articles and report; the exit code is the gate's verdict."""

from __future__ import annotations

import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError
from . import add_lm_option


def register(sub) -> None:
    p = sub.add_parser("check", help="audit articles and write reports")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to audit")
    p.add_argument("--format", "-f", default="text", help="text, json, jsonl, csv, ...")
    p.add_argument("--output", "-o", metavar="FILE|DIR", help="write the report here")
    p.add_argument("--select", help="comma-separated rule codes or prefixes to enable")
    p.add_argument("--ignore", help="comma-separated rule codes or prefixes to disable")
    p.add_argument(
        "--fail-on",
        choices=["minor", "major", "critical", "never"],
        help="lowest finding severity that fails the gate (default: major)",
    )
    p.add_argument(
        "--min-score", type=float, metavar="N", help="fail the gate for an article scoring below N"
    )
    p.add_argument("--style", help="house style for names: ap, reuters, bbc or a file")
    add_lm_option(p)
    p.add_argument("--no-lm", action="store_true", help="skip the language-model checks")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--stdin", action="store_true", help="read one article from standard input")
    p.add_argument("--stdin-filename", metavar="NAME", help="name (and format) of stdin input")
    p.add_argument(
        "--changed-since",
        metavar="REV",
        help="audit only files changed since the git revision REV (under PATHs)",
    )
    p.add_argument(
        "--changed-lines",
        action="store_true",
        help="with --changed-since, report only findings on changed lines",
    )
    p.add_argument("--batch-size", type=int, default=32, help="articles audited together")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="audit in N worker processes (0: one per core); same results",
    )
    p.add_argument(
        "--distributed",
        metavar="ADDRESS|local",
        help="audit on a Dask cluster (scheduler address, or 'local')",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the language-model score cache",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run from its --format jsonl --output FILE",
    )
    p.add_argument(
        "--max-chars",
        type=int,
        metavar="N",
        help="cut longer articles at N characters (LIM001; default 1000000)",
    )
    p.add_argument(
        "--time-budget",
        type=float,
        metavar="SECONDS",
        help="time each check may spend on one article (LIM002; default 30, 0: none)",
    )
    p.add_argument(
        "--reference",
        metavar="REF_PATH",
        help="reference translation(s) to compare against (REF rules; several "
        "are matched to articles by id, then story)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument(
        "--progress",
        action="store_true",
        help="plain progress lines on stderr every few seconds (for CI logs)",
    )
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.set_defaults(func=run)


def build_config(args):
    from ..config import load_config, parse_codes

    overrides = {
        "select": parse_codes(args.select),
        "ignore": parse_codes(args.ignore, "--ignore"),
        "fail_on": args.fail_on,
        "min_score": args.min_score,
        "style": args.style,
        "lm": False if args.no_lm else args.lm,
        "max_chars": getattr(args, "max_chars", None),
        "time_budget": getattr(args, "time_budget", None),
    }
    return load_config(overrides, use_files=not args.isolated)


def run(args) -> int:
    from ..ingest import read_paths, read_stream
    from ..pipeline import Auditor, corpus_resources, without_excluded
    from ..registry import all_rules
    from ..reporters import FORMATS, ReportContext, output_path, reporter_for

    if args.format not in FORMATS:
        raise UsageError(f"unknown format '{args.format}' (choose from {', '.join(FORMATS)})")
    if args.stdin and args.paths:
        raise UsageError("give paths or --stdin, not both")
    if args.changed_lines and not args.changed_since:
        raise UsageError("--changed-lines needs --changed-since REV")
    if args.changed_since and args.stdin:
        raise UsageError("give --changed-since or --stdin, not both")
    if not args.stdin and not args.paths and not args.changed_since:
        raise UsageError("no input: give one or more paths, or --stdin")
    keeps_records = bool(args.output) and _streams_records(args.format)
    if args.resume and (not keeps_records or Path(args.output).is_dir()):
        raise UsageError("--resume needs --format jsonl (or results) and --output FILE")
    config = build_config(args)
    changed_lines = None
    if args.stdin or args.paths == ["-"]:
        name = args.stdin_filename or "<stdin>.txt"
        items = read_stream(sys.stdin.buffer, name)
    elif args.changed_since:
        from ..changes import GitError, changed_inputs
        from ..ingest import KNOWN_SUFFIXES

        try:
            paths, changed_lines = changed_inputs(
                args.changed_since, args.paths or ["."], args.changed_lines, KNOWN_SUFFIXES
            )
        except GitError as exc:
            raise UsageError(f"--changed-since: {exc}") from exc
        items = read_paths(paths)
    else:
        items = _read_inputs(args.paths, args.stdin_filename or "<stdin>.txt")
    items = without_excluded(items, config)
    # Siblings of a story may sit in any batch, so the REF check gets an index built by a
    # pass over the inputs before the audit.
    corpus = None if args.stdin else (paths if args.changed_since else args.paths)
    corpus = corpus and [p for p in corpus if p != "-"]
    resources = corpus_resources(config, corpus, args.reference)
    provided = resources.loaded()  # parallel workers get these; they load the rest themselves
    auditor = Auditor(config, resources)
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    ctx = ReportContext(
        signature=auditor.signature,
        config=config,
        rules=all_rules(),
        output=output_path(args.output),
        color=color and not args.output,
    )
    resume = None
    if args.resume:
        from ..resume import Resume

        resume = Resume(Path(args.output), auditor.signature)
        items = resume.items(items)
    reporter = reporter_for(args.format, ctx)
    try:
        with _terminate_as_exit():
            results = _audit(args, config, auditor, provided, items)
            failed, errored = _report(
                args, config, _with_progress(args, results), reporter, changed_lines
            )
    except BaseException as exc:
        reporter.abort()  # no half-written report; a jsonl run keeps its partial for --resume
        from ..resume import ResumeError

        if isinstance(exc, ResumeError):
            raise UsageError(str(exc)) from exc
        stopped = isinstance(exc, KeyboardInterrupt | SystemExit)
        if stopped and keeps_records:
            print(
                "auditor: finished articles are kept; rerun with --resume to continue",
                file=sys.stderr,
            )
        raise
    if resume is not None:
        resume.done()
        print(
            f"auditor: resumed: {resume.reused} finished article(s) taken from {resume.source}",
            file=sys.stderr,
        )
    if errored:
        return 2
    return 1 if failed else 0


def _read_inputs(paths: list[str], stdin_name: str):
    """The articles of ``paths`` in order; ``-`` reads one input from standard input."""
    from ..ingest import read_paths, read_stream

    named: list[str] = []
    for path in paths:
        if path == "-":
            yield from read_paths(named)
            named = []
            yield from read_stream(sys.stdin.buffer, stdin_name)
        else:
            named.append(path)
    yield from read_paths(named)


def _audit(args, config, auditor, provided, items):
    """Results in input order: in this process, in worker processes, or on a Dask cluster."""
    import os

    if args.no_cache:
        os.environ["AUDITOR_SCORE_CACHE"] = "off"  # inherited by worker processes
    if args.jobs < 0:
        raise UsageError(f"--jobs {args.jobs}: give a number of processes, or 0 for one per core")
    batch_size = max(1, args.batch_size)
    jobs = args.jobs or os.cpu_count() or 1
    if args.distributed:
        from ..parallel import audit_distributed

        # A local cluster gets --jobs workers, one per core unless --jobs says otherwise.
        workers = jobs if args.jobs != 1 else os.cpu_count() or 1
        return audit_distributed(config, provided, items, batch_size, args.distributed, workers)
    if jobs > 1:
        from ..parallel import audit_jobs

        return audit_jobs(config, provided, items, batch_size, jobs)
    return auditor.audit(items, batch_size=batch_size)


def _with_progress(args, results):
    from ..progress import count_articles, progress

    mode = "off" if args.quiet else "lines" if args.progress else "off"
    if mode == "off" and not args.quiet and sys.stderr.isatty():
        mode = "bar"
    if mode == "off":
        return results
    paths = [p for p in args.paths if p != "-"]
    total = None if args.stdin or len(paths) < len(args.paths) else count_articles(paths)
    return progress(results, total, mode)


def _report(args, config, results, reporter, changed_lines) -> tuple[bool, bool]:
    """Report every result; (gate failed, some input errored)."""
    from ..scoring import CorpusSummary, gate_reasons

    failed = errored = False
    summary = CorpusSummary()
    failures: list[str] = []
    for result in results:
        if args.changed_lines and result.status == "ok":
            from ..changes import keep_changed_lines

            keep_changed_lines(result, changed_lines.get(result.path), args.changed_since)
        if result.status == "error":
            errored = True
            print(f"auditor: {result.path}: {result.error}", file=sys.stderr)
        reasons = gate_reasons(result, config)
        if reasons:
            failed = True
            failures.append(f"{result.path}: {'; '.join(reasons)}")
        reporter.add(result)
        summary.add(result, config.small_sample_words)
    reporter.finish()
    if args.output and not args.quiet:
        print(f"auditor: {_summary_line(summary)}; report in {args.output}", file=sys.stderr)
    if failures:
        more = f" (and {len(failures) - 1} more article(s))" if len(failures) > 1 else ""
        print(f"auditor: gate failed: {failures[0]}{more}", file=sys.stderr)
    return failed, errored


def _summary_line(summary) -> str:
    """The run in one line, for stderr when the report went to a file."""
    from ..scoring import format_score

    verdicts = ", ".join(
        f"{summary.verdicts[v]} {v}" for v in ("pass", "review", "fail") if summary.verdicts[v]
    )
    line = f"{summary.articles} article{'s' if summary.articles != 1 else ''}"
    line += f" ({verdicts})" if verdicts else ""
    line += f", {summary.findings} findings, {summary.errors} errors"
    line += f", {summary.empty} empty" if summary.empty else ""
    if summary.audited:
        line += f", corpus score {format_score(summary.score)}"
    return line


def _streams_records(fmt: str) -> bool:
    """Does this format write one record per article as it goes (what --resume reads)?"""
    import importlib

    from ..reporters import FORMATS
    from ..reporters.json import JsonlReporter

    module, name = FORMATS[fmt]
    return issubclass(getattr(importlib.import_module(module), name), JsonlReporter)


@contextmanager
def _terminate_as_exit():
    """A plain ``kill`` (SIGTERM) unwinds like Ctrl-C, so reporters clean up after themselves."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
