"""Text for the terminal: each finding with its place, the sentence and the suggestion, then a
summary line per article. Streams: an article is printed as soon as it is audited."""

from __future__ import annotations

import sys

from ..document import DocumentResult
from . import AtomicTextFile, Reporter, relative_path

_COLORS = {"critical": "\033[1;31m", "major": "\033[31m", "minor": "\033[33m", "neutral": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


class TextReporter(Reporter):
    name = "text"
    extension = "txt"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.file = AtomicTextFile(ctx.output) if ctx.output else None
        self.counts = {"articles": 0, "errors": 0, "findings": 0}

    def _write(self, text: str) -> None:
        if self.file:
            self.file.write(text)
        else:
            sys.stdout.write(text)

    def _paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.ctx.color else text

    def add(self, result: DocumentResult) -> None:
        self.counts["articles"] += 1
        path = relative_path(result.path, self.ctx.root)
        if result.status != "ok":
            self.counts["errors"] += 1
            self._write(f"{path}: error: {result.error}\n\n")
            return
        lines = []
        text = result.text or ""
        for f in result.findings:
            self.counts["findings"] += 1
            sev = self._paint(f.severity, _COLORS.get(f.severity, ""))
            lines.append(f"{path}:{f.line}:{f.col}: {self._paint(f.rule, _BOLD)} [{sev}] {f.message}")
            lines.extend(self._excerpt(text, f.start, f.end))
            if f.replacements:
                shown = f.replacements[0]
                lines.append(f"    = suggestion: {repr(shown) if not shown else shown}"
                             + (" (delete)" if not shown else ""))
        verdict = result.verdict or "-"
        score = "-" if result.score is None else f"{result.score:.1f}"
        summary = (
            f"{path}: {verdict.upper()} score {score}, {len(result.findings)} finding(s), "
            f"{result.words} words"
        )
        if result.source_lang:
            summary += f", source language {result.source_lang}"
        lines.append(self._paint(summary, _BOLD))
        lines.extend(f"  note: {n}" for n in result.notes)
        self._write("\n".join(lines) + "\n\n")

    @staticmethod
    def _excerpt(text: str, start: int, end: int) -> list[str]:
        if not text:
            return []
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        left = max(line_start, start - 70)
        right = min(line_end, max(end, start + 1) + 70) if end - start < 160 else start + 160
        snippet = text[left:right].replace("\t", " ")
        caret_start = start - left
        width = max(1, min(end, right) - start)
        prefix = "... " if left > line_start else ""
        return [
            f"    | {prefix}{snippet}{' ...' if right < line_end else ''}",
            f"    | {' ' * (len(prefix) + caret_start)}{'^' * width}",
        ]

    def finish(self) -> None:
        c = self.counts
        self._write(
            f"{c['articles']} article(s), {c['findings']} finding(s), {c['errors']} error(s)\n"
            f"signature: {self.ctx.signature}\n"
        )
        if self.file:
            self.file.commit()
        else:
            sys.stdout.flush()
