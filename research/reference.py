"""Measurements on the development data behind ``corpora/reference/calibration.yaml``.

``python -m research reference [PATH] [--chrf]`` prints them. Nothing here is used at audit
time; the data set is research-only and is read from ``../shared/data`` when present.

- ``chrf_mqm_correlation``: sentence chrF of ``target`` against ``reference`` as a quality
  score, Kendall tau and Pearson against ``-mqm``, flat over the MT rows and grouped by
  ``seg_id`` (mean of the per-segment taus). The reference-based baseline for ``auditor eval``
  (``--chrf`` prints only this).
- ``low_chrf_threshold``: REF001's threshold, the 2nd percentile of sentence chrF between two
  professional translations of one source (the ``Human-A``/``Human-B`` rows): two good
  translations fall below it one time in fifty.
- ``alignment_accuracy``: synthetic documents from the data (the MT sentences of one document
  against its reference, with sentences dropped on either side and neighbours joined) and the
  share of beads the aligner recovers exactly.
- ``sibling_separation``: title+lead similarity of two MT versions of one document against
  versions of two different documents, for the story-grouping threshold;
  ``sibling_body_separation``: the share of text past the lead that two versions have in
  common against unrelated articles with the same generic lead (fitted on half the documents,
  measured on the other); ``sibling_grouping``: how well versions are grouped into stories.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from research.data import DEV_DATA


def load_rows(path: str | Path | None = None):
    import pandas as pd

    return pd.read_json(path or DEV_DATA, lines=True)


def _chrf(frame):
    import numpy as np

    from auditor.reference.metrics import sentence_chrf

    pairs = zip(frame["target"], frame["reference"], strict=True)
    return np.array([sentence_chrf(t, r) for t, r in pairs])


def chrf_mqm_correlation(rows) -> dict[str, float]:
    """Kendall tau (flat and grouped by seg_id) and Pearson of sentence chrF against -mqm on
    the MT rows (``auditor.stats``)."""
    from auditor.stats import group_taus, kendall_pearson

    mt = rows[~rows["is_human"]]
    chrf = list(_chrf(mt))
    quality = list(-mt["mqm"].to_numpy(dtype=float))
    flat, pearson = kendall_pearson(chrf, quality)
    grouped = group_taus(list(mt["seg_id"]), chrf, quality)
    return {
        "rows": int(len(mt)),
        "kendall_tau_flat": flat,
        "kendall_tau_grouped": sum(grouped) / len(grouped),
        "segments_grouped": len(grouped),
        "pearson_flat": pearson,
    }


def low_chrf_threshold(rows, percentile: float = 2.0) -> dict[str, float]:
    import numpy as np

    human = rows[rows["is_human"]]
    chrf = _chrf(human)
    threshold = float(np.percentile(chrf, percentile))
    mt = rows[~rows["is_human"]]
    mt_chrf = _chrf(mt)
    major_accuracy = np.array([_has_major_accuracy(s) for s in mt["spans"]])
    below = mt_chrf < threshold
    return {
        "threshold": round(threshold, 1),
        "human_pairs": int(len(human)),
        "mt_rows_below": int(below.sum()),
        "mt_major_accuracy_rate_below": float(major_accuracy[below].mean()),
        "mt_major_accuracy_rate_all": float(major_accuracy.mean()),
    }


def _has_major_accuracy(spans) -> bool:
    return any(
        str(s.get("severity", "")).lower() == "major"
        and str(s.get("category", "")).startswith("Accuracy")
        for s in spans
    )


def synthetic_documents(rows, rate: float = 0.1, seed: int = 13):
    """(candidate sentences, reference sentences, true beads) per document, one MT system per
    document in turn, with sentences dropped on either side and neighbours joined."""
    rng = random.Random(seed)
    mt = rows[~rows["is_human"]].sort_values(["doc", "system", "doc_seg"])
    systems = sorted(mt["system"].unique())
    out = []
    for k, (_doc, group) in enumerate(mt.groupby("doc", sort=True)):
        version = group[group["system"] == systems[k % len(systems)]]
        pairs = list(zip(version["target"], version["reference"], strict=True))
        if len(pairs) < 3:
            continue
        cand: list[str] = []
        ref: list[str] = []
        beads: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        i = 0
        while i < len(pairs):
            roll = rng.random()
            t, r = pairs[i]
            if roll < rate:  # omission: the candidate lacks this sentence
                beads.append(((), (len(ref),)))
                ref.append(r)
            elif roll < 2 * rate:  # addition: the reference lacks it
                beads.append(((len(cand),), ()))
                cand.append(t)
            elif roll < 3 * rate and i + 1 < len(pairs):  # the candidate joins two sentences
                t2, r2 = pairs[i + 1]
                beads.append(((len(cand),), (len(ref), len(ref) + 1)))
                cand.append(f"{t} {t2}")
                ref.extend((r, r2))
                i += 1
            elif roll < 4 * rate and i + 1 < len(pairs):  # the reference joins two
                t2, r2 = pairs[i + 1]
                beads.append(((len(cand), len(cand) + 1), (len(ref),)))
                cand.extend((t, t2))
                ref.append(f"{r} {r2}")
                i += 1
            else:
                beads.append(((len(cand),), (len(ref),)))
                cand.append(t)
                ref.append(r)
            i += 1
        out.append((cand, ref, beads))
    return out


def alignment_accuracy(documents, costs) -> dict[str, float]:
    from auditor.reference.align import align

    found = true = right = 0
    unaligned_true = unaligned_right = 0
    for cand, ref, beads in documents:
        got = {(b.candidate, b.reference) for b in align(cand, ref, costs)}
        want = set(beads)
        found += len(got)
        true += len(want)
        right += len(got & want)
        lonely = {b for b in want if not b[0] or not b[1]}
        unaligned_true += len(lonely)
        unaligned_right += len(lonely & got)
    precision, recall = right / found, right / true
    return {
        "documents": len(documents),
        "beads": true,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4),
        "unaligned_recall": round(unaligned_right / max(unaligned_true, 1), 4),
    }


def sibling_separation(rows) -> dict[str, float]:
    """Lead similarity of two MT versions of one document (different systems) and of versions
    of two different documents, one random pair of each kind per version."""
    import numpy as np

    from auditor.document import Document
    from auditor.reference.siblings import lead, lead_similarity

    mt = rows[~rows["is_human"]].sort_values(["doc", "system", "doc_seg"])
    leads = {}
    for (doc, system), group in mt.groupby(["doc", "system"], sort=True):
        text = "\n\n".join(group["target"])
        leads[(doc, system)] = lead(Document(path=f"{doc}/{system}", id=doc, text=text))
    keys = sorted(leads)
    rng = random.Random(7)
    same, different = [], []
    for a in keys:
        b = rng.choice([k for k in keys if k[0] == a[0] and k != a])
        same.append(lead_similarity(leads[a], leads[b]))
        c = rng.choice(keys)
        while c[0] == a[0]:
            c = rng.choice(keys)
        different.append(lead_similarity(leads[a], leads[c]))
    return {
        "same_story_p1": float(np.percentile(same, 1)),
        "same_story_p5": float(np.percentile(same, 5)),
        "different_story_p99": float(np.percentile(different, 99)),
        "different_story_max": float(np.max(different)),
    }


GENERIC_LEADS = ("Live updates", "News ticker", "Morning briefing")


def sibling_body_separation(rows, threshold: float | None = None, seed: int = 16) -> dict:
    """Body similarity (``siblings.body_sketch``) of two translations of one document against
    two different documents given the same generic lead, documents of 800+ characters, six
    pairs of versions per document and as many unrelated pairs. The threshold is fitted on the
    even documents (midway between the unrelated maximum and the versions' 1st percentile) and
    measured on the odd ones."""
    import itertools

    import numpy as np

    from auditor.document import Document
    from auditor.reference.siblings import LEAD_CHARS, body_sketch, sketch_similarity

    texts: dict[str, dict[str, str]] = {}
    ordered = rows.sort_values(["doc", "system", "doc_seg"])
    for (doc, system), group in ordered.groupby(["doc", "system"], sort=True):
        texts.setdefault(doc, {})[system] = "\n".join(group["target"])
    rng = random.Random(seed)

    def sketch(text: str) -> tuple[int, ...]:
        return body_sketch(Document("x", "x", f"{rng.choice(GENERIC_LEADS)}\n{text}"))

    def pairs(docs: list[str]) -> tuple[list[float], list[float]]:
        versions, unrelated = [], []
        for doc in docs:
            systems = sorted(texts[doc])
            if len(texts[doc][systems[0]]) < 2 * LEAD_CHARS:
                continue
            for a, b in list(itertools.combinations(systems, 2))[:6]:
                versions.append(sketch_similarity(sketch(texts[doc][a]), sketch(texts[doc][b])))
        for _ in range(len(versions)):
            d1, d2 = rng.sample(docs, 2)
            a, b = rng.choice(sorted(texts[d1])), rng.choice(sorted(texts[d2]))
            unrelated.append(sketch_similarity(sketch(texts[d1][a]), sketch(texts[d2][b])))
        return versions, unrelated

    docs = sorted(texts)
    fit_versions, fit_unrelated = pairs(docs[0::2])
    if threshold is None:
        threshold = (max(fit_unrelated) + float(np.percentile(fit_versions, 1))) / 2
    held_versions, held_unrelated = pairs(docs[1::2])
    return {
        "fit_versions_p1": float(np.percentile(fit_versions, 1)),
        "fit_unrelated_max": max(fit_unrelated),
        "threshold": round(threshold, 3),
        "held_out_versions_kept": round(float(np.mean(np.array(held_versions) >= threshold)), 4),
        "held_out_unrelated_joined": round(
            float(np.mean(np.array(held_unrelated) >= threshold)), 4
        ),
        "pairs": len(held_versions),
    }


def sibling_grouping(rows, threshold: float) -> dict[str, float]:
    """Group every version of every document (MT and human, 1,550 articles) by their leads
    alone and score the groups against the true documents: pairwise precision and recall."""
    import time

    from auditor.document import Document
    from auditor.reference.align import load_calibration
    from auditor.reference.siblings import body_sketch, group_stories, lead

    body_threshold = load_calibration().sibling_body
    entries, truth = [], {}
    ordered = rows.sort_values(["doc", "system", "doc_seg"])
    for (doc, system), group in ordered.groupby(["doc", "system"], sort=True):
        path = f"{doc}/{system}"
        text = "\n\n".join(group["target"])
        version = Document(path=path, id=path, text=text)
        entries.append((path, None, lead(version), body_sketch(version)))
        truth[path] = doc
    started = time.perf_counter()
    found = group_stories(entries, threshold, body_threshold)
    seconds = time.perf_counter() - started
    paths = sorted(truth)
    right = predicted = actual = 0
    for a in range(len(paths)):
        for b in range(a + 1, len(paths)):
            same = truth[paths[a]] == truth[paths[b]]
            joined = paths[a] in found and found.get(paths[a]) == found.get(paths[b])
            actual += same
            predicted += joined
            right += same and joined
    return {
        "articles": len(paths),
        "pair_precision": round(right / max(predicted, 1), 4),
        "pair_recall": round(right / max(actual, 1), 4),
        "seconds": round(seconds, 3),
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m research reference", description=__doc__.splitlines()[0]
    )
    parser.add_argument("data", nargs="?", default=str(DEV_DATA), help="an MQM file (JSONL)")
    parser.add_argument(
        "--chrf", action="store_true", help="only sentence chrF against MQM (the baseline)"
    )
    args = parser.parse_args(argv)
    path = Path(args.data)
    if not path.exists():
        print(f"research reference: {path}: no such file", file=sys.stderr)
        return 2
    rows = load_rows(path)
    missing = {"target", "reference", "mqm", "seg_id", "is_human"} - set(rows.columns)
    if missing:
        print(f"research reference: {path}: rows lack {', '.join(sorted(missing))}")
        return 2
    figures = chrf_mqm_correlation(rows)
    print(f"sentence chrF vs -MQM over {figures['rows']:,} MT rows")
    print(f"  Kendall tau, flat:                 {figures['kendall_tau_flat']:.3f}")
    print(
        f"  Kendall tau, grouped by seg_id:    {figures['kendall_tau_grouped']:.3f}"
        f" ({figures['segments_grouped']:,} segments)"
    )
    print(f"  Pearson, flat:                     {figures['pearson_flat']:.3f}")
    if args.chrf:
        return 0
    from auditor.reference.align import load_calibration

    calibration = load_calibration()
    print("REF001 threshold:", low_chrf_threshold(rows))
    print("alignment:", alignment_accuracy(synthetic_documents(rows), calibration.costs))
    print("siblings:", sibling_separation(rows))
    print("sibling bodies:", sibling_body_separation(rows))
    print("story groups:", sibling_grouping(rows, calibration.sibling_similarity))
    return 0
