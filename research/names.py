"""Pairwise precision and recall of name clustering, per entity type.

    python -m research names [corpora/names/eval/variants.tsv] [--json FILE]

Every pair of distinct spellings in the evaluation set is a positive when both name the same
entity. A pair counts for a type when both spellings are of that type. Two runs: without the
gazetteer (the transliteration keys and given-name rules alone) and with it (what ``auditor
names cluster`` does by default). The evaluation set is built from public sources named in
its header, not from the gazetteer.
"""

from __future__ import annotations

import argparse
import json
import re
from itertools import combinations
from pathlib import Path

from auditor.paths import corpora_dir

RUNS = ("baseline_fingerprint", "baseline_fuzzy85", "no_gazetteer", "gazetteer")
MAX_SHOWN = 8


def load_variants(path: Path) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """name -> (entity, type); names given for two entities are dropped and listed."""
    gold: dict[str, tuple[str, str]] = {}
    clashes: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise ValueError(f"{path}:{number}: expected entity, type, name, source")
        entity, kind, name = fields[0], fields[1], fields[2].strip()
        if name in gold and gold[name][0] != entity:
            clashes.add(name)
        gold[name] = (entity, kind)
    for name in clashes:
        del gold[name]
    return gold, sorted(clashes)


def pairwise(gold: dict[str, tuple[str, str]], predicted: dict[str, str]) -> dict[str, dict]:
    counts: dict[str, list[int]] = {}
    for a, b in combinations(sorted(gold), 2):
        same_gold = gold[a][0] == gold[b][0]
        same_pred = predicted[a] == predicted[b]
        kinds = ["all"] + ([gold[a][1]] if gold[a][1] == gold[b][1] else [])
        for kind in kinds:
            tp_fp_fn = counts.setdefault(kind, [0, 0, 0])
            if same_gold and same_pred:
                tp_fp_fn[0] += 1
            elif same_pred:
                tp_fp_fn[1] += 1
            elif same_gold:
                tp_fp_fn[2] += 1
    out = {}
    for kind, (tp, fp, fn) in sorted(counts.items()):
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        out[kind] = {
            "pairs_true": tp + fn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
        }
    return out


def false_merges(gold, predicted) -> list[tuple[str, str]]:
    return [
        (a, b)
        for a, b in combinations(sorted(gold), 2)
        if predicted[a] == predicted[b] and gold[a][0] != gold[b][0]
    ]


def fingerprint_clusters(names: list[str]) -> dict[str, str]:
    """Baseline: OpenRefine's fingerprint key (case, accents, punctuation, token order)."""
    import unicodedata

    def key(name: str) -> str:
        plain = "".join(
            c
            for c in unicodedata.normalize("NFKD", name.casefold())
            if not unicodedata.combining(c)
        )
        return " ".join(sorted(set(re.findall(r"\w+", plain))))

    return {name: key(name) for name in names}


def fuzzy_clusters(names: list[str], cutoff: float = 85.0) -> dict[str, str]:
    """Baseline: single-link clustering on plain rapidfuzz similarity, no transliteration."""
    from rapidfuzz import fuzz, process

    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    folded = [n.casefold() for n in names]
    scores = process.cdist(folded, folded, scorer=fuzz.ratio, score_cutoff=cutoff)
    for a, row in enumerate(scores):
        for b in (int(x) for x in row.nonzero()[0]):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {name: names[find(i)] for i, name in enumerate(names)}


def evaluate(path: Path) -> dict:
    from auditor.names.cluster import cluster_rows
    from auditor.names.gazetteer import load_gazetteer
    from auditor.names.style import load_style

    gold, clashes = load_variants(path)
    gazetteer = load_gazetteer()
    style = load_style("ap", gazetteer.entities)
    names = sorted(gold)
    report = {
        "set": str(path),
        "names": len(names),
        "entities": len({e for e, _ in gold.values()}),
        "left_out": clashes,
    }
    runs = {
        "baseline_fingerprint": fingerprint_clusters(names),
        "baseline_fuzzy85": fuzzy_clusters(names),
        "no_gazetteer": {n: c for n, c, _ in cluster_rows(names, None, style)},
        "gazetteer": {n: c for n, c, _ in cluster_rows(names, gazetteer, style)},
    }
    for label, predicted in runs.items():
        report[label] = pairwise(gold, predicted)
        report[label]["false_merges"] = [list(p) for p in false_merges(gold, predicted)]
    in_gazetteer = {e for e, _ in gold.values() if e in gazetteer.entities}
    report["entities_in_gazetteer"] = len(in_gazetteer)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m research names", description=__doc__.splitlines()[0]
    )
    default = corpora_dir() / "names" / "eval" / "variants.tsv"
    parser.add_argument("path", nargs="?", default=str(default))
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(Path(args.path))
    print(
        f"{report['names']} spellings of {report['entities']} entities "
        f"({report['entities_in_gazetteer']} in the gazetteer)"
    )
    for label in RUNS:
        print(f"\n{label.replace('_', ' ')}:")
        print(
            f"  {'type':<8} {'precision':>9} {'recall':>7} {'true pairs':>10} {'fp':>4} {'fn':>4}"
        )
        for kind, m in report[label].items():
            if kind == "false_merges":
                continue
            print(
                f"  {kind:<8} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['pairs_true']:>10} "
                f"{m['fp']:>4} {m['fn']:>4}"
            )
        merges = report[label]["false_merges"]
        for a, b in merges[:MAX_SHOWN]:
            print(f"  false merge: {a} ~ {b}")
        if len(merges) > MAX_SHOWN:
            print(f"  ... and {len(merges) - MAX_SHOWN} more false merges")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0
