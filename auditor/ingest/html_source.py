"""Where the text extracted from an HTML page lies in the page as given.

trafilatura returns the article's paragraphs without markup; findings must still point into the
HTML file an editor opens. The page's visible text is read with its source offsets (tags
skipped, entities one character at the offset of their reference), and each extracted paragraph
is looked for in it, in order, with white space compared loosely. A character not found keeps
no position: its findings say they locate in the extracted text rather than give a wrong line.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_HIDDEN = {"script", "style", "template", "noscript", "head", "title"}


class _Visible(HTMLParser):
    """The visible characters of a page, each with its offset in the source."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.hidden = 0

    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in ("p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"):
            self._add(" ", self._here())

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            start = self._here()
            for i, ch in enumerate(data):
                self._add(ch, start + i)

    def handle_entityref(self, name):
        self._add(html.unescape(f"&{name};"), self._here())

    def handle_charref(self, name):
        self._add(html.unescape(f"&#{name};"), self._here())

    def _add(self, text: str, offset: int) -> None:
        if self.hidden:
            return
        for ch in text:
            if ch.isspace():
                if self.chars and self.chars[-1] == " ":
                    continue  # white space runs compare as one space
                ch = " "
            self.chars.append(ch)
            self.offsets.append(offset)


def source_offsets(page: str, text: str) -> list[int]:
    """For each character of ``text`` (extracted from ``page``), its offset in ``page``, or -1
    where the extracted paragraph could not be found in the page's visible text."""
    visible = _Visible(page)
    try:
        visible.feed(page)
        visible.close()
    except (AssertionError, ValueError):  # markup the parser gives up on: no positions
        return [-1] * len(text)
    flat = "".join(visible.chars)
    out = [-1] * len(text)
    searched_from = 0
    at = 0
    for paragraph in text.split("\n"):
        start, at = at, at + len(paragraph) + 1
        # The paragraph with white space runs as single spaces, and where each kept char was.
        kept, where = [], []
        for i, ch in enumerate(paragraph):
            if ch.isspace():
                if not kept or kept[-1] == " ":
                    continue
                ch = " "
            kept.append(ch)
            where.append(start + i)
        needle = "".join(kept).strip()
        if not needle:
            continue
        first = kept.index(needle[0]) if kept[0] == " " else 0
        found = flat.find(needle, searched_from)
        if found < 0:
            found = flat.find(needle)
        if found < 0:
            continue
        searched_from = found + len(needle)
        for k in range(len(needle)):
            out[where[first + k]] = visible.offsets[found + k]
        # White space the paragraph had more of than the page: the position before it.
        for i in range(start, start + len(paragraph)):
            if out[i] < 0 and i > start and out[i - 1] >= 0 and paragraph[i - start].isspace():
                out[i] = out[i - 1] + 1
    return out
