"""sacrebleu's chrF, BLEU and TER, per sentence pair and per document, with their signatures.

The scores are sacrebleu's own, never re-implemented: a sentence score is
``metric.sentence_score`` on one pair and a document score is ``metric.corpus_score`` over the
aligned pairs of the document, where a sentence with no counterpart is paired with the empty
string so that omissions and additions cost what they cost in a corpus evaluation.
Sentence-level BLEU uses effective order (sacrebleu's recommendation for single sentences);
document-level BLEU does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

METRICS = ("chrf", "bleu", "ter")


@lru_cache(maxsize=1)
def _sentence_metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"chrf": CHRF(), "bleu": BLEU(effective_order=True), "ter": TER()}


@lru_cache(maxsize=1)
def _document_metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {"chrf": CHRF(), "bleu": BLEU(), "ter": TER()}


def sentence_chrf(hypothesis: str, reference: str) -> float:
    """sacrebleu's sentence chrF (chrF2, character order 6) of one hypothesis, 0..100."""
    return _sentence_metrics()["chrf"].sentence_score(hypothesis, [reference]).score


def sentence_bleu(hypothesis: str, reference: str) -> float:
    """sacrebleu's sentence BLEU with effective order, 0..100."""
    return _sentence_metrics()["bleu"].sentence_score(hypothesis, [reference]).score


def sentence_ter(hypothesis: str, reference: str) -> float:
    """sacrebleu's TER (edits per reference word x 100; lower is better)."""
    return _sentence_metrics()["ter"].sentence_score(hypothesis, [reference]).score


@dataclass(frozen=True, slots=True)
class Scores:
    chrf: float
    bleu: float
    ter: float

    def to_dict(self) -> dict[str, float]:
        return {"chrf": round(self.chrf, 2), "bleu": round(self.bleu, 2), "ter": round(self.ter, 2)}


def sentence_scores(hypothesis: str, reference: str) -> Scores:
    metrics = _sentence_metrics()
    return Scores(
        *(metrics[name].sentence_score(hypothesis, [reference]).score for name in METRICS)
    )


def document_scores(hypotheses: Sequence[str], references: Sequence[str]) -> Scores:
    """Corpus-level scores over the aligned segments of one document."""
    metrics = _document_metrics()
    hyps, refs = list(hypotheses), [list(references)]
    return Scores(*(metrics[name].corpus_score(hyps, refs).score for name in METRICS))


def pair_and_document_scores(
    hypotheses: Sequence[str], references: Sequence[str]
) -> tuple[list[Scores | None], Scores]:
    """``sentence_scores`` of every pair with text on both sides (None for the others) and
    ``document_scores`` of them all, in one pass. A corpus score aggregates the very segment
    statistics its sentence scores come from, so they are extracted once and aggregated both
    ways, with the methods sacrebleu's ``sentence_score`` and ``corpus_score`` call."""
    sentence, document = _sentence_metrics(), _document_metrics()
    hyps, refs = list(hypotheses), [list(references)]
    stats = {name: document[name]._extract_corpus_statistics(hyps, refs) for name in METRICS}
    pairs = [
        Scores(*(sentence[n]._aggregate_and_compute([stats[n][k]]).score for n in METRICS))
        if hyp and ref
        else None
        for k, (hyp, ref) in enumerate(zip(hyps, refs[0], strict=True))
    ]
    return pairs, Scores(*(document[n]._aggregate_and_compute(stats[n]).score for n in METRICS))


@lru_cache(maxsize=1)
def signatures() -> dict[str, str]:
    """sacrebleu's signature of every metric as used here, for reports (reproducibility)."""
    sentence, document = _sentence_metrics(), _document_metrics()
    out = {}
    for name in METRICS:
        # A signature names the number of references, known only once something was scored.
        sentence[name].sentence_score("a", ["a"])
        document[name].corpus_score(["a"], [["a"]])
        out[f"{name}_sentence"] = str(sentence[name].get_signature())
        out[f"{name}_document"] = str(document[name].get_signature())
    return out
