"""Peak memory of a corpus run with the language model off: a generated JSONL corpus is audited
by ``auditor check --no-lm --format jsonl`` in a child process, whose peak RSS is read from
``wait4``. Each figure comes from one run (see FIGURES):

- the whole corpus, once: the headline peak (issue 10: under 1 GiB on a 2 GB corpus) and speed;
- its first sixteenth: whether memory grows with corpus size (it must not: rows stream in,
  results stream out, memory is bounded by the batch);
- the sixteenth again without the REF check: what the index of sibling versions, built by a
  pass over the whole input before the audit, adds to the peak.

The two small runs go on the second core while the whole corpus is audited (peak RSS is per
process, so they do not disturb each other's figure). The corpus size is
AUDITOR_BENCH_CORPUS_MB (default 2 MiB, so ``make bench`` stays quick); ``make bench-memory``
runs 2 GB (about 6,000 articles a minute here, 0.9 h per GB: plan on two hours). Reading
alone (ingest, no checks) is measured over the whole corpus as well.

The kernel's peak RSS of a child counts the memory it shared with this process before it
started the auditor (fork, then exec), so this process keeps its own footprint small (it never
reads a corpus or results file whole) and reports it, as ``launcher_peak_rss_mib``: every
child figure is at least that.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
LIMIT_MIB = 1024
DEFAULT_MB = 2


def sample_paragraphs() -> list[str]:
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
    blocks = sample_paragraphs()
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


class _Child:
    """An auditor run in a child process; ``result()`` waits for it: (wall seconds, peak RSS
    in MiB)."""

    def __init__(self, argv: list[str]) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        self.argv = argv
        self.err = tempfile.TemporaryFile()  # a file, not a pipe: a chatty child never blocks
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.err
        )

    def result(self) -> tuple[float, float]:
        _, status, usage = os.wait4(self.proc.pid, 0)
        seconds = time.perf_counter() - self.start
        code = os.waitstatus_to_exitcode(status)
        self.proc.returncode = code
        with self.err:
            if code not in (0, 1):  # 1: findings at or above the failure threshold
                self.err.seek(0)
                message = self.err.read().decode(errors="replace").strip()[-500:]
                raise RuntimeError(f"{' '.join(self.argv)} exited {code}: {message}")
        return seconds, usage.ru_maxrss / 1024  # ru_maxrss is KiB on Linux


def _measure(argv: list[str]) -> tuple[float, float]:
    return _Child(argv).result()


def _audit(corpus: Path, results: Path, *options: str) -> _Child:
    return _Child([
        sys.executable, "-m", "auditor", "check", str(corpus), "--no-lm", "--isolated",
        "--format", "jsonl", "--output", str(results), "--quiet", *options,
    ])  # fmt: skip


INGEST_ONLY = (
    "import sys\n"
    "from auditor.ingest import read_paths\n"
    "print(sum(1 for _ in read_paths(sys.argv[1:])))\n"
)


FIGURES = {
    "corpus_mb": "size of the generated corpus (MiB)",
    "articles": "articles in it",
    "results_written": "result lines the full run wrote (one per article)",
    "no_lm_seconds": "wall time of the full run",
    "no_lm_articles_per_minute": "speed of the full run",
    "no_lm_hours_per_gb": "speed of the full run, as hours per GB of corpus",
    "peak_rss_mib": "HEADLINE: peak RSS of the full run (all checks, sibling index included)",
    "peak_rss_limit_mib": "the target for the headline figure",
    "peak_rss_under_limit": "headline figure under the target",
    "peak_rss_mib_sixteenth": "peak RSS of the same run on the first sixteenth: growth "
    "with corpus size is the headline minus this",
    "sixteenth_seconds": "wall time of the sixteenth run (beside the full run)",
    "peak_rss_mib_sixteenth_without_sibling_index": "the sixteenth with --ignore REF: what the "
    "sibling index and comparisons cost is the sixteenth's figure minus this",
    "ingest_only_seconds_per_gb": "reading and parsing alone, no checks",
    "ingest_only_peak_rss_mib": "peak RSS of reading alone",
    "launcher_peak_rss_mib": "this process's own peak, a floor under every figure above",
}


def run() -> dict:
    size_mb = float(os.environ.get("AUDITOR_BENCH_CORPUS_MB", DEFAULT_MB))
    size = int(size_mb * 2**20)
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as folder:
        tmp = Path(folder)
        corpus, part = tmp / "corpus.jsonl", tmp / "sixteenth.jsonl"
        articles = write_corpus(corpus, size)
        _head(corpus, part, size // 16)
        ingest_seconds, ingest_peak = _measure([sys.executable, "-c", INGEST_ONLY, str(corpus)])
        whole = _audit(corpus, tmp / "results.jsonl")
        part_seconds, part_peak = _audit(part, tmp / "part-results.jsonl").result()
        _, no_index_peak = _audit(part, tmp / "part-no-ref.jsonl", "--ignore", "REF").result()
        seconds, peak = whole.result()
        with (tmp / "results.jsonl").open("rb") as results:
            results_lines = sum(1 for _ in results)
    gb = size / 1e9
    return {
        "corpus_mb": round(size / 2**20, 1),
        "articles": articles,
        "results_written": results_lines,
        "no_lm_seconds": round(seconds, 1),
        "no_lm_articles_per_minute": round(60 * articles / seconds),
        "no_lm_hours_per_gb": round(seconds / gb / 3600, 2),
        "peak_rss_mib": round(peak, 1),
        "peak_rss_limit_mib": LIMIT_MIB,
        "peak_rss_under_limit": peak < LIMIT_MIB,
        "peak_rss_mib_sixteenth": round(part_peak, 1),
        "sixteenth_seconds": round(part_seconds, 1),
        "peak_rss_mib_sixteenth_without_sibling_index": round(no_index_peak, 1),
        "ingest_only_seconds_per_gb": round(ingest_seconds / gb, 1),
        "ingest_only_peak_rss_mib": round(ingest_peak, 1),
        "launcher_peak_rss_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }


if __name__ == "__main__":
    figures = run()
    for name, value in figures.items():
        print(f"{name:44} {value!s:>10}  {FIGURES[name]}")
