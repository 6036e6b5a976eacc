"""Reference comparison: alignment and scoring speed on a sample article, and story grouping
over a synthetic corpus of 5,500 leads (500 pairs of near-duplicate versions among
unrelated ones), which must stay far from quadratic and find the 500 pairs.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
CORPUS_ARTICLES = 5_000


def _best_of(fn, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> dict:
    from auditor.ingest import read_paths
    from auditor.reference.align import align, load_calibration
    from auditor.reference.compare import compare
    from auditor.reference.siblings import group_stories
    from auditor.segment import segment

    calibration = load_calibration()
    docs = [segment(d) for d in read_paths([str(SAMPLES)])]
    article = max(docs, key=lambda d: len(d.sentences))
    sentences = [s.text for s in article.sentences]
    shuffled = sentences[::2] + sentences[1::2]
    align_s = _best_of(lambda: align(sentences, shuffled, calibration.costs))
    compare_s = _best_of(lambda: compare(article, docs[0], calibration))

    # Leads of 60 words drawn by Zipf's law from wordfreq's 20,000 commonest English words;
    # every tenth lead has a near copy (one word changed).
    from wordfreq import top_n_list

    rng = random.Random(11)
    vocabulary = top_n_list("en", 20_000)
    weights = [1.0 / rank for rank in range(1, len(vocabulary) + 1)]
    entries = []
    for i in range(CORPUS_ARTICLES):
        words = rng.choices(vocabulary, weights=weights, k=60)
        entries.append((f"a{i:05d}", None, " ".join(words)))
        if i % 10 == 0:
            words[rng.randrange(60)] = rng.choice(vocabulary)
            entries.append((f"a{i:05d}b", None, " ".join(words)))
    started = time.perf_counter()
    groups = group_stories(entries, calibration.sibling_similarity)
    group_s = time.perf_counter() - started
    return {
        "align_sentences": len(sentences),
        "align_ms": round(align_s * 1000, 1),
        "compare_ms": round(compare_s * 1000, 1),
        "group_articles": len(entries),
        "group_s": round(group_s, 3),
        "grouped_articles": len(groups),
    }


if __name__ == "__main__":
    print(run())
