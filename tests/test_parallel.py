"""``--jobs N`` and ``--distributed``: the same bytes as a single-process run, in input order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.parallel import batches

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"


def _check(tmp_path: Path, name: str, *args: str, env: dict | None = None) -> bytes:
    report = tmp_path / f"{name}.json"
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "check", *args, "--isolated", "--quiet",
         "--format", "json", "--output", str(report)],
        cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
        capture_output=True, timeout=1200,
    )  # fmt: skip
    assert done.returncode in (0, 1) and report.exists(), done.stderr.decode()
    return report.read_bytes()


def test_batches_keep_order_and_size():
    assert list(batches(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches([], 3)) == []


def test_jobs_give_the_same_report(tmp_path):
    args = (str(SAMPLES), "--no-lm", "--batch-size", "1")
    local = _check(tmp_path, "local", *args)
    assert _check(tmp_path, "jobs", *args, "--jobs", "2") == local
    paths = [d["path"] for d in json.loads(local)["documents"]]
    assert paths == sorted(paths) and len(paths) == 5


def test_bad_jobs_is_a_usage_error(run_cli):
    code, _, err = run_cli("check", SAMPLES, "--no-lm", "--jobs", "-1")
    assert code == 2 and "--jobs" in err


def test_distributed_local_cluster_gives_the_same_report(tmp_path):
    """A LocalCluster of two worker processes over the samples, byte-identical to a local run
    (without the LM here; the test below adds it)."""
    args = (str(SAMPLES), "--no-lm", "--batch-size", "2")
    local = _check(tmp_path, "local", *args)
    assert _check(tmp_path, "dask", *args, "--distributed", "local", "--jobs", "2") == local


@pytest.mark.lm
def test_distributed_with_the_language_model(tmp_path):
    """With the LM: the local run fills its own fresh score cache; the distributed run on two
    workers scores everything again (cache off) and must agree to the byte."""
    from auditor.lm.model import cache_root, ensure_cache

    ensure_cache()
    private = tmp_path / "cache"
    private.mkdir()
    (private / "models").symlink_to(cache_root() / "models")
    env = {"AUDITOR_CACHE_DIR": str(private)}
    articles = sorted(SAMPLES.glob("00[12]-*.md"))
    args = (*map(str, articles), "--batch-size", "1")
    local = _check(tmp_path, "local", *args, env=env)
    dask = _check(
        tmp_path, "dask", *args, "--distributed", "local", "--jobs", "2", "--no-cache", env=env
    )
    assert dask == local
    assert "fluency" in json.loads(local)["signature"]
