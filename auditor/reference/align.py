"""Monotonic sentence alignment of two versions of one article.

A dynamic programme in the manner of Gale and Church (1993) finds the cheapest sequence of
beads: one candidate sentence to one reference sentence (1-1), a split or a merge (1-2, 2-1),
and sentences with no counterpart (1-0: only in the candidate, 0-1: only in the reference).
A bead's cost adds three terms:

- lexical: ``weight x (1 - similarity)``, where similarity is rapidfuzz's token-sort ratio of
  the two sides (a merge is compared as the two sentences joined), the measure that best told
  true sentence pairs from false ones in the development data;
- length: Gale and Church's ``-log P(|delta|)`` with ``delta = (l_c - c l_r) / sqrt(l_r s2)``
  over character lengths, with ``c`` and ``s2`` measured on the development data;
- a prior per bead type (merges and unaligned sentences are rarer than 1-1 pairs).

The numbers live in ``corpora/reference/calibration.yaml``, with how they were measured.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..paths import corpora_dir, parse_yaml

# Beyond this many cells the search keeps to a band around the diagonal, so a pathological
# pair of very long documents stays linear in time; articles never come near it.
FULL_SEARCH_CELLS = 250_000
MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))


@dataclass(frozen=True, slots=True)
class AlignmentCosts:
    lexical_weight: float
    length_ratio: float  # c: candidate characters per reference character
    length_variance: float  # s2: variance of the length difference per reference character
    length_weight: float
    unaligned: float  # cost of a sentence left without counterpart
    merge: float  # extra cost of a 1-2 or 2-1 bead


@dataclass(frozen=True, slots=True)
class Calibration:
    """Everything the REF rules take from the development data."""

    costs: AlignmentCosts
    low_chrf: float  # REF001: an aligned pair below this sentence chrF
    sibling_similarity: float  # title+lead similarity above which two articles are one story
    sibling_body: float  # ... and the share of word pairs past the lead they must have in common
    source: str


def load_calibration(path: Path | None = None) -> Calibration:
    path = path or corpora_dir() / "reference" / "calibration.yaml"
    data = parse_yaml(path.read_text(encoding="utf-8"))
    return Calibration(
        costs=AlignmentCosts(**data["alignment"]),
        low_chrf=float(data["low_chrf"]["threshold"]),
        sibling_similarity=float(data["siblings"]["threshold"]),
        sibling_body=float(data["siblings"]["body_threshold"]),
        source=str(path),
    )


@dataclass(frozen=True, slots=True)
class Bead:
    """Indices of the candidate and reference sentences aligned together (either may be
    empty) and their similarity, 0..100."""

    candidate: tuple[int, ...]
    reference: tuple[int, ...]
    similarity: float

    @property
    def kind(self) -> str:
        return f"{len(self.candidate)}-{len(self.reference)}"


def similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz, utils

    return fuzz.token_sort_ratio(a, b, processor=utils.default_process)


def _length_cost(candidate_chars: int, reference_chars: int, costs: AlignmentCosts) -> float:
    mean = max(reference_chars, 1)
    delta = (candidate_chars - reference_chars * costs.length_ratio) / math.sqrt(
        mean * costs.length_variance
    )
    # Two-sided tail probability of a standard normal, floored to keep the log finite.
    tail = max(math.erfc(abs(delta) / math.sqrt(2.0)), 1e-12)
    return -math.log(tail) * costs.length_weight


def _joined(sentences: Sequence[str]) -> list[str]:
    """Each sentence joined to the next, as a merge bead compares them."""
    return [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]


class _Rows:
    """``similarity`` of each of ``candidate`` against every one of ``reference``, as plain
    floats (the search reads single cells, which numpy makes slow). A row is scored when the
    search reaches it and only the last is kept, so a band search of two very long documents
    never holds an n x m matrix. 1-1 pairs are scored in rapidfuzz's default float32 and
    merges in double precision, as the calibration was measured."""

    def __init__(
        self, candidate: Sequence[str], reference: Sequence[str], dtype: str = "float64"
    ) -> None:
        self.candidate, self.reference, self.dtype = candidate, reference, dtype
        self._index, self._row = -1, []

    def __getitem__(self, i: int) -> list[float]:
        if i != self._index:
            from rapidfuzz import fuzz, process, utils

            self._index, self._row = i, process.cdist(
                [self.candidate[i]], self.reference, scorer=fuzz.token_sort_ratio,
                processor=utils.default_process, dtype=self.dtype, workers=1,
            )[0].tolist()  # fmt: skip
        return self._row


def align(candidate: Sequence[str], reference: Sequence[str], costs: AlignmentCosts) -> list[Bead]:
    """The cheapest monotonic alignment of two lists of sentences."""
    n, m = len(candidate), len(reference)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    # Sentence by sentence (1-1), two candidate sentences joined against one reference (2-1),
    # and one candidate against two references joined (1-2).
    pair_sim = _Rows(candidate, reference, "float32")
    merge_sim = _Rows(_joined(candidate), reference)
    split_sim = _Rows(candidate, _joined(reference))
    cand_len = [len(s) for s in candidate]
    ref_len = [len(s) for s in reference]
    band = max(n, m) if n * m <= FULL_SEARCH_CELLS else max(50, abs(n - m) + 25)

    def matched(sim: float, c_chars: int, r_chars: int) -> float:
        return costs.lexical_weight * (1.0 - sim / 100.0) + _length_cost(c_chars, r_chars, costs)

    inf = float("inf")
    # Plain lists: the search reads single cells, which numpy arrays make slow.
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int, float]] = {}
    cost[0][0] = 0.0
    for i in range(n + 1):
        centre = i * m / n
        lo, hi = max(0, int(centre - band)), min(m, int(centre + band) + 1)
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, choice = inf, None
            for di, dj in MOVES:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                if di == 0 or dj == 0:
                    sim, step = 0.0, costs.unaligned
                elif di == 1 and dj == 1:
                    sim = pair_sim[pi][pj]
                    step = matched(sim, cand_len[pi], ref_len[pj])
                elif di == 2:
                    sim = merge_sim[pi][pj]
                    step = costs.merge + matched(sim, cand_len[pi] + cand_len[pi + 1], ref_len[pj])
                else:
                    sim = split_sim[pi][pj]
                    step = costs.merge + matched(sim, cand_len[pi], ref_len[pj] + ref_len[pj + 1])
                total = cost[pi][pj] + step
                if total < best:
                    best, choice = total, (di, dj, sim)
            if choice is not None:
                cost[i][j] = best
                back[(i, j)] = choice
    beads = []
    i, j = n, m
    while i or j:
        di, dj, sim = back[(i, j)]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), sim))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
