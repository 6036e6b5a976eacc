"""CSV for QA teams: ``articles.csv`` (one row per article) and ``findings.csv`` (one row per
finding). With ``--output DIR`` both are written there; without, findings go to stdout."""

from __future__ import annotations

import pandas as pd

from ..document import DocumentResult
from . import Reporter, relative_path, write_text

FAMILIES = ("NAME", "FLU", "UNT", "LEX", "BOIL", "REF", "ENC")
SEVERITIES = ("neutral", "minor", "major", "critical")


def family(code: str) -> str:
    return code.rstrip("0123456789")


def articles_frame(results: list[DocumentResult], root) -> pd.DataFrame:
    rows = []
    for r in results:
        row = {
            "path": relative_path(r.path, root),
            "id": r.id,
            "status": r.status,
            "error": r.error or "",
            "title": r.title or "",
            "outlet": r.outlet or "",
            "source_lang": r.source_lang or "",
            "words": r.words,
        }
        for fam in FAMILIES:
            row[f"findings_{fam.lower()}"] = sum(family(f.rule) == fam for f in r.findings)
        for sev in SEVERITIES:
            row[f"severity_{sev}"] = sum(f.severity == sev for f in r.findings)
        row["findings"] = len(r.findings)
        row["penalty"] = round(r.penalty, 4)
        row["penalty_per_1000_words"] = r.extra.get("penalty_per_1000_words", "")
        row["score"] = "" if r.score is None else round(r.score, 2)
        row["verdict"] = r.verdict or ""
        rows.append(row)
    return pd.DataFrame(rows)


def findings_frame(results: list[DocumentResult], root) -> pd.DataFrame:
    rows = []
    for r in results:
        text = r.text or ""
        for f in r.findings:
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
                    "text": f.text,
                    "replacement": f.replacements[0] if f.replacements else "",
                    "message": f.message,
                    "context": " ".join(text[max(0, f.start - 60) : f.end + 60].split()),
                    "fingerprint": f.fingerprint,
                }
            )
    columns = [
        "path", "id", "outlet", "source_lang", "rule", "family", "check", "severity",
        "confidence", "mqm_category", "line", "col", "end_line", "end_col", "start", "end",
        "text", "replacement", "message", "context", "fingerprint",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def to_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


class CsvReporter(Reporter):
    name = "csv"
    extension = "csv"
    multi_file = True

    def finish(self) -> None:
        root = self.ctx.root
        if self.ctx.output is None:
            write_text(None, to_csv(findings_frame(self.results, root)))
            return
        out = self.ctx.output
        write_text(out / "articles.csv", to_csv(articles_frame(self.results, root)))
        write_text(out / "findings.csv", to_csv(findings_frame(self.results, root)))
