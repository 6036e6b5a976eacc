"""Progress of a run on stderr: a bar with a total and an ETA on a terminal (tqdm), plain lines
every few seconds in CI logs (``--progress``), nothing with ``--quiet`` or when piped."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
EVERY_SECONDS = 10.0  # how often --progress writes a line


def count_articles(paths: Iterable[str]) -> int | None:
    """How many articles ``paths`` hold (corpus rows counted by their lines), for a total;
    None when it cannot be known beforehand (standard input)."""
    from .ingest import CORPUS_SUFFIXES, expand

    total = 0
    for item in expand(paths):
        if not isinstance(item, str):
            total += 1  # an error row
        elif Path(item).suffix.lower() in CORPUS_SUFFIXES:
            total += _rows_in(item, csv=item.lower().endswith(".csv"))
        else:
            total += 1
    return total


def _rows_in(path: str, csv: bool) -> int:
    lines = 0
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                lines += chunk.count(b"\n")
            if f.tell():
                f.seek(-1, 2)
                lines += f.read(1) != b"\n"  # a last line without its line break
    except OSError:
        return 1
    return max(lines - (1 if csv else 0), 1)


def progress(items: Iterable[T], total: int | None, mode: str) -> Iterator[T]:
    """``items`` passed through, reporting progress on stderr: mode "bar", "lines" or "off"."""
    if mode == "bar":
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc="auditing", unit="article", file=sys.stderr)
        return
    if mode != "lines":
        yield from items
        return
    start = last = time.monotonic()
    done = 0
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= EVERY_SECONDS:
            last = now
            print(f"auditor: {_status(done, total, now - start)}", file=sys.stderr, flush=True)
    print(f"auditor: {_status(done, total, time.monotonic() - start)}", file=sys.stderr, flush=True)


def _status(done: int, total: int | None, seconds: float) -> str:
    rate = done / seconds * 60 if seconds > 0 else 0.0
    line = f"{done:,}" + (f"/{total:,} articles ({done / total:.0%})" if total else " articles")
    line += f", {_clock(seconds)} elapsed, {rate:,.1f} articles/min"
    if total and done and done < total:
        line += f", about {_clock(seconds / done * (total - done))} left"
    return line


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
