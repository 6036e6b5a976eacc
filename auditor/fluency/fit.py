"""Fitting a fluency calibration (``calibration.Calibration``): the word expectations and the
clean-sentence line from clean English scored by the language model, and the score weights
from MQM-rated machine translations. ``auditor eval mqm --calibrate`` runs it on an MQM file."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from .calibration import COMPONENTS, Calibration, WordModel
from .words import KINDS, Word

ZIPF_STEP = 0.5
MIN_BIN = 40  # words per (kind, frequency) bin before neighbouring bins are pooled
QUANTILES = (0.5, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999)
# The score weights are fitted to pairs of translations (see ``fit_weights``):
ACROSS_SOURCES = 0.1  # weight of pairs from two sources beside pairs from one source
ACROSS_PAIRS = 200_000  # pairs from two sources drawn (seeded) for the fit
RIDGE = 0.01  # on standardized measurements: keeps the weights finite where pairs separate


def fit_words(words: Iterable[Word]) -> dict[str, WordModel]:
    """Per kind, median and spread of surprisal by Zipf bin; sparse bins pool with neighbours
    until each holds ``MIN_BIN`` words."""
    by_kind: dict[str, dict[int, list[float]]] = {k: {} for k in KINDS}
    for w in words:
        by_kind[w.kind].setdefault(int(w.zipf / ZIPF_STEP), []).append(w.surprisal)
    models = {}
    for kind, bins in by_kind.items():
        groups: list[tuple[float, list[float]]] = []  # (Zipf where the group starts, values)
        for b in sorted(bins):
            if groups and len(groups[-1][1]) < MIN_BIN:
                groups[-1][1].extend(bins[b])
            else:
                groups.append((b * ZIPF_STEP, list(bins[b])))
        if len(groups) > 1 and len(groups[-1][1]) < MIN_BIN:
            groups[-2][1].extend(groups.pop()[1])
        if not groups:
            groups = [(0.0, [0.0])]
        models[kind] = WordModel(
            lower_edges=(0.0, *(g[0] for g in groups[1:])),
            median=tuple(round(statistics.median(g[1]), 3) for g in groups),
            spread=tuple(round(_mad(g[1]), 3) for g in groups),
        )
    return models


def _mad(values: Sequence[float]) -> float:
    m = statistics.median(values)
    return max(statistics.median(abs(v - m) for v in values), 0.1)


def fit(
    clean: Sequence[tuple[str, Sequence[tuple[int, int]], Sequence[float]]],
    flag_level: float,
    major_level: float,
    weights: dict[str, float],
    intercept: float = 0.0,
    openings: Sequence[bool] = (),
) -> Calibration:
    """A calibration from clean sentences scored by the LM: (text, token offsets, logprobs),
    and the score ``weights`` (see ``fit_weights``). ``openings`` marks the sentences that
    start a document, assessed as the check assesses them (their first words protected).

    Word expectations come first; then every clean sentence is assessed with them, the line
    of score on length is fitted, and the residuals and best-span scores are recorded as
    quantiles."""
    from .assess import assess
    from .words import words_of

    words = [w for text, offsets, lps in clean for w in words_of(text, offsets, lps)]
    partial = Calibration(
        words=fit_words(words),
        length_model=(0.0, 0.0, 1.0),
        quantiles=QUANTILES,
        sentence=(0.0,) * len(QUANTILES),
        span=(0.0,) * len(QUANTILES),
        flag_level=flag_level,
        major_level=major_level,
        weights=dict(weights),
        intercept=intercept,
    )
    lengths, scores, best_spans = [], [], []
    starts = list(openings) or [False] * len(clean)
    for (text, offsets, lps), opening in zip(clean, starts, strict=True):
        a = assess(text, offsets, lps, partial, opening=opening)
        lengths.append(max(a.n_words, 1))
        scores.append(a.garbledness)
        best_spans.append(max((s.score for s in a.spans), default=0.0))
    model = _length_model(lengths, scores)
    fitted = replace(partial, length_model=model)
    residuals = [fitted.residual(s, n) for s, n in zip(scores, lengths, strict=True)]
    return replace(fitted, sentence=_quantiles(residuals), span=_quantiles(best_spans))


def fit_weights(
    components: Sequence[dict[str, float]],
    penalties: Sequence[float],
    sources: Sequence[object],
    seed: int = 7,
    names: Sequence[str] | None = None,
    across: float = ACROSS_SOURCES,
) -> tuple[dict[str, float], float]:
    """Score weights and intercept from machine translations: their measurements, their MQM
    ``penalties`` and which source each translates; ``names``: the measurements weighed (by
    default all of ``COMPONENTS``); ``across``: the weight of pairs across sources.

    Kendall's tau counts pairs put in the right order, so the direction of the weights is
    fitted to pairs (a logistic loss on the sign of each pair's penalty difference, as RankNet
    does): every pair of translations of one source with different penalties, which is what
    ranks systems, plus ``ACROSS_SOURCES`` times pairs drawn across sources, which keeps long,
    hard segments above short, easy ones. A least-squares scale and intercept along that
    direction then make the score an estimate in MQM points. Measurements are standardized for
    the fit, so the ridge term treats them alike. On the development data this ranks better
    in both views than least squares on penalties, whose few very large penalties (25 points
    for a non-translation) pull the fit their way."""
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import expit

    names = tuple(names or COMPONENTS)
    x = np.array([[c[k] for k in names] for c in components], dtype=float)
    y = np.array(penalties, dtype=float)
    scale = np.where(x.std(0) > 0, x.std(0), 1.0)
    z = (x - x.mean(0)) / scale
    members: dict[object, list[int]] = {}
    for i, s in enumerate(sources):
        members.setdefault(s, []).append(i)
    first, second = [], []
    for rows in members.values():
        upper, lower = np.triu_indices(len(rows), 1)
        first += [rows[i] for i in upper]
        second += [rows[i] for i in lower]
    number = {s: k for k, s in enumerate(members)}
    group = np.array([number[s] for s in sources], dtype=int)
    a, b = np.random.default_rng(seed).integers(0, len(y), (2, ACROSS_PAIRS))
    apart = group[a] != group[b]
    pair_sets = [
        _ordered_pairs(z, y, np.array(first, dtype=int), np.array(second, dtype=int), 1.0),
        _ordered_pairs(z, y, a[apart], b[apart], across),
    ]

    def loss(w):
        total, grad = RIDGE * w @ w, 2 * RIDGE * w
        for diff, weight in pair_sets:
            if len(diff):
                margin = diff @ w
                total += weight * np.logaddexp(0, -margin).mean()
                grad -= weight * (diff * expit(-margin)[:, None]).mean(0)
        return total, grad

    direction = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    ranked = z @ direction
    # MQM points per unit along the direction (penalties rise along it: the pairs say so).
    points = max(float(np.cov(ranked, y, bias=True)[0, 1] / max(ranked.var(), 1e-12)), 1e-9)
    w = points * direction / scale
    weights = {k: round(float(v), 6) for k, v in zip(names, w, strict=True)}
    intercept = float(y.mean() - x.mean(0) @ np.array(list(weights.values())))
    return weights, round(intercept, 4)


def _ordered_pairs(z, y, first, second, weight: float):
    """Measurement differences of the pairs whose penalties differ, each turned so that the
    worse translation comes first, with the weight of this kind of pair."""
    import numpy as np

    sign = np.sign(y[first] - y[second])
    differ = sign != 0
    return (z[first[differ]] - z[second[differ]]) * sign[differ, None], weight


def _length_model(lengths: Sequence[int], scores: Sequence[float]) -> tuple[float, float, float]:
    """Least squares line of score on length, weighted by 1/length (the variance grows with
    it), and the typical spread per square-root word (median absolute residual)."""
    weights = [1.0 / n for n in lengths]
    total = sum(weights)
    mean_n = sum(w * n for w, n in zip(weights, lengths, strict=True)) / total
    mean_s = sum(w * s for w, s in zip(weights, scores, strict=True)) / total
    var = sum(w * (n - mean_n) ** 2 for w, n in zip(weights, lengths, strict=True))
    cov = sum(
        w * (n - mean_n) * (s - mean_s) for w, n, s in zip(weights, lengths, scores, strict=True)
    )
    slope = cov / var if var else 0.0
    intercept = mean_s - slope * mean_n
    spread = statistics.median(
        abs(s - intercept - slope * n) / math.sqrt(n) for n, s in zip(lengths, scores, strict=True)
    )
    return round(intercept, 4), round(slope, 4), round(max(spread, 1e-3), 4)


def _quantiles(values: Sequence[float]) -> tuple[float, ...]:
    """Non-decreasing empirical quantiles (linear interpolation); all zero for no values."""
    if not values:
        return (0.0,) * len(QUANTILES)
    ordered = sorted(values)
    out = []
    for level in QUANTILES:
        pos = level * (len(ordered) - 1)
        lo = int(pos)
        hi = min(lo + 1, len(ordered) - 1)
        out.append(round(ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo), 3))
    return tuple(out)


def dump(calibration: Calibration, path: Path, header: str) -> None:
    """Write ``calibration`` as reviewed YAML with ``header`` (how it was made) on top."""
    import yaml

    from ..atomic import write_bytes

    data = {
        "policy": {"flag_level": calibration.flag_level, "major_level": calibration.major_level},
        "score": {"intercept": calibration.intercept, "weights": dict(calibration.weights)},
        "words": {
            kind: {
                "zipf_from": list(m.lower_edges),
                "median": list(m.median),
                "spread": list(m.spread),
            }
            for kind, m in calibration.words.items()
        },
        "sentences": {
            "intercept": calibration.length_model[0],
            "slope": calibration.length_model[1],
            "spread": calibration.length_model[2],
            "quantiles": list(calibration.quantiles),
            "residuals": list(calibration.sentence),
        },
        "spans": {"quantiles": list(calibration.quantiles), "scores": list(calibration.span)},
    }
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100)
    write_bytes(path, (comments + body).encode("utf-8"))
