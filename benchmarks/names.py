"""Throughput of the names check (target: thousands of articles per minute, as every non-LM
check), the one-time cost of loading the gazetteer and style, and name clustering speed.

The five seed articles are audited over and over in one process with only NAME rules selected.
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 40


def run() -> dict:
    from auditor.checks import Resources
    from auditor.checks.names import NamesCheck
    from auditor.config import load_config
    from auditor.ingest import read_paths
    from auditor.names.cluster import cluster_rows
    from auditor.segment import segment

    config = load_config({"select": ["NAME"], "lm": False}, use_files=False)
    started = time.perf_counter()
    check = NamesCheck(config, Resources(config))
    load_seconds = time.perf_counter() - started
    docs = [segment(d) for d in read_paths([str(ROOT / "corpora" / "samples")])]
    words = sum(d.words for d in docs)
    check.check(docs[0])  # warm caches (wordfreq, key memo) before timing
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for doc in docs:
            check.check(doc)
    seconds = time.perf_counter() - started
    articles = ROUNDS * len(docs)
    names = [
        line.split("\t")[2]
        for line in (ROOT / "corpora" / "names" / "eval" / "variants.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
        if line and not line.startswith("#")
    ]
    # The first run loads wordfreq's lists for the languages a slipped surname is looked up in
    # (about 5 s, once per process); the second is the clustering itself.
    started = time.perf_counter()
    cluster_rows(names)
    first_seconds = time.perf_counter() - started
    from auditor.names import compare, parse

    for cached in (parse.parse_name, compare.forms):
        cached.cache_clear()
    started = time.perf_counter()
    cluster_rows(names)
    cluster_seconds = time.perf_counter() - started
    return {
        "names_load_seconds": round(load_seconds, 3),
        "names_articles_per_minute": round(articles / seconds * 60),
        "names_words_per_second": round(ROUNDS * words / seconds),
        "names_cluster_seconds_303_names_first_run": round(first_seconds, 3),
        "names_cluster_seconds_303_names": round(cluster_seconds, 3),
    }


if __name__ == "__main__":
    print(run())
