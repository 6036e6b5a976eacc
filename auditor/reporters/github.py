"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message``, escaped as the
Actions toolkit does (``%``, CR and LF in the message; also ``:`` and ``,`` in properties).
GitHub shows at most 10 annotations of each level (error, warning, notice) per step and drops
the rest silently; so past that limit findings go to the log as plain lines and, when the step
has a summary file (``GITHUB_STEP_SUMMARY``), into a table there, where nothing is lost.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..changes import repo_root
from ..document import DocumentResult, Finding
from ..scoring import format_score
from . import Reporter, relative_path
from .sarif import message_with_text

LEVELS = {"neutral": "notice", "minor": "warning", "major": "error", "critical": "error"}
ANNOTATIONS_PER_LEVEL = 10  # per step, for each of error, warning and notice
SUMMARY_BUDGET = 1_000_000  # bytes; GitHub refuses step summaries over 1 MiB


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


class GithubReporter(Reporter):
    name = "github"
    extension = "txt"

    def render(self, results: list[DocumentResult]) -> str:
        root = repo_root(self.ctx.root) or self.ctx.root.resolve()
        shown = {"error": 0, "warning": 0, "notice": 0}
        lines: list[str] = []
        overflow: list[tuple[str, Finding]] = []
        for result in results:
            path = relative_path(result.path, root)
            file = path.partition("#")[0]
            if result.status == "empty":
                lines.append(command("notice", result.why_not_audited, file=file, title="auditor"))
                continue
            if result.status != "ok":
                shown["error"] += 1
                if shown["error"] <= ANNOTATIONS_PER_LEVEL:
                    lines.append(command("error", result.error or "", file=file, title="auditor"))
                else:
                    lines.append(f"{path}: error: {result.error}")
                continue
            for f in result.findings:
                level = LEVELS.get(f.severity, "warning")
                shown[level] += 1
                if shown[level] > ANNOTATIONS_PER_LEVEL:
                    overflow.append((path, f))
                    lines.append(f"{path}:{f.place}: {f.rule} [{f.severity}] {f.message}")
                    continue
                lines.append(self._annotation(level, file, path, f))
        total = sum(len(r.findings) for r in results)
        lines.append(
            f"auditor: {total} finding(s) in {len(results)} article(s); "
            f"{total - len(overflow)} as annotations"
            + (f", {len(overflow)} past GitHub's limit of {ANNOTATIONS_PER_LEVEL} per level"
               if overflow else "")
        )  # fmt: skip
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            self._append_summary(Path(summary_file), results, root, overflow)
            if overflow:
                lines.append("auditor: the step summary lists every finding past the limit")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _annotation(level: str, file: str, path: str, f: Finding) -> str:
        properties: dict[str, object] = {"file": file}
        if file == path and f.line:  # a corpus row, a PDF line: no line of the file to point at
            properties["line"] = f.line
            if f.end_line == f.line:  # GitHub takes columns on one-line annotations only
                properties.update(col=f.col, endLine=f.line, endColumn=max(f.col, f.end_col - 1))
            else:
                properties["endLine"] = f.end_line
        title = f"{f.rule} [{f.severity}]" + (f" in {path}" if file != path else "")
        title += f" at {f.where}" if f.where else ""
        message = message_with_text(f)
        if f.replacements:
            suggestion = f.replacements[0]
            message += f"\nsuggestion: {suggestion!r}" if suggestion else "\nsuggestion: delete"
        return command(level, message, **properties, title=title)

    def _append_summary(
        self, file: Path, results: list[DocumentResult], root: Path,
        overflow: list[tuple[str, Finding]],
    ) -> None:  # fmt: skip
        total = sum(len(r.findings) for r in results)
        parts = [
            f"## auditor: {total} finding(s) in {len(results)} article(s)\n\n",
            "| article | verdict | score | findings |\n|---|---|---:|---:|\n",
        ]
        rows = []
        for r in results:
            score = "" if r.score is None else format_score(r.score)
            verdict = r.verdict or f"error: {r.error}"
            rows.append(
                f"| {_cell(relative_path(r.path, root))} | {_cell(verdict)} | {score} "
                f"| {len(r.findings)} |\n"
            )
        if overflow:
            rows.append(
                f"\n### {len(overflow)} finding(s) past GitHub's annotation limit\n\n"
                "| place | rule | severity | message |\n|---|---|---|---|\n"
            )
            for path, f in overflow:
                rows.append(
                    f"| {_cell(path)}:{_cell(f.place)} | {f.rule} | {f.severity} "
                    f"| {_cell(message_with_text(f))} |\n"
                )
        used = sum(len(p.encode()) for p in parts)
        for i, row in enumerate(rows):
            size = len(row.encode())
            if used + size > SUMMARY_BUDGET - 200:
                parts.append(f"\n{len(rows) - i} more row(s) left out (size limit); see the log\n")
                break
            parts.append(row)
            used += size
        parts.append(f"\n`{self.ctx.signature}`\n\n")
        with file.open("a", encoding="utf-8") as out:
            out.write("".join(parts))
