"""reviewdog Diagnostic Format (rdjson): one ``DiagnosticResult`` for ``reviewdog -f=rdjson``,
which can then comment on pull requests, filter to the diff and apply suggestions.

rdjson columns count UTF-8 bytes, not characters; they are derived from the audited text (in
Markdown, markup blanked to spaces before a finding on its line can shift them slightly).
"""

from __future__ import annotations

from typing import Any

from ..document import DocumentResult, Finding
from . import Reporter, relative_path
from .json import dumps

SEVERITIES = {"neutral": "INFO", "minor": "WARNING", "major": "ERROR", "critical": "ERROR"}


def _byte_column(text: str | None, offset: int, col: int) -> int:
    if text is None or offset > len(text):
        return col
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    if len(before) != col - 1:  # the line starts before the audited text: keep code points
        return col
    return len(before.encode("utf-8", "surrogatepass")) + 1


def _range(f: Finding, text: str | None) -> dict[str, Any] | None:
    if f.where:  # a Word or PDF file: no lines to point at (the message says where)
        return None
    return {
        "start": {"line": f.line, "column": _byte_column(text, f.start, f.col)},
        "end": {"line": f.end_line, "column": _byte_column(text, f.end, f.end_col)},
    }


class RdjsonReporter(Reporter):
    name = "rdjson"
    extension = "json"

    def render(self, results: list[DocumentResult]) -> str:
        diagnostics = []
        for result in results:
            path = relative_path(result.path, self.ctx.root)
            file = path.partition("#")[0]
            if result.status != "ok":
                empty = result.status == "empty"
                diagnostics.append(
                    {
                        "message": (
                            result.why_not_audited if empty else f"cannot audit: {result.error}"
                        ),
                        "location": {"path": file},
                        "severity": "INFO" if empty else "ERROR",
                    }
                )
                continue
            for f in result.findings:
                diagnostic: dict[str, Any] = {
                    "message": f.message if file == path else f"{f.message} (in {path})",
                    "location": {"path": file},
                    "severity": SEVERITIES.get(f.severity, "WARNING"),
                    "code": {"value": f.rule},
                    "original_output": f"{path}:{f.place}: {f.rule} {f.message}",
                }
                where = _range(f, result.text) if file == path else None
                if f.where:
                    diagnostic["message"] += f" (at {f.where})"
                if where is not None:
                    diagnostic["location"]["range"] = where
                    diagnostic["suggestions"] = [
                        {"range": where, "text": r} for r in f.replacements
                    ]
                diagnostics.append(diagnostic)
        report = {"source": {"name": "auditor"}, "diagnostics": diagnostics}
        return dumps(report, indent=2) + "\n"
