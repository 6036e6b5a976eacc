"""Text for the terminal: each finding in reading order with its place, the sentence it sits in
with the span underlined, and the suggestion; then a summary line per article and one for the
run. Streams: an article is printed as soon as it is audited.

Article text is untrusted: control characters and bidirectional overrides in it are shown as
escapes, so an article cannot move the cursor, recolour the terminal or reorder what is shown.
"""

from __future__ import annotations

import bisect
import sys
import unicodedata

from ..atomic import AtomicTextFile
from ..document import Document, DocumentResult, Finding, clip
from ..scoring import basis_of, format_score, summarize
from . import Reporter, read_first, relative_path

_SEVERITY_COLORS = {
    "critical": "\033[1;31m",
    "major": "\033[31m",
    "minor": "\033[33m",
    "neutral": "\033[36m",
}
_VERDICT_COLORS = {"pass": "\033[1;32m", "review": "\033[1;33m", "fail": "\033[1;31m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_UNDERLINE = "\033[4m"
EXCERPT_WIDTH = 110  # cells of sentence shown around a span; long sentences are cut around it


class TextReporter(Reporter):
    name = "text"
    extension = "txt"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.file = AtomicTextFile(ctx.output) if ctx.output else None

    def _write(self, text: str) -> None:
        if self.file:
            self.file.write(text)
        else:
            sys.stdout.write(text)

    def _paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.ctx.color and code else text

    def add(self, result: DocumentResult) -> None:
        self.results.append(_without_text(result))
        self._write(self.render_article(result))

    def render_article(self, result: DocumentResult) -> str:
        path = visible(relative_path(result.path, self.ctx.root))
        if result.status == "empty":
            return f"{path}: {result.why_not_audited}\n\n"
        if result.status != "ok":
            return f"{path}: {self._paint('error', _SEVERITY_COLORS['major'])}: {result.error}\n\n"
        sentences = SentenceIndex(result.text) if result.text else None
        lines: list[str] = []
        for f in sorted(result.findings, key=lambda f: (f.start, f.end, f.rule)):
            severity = self._paint(f.severity, _SEVERITY_COLORS.get(f.severity, ""))
            lines.append(
                f"{path}:{visible(f.place)}: {self._paint(f.rule, _BOLD)} [{severity}] "
                f"{visible(f.message)}"
            )
            if sentences is not None:
                lines.extend(self._excerpt(sentences, f))
            if f.replacements:
                lines.append(f"    = suggestion: {suggestion(f)}")
        lines.append(self._summary_line(path, result))
        if result.extra.get("verdict_reason"):
            lines.append(f"  verdict: {result.extra['verdict_reason']}")
        for line, sentence in read_first(result):
            quoted = f" “{visible(clip(' '.join(sentence.split()), 90))}”" if sentence else ""
            lines.append(f"  read first: line {line}{quoted}")
        lines.extend(f"  note: {visible(n)}" for n in result.notes)
        return "\n".join(lines) + "\n\n"

    def _summary_line(self, path: str, result: DocumentResult) -> str:
        verdict = (result.verdict or "-").upper()
        count = len(result.findings)
        by_severity = ", ".join(
            f"{n} {sev}"
            for sev in ("critical", "major", "minor", "neutral")
            if (n := sum(f.severity == sev for f in result.findings))
        )
        parts = [
            f"score {format_score(result.score)}",
            f"{count} finding{'s' if count != 1 else ''}"
            + (f" ({by_severity})" if by_severity else ""),
            basis_of(result),
        ]
        if result.source_lang:
            parts.append(f"source language {visible(result.source_lang)}")
        painted = self._paint(verdict, _VERDICT_COLORS.get(result.verdict or "", _BOLD))
        return f"{self._paint(path, _BOLD)}: {painted} " + ", ".join(parts)

    def _excerpt(self, sentences: SentenceIndex, f: Finding) -> list[str]:
        """The sentence holding the span, on one line, with carets under the span."""
        text = sentences.text
        start, end = sentences.sentence_around(f.start, f.end)
        end_of_span = min(f.end, _line_end(text, f.start))  # show a multi-line span's first line
        before = visible(text[start : f.start])
        span = visible(text[f.start : end_of_span]) or " "
        after = visible(text[end_of_span : max(end, end_of_span)])
        cut_after = end_of_span < f.end
        before, after, cut_before, cut_tail = _fit(before, span, after)
        prefix = "... " if cut_before else ""
        suffix = " ..." if cut_tail or cut_after else ""
        shown_span = self._paint(span, _UNDERLINE + _SEVERITY_COLORS.get(f.severity, ""))
        carets = "^" * max(1, cells(span))
        return [
            f"    | {prefix}{before}{shown_span}{after}{suffix}",
            f"    | {' ' * cells(prefix + before)}"
            f"{self._paint(carets, _SEVERITY_COLORS.get(f.severity, ''))}",
        ]

    def finish(self) -> None:
        summary = summarize(self.results, self.ctx.config.small_sample_words)
        verdicts = ", ".join(
            f"{summary.verdicts[v]} {v}" for v in ("pass", "review", "fail") if summary.verdicts[v]
        )
        line = f"{summary.articles} article{'s' if summary.articles != 1 else ''}"
        if verdicts:
            line += f" ({verdicts})"
        line += f", {summary.findings} finding{'s' if summary.findings != 1 else ''}"
        line += f", {summary.errors} error{'s' if summary.errors != 1 else ''}"
        if summary.empty:
            line += f", {summary.empty} empty"
        if summary.audited:
            line += (
                f"; corpus score {format_score(summary.score)} over {summary.words:,} target "
                f"words ({summary.penalty_per_1000_words:.1f} penalty per 1,000 words)"
            )
        self._write(f"{line}\nsignature: {self.ctx.signature}\n")
        if self.file:
            self.file.commit()
        else:
            sys.stdout.flush()


def _without_text(result: DocumentResult) -> DocumentResult:
    """The result as the run summary needs it; streaming, the text need not be kept."""
    return DocumentResult(
        path=result.path,
        id=result.id,
        status=result.status,
        words=result.words,
        penalty=result.penalty,
        verdict=result.verdict,
        findings=result.findings,
    )


def suggestion(f: Finding) -> str:
    first = f.replacements[0]
    if not first.strip():
        return "delete it"
    shown = f"replace with '{visible(first)}'"
    others = [visible(r) for r in f.replacements[1:4] if r.strip()]
    if others:
        shown += " (or " + ", ".join(f"'{o}'" for o in others) + ")"
    return shown


class SentenceIndex:
    """The sentences of a text, as the checks saw them, to show a finding in its sentence."""

    def __init__(self, text: str) -> None:
        from ..segment import segment

        self.text = text
        doc = segment(Document(path="", id="", text=text))
        self.spans = [(s.start, s.end) for s in doc.sentences]
        self.starts = [s for s, _ in self.spans]

    def sentence_around(self, start: int, end: int) -> tuple[int, int]:
        """Start and end of the sentences covering ``start``..``end`` (the line if none)."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.spans[i][0] <= start < max(self.spans[i][1], start + 1):
            first = self.spans[i][0]
            j = i
            while j + 1 < len(self.spans) and self.spans[j + 1][0] < end:
                j += 1
            return first, max(self.spans[j][1], end)
        line_start = self.text.rfind("\n", 0, start) + 1
        return line_start, max(_line_end(self.text, end), end)


def _line_end(text: str, pos: int) -> int:
    found = text.find("\n", pos)
    return len(text) if found == -1 else found


def _fit(before: str, span: str, after: str) -> tuple[str, str, bool, bool]:
    """Cut the context around a span to about EXCERPT_WIDTH cells, at word boundaries."""
    room = max(20, EXCERPT_WIDTH - cells(span))
    cut_before = cut_after = False
    if cells(before) + cells(after) > room:
        keep_before = min(cells(before), max(room // 3, room - cells(after)))
        keep_after = room - keep_before
        if cells(before) > keep_before:
            before = _tail(before, keep_before)
            cut_before = True
        if cells(after) > keep_after:
            after = _head(after, keep_after)
            cut_after = True
    return before, after, cut_before, cut_after


def _tail(text: str, width: int) -> str:
    used, i = 0, len(text)
    while i > 0 and used + _cell(text[i - 1]) <= width:
        used += _cell(text[i - 1])
        i -= 1
    kept = text[i:]
    space = kept.find(" ")
    return kept[space + 1 :] if 0 <= space < len(kept) // 2 else kept


def _head(text: str, width: int) -> str:
    used, i = 0, 0
    while i < len(text) and used + _cell(text[i]) <= width:
        used += _cell(text[i])
        i += 1
    kept = text[:i]
    space = kept.rfind(" ")
    return kept[:space] if space > len(kept) // 2 else kept


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide East Asian characters two, combining marks none."""
    return len(text) if text.isascii() else sum(_cell(ch) for ch in text)


def _cell(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def visible(text: str) -> str:
    """``text`` safe to print: tabs and newlines as spaces and arrows, other control and
    format characters (escape sequences, bidi overrides) as \\u escapes."""
    if text.isprintable():  # the common case, fast
        return text
    out = []
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif ch == "\n":
            out.append(" ⏎ ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)
