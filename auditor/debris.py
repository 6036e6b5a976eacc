"""Runs of scraping debris inside running text, for the BOIL patterns.

A pattern is written for a line of a scraped page ("Copy the current link", "Dpa", an author
bio). When the line breaks are gone (a one-line article, a JSONL field, HTML extracted into one
paragraph) the same lines stand side by side inside a block: "... negotiations Copy the current
link Add to the memorial list The President of Ukraine ...". ``DebrisRuns`` finds them where a
unit of text may start (a block or sentence start, a capitalized word after a lowercase one)
and peels them off one after another, each a whole match of one pattern.

Where a piece may end decides everything, since a pattern ending in ``.*`` matches any
continuation. A piece ends at the end of its block, before another piece, at the end of its
one sentence, or where its pattern could not take the next word ("Copy the current link" cannot
take "Add"); it never runs over debris of another rule, and it is bounded (a biography is a few
sentences, never an article).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .document import Document, Paragraph

MAX_SENTENCES = 4  # one piece of debris spans at most this many sentences ...
MAX_WORDS = 120  # ... and this many words
MAX_CHAIN = 16  # pieces in one run looked ahead for
_BREAK = frozenset(" \t\n\r")  # a no-break space binds a label to its link: no piece ends there
_OPENERS = "\"“„«‘'(["


@dataclass(frozen=True, slots=True)
class Piece:
    pattern: Any  # boilerplate.Pattern
    start: int
    end: int


class DebrisRuns:
    """The debris runs of one block of ``doc``, matched by ``patterns`` (in their order)."""

    def __init__(self, doc: Document, block: Paragraph, patterns: Sequence[Any]) -> None:
        self.text = text = doc.text
        self.block = block
        self.patterns = patterns
        first = bisect.bisect_left(doc.sentences, block.start, key=lambda s: s.start)
        last = bisect.bisect_left(doc.sentences, block.end, key=lambda s: s.start)
        sentences = doc.sentences[first:last]
        self.sentence_starts = [s.start for s in sentences]
        self.sentence_ends = [s.end for s in sentences]
        self.sentence_starts_set = set(self.sentence_starts)
        tokens = [t for s in sentences for t in s.tokens]
        self.word_starts = [t.start for t in tokens if t.is_word]
        # Where a piece may end: after a token, before ordinary whitespace or the block's end;
        # and where what follows it starts (the next token).
        self.ends, self.rest_after = [], {}
        for k, t in enumerate(tokens):
            if t.end >= block.end or text[t.end] in _BREAK:
                self.ends.append(t.end)
                self.rest_after[t.end] = tokens[k + 1].start if k + 1 < len(tokens) else block.end
        # Where a run may start: sentence starts, and capitalized words that follow a space and
        # something other than a capitalized word (inside a name, no line of chrome starts).
        self.starts = sorted(
            {*self.sentence_starts}
            | {
                t.start
                for before, t in zip(tokens, tokens[1:], strict=False)
                if t.text[:1].isupper()
                and not before.text[:1].isupper()
                and text[t.start - 1] == " "
            }
        )
        self._memo: dict[int, tuple[Piece, ...] | None] = {}

    def runs(self) -> list[tuple[Piece, ...]]:
        """Every run, in order; a run starting inside an earlier one is not repeated."""
        # Right to left: whether a piece ends well depends on what follows it, so that is known.
        for start in reversed(self.starts):
            self.at(start)
        found, reached = [], self.block.start
        for start in self.starts:
            if start < reached:
                continue
            run = self._memo[start]
            if run:
                found.append(run)
                reached = run[-1].end
        return found

    def at(self, pos: int, depth: int = 0) -> tuple[Piece, ...] | None:
        """The run starting at ``pos`` (its pieces), or None."""
        if pos in self._memo:
            return self._memo[pos]
        if depth > MAX_CHAIN:
            return None  # not remembered: a shallower look may still find it
        piece = self._first(pos, depth)
        run = None
        if piece is not None:
            rest = self._next_start(piece.end)
            following = self.at(rest, depth + 1) if rest < self.block.end else None
            run = (piece, *(following or ()))
            # A line starting in lowercase is an editor's initials or an agency code ("Dpa nik
            # Source: Stern"): one word (``_candidate_ends``), and what follows it starts a
            # line or ends the block.
            if self.text[pos].islower() and rest < self.block.end:
                if not following or self.text[rest].islower():
                    run = None
        self._memo[pos] = run
        return run

    def swallows(self, pattern, start: int, end: int, depth: int = 0) -> bool:
        """Would a piece over text[start:end] run over a whole piece of debris of another rule?"""
        for pos in self.starts[bisect.bisect_right(self.starts, start) :]:
            if pos >= end:
                return False
            run = self.at(pos, depth + 1)
            if run and run[0].end <= end and run[0].pattern.rule != pattern.rule:
                return True
        return False

    def _first(self, pos: int, depth: int) -> Piece | None:
        """The piece starting at ``pos``. Each pattern is one kind of line, taken as far as it
        goes; where lines of two kinds could start here, the one ending first is the first line
        ("Dpa", not a biography running from "Dpa" over "nik" and "Source: Stern")."""
        text = self.text
        candidates = self._candidate_ends(pos)
        if not candidates:
            return None
        best: Piece | None = None
        for pattern in self.patterns:
            longest = pattern.regex.match(text, pos, candidates[-1])
            if not longest:
                continue
            # A match reaches no further than the pattern's greedy match (alternatives are
            # written longest first), so later ends need no trying.
            last = bisect.bisect_right(candidates, longest.end())
            for k in range(last - 1, -1, -1):
                end = candidates[k]
                if best is not None and end >= best.end:
                    break
                if pattern.scope == "sentence" and self._sentences(pos, end) > 1:
                    continue
                if not pattern.regex.fullmatch(text, pos, end):
                    continue
                n = bisect.bisect_right(self.ends, end)
                following = self.ends[n] if n < len(self.ends) else None
                if self._ends_well(pattern, pos, end, following, depth) and not self.swallows(
                    pattern, pos, end, depth
                ):
                    best = Piece(pattern, pos, end)
                    break
        return best

    def _candidate_ends(self, pos: int) -> list[int]:
        """Where a piece starting at ``pos`` may end: any token end in its own sentence; past
        it (a piece is at most ``MAX_SENTENCES`` sentences and ``MAX_WORDS`` words) only the
        block's end or an end that a run of debris follows. A piece starting in lowercase is
        one word."""
        i = bisect.bisect_right(self.ends, pos)
        if self.text[pos].islower():
            return self.ends[i : i + 1]
        w = bisect.bisect_left(self.word_starts, pos) + MAX_WORDS
        word_limit = self.word_starts[w] if w < len(self.word_starts) else self.block.end
        s = bisect.bisect_right(self.sentence_starts, pos) - 1
        last = min(s + MAX_SENTENCES, len(self.sentence_ends)) - 1
        limit = min(word_limit, self.sentence_ends[last])
        if not any(p.regex.match(self.text, pos, limit) for p in self.patterns):
            return []
        own_end = self.sentence_ends[s]
        j = bisect.bisect_right(self.ends, limit, lo=i)
        return [
            end
            for end in self.ends[i:j]
            if end <= own_end or end >= self.block.end or self._memo.get(self.rest_after[end])
        ]

    def _words(self, start: int, end: int) -> int:
        return bisect.bisect_left(self.word_starts, end) - bisect.bisect_left(
            self.word_starts, start
        )

    def _sentences(self, start: int, end: int) -> int:
        first = bisect.bisect_right(self.sentence_starts, start) - 1
        last = bisect.bisect_left(self.sentence_starts, end) - 1
        return last - max(first, 0) + 1

    def _ends_well(self, pattern, start: int, end: int, following: int | None, depth: int) -> bool:
        """Does a piece of ``pattern`` over text[start:end] end where a line could have?"""
        text = self.text
        words = self._words(start, end)
        if end >= self.block.end:
            # One word ("Dpa", "VG") is a line of its own only if it starts a sentence.
            return words > 1 or start in self.sentence_starts_set
        rest = self.rest_after[end]
        if self.at(rest, depth + 1):
            return True  # another piece of debris follows
        if self._sentences(start, end) > 1 or words < 2:
            return False  # a short or a long piece needs its line's end, or debris after it
        # Otherwise the pattern must end here: it cannot take the next word (a pattern ending
        # in ".*" takes anything, so it ends only where its line or the debris does).
        tight = following is None or not pattern.regex.fullmatch(text, start, following)
        head = text[rest : rest + 2].lstrip(_OPENERS)
        return tight and bool(head) and (head[0].isupper() or head[0].isdigit())

    def _next_start(self, pos: int) -> int:
        text, end = self.text, self.block.end
        while pos < end and text[pos].isspace():
            pos += 1
        return pos
