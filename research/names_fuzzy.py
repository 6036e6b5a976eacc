"""What a guarded fuzzy step would add to name clustering, measured before one is built.

    python -m research names_fuzzy [--data ../shared/data/names_dev] [--failures A|B1]

Rounds 1 and 2 of issue 17 added spelling rules one class at a time. This asks the other
question, on the studied entities only (halves A and B1 of ``names_dev``; B2's names and
failures are never printed, and its figures are not computed here):

1. **How are the entities the clusterer splits split?** Pairwise recall is dominated by
   entities with many spellings: one missing bridge between two groups of two or more costs
   many pairs, while a spelling left on its own costs as many pairs as the group it missed.
   Per scope: the group sizes of every split entity, and each missed pair with what stops it
   (given names that are other names or a man's/woman's pair; surnames one slip apart but both
   attested, or too short; surnames further apart; another word; a bare surname).
2. **What would a fuzzy step add, and what would it merge?** Each candidate step runs after
   every rule of ``cluster_names``, on its clusters, as a last resort:

   - *near surname*: full names with the same given name (``compare.given_relation`` SAME:
     never a man's/woman's pair such as Jan/Jana) whose surnames' transliteration keys (and
     those of their base forms) are similar: rapidfuzz ratio or Jaro-Winkler >= a threshold;
     guarded or not by attestation (never when both surnames are words wordfreq knows in one of
     the European languages the clusterer checks: two attested spellings are two names);
     linking a spelling to a cluster by single, average or complete linkage over the cluster's
     full names (the last two stop one lucky pair from merging two clusters);
   - *near given name*: surnames that meet by the rules, given names similar by their keys,
     never a man's/woman's pair;
   - *bare surname*: a surname without a given name joins the one cluster whose surnames are
     near it (unique owner);
   - *consonant skeleton*: same given name, surname keys with the same consonants once vowels
     and the glides h, w, v, y are set aside (what romanizations of Urdu and Arabic names
     disagree on), one spelling unknown to wordfreq.

   For each step and threshold: persons pairwise recall and precision on A and B1, with the
   pairs it adds; confusable pairs merged on A and on B1; false merges on the project's own
   evaluation list (``corpora/names/eval/variants.tsv``).
3. **The fit**: per step, the threshold fitted on A (the most pairs added on A with no
   confusable of A merged, precision and the evaluation list unchanged), then read on B1. A
   step is worth building only if, so fitted, it adds pairs on B1 without merging a
   confusable of B1.

The data is research-only: nothing from it is written anywhere but the terminal.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from auditor.names import cluster as clustering
from auditor.names.compare import GENDER, SAME, forms, given_relation, word_relation
from auditor.names.parse import parse_name
from auditor.names.translit import fold
from research.names import false_merges, load_variants

from .names_dev import DEFAULT_DATA, ROOT, STUDIED, Data, _in_scope, load, measure, scopes_of

EVAL_LIST = ROOT / "corpora" / "names" / "eval" / "variants.tsv"
THRESHOLDS = {"ratio": (70, 75, 80, 85, 90), "jw": (80, 85, 88, 90, 92, 95)}
LINKAGES = ("single", "average", "complete")
_VOWELS_AND_GLIDES = re.compile(r"[aeiouhwvy]")


# ------------------------------------------------------------------ similarity


def _scorer(name: str):
    """rapidfuzz's scorer and the factor that puts it on a 0-100 scale."""
    from rapidfuzz.distance import JaroWinkler
    from rapidfuzz.fuzz import ratio

    return (JaroWinkler.similarity, 100.0) if name == "jw" else (ratio, 1.0)


def _score(scorer: str, a: str, b: str) -> float:
    fn, scale = _scorer(scorer)
    return scale * fn(a, b)


@lru_cache(maxsize=1 << 18)
def key_similarity(a: str, b: str, scorer: str) -> float:
    """Best similarity between the transliteration keys of two words (and of their base
    forms: Kallasová is compared as Kallas too)."""
    ka, kb = forms(a), forms(b)
    if ka.keys() & kb.keys():
        return 100.0
    return max((_score(scorer, x, y) for x in ka for y in kb), default=0.0)


def skeleton_meets(a: str, b: str) -> bool:
    """Do the keys have the same consonants once vowels and glides are set aside?"""
    sa = {_VOWELS_AND_GLIDES.sub("", k.lower()) for k in forms(a)}
    sb = {_VOWELS_AND_GLIDES.sub("", k.lower()) for k in forms(b)}
    return any(len(s) >= 3 for s in sa & sb)


