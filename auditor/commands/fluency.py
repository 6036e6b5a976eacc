"""``auditor fluency score FILE``: the calibrated fluency score of every segment of a file.

Input: plain text (one segment per line), JSONL (``--field``, default ``target``, and an
optional ``--context-field`` with the text that came before the segment) or CSV with a header
(the same fields). Output: one JSON line per input line, in order:
``{"score": 3.1, "clean_quantile": 0.97, "sentence_flag": false, "spans": [[s, e, text, {...}]]}``
``score`` estimates the MQM penalty points an expert would charge the segment (higher =
worse; fitted to expert judgements); ``clean_quantile`` is how garbled it reads beside clean
English of its length, which is what ``sentence_flag`` and the spans go by. Empty lines give
a score of 0.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from ..errors import UsageError
from . import add_lm_option


def register(sub) -> None:
    p = sub.add_parser("fluency", help="language-model fluency scores of loose segments")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    s = actions.add_parser("score", help="score every line of a text, JSONL or CSV file")
    s.add_argument("file", metavar="FILE", help="input file ('-' for standard input)")
    s.add_argument(
        "--format",
        choices=["auto", "text", "jsonl", "csv"],
        default="auto",
        help="input format (default: from the file name; text for stdin)",
    )
    s.add_argument("--field", default="target", help="JSONL/CSV field with the segment")
    s.add_argument("--context-field", help="JSONL/CSV field with the text before the segment")
    s.add_argument("--output", "-o", metavar="FILE", help="write the JSON lines here")
    s.add_argument(
        "--token-scores",
        metavar="FILE",
        help="keep per-token LM scores in this JSONL file and reuse them",
    )
    add_lm_option(s)
    s.set_defaults(func=run_score)
    p.set_defaults(func=lambda args: p.error("an action is required: score"))


def read_segments(path: str, fmt: str, field: str, context_field: str | None):
    """(context, text) per input line, in order; raises UsageError naming the line."""
    if path == "-":
        raw = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        name = path
    if name.endswith(".gz"):
        import gzip

        raw = gzip.decompress(raw)
        name = name[:-3]
    text = raw.decode("utf-8-sig", errors="replace")
    if fmt == "auto":
        fmt = {".jsonl": "jsonl", ".json": "jsonl", ".csv": "csv"}.get(Path(name).suffix, "text")
    if fmt == "text":
        return [("", line) for line in text.splitlines()]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        records = [(i + 2, row) for i, row in enumerate(rows)]
    else:
        records = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append((n, json.loads(line)))
            except ValueError as exc:
                raise UsageError(f"{name}:{n}: not valid JSON ({exc.msg})") from exc
    pairs = []
    for n, rec in records:
        if not isinstance(rec, dict) or field not in rec:
            raise UsageError(f"{name}:{n}: no field '{field}'")
        context = rec.get(context_field) if context_field else ""
        pairs.append((str(context or ""), str(rec[field] or "")))
    return pairs


def segment_record(a, calibration) -> dict:
    from ..fluency.segments import flagged_spans

    return {
        "score": round(a.score, 3),
        "clean_quantile": round(a.quantile, 4),
        "sentence_flag": a.quantile >= calibration.flag_level,
        "spans": [
            [s.start, s.end, s.text, {**s.evidence(), "clean_quantile": round(level, 4)}]
            for s, level in flagged_spans(a, calibration)
        ],
    }


def run_score(args) -> int:
    from ..atomic import write_bytes
    from ..checks import Resources
    from ..checks.fluency import calibration_of, scorer_of
    from ..config import load_config
    from ..fluency.segments import TokenScoreFile, assess_pairs, token_scores

    pairs = read_segments(args.file, args.format, args.field, args.context_field)
    resources = Resources(load_config({"lm": args.lm}, use_files=False))
    calibration = calibration_of(resources)
    wanted = [i for i, (_, text) in enumerate(pairs) if text.strip()]
    store = TokenScoreFile(Path(args.token_scores) if args.token_scores else None)
    scores = token_scores([pairs[i] for i in wanted], lambda: scorer_of(resources), store)
    assessed = dict(
        zip(wanted, assess_pairs([pairs[i] for i in wanted], scores, calibration), strict=True)
    )
    empty = {"score": 0.0, "clean_quantile": 0.0, "sentence_flag": False, "spans": []}
    lines = [
        json.dumps(
            segment_record(assessed[i], calibration) if i in assessed else empty, ensure_ascii=False
        )
        for i in range(len(pairs))
    ]
    if args.output:
        write_bytes(Path(args.output), "".join(line + "\n" for line in lines).encode("utf-8"))
    else:
        sys.stdout.write("".join(line + "\n" for line in lines))
    return 0
