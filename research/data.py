"""Where the research-only data sets live: ``../shared/data`` beside the checkout (CI has it
there too). Nothing of them is copied into the product, its tests or its data."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEV_DATA = SHARED / "newstest2020_zhen_mqm.jsonl.gz"  # fit and tune here
TED_DATA = SHARED / "ted2021_zhen_mqm.jsonl.gz"  # check that a fit carries over; never fit
NAMES_DEV = SHARED / "names_dev"
