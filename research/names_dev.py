"""Name clustering measured on real spellings the rules were not written from.

    python -m research names_dev [--data ../shared/data/names_dev] [--old REV,REV]
                                [--scopes A,B1] [--json FILE] [--failures A|B1]

``auditor names cluster`` runs on the shuffled union of every name in ``names_dev/`` (variants,
canonical spellings and both sides of the confusable pairs), with and without
``--no-gazetteer``, as a user would run it: through the command line, on a list file. Printed,
for this tree and for ``--old`` (git revisions, default the branch point of issue 17 and the
ends of its rounds 1 and 2) beside it, and beside two baselines (OpenRefine's fingerprint key;
single-link rapidfuzz ratio >= 80):

- whether every input name comes out exactly once;
- pairwise precision and recall over persons, counting only true spelling variants (the data
  README's rule: every token of the shorter form has a counterpart with rapidfuzz ratio >= 60
  after removing diacritics), and over places;
- the same per subset, and per ``diff_kind`` the share of variant rows clustered with their
  canonical spelling;
- the share of confusable pairs (different entities with near names) merged.

Fit on one set, report on another: the entities are split in two halves by a hash of
``entity_key`` (fixed, so every run agrees). Round 1 of issue 17 developed its rules looking
only at half A's failures (``--failures A``). Its half-B figure then fell short of its half-A
one, so round 2 split half B once more by the same hash into B1 and B2: rules were developed
on the failures of A and B1 (while developing, ``--scopes A,B1`` keeps B2's figures off the
screen too), and B2, whose names and failures are never printed, was read once at the end as
the estimate of the held-back acceptance half. Round 3 studied A and B1 again, from another
angle (``research.names_fuzzy``: how split entities are split, and what a guarded fuzzy step
would add and merge), and read B2 once more at the end. The data is research-only: nothing
from it is written anywhere but the terminal and the ``--json`` file the caller names.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from research.names import fingerprint_clusters, fuzzy_clusters

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "names_dev"
BRANCH_POINT = "814c076"  # before issue 17
ROUND_2_POINT = "5ba4ecd"  # issue 17, first round (rules fitted on half A)
ROUND_3_POINT = "4cbf7a8"  # issue 17, second round (rules fitted on A and B1)
SHUFFLE_SEED = 17
TOKEN_RATIO = 60.0  # the data README's "fuzzy counterpart" of a token
HALVES = ("A", "B")
# Half B split once more (round 2 of issue 17): B1 may be studied, B2 is only ever read as a
# figure, at the end, as the estimate of the acceptance half.
QUARTERS = ("B1", "B2")
SCOPES = ("all", "A", "B", "B1", "B2")
STUDIED = ("A", "B1")  # the scopes whose failures may be printed


def scopes_of(entity_key: str) -> set[str]:
    """Every scope an entity counts in: the whole set, its half and, in half B, B1 or B2
    (by the next byte of the same hash, so the split of A from B is unchanged)."""
    digest = hashlib.sha256(entity_key.encode("utf-8")).digest()
    out = {"all", HALVES[digest[0] % 2]}
    if out >= {"B"}:
        out.add(QUARTERS[digest[1] % 2])
    return out


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_true_variant(a: str, b: str) -> bool:
    """Every token of the shorter form has a fuzzy counterpart in the other."""
    from rapidfuzz.fuzz import ratio

    ta, tb = (re.findall(r"\w+", plain(x)) for x in (a, b))
    if not ta or not tb:
        return False
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return all(max(ratio(s, t) for t in long) >= TOKEN_RATIO for s in short)


# ------------------------------------------------------------------ the data


@dataclass
class Row:
    variant: str
    canonical: str
    type: str
    key: str
    subset: str
    diff_kind: str
    lang: str
    true_variant: bool


@dataclass
class Data:
    rows: list[Row]
    confusables: list[dict]
    names: list[str]  # the shuffled union given to the clusterer
    # name -> entity keys it spells (from rows kept as true variants, plus the canonicals)
    entities: dict[str, set[str]] = field(default_factory=dict)
    entity_type: dict[str, str] = field(default_factory=dict)
    entity_subset: dict[str, str] = field(default_factory=dict)


def load(data_dir: Path) -> Data:
    rows = []
    with open(data_dir / "variants.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            variant, canonical = r["variant"].strip(), r["canonical"].strip()
            rows.append(
                Row(
                    variant,
                    canonical,
                    r["entity_type"],
                    r["entity_key"],
                    r["subset"],
                    r["diff_kind"],
                    r["lang_or_system"],
                    is_true_variant(variant, canonical),
                )
            )
    with open(data_dir / "confusables.csv", encoding="utf-8", newline="") as fh:
        confusables = [
            {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()}
            for r in csv.DictReader(fh)
        ]
    union = {r.variant for r in rows} | {r.canonical for r in rows}
    union |= {c["name_a"] for c in confusables} | {c["name_b"] for c in confusables}
    names = sorted(n for n in union if n)
    random.Random(SHUFFLE_SEED).shuffle(names)
    data = Data(rows, confusables, names)
    for r in rows:
        data.entity_type[r.key] = r.type
        data.entity_subset[r.key] = r.subset
        data.entities.setdefault(r.canonical, set()).add(r.key)
        if r.true_variant:
            data.entities.setdefault(r.variant, set()).add(r.key)
    return data


# ------------------------------------------------------------------ clusterers


def run_cli(names: list[str], no_gazetteer: bool, tree: Path | None = None) -> list[list[str]]:
    """CSV rows of ``auditor names cluster`` on ``names`` (this tree, or an exported one)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "names.txt"
        path.write_text("\n".join(names) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "auditor", "names", "cluster", str(path), "--isolated"]
        cmd += ["--no-gazetteer"] if no_gazetteer else []
        env = dict(os.environ)
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
            env.pop("AUDITOR_CORPORA", None)
        done = subprocess.run(
            cmd, capture_output=True, text=True, encoding="utf-8", env=env, cwd=tree or ROOT
        )
    if done.returncode != 0:
        raise SystemExit(f"auditor names cluster failed: {done.stderr.strip()[:500]}")
    return list(csv.reader(io.StringIO(done.stdout)))[1:]


