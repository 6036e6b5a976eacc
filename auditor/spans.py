"""A set of character spans answering "does [start, end) overlap any of them?" in log time.

Checks skip what earlier checks flagged; with thousands of findings in a long article a linear
scan per token turns quadratic, so the spans are merged once and searched by bisection.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class SpanSet:
    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for start, end in sorted((s, e) for s, e in spans if e > s):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) shares a character with a span (an empty span: lies inside)."""
        i = bisect.bisect_left(self._starts, max(end, start + 1)) - 1
        return i >= 0 and self._ends[i] > start

    def inside(self, start: int, end: int) -> list[tuple[int, int]]:
        """The (merged) spans that overlap [start, end), cut to it."""
        first = bisect.bisect_right(self._ends, start)
        last = bisect.bisect_left(self._starts, end)
        return [
            (max(s, start), min(e, end))
            for s, e in zip(self._starts[first:last], self._ends[first:last], strict=True)
        ]

    def chars_inside(self, start: int, end: int) -> int:
        """How many characters of [start, end) lie inside the spans."""
        return sum(e - s for s, e in self.inside(start, end))

    def __bool__(self) -> bool:
        return bool(self._starts)
