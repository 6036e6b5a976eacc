import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
DEV_DATA = ROOT.parent / "shared" / "data" / "newstest2020_zhen_mqm.jsonl.gz"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def run_cli(capsys):
    """Run ``auditor ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from auditor.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def sample(name_prefix: str) -> Path:
    return next(SAMPLES.glob(f"{name_prefix}*.md"))
