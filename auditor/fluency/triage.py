"""Triage for editors: the few sentences of an article most likely to hold an error of any kind,
to read first. Not findings: they change no score and fail no gate; the fluency score already
ranks sentences by the MQM penalty points an expert would likely charge them.

How many: a tenth of the sentences scored (rounded up), at most ``MOST``; none for an article
of fewer than ``FEWEST`` scored sentences, which an editor reads whole anyway. On the MQM data
the top tenth ranked this way holds a sentence with a Major error more often than the longest
tenth does (README, "Read these first").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SHARE = 0.1
MOST = 5
FEWEST = 5


def read_first(scored: Sequence[tuple[float, int, int]]) -> list[tuple[float, int, int]]:
    """The (score, start, end) entries to read first, most likely first; ties keep reading
    order."""
    if len(scored) < FEWEST:
        return []
    wanted = min(MOST, math.ceil(SHARE * len(scored)))
    ranked = sorted(enumerate(scored), key=lambda item: (-item[1][0], item[0]))
    return [entry for _, entry in ranked[:wanted]]
