"""Where the research-only data sets live: ``../shared/data`` beside the checkout (CI has it
there too). Nothing of them is copied into the product, its tests or its data."""

from __future__ import annotations

import hashlib
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV_DATA = SHARED / "newstest2020_zhen_mqm.jsonl.gz"  # fit and tune here
TED_DATA = SHARED / "ted2021_zhen_mqm.jsonl.gz"  # check that a fit carries over; never fit
NAMES_DEV = SHARED / "names_dev"


def half(key: str) -> str:
    """The half a document (or a planted word, a sentence) falls in, by a rule that never
    changes: **tune** when the first byte of sha256(key) is even, **check** when odd. Fixes are
    made looking at the tune half alone; the check half is reported as held out."""
    return "tune" if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else "check"
