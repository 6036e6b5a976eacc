"""Calibration numbers: what SmolLM2 gives clean professional English, and how sentence scores
of clean English are spread. Read from a reviewed YAML file in ``corpora/lm/``; ``fit`` makes
one from scored clean sentences and MQM-rated translations.

Sentence garbledness grows with length, so it is compared as standardized residuals of a straight
line in the number of words (spread growing with its square root): one distribution for all
lengths, whose high quantiles a few hundred clean sentences can pin down, where per-length
buckets would each need thousands.

The sentence score (an estimate of MQM penalty points) weighs its measurements
(``COMPONENTS``) by weights fitted to expert MQM penalties of machine translation
(``fit.fit_weights``): mostly to how translations of the same source differ, which is what a
fluency score can see without the source, and a little to how segments differ across
sources."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..paths import corpora_dir, parse_yaml
from .words import KINDS, Word

# The sentence measurements the score weighs (``assess`` measures them).
COMPONENTS = (
    "excess",  # nats of surprisal beyond the clean-English expectation of each word
    "surprisal",  # nats, all tokens: more text to get through, more to trip on
    "protected_surprisal",  # nats, names, numbers, quotes and words reported already
    "mark_surprisal",  # nats, dashes, brackets, quotes, colons
    "nonwords",  # lower-case words no dictionary knows ("Deforted" is a LEX finding first)
    "tokens",  # LM tokens: per token, translations of one source differ in length
    # nats over the square root of the LM tokens, the shipped score (README, "Garbled
    # sentences"): between summed surprisal (long text collects more errors) and surprisal per
    # token (how hard it reads)
    "surprisal_per_root_token",
)


def default_path(lm: str | None = None) -> Path:
    """The calibration of language model ``lm`` (None: the default model)."""
    from ..lm import model_spec

    return corpora_dir() / "lm" / model_spec(lm).calibration


@dataclass(frozen=True, slots=True)
class WordModel:
    """Expected surprisal of one word kind by Zipf-frequency bin (bin i holds i*0.5..)."""

    lower_edges: tuple[float, ...]  # Zipf value where each bin starts
    median: tuple[float, ...]
    spread: tuple[float, ...]  # median absolute deviation, nats

    def expected(self, zipf: float) -> tuple[float, float]:
        i = max(0, bisect.bisect_right(self.lower_edges, zipf) - 1)
        return self.median[i], self.spread[i]


@dataclass(frozen=True, slots=True)
class Calibration:
    words: dict[str, WordModel]
    length_model: tuple[float, float, float]  # clean score ~ a + b*words, spread c*sqrt(words)
    quantiles: tuple[float, ...]
    sentence: tuple[float, ...]  # standardized residuals of clean sentences, at each quantile
    span: tuple[float, ...]  # the best span score of clean sentences, at each quantile
    flag_level: float  # clean-quantile level from which a sentence or span is reported
    major_level: float  # ... and from which it is a major error
    weights: dict[str, float]  # per sentence measurement (assess.COMPONENTS), MQM points per unit
    intercept: float = 0.0
    source: str = ""

    def with_levels(self, flag_level: float | None, major_level: float | None) -> Calibration:
        """This calibration with other reporting levels (None keeps the reviewed one); a major
        level below the flag level is raised to it."""
        flag = self.flag_level if flag_level is None else flag_level
        major = self.major_level if major_level is None else major_level
        return replace(self, flag_level=flag, major_level=max(major, flag))

    def score(self, components: dict[str, float]) -> float:
        return self.intercept + sum(w * components[k] for k, w in self.weights.items())

    def expected(self, word: Word) -> tuple[float, float]:
        return self.words[word.kind].expected(word.zipf)

    def residual(self, score: float, n_words: int) -> float:
        a, b, c = self.length_model
        n = max(n_words, 1)
        return (score - a - b * n) / (c * math.sqrt(n))

    def clean_quantile(self, score: float, n_words: int) -> float:
        """Where ``score`` lies in the clean-English distribution for this sentence length:
        the quantile level it reaches (0 below the median), interpolated between the stored
        quantiles and extrapolated past the last one."""
        return self._level(self.residual(score, n_words), self.sentence)

    def span_quantile(self, score: float) -> float:
        """The same for a span's score, against the best span of clean sentences."""
        return self._level(score, self.span)

    def _level(self, score: float, qs: Sequence[float]) -> float:
        levels = self.quantiles
        if score <= qs[0]:
            return 0.0
        for i in range(1, len(qs)):
            if score <= qs[i]:
                q0, l0, q1, l1 = qs[i - 1], levels[i - 1], qs[i], levels[i]
                return l0 + (l1 - l0) * (score - q0) / max(q1 - q0, 1e-9)
        # Past the top quantile the tail thins out: what is left halves with every further
        # tenth of the clean range (median to top quantile); thin samples give no finer scale.
        scale = max((qs[-1] - qs[0]) / 10, 0.5)
        return 1.0 - (1.0 - levels[-1]) * 0.5 ** ((score - qs[-1]) / scale)

    @classmethod
    def load(cls, path: Path | None = None) -> Calibration:
        path = path or default_path()
        data = parse_yaml(path.read_text(encoding="utf-8"))
        words = {
            kind: WordModel(tuple(m["zipf_from"]), tuple(m["median"]), tuple(m["spread"]))
            for kind, m in data["words"].items()
        }
        missing = set(KINDS) - set(words)
        if missing:
            raise ValueError(f"{path}: no word calibration for {', '.join(sorted(missing))}")
        if "score" not in data:
            raise ValueError(f"{path}: no score weights (remake it: auditor eval mqm --calibrate)")
        weights = {k: float(v) for k, v in data["score"]["weights"].items()}
        unknown = set(weights) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"{path}: unknown score component(s) {', '.join(sorted(unknown))}")
        s = data["sentences"]
        return cls(
            words=words,
            length_model=(float(s["intercept"]), float(s["slope"]), float(s["spread"])),
            quantiles=tuple(s["quantiles"]),
            sentence=tuple(s["residuals"]),
            span=tuple(data["spans"]["scores"]),
            flag_level=float(data["policy"]["flag_level"]),
            major_level=float(data["policy"]["major_level"]),
            weights=weights,
            intercept=float(data["score"]["intercept"]),
            source=str(path),
        )
