"""Agreement of a score with human judgements, as the MT metrics literature measures it: Kendall's
tau-b and Pearson's r over all rows ("flat"), and Kendall's tau within groups of rows that
translate the same source ("grouped": the mean of per-group taus; what tells systems apart on
one sentence). The one place these are computed: ``auditor eval mqm`` and every study under
``research/`` use it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence

MIN_ROWS = 3  # fewer rows, or a score that does not vary, give no tau


def kendall_pearson(x: Sequence[float], y: Sequence[float]) -> tuple[float, float]:
    """Kendall's tau-b and Pearson's r of ``x`` against ``y`` (NaN when undefined)."""
    from scipy.stats import kendalltau, pearsonr

    if len(x) < MIN_ROWS or len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan, math.nan
    return float(kendalltau(x, y).statistic), float(pearsonr(x, y).statistic)


def group_taus(groups: Sequence[Hashable], x: Sequence[float], y: Sequence[float]) -> list[float]:
    """Kendall's tau within each group (e.g. ``seg_id``) where it is defined, in group order."""
    by: dict[Hashable, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by[g].append(i)
    taus = []
    for members in by.values():
        tau, _ = kendall_pearson([x[i] for i in members], [y[i] for i in members])
        if not math.isnan(tau):
            taus.append(tau)
    return taus


def grouped_tau(groups: Sequence[Hashable], x: Sequence[float], y: Sequence[float]) -> float:
    """The mean of ``group_taus`` (NaN when no group has one)."""
    taus = group_taus(groups, x, y)
    return sum(taus) / len(taus) if taus else math.nan