# ------------------------------------------------------------------ starting point


class Board:
    """The clusterer's own result (no gazetteer) on a list of names, from which each
    candidate step continues, with the surname similarities it needs computed once."""

    def __init__(self, names: list[str]) -> None:
        self.prepared = [clustering._Name(n, parse_name(n)) for n in sorted(set(names))]
        index = {n.text: i for i, n in enumerate(self.prepared)}
        self.groups = [[index[n] for n in g] for g in clustering.cluster_names(names)]
        self.full = [i for i, n in enumerate(self.prepared) if n.full]
        self.bare = [i for i, n in enumerate(self.prepared) if not n.full and n.surname]
        self._near: dict[str, dict[int, dict[int, float]]] = {}

    def start(self):
        uf = clustering._UnionFind(self.prepared)
        for group in self.groups:
            for j in group[1:]:
                uf.union(group[0], j, checked=False)
        return uf

    def labels(self, uf) -> dict[str, str]:
        return {n.text: self.prepared[uf.find(i)].text for i, n in enumerate(self.prepared)}

    def near(self, scorer: str) -> dict[int, dict[int, float]]:
        """name -> {name: similarity of their surnames' keys} above the lowest threshold."""
        if scorer not in self._near:
            from rapidfuzz import process

            by_key: dict[str, set[int]] = defaultdict(set)
            for i, n in enumerate(self.prepared):
                for key in forms(n.surname) if n.surname else ():
                    by_key[key].add(i)
            keys = sorted(by_key)
            fn, scale = _scorer(scorer)
            cutoff = min(THRESHOLDS[scorer]) / scale
            scores = process.cdist(keys, keys, scorer=fn, score_cutoff=cutoff, dtype="float32")
            near: dict[int, dict[int, float]] = defaultdict(dict)
            for a, b in zip(*scores.nonzero(), strict=True):
                value = scale * float(scores[a, b])
                for i in by_key[keys[a]]:
                    for j in by_key[keys[b]]:
                        if i != j and near[i].get(j, 0.0) < value:
                            near[i][j] = value
            self._near[scorer] = near
        return self._near[scorer]


# ------------------------------------------------------------------ candidate steps


@dataclass(frozen=True)
class Step:
    kind: str  # near-surname, near-given, bare-surname, skeleton
    scorer: str = "jw"
    threshold: float = 100.0
    attested_guard: bool = True
    linkage: str = "single"

    @property
    def family(self) -> Step:
        return replace(self, threshold=0.0)

    @property
    def label(self) -> str:
        guard = "att" if self.attested_guard else "any"
        if self.kind == "skeleton":
            return f"{self.kind} {guard}"
        link = "" if self.kind != "near-surname" else f" {self.linkage}"
        threshold = f">={self.threshold:g}" if self.threshold else ""
        return f"{self.kind} {self.scorer}{threshold} {guard}{link}"


def apply(step: Step, board: Board):
    """The union-find of the clusterer's result with ``step`` applied after it."""
    uf = board.start()
    prepared = board.prepared
    if step.kind == "bare-surname":
        _bare_surname(step, board, uf)
        return uf
    if step.kind == "near-given":
        pairs = _same_block(prepared, board.full, by="surname")
    elif step.kind == "skeleton":
        pairs = _same_block(prepared, board.full, by="given")
    else:
        near = board.near(step.scorer)
        pairs = sorted(
            (i, j)
            for i in board.full
            for j, score in near.get(i, {}).items()
            if i < j and score >= step.threshold and prepared[j].full
        )
    candidates = []
    for i, j in pairs:
        if uf.find(i) == uf.find(j):
            continue
        a, b = prepared[i], prepared[j]
        score = _pair_score(step, a, b)
        if score is None or score < step.threshold:
            continue
        if step.attested_guard and step.kind != "near-given" and _both_attested(a, b):
            continue
        candidates.append((-score, i, j))
    for _, i, j in sorted(candidates):
        ri, rj = uf.find(i), uf.find(j)
        if ri != rj and _linked(step, uf.clusters[ri], uf.clusters[rj]):
            uf.union(i, j)
    return uf


def _same_block(prepared, full, by: str):
    """Pairs of full names sharing a key of their given name (or surname)."""
    blocks: dict[str, set[int]] = defaultdict(set)
    for i in full:
        word = prepared[i].given if by == "given" else prepared[i].surname
        for key in forms(word):
            blocks[key].add(i)
    pairs = set()
    for members in blocks.values():
        pairs.update(combinations(sorted(members), 2))
    return sorted(pairs)


