"""From per-token log-probabilities of one sentence to a calibrated verdict: its garbledness
score, where that lies among clean sentences of the same length, and the spans that carry it.

A word's *excess* is its surprisal minus the median surprisal of clean words of its kind and
frequency, in units of their spread (a robust z-score). Names, numbers, quoted wording and
words already reported by earlier checks may be surprising without being wrong: their excess
counts only when negative.

A sentence gets two numbers. Its *garbledness* adds up three things: the word excesses (each
at least ``EXCESS_FLOOR``, so that a run of very predictable words cannot hide a garbled one);
a share of the same excesses in nats (each at least ``NATS_FLOOR``), which lets a word far off
its expectation weigh by how far; and a share of the plain summed surprisal. Where it stands
among clean sentences of the same length is the sentence's ``quantile``, which decides the
findings. Its *score* estimates what an expert would charge it in MQM penalty points: a
weighted sum of the measurements (``calibration.COMPONENTS``) its calibration names, scaled
to expert MQM penalties (data: ``corpora/lm/fluency-<model>.yaml``; the shipped ones weigh
surprisal per square-root token alone). The score ranks translations
better; the garbledness stays quiet on names and punctuation, which the score must weigh
(raters charge odd names) but which make poor reasons to flag a sentence. A span is a run
of words with high excess, allowing one ordinary word inside it; its score adds up their
excess beyond ``MARGIN``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .calibration import Calibration
from .words import Word, words_of

MARGIN = 1.0  # spreads of excess a span word may carry before it counts (clean words often do)
EXCESS_FLOOR = -2.0  # a very predictable word makes up for little garbling elsewhere
NATS_WEIGHT = 0.25  # per nat of excess surprisal
NATS_FLOOR = -4.0  # nats: a very predictable word makes up for little garbling elsewhere
SURPRISAL_WEIGHT = 0.35  # per nat of plain surprisal: more text to get through, more to trip on
SPAN_START = 2.5  # a span starts and ends at words this far above their expectation
SPAN_BRIDGE = 1  # ordinary words a span may cross between two surprising ones
PUNCT = ("punct", "mark")
OPENING_WORDS = 3  # words at the very start of a document that the LM cannot expect


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # offsets into the assessed text
    end: int
    text: str
    score: float
    surprisal: float  # nats, LM
    expected: float  # nats, clean-English median for these words
    peak: float  # highest word excess, in spreads

    def evidence(self) -> dict:
        return {
            "surprisal": round(self.surprisal, 2),
            "expected": round(self.expected, 2),
            "excess": round(self.surprisal - self.expected, 2),
            "peak_z": round(self.peak, 2),
            "span_score": round(self.score, 2),
        }


@dataclass(slots=True)
class Assessment:
    score: float  # higher = worse: estimated MQM penalty points
    garbledness: float  # higher = more garbled; compared with clean English by ``quantile``
    components: dict[str, float]
    n_words: int
    quantile: float  # share of clean sentences of this length less garbled
    surprisal: float
    words: list[Word] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


def word_excess(word: Word, calibration: Calibration) -> float:
    median, spread = calibration.expected(word)
    z = (word.surprisal - median) / spread
    return min(z, 0.0) if word.protected else z


def nats_excess(word: Word, calibration: Calibration) -> float:
    """Surprisal above the clean-English median in nats (only a deficit for protected words)."""
    excess = word.surprisal - calibration.expected(word)[0]
    return min(excess, 0.0) if word.protected else excess


def assess(
    text: str,
    offsets: Sequence[tuple[int, int]],
    logprobs: Sequence[float],
    calibration: Calibration,
    protected: Sequence[tuple[int, int]] = (),
    opening: bool = False,
) -> Assessment:
    """``opening``: the text starts a document (nothing before it for the LM to go on), so its
    first words are surprising whatever they are and are not held against it."""
    words = words_of(text, offsets, logprobs, protected)
    if opening:
        for w in [w for w in words if w.kind not in PUNCT][:OPENING_WORDS]:
            w.protected = True
    for w in words:
        w.excess = word_excess(w, calibration)
    components = measure(words, logprobs, calibration)
    garbledness = (
        sum(max(w.excess, EXCESS_FLOOR) for w in words)
        + NATS_WEIGHT * components["excess"]
        + SURPRISAL_WEIGHT * components["surprisal"]
    )
    n_words = sum(w.kind != "punct" for w in words)
    return Assessment(
        score=calibration.score(components),
        garbledness=garbledness,
        components=components,
        n_words=n_words,
        quantile=calibration.clean_quantile(garbledness, n_words),
        surprisal=components["surprisal"],
        words=words,
        spans=_spans(text, words, calibration),
    )


def measure(
    words: Sequence[Word], logprobs: Sequence[float], calibration: Calibration
) -> dict[str, float]:
    """The ``COMPONENTS`` of one sentence."""
    return {
        "excess": sum(max(nats_excess(w, calibration), NATS_FLOOR) for w in words),
        "surprisal": -sum(logprobs),
        "protected_surprisal": sum(
            w.surprisal for w in words if w.protected and w.kind not in PUNCT
        ),
        "mark_surprisal": sum(w.surprisal for w in words if w.kind == "mark"),
        "nonwords": float(
            sum(w.kind == "lower" and w.zipf == 0 and not w.protected for w in words)
        ),
        "tokens": float(len(logprobs)),
        "surprisal_per_root_token": -sum(logprobs) / math.sqrt(max(len(logprobs), 1)),
    }


def _spans(text: str, words: list[Word], calibration: Calibration) -> list[Span]:
    """Runs of words far above their expectation, bridging up to ``SPAN_BRIDGE`` ordinary
    words; a run starts and ends on a strong word (punctuation alone never makes a span)."""
    strong = [i for i, w in enumerate(words) if w.excess >= SPAN_START and w.kind not in PUNCT]
    runs: list[tuple[int, int]] = []
    for i in strong:
        between = [w for w in words[runs[-1][1] + 1 : i] if w.kind not in PUNCT] if runs else []
        if runs and len(between) <= SPAN_BRIDGE:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    spans = []
    for first, last in runs:
        run = words[first : last + 1]
        spans.append(
            Span(
                start=run[0].start,
                end=run[-1].end,
                text=text[run[0].start : run[-1].end],
                score=sum(max(0.0, w.excess - MARGIN) for w in run),
                surprisal=sum(w.surprisal for w in run),
                expected=sum(calibration.expected(w)[0] for w in run),
                peak=max(w.excess for w in run),
            )
        )
    return spans