def export_revision(rev: str) -> Path:
    """The package and data of ``rev``, exported once into a cache folder."""
    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = Path(tempfile.gettempdir()) / f"auditor-rev-{sha}"
    if not (tree / "auditor").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", sha, "auditor", "corpora"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


# ------------------------------------------------------------------ measures


def output_check(names: list[str], rows: list[list[str]]) -> dict:
    seen: dict[str, int] = defaultdict(int)
    for r in rows:
        seen[r[0]] += 1
    given = set(names)
    return {
        "names": len(given),
        "exactly_once": sum(seen.get(n, 0) == 1 for n in given),
        "missing": sorted(n for n in given if n not in seen),
        "doubled": sorted(n for n in given if seen.get(n, 0) > 1),
        "extra": sorted(n for n in seen if n not in given),
    }


def pairwise(data: Data, cluster: dict[str, str], keep) -> dict:
    """Pairwise precision/recall over the names of entities ``keep(key)`` accepts."""
    names = sorted(n for n, keys in data.entities.items() if any(keep(k) for k in keys))
    tp = fp = fn = 0
    for a, b in combinations(names, 2):
        same_gold = bool(data.entities[a] & data.entities[b])
        same_pred = a in cluster and cluster.get(a) == cluster.get(b)
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return {
        "names": len(names),
        "true_pairs": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "fp": fp,
        "fn": fn,
    }


def row_recall(data: Data, cluster: dict[str, str], keep) -> dict:
    """Share of true-variant rows whose variant is clustered with its canonical spelling."""
    rows = [r for r in data.rows if r.true_variant and keep(r) and r.variant != r.canonical]
    hits = sum(cluster.get(r.variant, "?") == cluster.get(r.canonical) for r in rows)
    return {"rows": len(rows), "recall": hits / len(rows) if rows else 1.0}


def confusable_merges(data: Data, cluster: dict[str, str], keep) -> dict:
    pairs = [c for c in data.confusables if keep(c)]
    distinct = [c for c in pairs if c["name_a"] != c["name_b"]]
    merged = [c for c in distinct if cluster.get(c["name_a"]) == cluster.get(c["name_b"])]
    return {
        "pairs": len(pairs),
        "identical_strings": len(pairs) - len(distinct),  # homonyms: no spelling rule can tell
        "distinct_pairs": len(distinct),
        "merged": len(merged),
        "rate": len(merged) / len(distinct) if distinct else 0.0,
        "merged_pairs": [(c["name_a"], c["name_b"]) for c in merged],
    }


