"""Peak memory of a corpus run with the language model off: a generated JSONL corpus is audited
by ``auditor check --no-lm --format jsonl`` in a child process, whose peak RSS is read from
``wait4``. The same run over a quarter of the corpus shows whether memory grows with corpus
size (it must not: rows stream in, results stream out, memory is bounded by the batch).
A third run leaves out the REF check, whose index of sibling versions holds the corpus.

Target (issue 10): under 1 GiB on a 2 GB corpus. The corpus size is AUDITOR_BENCH_CORPUS_MB
(default 2 MiB, so ``make bench`` stays quick: the non-LM checks audit well under 1 MB a
minute here); ``make bench-memory`` runs the full 2 GB, which takes hours at that speed.
Reading alone (ingest, no checks) is measured over the whole corpus as well.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
LIMIT_MIB = 1024
DEFAULT_MB = 2


def _paragraphs() -> list[str]:
    blocks = []
    for path in sorted(SAMPLES.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        blocks += [b.strip() for b in body.split("\n\n") if len(b.strip()) > 40]
    return blocks


def write_corpus(path: Path, size_bytes: int, seed: int = 10) -> int:
    """A JSONL corpus of about ``size_bytes``: articles of eight sample paragraphs in random
    order, every fifth with a homoglyph or an invisible character, every tenth a syndicated
    copy of the one before (same story, a paragraph shorter). Returns the article count."""
    rng = random.Random(seed)
    blocks = _paragraphs()
    written = articles = 0
    story = 0
    text = ""
    with path.open("w", encoding="utf-8") as f:
        while written < size_bytes:
            if articles % 10 == 9:
                text = text.rsplit("\n\n", 1)[0]
            else:
                story += 1
                text = "\n\n".join(rng.sample(blocks, 8))
            if articles % 5 == 0:
                text = text.replace("Kyiv", "Ky\u0456v").replace("Berlin", "Ber\u200blin")
            row = {
                "id": f"a{articles:08d}",
                "story": f"s{story:08d}",
                "outlet": f"outlet{articles % 13}",
                "text": text,
            }
            line = json.dumps(row, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            articles += 1
    return articles


def _head(source: Path, target: Path, size_bytes: int) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        written = 0
        for line in src:
            if written >= size_bytes:
                break
            dst.write(line)
            written += len(line)


def _measure(argv: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of a child process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err.strip()[-500:]}")
    return seconds, usage.ru_maxrss / 1024, proc.returncode  # ru_maxrss is KiB on Linux


def _audit(corpus: Path, results: Path, *options: str) -> tuple[float, float]:
    seconds, peak, _ = _measure([
        sys.executable, "-m", "auditor", "check", str(corpus), "--no-lm", "--isolated",
        "--format", "jsonl", "--output", str(results), "--quiet", *options,
    ])  # fmt: skip
    return seconds, peak


INGEST_ONLY = (
    "import sys\n"
    "from auditor.ingest import read_paths\n"
    "print(sum(1 for _ in read_paths(sys.argv[1:])))\n"
)


def run() -> dict:
    size_mb = float(os.environ.get("AUDITOR_BENCH_CORPUS_MB", DEFAULT_MB))
    size = int(size_mb * 2**20)
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as folder:
        tmp = Path(folder)
        corpus, quarter = tmp / "corpus.jsonl", tmp / "quarter.jsonl"
        articles = write_corpus(corpus, size)
        _head(corpus, quarter, size // 4)
        ingest_seconds, ingest_peak, _ = _measure([sys.executable, "-c", INGEST_ONLY, str(corpus)])
        quarter_seconds, quarter_peak = _audit(quarter, tmp / "quarter-results.jsonl")
        seconds, peak = _audit(corpus, tmp / "results.jsonl")
        results_lines = (tmp / "results.jsonl").read_bytes().count(b"\n")
        # The REF check indexes sibling versions over the whole corpus before the audit.
        _, streaming_peak = _audit(corpus, tmp / "streaming.jsonl", "--ignore", "REF")
    gb = size / 1e9
    return {
        "corpus_mb": round(size / 2**20, 1),
        "articles": articles,
        "results_written": results_lines,
        "no_lm_seconds": round(seconds, 1),
        "no_lm_articles_per_minute": round(60 * articles / seconds),
        "no_lm_hours_per_gb": round(seconds / gb / 3600, 2),
        "peak_rss_mib": round(peak, 1),
        "peak_rss_mib_quarter_corpus": round(quarter_peak, 1),
        "peak_rss_mib_without_sibling_index": round(streaming_peak, 1),
        "quarter_corpus_seconds": round(quarter_seconds, 1),
        "ingest_only_seconds_per_gb": round(ingest_seconds / gb, 1),
        "ingest_only_peak_rss_mib": round(ingest_peak, 1),
        "peak_rss_limit_mib": LIMIT_MIB,
        "peak_rss_under_limit": peak < LIMIT_MIB,
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
