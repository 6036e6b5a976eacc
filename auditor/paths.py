"""Where the reviewed data lives."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def corpora_dir() -> Path:
    """``$AUDITOR_CORPORA``; else ``corpora/`` beside the package (a checkout or an editable
    install); else where a regular install puts it (``<prefix>/share/auditor/corpora``)."""
    override = os.environ.get("AUDITOR_CORPORA")
    if override:
        return Path(override)
    beside = Path(__file__).resolve().parent.parent / "corpora"
    if beside.is_dir():
        return beside
    return Path(sys.prefix) / "share" / "auditor" / "corpora"


def parse_yaml(text: str):
    """YAML as ``yaml.safe_load`` reads it, through libyaml when PyYAML was built with it: the
    gazetteer alone took 0.7 s of a one-article run in the pure-Python parser."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
