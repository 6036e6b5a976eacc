"""Where the reviewed data lives: ``corpora/`` beside the package (editable install, checkout)."""

from __future__ import annotations

import os
from pathlib import Path


def corpora_dir() -> Path:
    override = os.environ.get("AUDITOR_CORPORA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "corpora"
