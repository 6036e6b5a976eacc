"""``python -m benchmarks [NAME...] [--slow]``: run the benchmark modules, print their figures
and write them to ``reports/bench.json`` (atomically; figures of modules not run this time are
kept from the previous file).

Each module runs in a fresh process: one benchmark's imports and caches cannot flatter the
next, and the peak memory reported for it (``peak_rss_mb``, from the kernel's accounting of
that process and its children) is its own.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pkgutil
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "reports" / "bench.json"
MARK = "BENCHMARK-RESULT:"
CHILD = (
    "import importlib, json, sys\n"
    "module = importlib.import_module('benchmarks.' + sys.argv[1])\n"
    f"print({MARK!r} + json.dumps(module.run(), sort_keys=True))\n"
)


def discover() -> dict[str, bool]:
    """Benchmark module name -> whether it is marked slow (read without importing it)."""
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("_"):
            continue
        source = (Path(__file__).parent / f"{info.name}.py").read_text(encoding="utf-8")
        if "\ndef run(" in source:
            found[info.name] = "\nSLOW = True" in source
    return dict(sorted(found.items()))


def run_module(name: str) -> dict:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, name],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    seconds = time.perf_counter() - started
    lines = [line for line in stdout.splitlines() if line.startswith(MARK)]
    if child.returncode or not lines:
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {child.returncode}: {last}", "seconds": round(seconds, 1)}
    figures = json.loads(lines[-1][len(MARK) :])
    figures.setdefault("seconds", round(seconds, 1))
    figures.setdefault("peak_rss_mb", round(usage.ru_maxrss / 1024))  # Linux: KiB
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help="run only these modules")
    parser.add_argument("--slow", action="store_true", help="also run modules marked SLOW")
    args = parser.parse_args(argv)
    modules = discover()
    unknown = sorted(set(args.names) - set(modules))
    if unknown:
        print(
            f"benchmarks: unknown module(s): {', '.join(unknown)} (known: {', '.join(modules)})",
            file=sys.stderr,
        )
        return 2
    slow_ok = args.slow or os.environ.get("AUDITOR_BENCH_SLOW", "") not in ("", "0")
    try:
        report = json.loads(OUTPUT.read_text())
    except (OSError, ValueError):
        report = {}
    report.setdefault("benchmarks", {})
    failed = False
    for name, slow in modules.items():
        if args.names and name not in args.names:
            continue
        if slow and not slow_ok and not args.names:
            print(f"{name}: skipped (slow; run with --slow)")
            continue
        print(f"{name}: running ...", flush=True)
        figures = run_module(name)
        failed |= "error" in figures
        report["benchmarks"][name] = figures
        for key, value in figures.items():
            print(f"  {name}.{key} = {json.dumps(value)}", flush=True)
    report["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    report["updated"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    from auditor.atomic import write_bytes

    write_bytes(OUTPUT, (json.dumps(report, indent=1, sort_keys=True) + "\n").encode())
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