def _pair_score(step: Step, a, b) -> float | None:
    if step.kind == "near-given":
        if word_relation(a.surname, b.surname) is None:
            return None
        if given_relation(a.given, b.given) == GENDER:  # Jan and Jana: never
            return None
        return key_similarity(a.given, b.given, step.scorer)
    if given_relation(a.given, b.given) != SAME:
        return None
    if step.kind == "skeleton":
        return 100.0 if skeleton_meets(a.surname, b.surname) else None
    return key_similarity(a.surname, b.surname, step.scorer)


def _linked(step: Step, a, b) -> bool:
    if step.kind != "near-surname" or step.linkage == "single":
        return True
    scores = [
        key_similarity(x.surname, y.surname, step.scorer)
        for x in a.members
        for y in b.members
        if x.full and y.full
    ]
    value = min(scores) if step.linkage == "complete" else sum(scores) / len(scores)
    return value >= step.threshold


def _both_attested(a, b) -> bool:
    return clustering._attested(fold(a.surname)) and clustering._attested(fold(b.surname))


def _bare_surname(step: Step, board: Board, uf) -> None:
    near = board.near(step.scorer)
    for i in board.bare:
        name = board.prepared[i]
        owners = set()
        for j, score in near.get(i, {}).items():
            other = board.prepared[j]
            if not other.full or score < step.threshold:
                continue
            if step.attested_guard and _both_attested(name, other):
                continue
            owners.add(uf.find(j))
        owners.discard(uf.find(i))
        if len(owners) == 1:
            uf.union(owners.pop(), i)


def steps() -> list[Step]:
    out = []
    for scorer, thresholds in THRESHOLDS.items():
        for guard in (True, False):
            for linkage in LINKAGES:
                out += [Step("near-surname", scorer, t, guard, linkage) for t in thresholds]
            if not guard:  # the guard reads surnames, which meet here anyway
                out += [Step("near-given", scorer, t, guard) for t in thresholds]
            out += [Step("bare-surname", scorer, t, guard) for t in thresholds]
    out += [Step("skeleton", attested_guard=True), Step("skeleton", attested_guard=False)]
    return out


# ------------------------------------------------------------------ analysis


def entity_names(data: Data, scope: str) -> dict[str, list[str]]:
    """Person entities of ``scope`` and their spellings (names that spell a B2 entity too are
    left out of what is shown, never of what is counted)."""
    out: dict[str, list[str]] = defaultdict(list)
    for name, entity_keys in data.entities.items():
        for key in entity_keys:
            if scope in scopes_of(key) and data.entity_type[key] == "person":
                out[key].append(name)
    return {k: sorted(v) for k, v in sorted(out.items())}


def blocker(a: str, b: str) -> str:
    """What keeps two spellings of one person apart, in the clusterer's own terms."""
    pa, pb = parse_name(a), parse_name(b)
    if pa.given is None or pb.given is None:
        return "a bare surname"
    if len(pa.core) != len(pb.core):
        return "another number of words"
    relation = given_relation(pa.given.text, pb.given.text)
    if relation is None:
        return "given names: other names"
    if relation == GENDER:
        return "given names: a man's/woman's pair"
    if word_relation(pa.surname.text, pb.surname.text) is not None:
        return "rules link the pair: refused by a third member"
    from rapidfuzz.distance import OSA

    sa, sb = forms(pa.surname.text), forms(pb.surname.text)
    distance = min(OSA.distance(x, y) for x in sa for y in sb)
    if distance > 1:
        return "surnames: two or more edits apart"
    if clustering._attested(fold(pa.surname.text)) and clustering._attested(fold(pb.surname.text)):
        return "surnames: one slip, both attested"
    return "surnames: one slip, too short or a consonant"


