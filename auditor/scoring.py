"""MQM-style scoring: severity penalties, normed by target words, a score and a verdict."""

from __future__ import annotations

from .config import Config
from .document import DocumentResult

MULTIPLIERS = {"neutral": 0.0, "minor": 1.0, "major": 5.0, "critical": 25.0}


def penalty_of(result: DocumentResult) -> float:
    """Sum of severity multipliers; statistical findings count by their confidence."""
    total = 0.0
    for f in result.findings:
        weight = f.confidence if f.statistical else 1.0
        total += MULTIPLIERS[f.severity] * weight
    return total


def score(result: DocumentResult, config: Config) -> DocumentResult:
    """Fill penalty, score, verdict and the sample-size note of an ok result, in place."""
    if result.status != "ok":
        return result
    words = max(result.words, 1)
    result.penalty = penalty_of(result)
    result.score = max(0.0, 100.0 * (1.0 - result.penalty / words))
    result.extra["penalty_per_1000_words"] = round(1000.0 * result.penalty / words, 2)
    if any(f.severity == "critical" for f in result.findings):
        result.verdict = "fail"
    elif result.score >= config.pass_score:
        result.verdict = "pass"
    elif result.score >= config.review_score:
        result.verdict = "review"
    else:
        result.verdict = "fail"
    if result.words < config.small_sample_words:
        result.notes.append(
            f"small sample: {result.words} target words (under {config.small_sample_words}); "
            "the score is a rough estimate"
        )
    return result
