"""Start-up of the fast path pre-commit hooks use: ``auditor check --no-lm`` on one sample
article, in a fresh process each time (what a hook pays), and whether torch got imported.

Target (issue 7): well under 1 s of wall time, torch never imported.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "samples" / "003-selenskyj-peace-talks-stern.md"
REPEATS = 7

# Runs the real command line, then reports which heavy modules the run imported.
PROBE = (
    "import sys\n"
    "from auditor.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "heavy = [m for m in ('torch', 'transformers', 'gguf', 'accelerate') if m in sys.modules]\n"
    "print('HEAVY:' + ','.join(heavy), file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)


def _command_line(article: Path) -> list[str]:
    return [sys.executable, "-m", "auditor", "check", str(article), "--no-lm", "--quiet",
            "--isolated", "--format", "json"]  # fmt: skip


def run() -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    times, cpu = [], []
    for _ in range(REPEATS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(_command_line(SAMPLE), cwd=ROOT, env=env, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"auditor check failed: {done.stderr.decode(errors='replace')}")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *_command_line(SAMPLE)[3:]],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    heavy = next(
        (line[6:] for line in probe.stderr.splitlines() if line.startswith("HEAVY:")), None
    )
    if heavy is None:
        raise RuntimeError(f"probe failed: {probe.stderr.strip()[-300:]}")
    return {
        "no_lm_check_wall_s_median": round(statistics.median(times), 3),
        "no_lm_check_wall_s_min": round(min(times), 3),
        "no_lm_check_wall_s_max": round(max(times), 3),
        # CPU time of the process: what the wall time would be on an idle machine, roughly.
        "no_lm_check_cpu_s_median": round(statistics.median(cpu), 3),
        "repeats": REPEATS,
        "article_words": len(SAMPLE.read_text(encoding="utf-8").split()),
        # The machine is shared: the load says how far the timings above are stretched.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "torch_imported": "torch" in heavy.split(","),
        "heavy_modules_imported": heavy.split(",") if heavy else [],
    }


if __name__ == "__main__":
    print(run())
