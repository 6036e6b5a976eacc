"""One version of an article against another: aligned sentence pairs and their scores.

Both documents arrive segmented. Sentences listed in ``skip_*`` (scraping debris that the
boilerplate check found) are not article text and stay out of the alignment.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..document import Document, Sentence
from .align import Bead, Calibration, align
from .metrics import Scores, pair_and_document_scores


@dataclass(slots=True)
class Pair:
    """One bead with its sentences (indices into each document's ``sentences``) and, when
    both sides have text, sacrebleu's sentence scores."""

    candidate: tuple[int, ...]
    reference: tuple[int, ...]
    similarity: float
    scores: Scores | None

    @property
    def kind(self) -> str:
        return f"{len(self.candidate)}-{len(self.reference)}"


@dataclass(slots=True)
class Comparison:
    candidate: Document
    reference: Document
    pairs: list[Pair]
    document: Scores

    def text(self, side: str, pair: Pair) -> str:
        doc = self.candidate if side == "candidate" else self.reference
        return " ".join(doc.sentences[i].text for i in getattr(pair, side))

    def span(self, side: str, pair: Pair) -> tuple[int, int] | None:
        doc = self.candidate if side == "candidate" else self.reference
        indices = getattr(pair, side)
        if not indices:
            return None
        return doc.sentences[indices[0]].start, doc.sentences[indices[-1]].end

    def insertion_point(self, index: int) -> int:
        """Where in the candidate the reference-only sentences of ``pairs[index]`` belong:
        after the previous candidate sentence when they continue the paragraph of the
        reference sentence before them, else before the next candidate sentence."""
        before = next((p for p in reversed(self.pairs[:index]) if p.candidate), None)
        after = next((p for p in self.pairs[index + 1 :] if p.candidate), None)
        first = self.pairs[index].reference[0]
        continues = first > 0 and (
            self.reference.sentences[first - 1].paragraph
            == self.reference.sentences[first].paragraph
        )
        if before is not None and (continues or after is None):
            return self.candidate.sentences[before.candidate[-1]].end
        if after is not None:
            return self.candidate.sentences[after.candidate[0]].start
        return 0


def _kept(sentences: list[Sentence], skip: Collection[int]) -> list[int]:
    return [i for i, s in enumerate(sentences) if i not in skip and s.text.strip()]


def compare(
    candidate: Document,
    reference: Document,
    calibration: Calibration,
    skip_candidate: Collection[int] = (),
    skip_reference: Collection[int] = (),
) -> Comparison:
    cand_index = _kept(candidate.sentences, skip_candidate)
    ref_index = _kept(reference.sentences, skip_reference)
    beads: list[Bead] = align(
        [candidate.sentences[i].text for i in cand_index],
        [reference.sentences[i].text for i in ref_index],
        calibration.costs,
    )
    comparison = Comparison(candidate, reference, [], Scores(0.0, 0.0, 0.0))
    hypotheses, references = [], []
    for bead in beads:
        pair = Pair(
            tuple(cand_index[i] for i in bead.candidate),
            tuple(ref_index[j] for j in bead.reference),
            round(bead.similarity, 2),
            None,
        )
        comparison.pairs.append(pair)
        hypotheses.append(comparison.text("candidate", pair))
        references.append(comparison.text("reference", pair))
    if hypotheses:
        scores, comparison.document = pair_and_document_scores(hypotheses, references)
        for pair, pair_scores in zip(comparison.pairs, scores, strict=True):
            pair.scores = pair_scores
    return comparison