def measure(data: Data, cluster: dict[str, str], scopes=SCOPES) -> dict:
    return {scope: _measure_scope(data, cluster, scope) for scope in scopes}


def _measure_scope(data: Data, cluster: dict[str, str], scope: str) -> dict:
    def mine(key: str) -> bool:
        return scope in scopes_of(key)

    m = {}
    for kind in ("person", "place"):
        m[kind] = pairwise(data, cluster, lambda k, t=kind: mine(k) and data.entity_type[k] == t)
    for subset in sorted(set(data.entity_subset.values())):
        m[f"subset:{subset}"] = pairwise(
            data, cluster, lambda k, s=subset: mine(k) and data.entity_subset[k] == s
        )
    for kind in sorted({r.diff_kind for r in data.rows}):
        for etype in ("person", "place"):
            m[f"diff:{etype}:{kind}"] = row_recall(
                data,
                cluster,
                lambda r, d=kind, t=etype: mine(r.key) and r.diff_kind == d and r.type == t,
            )
    for etype in ("person", "place"):
        m[f"confusables:{etype}"] = confusable_merges(
            data, cluster, lambda c, t=etype: c["entity_type"] == t and mine(c["key_a"])
        )
    return m


# ------------------------------------------------------------------ report


def _fmt(m: dict) -> str:
    if "precision" in m:
        return f"{m['precision']:.3f} {m['recall']:.3f}"
    if "rate" in m:
        return f"{m['merged']:>2}/{m['distinct_pairs']:<3} {m['rate']:.0%}".ljust(11)
    return f"      {m['recall']:.3f}"


def print_report(
    data: Data, results: dict[str, dict], outputs: dict[str, dict], scopes=SCOPES
) -> None:
    labels = list(results)
    kept = sum(r.true_variant for r in data.rows)
    persons = {r.key for r in data.rows if r.type == "person"}
    print(
        f"{len(data.names)} distinct names given ({len(data.rows)} variant rows, {kept} true "
        f"variants; {len(persons)} persons, {len(data.entity_type) - len(persons)} places; "
        f"{len(data.confusables)} confusable pairs)"
    )
    sizes = {s: sum(s in scopes_of(k) for k in data.entity_type) for s in SCOPES}
    print(
        f"entities: A {sizes['A']}, B {sizes['B']} = B1 {sizes['B1']} + B2 {sizes['B2']} "
        "(rules fitted on A, then on A and B1; B2 only ever read as figures)\n"
    )
    print("every input name out exactly once:")
    for label, o in outputs.items():
        print(
            f"  {label:<22} {o['exactly_once']}/{o['names']}  missing {len(o['missing'])}, "
            f"doubled {len(o['doubled'])}, extra {len(o['extra'])}"
        )
    print("\n(P R: pairwise precision, recall; diff: share of variant rows with their canonical)")
    for scope in scopes:
        print(f"\n== {'whole dev set' if scope == 'all' else 'entities ' + scope} ==")
        print(f"  {'':<38}" + "".join(f"{lab[:15]:>16}" for lab in labels))
        for metric in results[labels[0]][scope]:
            n = results[labels[0]][scope][metric]
            size = n.get("names", n.get("rows", n.get("distinct_pairs")))
            print(
                f"  {metric:<32}{size:>6}"
                + "".join(f"{_fmt(results[lab][scope][metric]):>16}" for lab in labels)
            )


