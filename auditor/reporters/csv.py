"""CSV for QA teams: ``articles.csv`` (one row per article: findings per family and severity,
penalty, score, verdict), ``findings.csv`` (one row per finding, with line, column and context)
and ``summary.png`` (score distribution, findings per family by outlet and source language).
With ``--output DIR`` all three are written there; with ``--output FILE.csv`` or none, the
findings table goes to that file or to stdout.

Article text is untrusted and these files are opened in spreadsheets: a text cell that would
start a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading apostrophe, as
OWASP advises against CSV injection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..atomic import write_bytes, write_text
from ..document import DocumentResult
from ..registry import family_order
from ..rules import SEVERITIES
from ..scoring import family
from . import Reporter, relative_path

CONTEXT_CHARS = 60
_WHITESPACE = re.compile(r"\s+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FINDING_COLUMNS = [
    "path", "id", "outlet", "source_lang", "rule", "family", "check", "severity",
    "confidence", "mqm_category", "line", "col", "end_line", "end_col", "start", "end",
    "context_before", "text", "context_after", "replacement", "message", "fingerprint", "where",
]  # fmt: skip


def families_in(results: Iterable[DocumentResult]) -> list[str]:
    """The house families, then any other family that occurs, so columns are stable."""
    return family_order(family(f.rule) for r in results for f in r.findings)


def safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def articles_frame(results: list[DocumentResult], root: Path) -> pd.DataFrame:
    families = families_in(results)
    rows = []
    for r in results:
        row: dict[str, object] = {
            "path": relative_path(r.path, root),
            "id": r.id,
            "status": r.status,
            "error": r.error or "",
            "title": r.title or "",
            "outlet": r.outlet or "",
            "source_lang": r.source_lang or "",
            "story": r.story or "",
            "words": r.words,
            "findings": len(r.findings),
        }
        for fam in families:
            row[f"findings_{fam.lower()}"] = sum(family(f.rule) == fam for f in r.findings)
        for sev in SEVERITIES:
            row[f"severity_{sev}"] = sum(f.severity == sev for f in r.findings)
        ok = r.status == "ok"
        row["penalty"] = round(r.penalty, 4) if ok else ""
        row["penalty_per_1000_words"] = r.extra.get("penalty_per_1000_words", "") if ok else ""
        row["score"] = "" if r.score is None else round(r.score, 2)
        row["verdict"] = r.verdict or ""
        row["small_sample"] = any(n.startswith("small sample") for n in r.notes)
        row["sibling_chrf"] = r.extra.get("sibling_chrf", "")  # agreement with other versions
        row["verdict_reason"] = r.extra.get("verdict_reason", "")
        rows.append(row)
    extra = [_extra_fields(r) for r in results]
    extra_columns = sorted({k for fields in extra for k in fields} - set(rows[0] if rows else ()))
    for row, fields in zip(rows, extra, strict=True):
        row.update({k: fields.get(k, "") for k in extra_columns})
    frame = pd.DataFrame(rows)
    return _guard(
        frame, ["path", "id", "error", "title", "outlet", "source_lang", "story", *extra_columns]
    )


def _extra_fields(result: DocumentResult) -> dict[str, object]:
    """Other article-level fields the checks added: plain values as they are, one level of
    nesting flattened with an underscore (``reference`` -> ``reference_chrf``)."""
    fields: dict[str, object] = {}
    for key, value in result.extra.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                if _plain(inner):
                    fields[f"{key}_{sub}"] = inner
        elif _plain(value):
            fields[key] = value
    return fields


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def findings_frame(results: list[DocumentResult], root: Path) -> pd.DataFrame:
    rows = []
    for r in results:
        text = r.text or ""
        for f in sorted(r.findings, key=lambda f: (f.start, f.end, f.rule)):
            before, after = context_of(text, f.start, f.end) if text else ("", "")
            rows.append(
                {
                    "path": relative_path(r.path, root),
                    "id": r.id,
                    "outlet": r.outlet or "",
                    "source_lang": r.source_lang or "",
                    "rule": f.rule,
                    "family": family(f.rule),
                    "check": f.check,
                    "severity": f.severity,
                    "confidence": round(f.confidence, 4),
                    "mqm_category": f.mqm_category,
                    "line": f.line,
                    "col": f.col,
                    "end_line": f.end_line,
                    "end_col": f.end_col,
                    "start": f.start,
                    "end": f.end,
                    "context_before": before,
                    "text": f.text,
                    "context_after": after,
                    "replacement": f.replacements[0] if f.replacements else "",
                    "message": f.message,
                    "fingerprint": f.fingerprint,
                    "where": f.where,
                }
            )
    frame = pd.DataFrame(rows, columns=_FINDING_COLUMNS)
    return _guard(
        frame,
        ["path", "id", "outlet", "source_lang", "context_before", "text", "context_after",
         "replacement", "message"],
    )  # fmt: skip


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS of text either side of a span, whitespace collapsed, cut at a word."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and (cut := _WHITESPACE.search(before)):
        before = before[cut.end() :]
    if end + CONTEXT_CHARS < len(text) and (cuts := list(_WHITESPACE.finditer(after))):
        after = after[: cuts[-1].start()]
    return _squeeze(before, keep_right=True), _squeeze(after, keep_right=False)


def _squeeze(text: str, keep_right: bool) -> str:
    """Collapse runs of whitespace (newlines too) to one space; keep the space that touches
    the span, so before + text + after reads as the article does."""
    if not text.strip():
        return " " if text else ""
    squeezed = " ".join(text.split())
    if keep_right and text[-1].isspace():
        squeezed += " "
    if not keep_right and text[0].isspace():
        squeezed = " " + squeezed
    return squeezed


def _guard(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for column in columns:
        if column in frame.columns and len(frame):
            frame[column] = frame[column].map(lambda v: safe_cell(v) if isinstance(v, str) else v)
    return frame


def to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


class CsvReporter(Reporter):
    name = "csv"
    extension = "csv"
    multi_file = True

    def finish(self) -> None:
        from .charts import summary_png

        root = self.ctx.root
        out = self.ctx.output
        if out is None or (out.suffix.lower() == ".csv" and not out.is_dir()):
            write_text(out, to_csv(findings_frame(self.results, root)))
            return
        write_text(out / "articles.csv", to_csv(articles_frame(self.results, root)))
        write_text(out / "findings.csv", to_csv(findings_frame(self.results, root)))
        write_bytes(out / "summary.png", summary_png(self.results, self.ctx))