def split_report(data: Data, labels: dict[str, str], scope: str, show: bool) -> None:
    print(f"\n== {scope}: split person entities (group sizes; pairs missed) ==")
    reasons: dict[str, int] = defaultdict(int)
    bridges = 0
    for names in entity_names(data, scope).values():
        groups: dict[str, list[str]] = defaultdict(list)
        for n in names:
            groups[labels[n]].append(n)
        if len(groups) < 2:
            continue
        sizes = sorted((len(g) for g in groups.values()), reverse=True)
        total = len(names) * (len(names) - 1) // 2
        missed = total - sum(s * (s - 1) // 2 for s in sizes)
        bridges += sizes[1] >= 2
        shown = [n for n in names if _in_scope(data, n, scope)]
        line = f"  sizes {sizes}: {missed} of {total} pairs missed"
        print(line + (f"  {sorted(groups.values(), key=len, reverse=True)}" if show else ""))
        for a, b in combinations(names, 2):
            if labels[a] != labels[b]:
                why = blocker(a, b)
                reasons[why] += 1
                if show and a in shown and b in shown:
                    print(f"      {why}: {a!r} ~ {b!r}")
    print(f"  entities with two groups of two or more (one bridge missing): {bridges}")
    print("  missed pairs by what stops them:")
    for why, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print(f"    {count:>3}  {why}")


def figures(data: Data, labels: dict[str, str], eval_gold, eval_labels) -> dict:
    m = measure(data, labels, STUDIED)
    out = {"eval_false_merges": len(false_merges(eval_gold, eval_labels))}
    for scope in STUDIED:
        person, conf = m[scope]["person"], m[scope]["confusables:person"]
        out[scope] = {
            "precision": person["precision"],
            "recall": person["recall"],
            "tp": person["true_pairs"] - person["fn"],
            "fp": person["fp"],
            "confusables": conf["merged"],
            "confusable_pairs": conf["distinct_pairs"],
            "merged": [
                p
                for p in conf["merged_pairs"]
                if _in_scope(data, p[0], scope) and _in_scope(data, p[1], scope)
            ],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--failures", choices=STUDIED, help="show the names of A's or B1's splits")
    args = parser.parse_args(argv)
    data = load(Path(args.data))
    eval_gold, _ = load_variants(EVAL_LIST)
    board, eval_board = Board(data.names), Board(sorted(eval_gold))
    labels, eval_labels = board.labels(board.start()), eval_board.labels(eval_board.start())
    for scope in STUDIED:
        split_report(data, labels, scope, show=args.failures == scope)
    base = figures(data, labels, eval_gold, eval_labels)
    print("\n== candidate steps after every rule (persons; no gazetteer) ==")
    print(
        f"  {'step':<38} {'A R':>6} {'+pairs':>6} {'P':>6} {'conf':>6}   "
        f"{'B1 R':>6} {'+pairs':>6} {'P':>6} {'conf':>6}   eval fm"
    )
    rows = [("rules alone (now)", base)]
    for step in steps():
        labels_s = board.labels(apply(step, board))
        eval_s = eval_board.labels(apply(step, eval_board))
        rows.append((step, figures(data, labels_s, eval_gold, eval_s)))
    for step, f in rows:
        label = step if isinstance(step, str) else step.label
        cells = "   ".join(
            f"{f[s]['recall']:>6.3f} {f[s]['tp'] - base[s]['tp']:>+6} {f[s]['precision']:>6.3f} "
            f"{f[s]['confusables']:>2}/{f[s]['confusable_pairs']:<3}"
            for s in STUDIED
        )
        print(f"  {label:<38} {cells}   {f['eval_false_merges']:>3}")
        for scope in STUDIED:
            for a, b in f[scope]["merged"]:
                print(f"  {'':<38} {scope} confusable merged: {a!r} ~ {b!r}")
    print("\n== fitted on A (most pairs on A, no confusable of A, precision and eval kept) ==")
    families: dict[Step, list[tuple[Step, dict]]] = defaultdict(list)
    for step, f in rows[1:]:
        families[step.family].append((step, f))
    for family, members in families.items():
        allowed = [
            (s, f)
            for s, f in members
            if f["A"]["confusables"] == 0
            and f["A"]["fp"] == base["A"]["fp"]
            and f["eval_false_merges"] <= base["eval_false_merges"]
        ]
        if not allowed:
            print(f"  {family.label:<38} every threshold merges a confusable of A")
            continue
        step, f = max(allowed, key=lambda sf: (sf[1]["A"]["tp"], -sf[0].threshold))
        gain_a, gain_b1 = (f[s]["tp"] - base[s]["tp"] for s in STUDIED)
        if gain_a <= 0:
            print(f"  {family.label:<38} adds nothing on A without merging a confusable of A")
            continue
        keep = gain_b1 > 0 and f["B1"]["confusables"] == 0 and f["B1"]["fp"] == base["B1"]["fp"]
        print(
            f"  {step.label:<38} A {gain_a:+d} pairs, then B1 {gain_b1:+d} pairs, B1 "
            f"confusables {f['B1']['confusables']}: {'worth building' if keep else 'not kept'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