def failures(data: Data, cluster: dict[str, str], scope: str, kind: str = "person") -> None:
    """Missed rows and wrong merges of a studied scope (A or B1), for developing rules."""
    if scope not in STUDIED:
        raise SystemExit(f"the failures of {scope} are not for reading")

    def mine(key: str) -> bool:
        return scope in scopes_of(key)

    print(f"\n-- {scope}: {kind} rows not clustered with their canonical --")
    for r in data.rows:
        if r.type != kind or not r.true_variant or not mine(r.key):
            continue
        if r.variant != r.canonical and cluster.get(r.variant) != cluster.get(r.canonical):
            print(f"  [{r.diff_kind[:5]} {r.lang}] {r.variant!r} -> {r.canonical!r}")
    print(f"-- {scope}: {kind} pairs missed, by entity --")
    for key in sorted(k for k, t in data.entity_type.items() if t == kind and mine(k)):
        names = sorted(n for n, keys in data.entities.items() if key in keys)
        groups: dict[str, list[str]] = defaultdict(list)
        for n in names:
            groups[cluster.get(n, "?")].append(n)
        if len(groups) > 1:
            pairs = len(names) * (len(names) - 1) // 2
            hit = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
            print(f"  {pairs - hit:>3} missed: {sorted(groups.values(), key=len, reverse=True)}")
    print(f"-- {scope}: {kind} wrong merges --")
    groups: dict[str, list[str]] = defaultdict(list)
    for n, c in cluster.items():
        groups[c].append(n)
    for members in groups.values():
        keys = [data.entities.get(n, set()) for n in members]
        ours = [
            n
            for n, k in zip(members, keys, strict=True)
            if any(mine(x) and data.entity_type[x] == kind for x in k)
        ]
        if len({frozenset(data.entities[n]) for n in ours}) > 1:
            print("  ", sorted(ours))
    for c in data.confusables:
        if (
            c["entity_type"] == kind
            and mine(c["key_a"])
            and not {"B2"} & (scopes_of(c["key_a"]) | scopes_of(c["key_b"]))
            and c["name_a"] != c["name_b"]
        ):
            if cluster.get(c["name_a"]) == cluster.get(c["name_b"]):
                print(f"  confusable merged: {c['name_a']!r} ~ {c['name_b']!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument(
        "--old",
        default=f"{BRANCH_POINT},{ROUND_2_POINT},{ROUND_3_POINT}",
        help="git revisions to compare, comma-separated ('' = none)",
    )
    parser.add_argument(
        "--scopes",
        default=",".join(SCOPES),
        help="entity sets to measure and print, comma-separated (while developing: A,B1)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--failures", choices=STUDIED, help="list the failures of A or B1")
    parser.add_argument("--type", default="person", choices=["person", "place"])
    args = parser.parse_args(argv)
    scopes = tuple(s for s in args.scopes.split(",") if s)
    if set(scopes) - set(SCOPES):
        parser.error(f"--scopes: one of {', '.join(SCOPES)}")
    data = load(Path(args.data))
    runs: dict[str, list[list[str]]] = {}
    runs["new gazetteer"] = run_cli(data.names, no_gazetteer=False)
    runs["new no-gaz"] = run_cli(data.names, no_gazetteer=True)
    for rev in (r for r in args.old.split(",") if r):
        tree = export_revision(rev)
        runs[f"{rev} gazetteer"] = run_cli(data.names, False, tree)
        runs[f"{rev} no-gaz"] = run_cli(data.names, True, tree)
    clusters = {label: {r[0]: r[1] for r in rows} for label, rows in runs.items()}
    # The baselines of the data README: OpenRefine's fingerprint key (case, accents,
    # punctuation and token order removed); single-link rapidfuzz ratio >= 80, accents off.
    clusters["fingerprint"] = fingerprint_clusters(data.names)
    plain_names = {n: plain(n) for n in data.names}
    fuzzy = fuzzy_clusters(sorted(set(plain_names.values())), cutoff=80.0)
    clusters["fuzzy>=80"] = {n: fuzzy[p] for n, p in plain_names.items()}
    outputs = {label: output_check(data.names, rows) for label, rows in runs.items()}
    results = {label: measure(data, c, scopes) for label, c in clusters.items()}
    print_report(data, results, outputs, scopes)
    if args.failures:
        for label in ("new no-gaz", "new gazetteer"):
            print(f"\n######## {label}")
            o = outputs[label]
            if o["missing"] or o["doubled"]:
                print("  missing:", [n for n in o["missing"] if _in_scope(data, n, args.failures)])
                print("  doubled:", [n for n in o["doubled"] if _in_scope(data, n, args.failures)])
            failures(data, clusters[label], args.failures, args.type)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"outputs": outputs, "results": results}, indent=1, ensure_ascii=False),
            encoding="utf-8",
        )
    return 0


def _in_scope(data: Data, name: str, scope: str) -> bool:
    """Does ``name`` spell an entity of ``scope`` and none of B2?"""
    keys = set(data.entities.get(name, set()))
    keys |= {r.key for r in data.rows if name in (r.variant, r.canonical)}
    for c in data.confusables:
        keys |= {c["key_a"], c["key_b"]} if name in (c["name_a"], c["name_b"]) else set()
    scopes = set().union(*(scopes_of(k) for k in keys)) if keys else set()
    return scope in scopes and "B2" not in scopes


if __name__ == "__main__":
    sys.exit(main())
