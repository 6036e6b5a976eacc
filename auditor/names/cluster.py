"""Grouping spellings of the same entity, OpenRefine-style but transliteration-aware.

Key collision first (two spellings whose transliteration keys meet), then nearest neighbours
(fuzzy similarity of keys), and never a merge that would put two disagreeing given names in one
cluster: "Olaf Scholz" and "Martin Schulz" stay apart however close the surnames are. A bare
surname joins a full name only when exactly one full-name cluster could own it ("Klitschko"
with both Vitali and Wladimir in the list stays on its own). With a gazetteer, names it
resolves are grouped by entity and get its canonical spelling.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .translit import fold, keys, primary_key

FUZZY_SURNAME = 88.0  # rapidfuzz ratio of surname keys, only with agreeing given names
FUZZY_GIVEN = 85.0


@dataclass
class _Name:
    text: str
    given: str
    surname: str
    surname_keys: frozenset[str]
    given_keys: frozenset[str]


def split_name(name: str) -> tuple[str, str]:
    """(given names, surname): the last word is the surname, with its lower-case particles
    ("Ursula von der Leyen" -> "Ursula", "von der Leyen")."""
    words = name.split()
    if len(words) <= 1:
        return "", name.strip()
    i = len(words) - 1
    while i > 0 and words[i - 1][:1].islower():
        i -= 1
    return " ".join(words[:i]), " ".join(words[i:])


def _given_compatible(a: _Name, b: _Name) -> bool:
    from rapidfuzz.fuzz import ratio

    if not a.given or not b.given:
        return True
    fa, fb = fold(a.given).rstrip("."), fold(b.given).rstrip(".")
    if fa == fb or a.given_keys & b.given_keys:
        return True
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return max(ratio(x, y) for x in a.given_keys for y in b.given_keys) >= FUZZY_GIVEN


@dataclass
class _Cluster:
    members: list[_Name] = field(default_factory=list)

    def accepts(self, other: _Cluster) -> bool:
        return all(_given_compatible(a, b) for a in self.members for b in other.members)


class _UnionFind:
    def __init__(self, names: list[_Name]) -> None:
        self.parent = list(range(len(names)))
        self.clusters = {i: _Cluster([n]) for i, n in enumerate(names)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        a, b = self.clusters[ri], self.clusters[rj]
        if not a.accepts(b):
            return False
        if rj < ri:
            ri, rj, a, b = rj, ri, b, a
        self.parent[rj] = ri
        a.members.extend(b.members)
        del self.clusters[rj]
        return True


def _prepare(name: str) -> _Name:
    given, surname = split_name(name)
    first = given.split()[0] if given else ""  # "Sergei Wiktorowitsch": the first name decides
    return _Name(name, first, surname, keys(surname), keys(first) if first else frozenset())


def cluster_names(names: list[str]) -> list[list[str]]:
    """Groups of spellings of one entity, without any gazetteer; deterministic order."""
    from rapidfuzz import fuzz, process

    distinct = sorted({n.strip() for n in names if n.strip()})
    prepared = [_prepare(n) for n in distinct]
    uf = _UnionFind(prepared)
    full = [i for i, n in enumerate(prepared) if n.given]
    bare = [i for i, n in enumerate(prepared) if not n.given]
    # 1. Full names: surname key collision, then fuzzy surnames, both with given-name agreement.
    by_key: dict[str, list[int]] = {}
    for i in full:
        for k in prepared[i].surname_keys:
            by_key.setdefault(k, []).append(i)
    for members in by_key.values():
        for j in members[1:]:
            uf.union(members[0], j)
    primary = [primary_key(prepared[i].surname) for i in full]
    for a, row in enumerate(
        process.cdist(primary, primary, scorer=fuzz.ratio, score_cutoff=FUZZY_SURNAME)
        if full
        else []
    ):
        for b in (int(x) for x in row.nonzero()[0]):
            strong = _strongly_given(prepared[full[a]], prepared[full[b]])
            if b > a and len(primary[a]) >= 5 and strong:
                uf.union(full[a], full[b])
    # 2. Bare surnames among themselves: key collision only.
    by_key = {}
    for i in bare:
        for k in prepared[i].surname_keys:
            by_key.setdefault(k, []).append(i)
    for members in by_key.values():
        for j in members[1:]:
            uf.union(members[0], j)
    # 3. A bare-surname cluster joins the one full-name cluster its surname can belong to.
    for root in sorted({uf.find(i) for i in bare}):
        bare_keys = set().union(*(n.surname_keys for n in uf.clusters[root].members))
        owners = sorted({uf.find(i) for i in full if prepared[i].surname_keys & bare_keys})
        if len(owners) == 1:
            uf.union(owners[0], root)
    groups = [sorted(n.text for n in c.members) for c in uf.clusters.values()]
    return sorted(groups)


def _strongly_given(a: _Name, b: _Name) -> bool:
    return bool(
        a.given and b.given and (fold(a.given) == fold(b.given) or a.given_keys & b.given_keys)
    )


def representative(group: list[str], counts: Counter) -> str:
    """OpenRefine's choice: the most frequent spelling, alphabetical on ties."""
    return min(group, key=lambda n: (-counts[n], n))


def cluster_rows(names: list[str], gazetteer=None, style=None) -> list[tuple[str, str, str]]:
    """``(name, cluster, canonical)`` for every distinct name; canonical is empty when the
    gazetteer does not know the entity (or there is no gazetteer)."""
    counts = Counter(n.strip() for n in names if n.strip())
    rows: list[tuple[str, str, str]] = []
    unresolved: list[str] = []
    for name in sorted(counts):
        entity = resolve_name(name, gazetteer) if gazetteer is not None else None
        if entity is None:
            unresolved.append(name)
        else:
            rows.append((name, entity, canonical_name(gazetteer, style, entity)))
    for group in cluster_names(unresolved):
        label = representative(group, counts)
        rows.extend((name, label, "") for name in group)
    return sorted(rows, key=lambda r: (r[1].casefold(), r[1], r[0]))


def canonical_name(gazetteer, style, entity_id: str) -> str:
    entity = gazetteer.entity(entity_id)
    if entity.type != "person" or not entity.given:
        return style.prefer.get(entity_id, entity.name) if style else entity.name
    surname = style.prefer.get(entity_id, entity.surname[0]) if style else entity.surname[0]
    given = style.prefer_given.get(entity_id, entity.given[0]) if style else entity.given[0]
    return f"{given} {surname}"


def resolve_name(name: str, gazetteer) -> str | None:
    """The entity a bare name string names, when the whole string resolves to exactly one."""
    from .mentions import find_mentions
    from .resolve import resolve

    text = re.sub(r"\s+", " ", name.strip())
    known, unknown = find_mentions(text, gazetteer, sentence_index=0)
    resolutions = resolve(known, unknown, gazetteer, [text])
    entities = {r.entity for r in resolutions if r.how != "fuzzy"}
    if len(entities) != 1:
        return None
    covered = min(
        min(r.part.start, r.given.start if r.given else r.part.start) for r in resolutions
    )
    end = max(r.part.end for r in resolutions)
    if covered > 0 or end < len(text):
        return None
    return entities.pop()
