"""Raw results: JSONL with the article text, one document per line, so that every other report
can be rebuilt from it (``auditor report RESULTS.jsonl``) without auditing again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..document import DocumentResult
from ..rules import SEVERITIES
from .json import JsonlReporter


class ResultsReporter(JsonlReporter):
    name = "results"
    extension = "jsonl"
    with_text = True


class ResultsError(Exception):
    """A results file that cannot be read at all; the message is one line."""


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    reason: str


def read_results(path: Path) -> Iterator[tuple[str, DocumentResult] | BadLine]:
    """(signature, result) per line of a results file, or a BadLine saying what is wrong."""
    try:
        stream = path.open(encoding="utf-8")
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with stream:
        try:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                yield _parse(number, line)
        except UnicodeDecodeError as exc:
            raise ResultsError(f"{path}: not UTF-8 text ({exc.reason})") from exc


def _parse(number: int, line: str) -> tuple[str, DocumentResult] | BadLine:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(number, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(row, dict):
        return BadLine(number, "not a JSON object")
    missing = [k for k in ("path", "id", "findings") if k not in row]
    if missing:
        return BadLine(number, f"not an auditor result (no {', '.join(missing)})")
    try:
        result = DocumentResult.from_dict(row)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return BadLine(number, f"malformed result: {type(exc).__name__}: {exc}")
    problem = _problem(result)
    if problem:
        return BadLine(number, problem)
    return str(row.get("signature") or ""), result


def _number(value, kinds=(int, float)) -> bool:
    return isinstance(value, kinds) and not isinstance(value, bool)


def _problem(r: DocumentResult) -> str | None:
    """What makes a parsed result unusable by the reporters, if anything."""
    if not isinstance(r.path, str) or not isinstance(r.id, str):
        return "path and id must be strings"
    if r.text is not None and not isinstance(r.text, str):
        return "text must be a string"
    if not _number(r.words, int) or not _number(r.penalty):
        return "words and penalty must be numbers"
    if r.score is not None and not _number(r.score):
        return "score must be a number"
    if r.verdict not in (None, "pass", "review", "fail"):
        return f"unknown verdict {r.verdict!r}"
    if not isinstance(r.extra, dict) or not all(isinstance(n, str) for n in r.notes):
        return "extra must be an object and notes strings"
    for f in r.findings:
        if f.severity not in SEVERITIES:
            return f"{f.rule}: unknown severity {f.severity!r}"
        numbers = (f.start, f.end, f.line, f.col, f.end_line, f.end_col)
        if not all(_number(n, int) for n in numbers) or not _number(f.confidence):
            return f"{f.rule}: span, line and column must be whole numbers"
        texts = (f.rule, f.check, f.message, f.text, f.mqm_category, *f.replacements)
        if not all(isinstance(t, str) for t in texts):
            return f"{f.rule}: rule, message, text and replacements must be strings"
        if r.text is not None and not 0 <= f.start <= f.end <= len(r.text):
            return f"{f.rule}: span {f.start}-{f.end} lies outside the article text"
    read_first = r.extra.get("read_first", [])
    if not isinstance(read_first, list) or not all(
        isinstance(e, dict) and all(_number(e.get(k), int) for k in ("start", "end", "line"))
        for e in read_first
    ):
        return "read_first must be a list of sentences with whole-number start, end and line"
    if r.text is not None and not all(
        0 <= e["start"] <= e["end"] <= len(r.text) for e in read_first
    ):
        return "a read_first sentence lies outside the article text"
    return None
