"""The whole pipeline: articles per minute with and without the language model, the second run
over the same corpus (score cache warm), and the cold start of ``auditor check`` on one article.

Command-line runs use a private cache folder that shares the real model cache (so the model is
"present", as the cold-start target assumes) but starts with an empty score cache.
Every installed language model is measured (articles per minute, cold start); figures of a
model other than the default carry its name. Targets: second run >= 5x faster than the first
(issue 9); cold start on one article < 3 s once the model cache exists (DESIGN), < 5 s for a
600-word article with the default model (issues 4 and 21).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
ONE = SAMPLES / "003-selenskyj-peace-talks-stern.md"
NO_LM_COPIES = 20  # the samples are few; without the LM they are audited this many times


def _cli(args: list[str], env: dict) -> tuple[float, bytes]:
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "auditor", "check", *args, "--isolated", "--quiet",
             "--format", "json", "--output", str(report)],
            cwd=ROOT, env=env, capture_output=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr.decode(errors="replace").strip().splitlines()[-1])
        return seconds, report.read_bytes()


def _private_cache(folder: Path) -> dict:
    """An environment whose cache folder shares the real one's models but no scores."""
    from auditor.lm.model import cache_root, ensure_cache

    for name in _installed():
        ensure_cache(name)
    real = cache_root()
    for entry in real.iterdir():
        if not entry.name.startswith("scores."):
            (folder / entry.name).symlink_to(entry)
    return {**os.environ, "AUDITOR_CACHE_DIR": str(folder), "HF_HUB_OFFLINE": "1"}


def _installed() -> list[str]:
    """The language models installed here (the default always; Gemma with its extra)."""
    import importlib.util

    from auditor.lm import MODELS

    return [n for n, spec in MODELS.items() if importlib.util.find_spec(spec.package)]


def _throughput(lm: str | bool) -> float:
    from auditor.config import load_config
    from auditor.ingest import read_paths
    from auditor.pipeline import Auditor

    docs = list(read_paths([str(SAMPLES)]))
    if not lm:
        docs = [d for _ in range(NO_LM_COPIES) for d in read_paths([str(SAMPLES)])]
    auditor = Auditor(load_config({"lm": lm}, use_files=False))
    list(auditor.audit(read_paths([str(ONE)])))  # load what the checks need
    started = time.perf_counter()
    count = sum(1 for _ in auditor.audit(docs))
    return count / (time.perf_counter() - started) * 60


def run() -> dict:
    from auditor.lm import DEFAULT_LM

    figures = {}
    os.environ["AUDITOR_SCORE_CACHE"] = "off"  # measure the model, not the cache
    for name in _installed():
        figures[f"articles_per_minute_lm.{name}"] = round(_throughput(lm=name), 1)
    figures["articles_per_minute_no_lm"] = round(_throughput(lm=False))
    del os.environ["AUDITOR_SCORE_CACHE"]

    with tempfile.TemporaryDirectory() as folder:
        env = _private_cache(Path(folder))
        first, report = _cli([str(SAMPLES)], env)
        second, again = _cli([str(SAMPLES)], env)
        figures["first_run_s"] = round(first, 2)
        figures["second_run_s"] = round(second, 2)
        figures["second_run_speedup"] = round(first / second, 1)
        figures["second_run_identical"] = report == again
        for name in _installed():
            lm = ["--lm", name]
            suffix = "" if name == DEFAULT_LM else f".{name}"
            figures[f"cold_start_one_article_s{suffix}"] = round(
                _cli([str(ONE), "--no-cache", *lm], env)[0], 2
            )
            _cli([str(ONE), *lm], env)  # its sentences into the score cache
            figures[f"cold_start_one_article_scores_cached_s{suffix}"] = round(
                _cli([str(ONE), *lm], env)[0], 2
            )
    return figures
