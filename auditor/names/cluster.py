"""Grouping spellings of the same entity, OpenRefine-style but transliteration-aware.

Every name is taken apart first (``parse``: titles, particles, initials, suffixes, every kind
of apostrophe and hyphen). Then, in order:

1. with a gazetteer, names it resolves are grouped by entity;
2. full names whose surnames meet (transliteration keys, or keys of a declined form:
   Kristerssona, Kallasová, Zełenskiego), then whose surnames are one slip apart, join when
   their given names agree (``compare.given_relation``): never a merge that would put two
   disagreeing given names in one cluster, so "Olaf Scholz" and "Martin Schulz" stay apart
   however close the surnames; a woman's form of a given name, in its spelling or another
   (Jana for Jan, Karla for Carl), joins only as a declined man's name, given name and
   surname in one case ("Karla Brandta", "Pedra Sáncheze": genitive) or before a surname
   that is never declined ("Marka Rutte") (``compatible``); middle initials and regnal
   numbers must not disagree either;
3. bare surnames ("Stoltenberg", "De Gaulle", "Zełenskiego") meet each other by key or by a
   slip;
4. part and whole: a bare surname, or a shorter full name ("Kramp Karrenbauer"), joins the full
   name that contains it when exactly one cluster could own it ("Klitschko" with both Vitali
   and Wladimir in the list stays on its own); so does a name written family name first;
5. two surnames in the other order after the same given name (Jana Malá Nováková, Jana
   Nováková Malá), and a Chinese name in pinyin with the same name in the Czech transcription
   or Wade-Giles (``chinese``).

A cluster never holds two gazetteer entities. Resolved clusters are labelled with the entity
and get its canonical spelling; the others with their base form, as English copy would write
it (``representative``: "Mario Draghi", not "Maria Draghiho"; "Mikhail Khodorkovsky", not
"Michail Chodorkovskij").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import chinese
from .compare import (
    CASE,
    FEMININE,
    SAME,
    forms,
    given_relation,
    readings,
    same_spelled,
    woman_form,
    word_relation,
)
from .morphology import base_forms, declensions
from .parse import ParsedName, parse_name
from .translit import fold, keys, primary_key, strip_marks

# Surnames one slip apart (two letters swapped: Kristresson; a vowel written in or left out:
# Hoekestra, Hoekstra) are one name when the given names are the same and the surname is
# this long. A letter for another, or a consonant more or less, often makes another real name
# (Jansen, Hansen; Lind, Lund): only in long names, or where one of the two spellings is
# unknown to wordfreq in every language it has (a slip, not a name anybody writes).
MIN_SLIP_LENGTH = 6
MIN_SUBSTITUTION_LENGTH = 9
ATTESTED_LANGUAGES = "en de fr it es pt nl sv nb da fi pl cs sk sl hu ro lt lv tr".split()


@dataclass
class _Name:
    text: str
    parsed: ParsedName
    entity: str | None = None

    @property
    def given(self) -> str:
        g = self.parsed.given
        return g.text if g is not None else ""

    @property
    def surname(self) -> str:
        s = self.parsed.surname
        return s.text if s is not None else ""

    @property
    def full(self) -> bool:
        return self.parsed.given is not None


def _surname_relation(a: _Name, b: _Name) -> str | None:
    return word_relation(a.surname, b.surname)


def _middles_agree(a: ParsedName, b: ParsedName) -> bool:
    """Middle names or initials, where both have them: initials alone must be the same
    letters (George H. W. Bush is not George W. Bush), written-out middle names may leave one
    out (Anna Karin Lind, Anna K. Lind; Maria Elena Boschi, Maria Boschi)."""
    if not a.middle or not b.middle:
        return True
    ma = [fold(w.text)[0] for w in a.middle]
    mb = [fold(w.text)[0] for w in b.middle]
    if all(w.initial for w in (*a.middle, *b.middle)):
        return ma == mb
    short, long = sorted((ma, mb), key=len)
    rest = iter(long)
    return all(letter in rest for letter in short)


def _numbers_agree(a: ParsedName, b: ParsedName) -> bool:
    """Regnal numbers: Pius XI is not Pius XII; Henry Ford II may be written without."""
    if a.number == b.number:
        return True
    if not a.number or not b.number:
        return len(a.core) >= 2 and len(b.core) >= 2
    return False


def compatible(a: _Name, b: _Name, women: frozenset[str] = frozenset()) -> bool:
    """May ``a`` and ``b`` be one entity, as far as their given and middle names and numbers
    say? A given name that may be a woman's form of the other, in its spelling or another
    ("Jana", "Ulfa"; "Karla" for Carl) needs a declined surname ("Ulfa Kristerssona", "Karla
    Brandta") or one that is never declined ("Marka Rutte"), unless the other one is known to
    be a woman's name too (``women``: "Miriam" before "Hendersonová" makes Miriam and Miriama
    two spellings of one woman's name)."""
    if not _numbers_agree(a.parsed, b.parsed) or not _middles_agree(a.parsed, b.parsed):
        return False
    if not a.given or not b.given:
        return True
    if given_relation(a.given, b.given) is None:
        return False
    man = woman_form(a.given, b.given)
    if man is not None:
        if man in women:
            return True
        return _declined(a, b) or _declined(b, a)
    return True


def _declined(a: _Name, b: _Name) -> bool:
    """May ``a`` and ``b`` be one name, one of them the other declined, given name and
    surname in one case ("Karla Brandta" for Carl Brandt, "Pedra Sáncheze" for Pedro
    Sánchez), or the given name alone before a surname that is never declined ("Marka Rutte",
    "Giorgii Meloni"; not "Giorgia Meloni" for Giorgio, a woman's name as it stands)?"""
    return _declined_from(a, b) or _declined_from(b, a)


def _declined_from(a: _Name, base: _Name) -> bool:
    """Is ``a`` the name ``base``, as written, declined?"""
    given, surname, _, _ = readings(base.given, base.surname)[0]
    surname_keys = keys(surname)
    return any(
        keys(s) & surname_keys and same_spelled(g, given)
        for g, s, reading, _ in readings(a.given, a.surname)
        if reading is not None
    )


def _siblings(a: _Name, b: _Name, bases) -> bool:
    """Two forms of one name declined in two cases ("Antonia Costy", "Antóniem
    Costou"): one is not the other declined, but both are the declined forms of a name
    of the list as written (António Costa). Without that name they stay apart: "Giorgia
    Meloni" and "Giorgio Meloni" might both be read from a "Giorgio Melona" nobody wrote."""
    if not _numbers_agree(a.parsed, b.parsed) or not _middles_agree(a.parsed, b.parsed):
        return False
    return any(
        c is not a and c is not b and _declined_from(a, c) and _declined_from(b, c) for c in bases
    )


@dataclass
class _Cluster:
    members: list[_Name] = field(default_factory=list)

    @property
    def entities(self) -> set[str]:
        return {m.entity for m in self.members if m.entity}

    @property
    def women(self) -> frozenset[str]:
        """Given names written before a Czech or Slovak woman's surname (-ová)."""
        return frozenset(fold(m.given) for m in self.members if m.given and _feminine(m.surname))

    def accepts(self, other: _Cluster, bases=lambda name: ()) -> bool:
        """``bases(name)``: the names of the list a declined ``name`` may come from."""
        if len(self.entities | other.entities) > 1:
            return False
        women = self.women | other.women
        return all(
            compatible(a, b, women) or _siblings(a, b, bases(a))
            for a in self.members
            for b in other.members
        )


def _feminine(surname: str) -> bool:
    return FEMININE in base_forms(surname).values()


class _UnionFind:
    def __init__(self, names: list[_Name]) -> None:
        self.names = names
        self.parent = list(range(len(names)))
        self.clusters = {i: _Cluster([n]) for i, n in enumerate(names)}
        self._by_key: dict[str, list[int]] | None = None

    def bases(self, name: _Name) -> list[_Name]:
        """Full names of the list whose surname meets a form of ``name``'s: the names it may
        be a declined form of (whichever cluster they are in yet)."""
        if self._by_key is None:
            self._by_key = _index(self.names, [i for i, n in enumerate(self.names) if n.full])
        word = name.surname
        looked = {*forms(word), *(k for form in declensions(word) for k in keys(form))}
        found = {i for key in looked for i in self._by_key.get(key, ())}
        return [self.names[i] for i in sorted(found)]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int, checked: bool = True) -> bool:
        """Merge the clusters of ``i`` and ``j``; ``checked=False`` skips the given-name
        check (part and whole), never the one-entity rule."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        a, b = self.clusters[ri], self.clusters[rj]
        if len(a.entities | b.entities) > 1 or (checked and not a.accepts(b, self.bases)):
            return False
        if rj < ri:
            ri, rj, a, b = rj, ri, b, a
        self.parent[rj] = ri
        a.members.extend(b.members)
        del self.clusters[rj]
        return True


def cluster_names(names: list[str], entities: dict[str, str] | None = None) -> list[list[str]]:
    """Groups of spellings of one entity; ``entities`` maps names a gazetteer resolved to
    their entity. Deterministic order."""
    entities = entities or {}
    distinct = sorted({n.strip() for n in names if n.strip()})
    prepared = [_Name(n, parse_name(n), entities.get(n)) for n in distinct]
    uf = _UnionFind(prepared)
    # 1. The gazetteer's word.
    by_entity: dict[str, list[int]] = defaultdict(list)
    for i, n in enumerate(prepared):
        if n.entity:
            by_entity[n.entity].append(i)
    for members in by_entity.values():
        for j in members[1:]:
            uf.union(members[0], j, checked=False)
    full = [i for i, n in enumerate(prepared) if n.full]
    bare = [i for i, n in enumerate(prepared) if not n.full and n.surname]
    # 2. Full names: surnames that meet, as written first, then declined.
    by_key = _index(prepared, full)
    for kinds in ((SAME,), (SAME, FEMININE, CASE)):
        for members in by_key.values():
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    i, j = members[a], members[b]
                    if _surname_relation(prepared[i], prepared[j]) in kinds:
                        uf.union(i, j)
    _slips(prepared, full, uf)
    # 3. Bare surnames among themselves; a name with a regnal number is a given name
    # ("Pius XII.", "Pope Pius XII").
    for members in _index(prepared, bare).values():
        for j in members[1:]:
            uf.union(members[0], j)
    _slips(prepared, bare, uf)
    numbered = [i for i in bare if prepared[i].parsed.number]
    for a, i in enumerate(numbered):
        for j in numbered[a + 1 :]:
            if prepared[i].parsed.number == prepared[j].parsed.number and given_relation(
                prepared[i].surname, prepared[j].surname
            ) in (SAME, CASE):
                uf.union(i, j)
    # 4. Part and whole; family name first.
    _parts(prepared, full, bare, uf, by_key)
    _swapped(prepared, full, uf, by_key)
    _double_surnames(prepared, full, uf)
    _chinese(prepared, uf)
    groups = [sorted(n.text for n in c.members) for c in uf.clusters.values()]
    return sorted(groups)


def _index(prepared: list[_Name], which: list[int]) -> dict[str, list[int]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for i in which:
        for key in forms(prepared[i].surname):
            by_key[key].append(i)
    return by_key


def _slips(prepared: list[_Name], which: list[int], uf: _UnionFind) -> None:
    """Names with the same given name (or none) whose surnames, as written or as a base form
    (Kristerssonová), or as read in some orthography (the keys: Ayyampillai, Azzampillai), are one
    slip apart."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    spellings = sorted(
        {
            (i, text)
            for i in which
            for text in (
                *(_plain(form) for form in base_forms(prepared[i].surname)),
                *forms(prepared[i].surname),
            )
        }
    )
    plain = [text for _, text in spellings]
    if not plain:
        return
    scores = process.cdist(plain, plain, scorer=OSA.distance, score_cutoff=1, dtype="int8")
    for a, b in zip(*(scores == 1).nonzero(), strict=True):
        (i, x), (j, y) = spellings[int(a)], spellings[int(b)]
        if (
            i < j
            and min(len(x), len(y)) >= MIN_SLIP_LENGTH
            and (_vowel_or_swap(x, y) or not _both_attested(i, j, prepared))
            and (not prepared[i].given or _same_given(prepared[i], prepared[j]))
        ):
            uf.union(i, j)


def _plain(word: str) -> str:
    return strip_marks(fold(word))


def _vowel_or_swap(a: str, b: str) -> bool:
    """A transposition, a vowel more or less, or a letter for another in a long name."""
    ops = _edits(a, b)
    if len(ops) == 2:
        return True  # OSA distance 1 with two Levenshtein edits: a transposition
    op = ops[0]
    if op.tag == "replace":
        return min(len(a), len(b)) >= MIN_SUBSTITUTION_LENGTH
    return (a[op.src_pos] if op.tag == "delete" else b[op.dest_pos]) in "aeiouy"


def _edits(a: str, b: str):
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.editops(a, b)


def _both_attested(i: int, j: int, prepared: list[_Name]) -> bool:
    return _attested(fold(prepared[i].surname)) and _attested(fold(prepared[j].surname))


@lru_cache(maxsize=65536)
def _attested(word: str) -> bool:
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word, lang) > 0 for lang in ATTESTED_LANGUAGES)


def _same_given(a: _Name, b: _Name) -> bool:
    return bool(a.given and b.given and forms(a.given).keys() & forms(b.given).keys())


def _parts(prepared, full, bare, uf: _UnionFind, by_key) -> None:
    """A bare surname, or a full name whose words all appear in order in a longer one, joins
    the one cluster that could own it."""
    for i in [*bare, *full]:
        part = prepared[i]
        # "Van Agt" may be a given name and a surname, or a particle surname alone: a
        # whole name that owns it in the second reading ("Dries Van Agt") owns it.
        for reading in (part.parsed, part.parsed.as_particle_surname()):
            if reading is None:
                continue
            owners = set()
            for key in forms(part.surname):
                for j in by_key.get(key, ()):
                    whole = prepared[j]
                    if j != i and _contains(whole.parsed, reading):
                        owners.add(uf.find(j))
            owners.discard(uf.find(i))
            if len(owners) == 1:
                # A full name contained word by word needs no further check; a bare
                # surname must agree with every member of the cluster it joins.
                uf.union(owners.pop(), i, checked=not part.full)
                break


def _contains(whole: ParsedName, part: ParsedName) -> bool:
    """Do the core words of ``part`` appear in order in ``whole``'s, ending on its surname,
    with fewer words (Kramp Karrenbauer in Annegret Kramp Karrenbauer; De Gaulle in Charles
    de Gaulle)?"""
    a, b = whole.core, part.core
    if len(b) >= len(a) or not b or not _numbers_agree(whole, part):
        return False
    if not _middles_agree(whole, part):  # George W. Bush is no part of George H. W. Bush
        return False
    if word_relation(a[-1].text, b[-1].text) is None:
        return False
    k = 0
    for w in a[:-1]:
        if k < len(b) - 1 and _word_matches(w, b[k]):
            k += 1
    return k == len(b) - 1


def _word_matches(a, b) -> bool:
    if a.initial or b.initial:
        return fold(a.text)[0] == fold(b.text)[0]
    return word_relation(a.text, b.text) is not None


def _swapped(prepared, full, uf: _UnionFind, by_key) -> None:
    """ "Kristersson Ulf" for Ulf Kristersson (family name first, as in Hungarian, Chinese or a
    list sorted by surname) joins the one cluster whose two-word names it mirrors."""
    for i in full:
        name = prepared[i]
        if len(name.parsed.core) != 2:
            continue
        owners = set()
        for key in forms(name.given):
            for j in by_key.get(key, ()):
                other = prepared[j]
                if (
                    len(other.parsed.core) == 2
                    and word_relation(name.surname, other.given) is not None
                    and word_relation(name.given, other.surname) is not None
                ):
                    owners.add(uf.find(j))
        owners.discard(uf.find(i))
        if len(owners) == 1:
            uf.union(owners.pop(), i, checked=False)


def _double_surnames(prepared, full, uf: _UnionFind) -> None:
    """Two surnames written in either order after one given name: Czech, Spanish and
    Portuguese double surnames ("Jana Malá Nováková", "Jana Nováková Malá") are ordered by
    custom and taste, not by rule. Same given name, same surname words, another order."""
    by_given: dict[str, list[int]] = defaultdict(list)
    for i in full:
        core = prepared[i].parsed.core
        if len(core) == 3 and not any(w.initial for w in core):
            for key in forms(prepared[i].given):
                by_given[key].append(i)
    for members in by_given.values():
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                x, y = prepared[i].parsed.core, prepared[j].parsed.core
                if given_relation(x[0].text, y[0].text) != SAME:
                    continue
                crossed = word_relation(x[1].text, y[2].text) in (SAME, FEMININE)
                if crossed and word_relation(x[2].text, y[1].text) in (SAME, FEMININE):
                    uf.union(i, j, checked=False)  # the middle-name check reads order


def _chinese(prepared: list[_Name], uf: _UnionFind) -> None:
    """A Chinese name in pinyin and the same name in the Czech transcription or Wade-Giles
    (Mao Zedong, Mao Ce-tung, Mao Tse-tung): the whole name, family name first, is compared,
    so there is no given name to check."""
    by_spelling: dict[str, list[int]] = defaultdict(list)
    words = [" ".join(w.text for w in n.parsed.words) for n in prepared]
    for i, text in enumerate(words):
        by_spelling[chinese.spelled(text)].append(i)
    for i, text in enumerate(words):
        for reading in chinese.readings(text):
            for j in by_spelling.get(reading, ()):
                uf.union(i, j, checked=False)


def representative(group: list[str], counts: Counter) -> str:
    """The spelling a cluster is labelled with: a base form (no word of it a declined or a
    woman's form of the same word in another member: "Mario Draghi", not "Maria Draghiho";
    "Benazir Bhutto", not "Bhuttová"); then the spelling English copy would write: fewest
    letters beyond Latin-1 (Šaríf, Erdoğan) and an English reading that meets the others'
    keys ("Khodorkovsky" is read "Chodorkovskij" in Czech; "Cho-" is not "Kho-" in
    English); then, as OpenRefine chooses, the most frequent spelling, alphabetical on ties."""
    parsed = {n: parse_name(n) for n in group}

    def declined_words(name: str) -> int:
        words = _positions(parsed[name])
        return sum(
            any(_declined_word(word, other) for other in _others(parsed, name, position))
            for position, word in words.items()
        )

    def english(name: str) -> tuple[int, int]:
        marked = sum(ord(ch) > 0xFF for ch in unicodedata.normalize("NFC", name))
        reading = primary_key(name)
        fits = sum(reading in keys(other) for other in group if other != name)
        return marked, -fits

    return min(group, key=lambda n: (declined_words(n), *english(n), -counts[n], n))


def _positions(name: ParsedName) -> dict[str, str]:
    out = {}
    if name.given is not None:
        out["given"] = name.given.text
    if name.surname is not None:
        out["surname"] = name.surname.text
    return out


def _others(parsed: dict[str, ParsedName], name: str, position: str):
    for other, p in parsed.items():
        if other != name:
            word = _positions(p).get(position)
            if word is not None:
                yield word


@lru_cache(maxsize=65536)
def _declined_word(word: str, base: str) -> bool:
    """Is ``word`` a declined or feminine form of ``base`` (and not ``base`` as written)? By
    letters (accents aside: Sancheza, Sánchez), else by keys where ``base`` is not as well a
    declined form of ``word`` by keys (keys are lossy: Giorgia and Giorgii both reduce to the
    other's keys, but only Giorgii is Giorgia by letters)."""
    plain_word, plain_base = _plain(word), _plain(base)
    if plain_word == plain_base:
        return False
    if any(_plain(form) == plain_base for form in declensions(word)):
        return True
    if any(_plain(form) == plain_word for form in declensions(base)):
        return False
    return _declined_by_keys(word, base) and not _declined_by_keys(base, word)


def _declined_by_keys(word: str, base: str) -> bool:
    target = keys(base)
    return any(keys(form) & target for form in declensions(word))


def cluster_rows(names: list[str], gazetteer=None, style=None) -> list[tuple[str, str, str]]:
    """``(name, cluster, canonical)`` for every distinct name; canonical is empty when the
    gazetteer does not know the entity (or there is no gazetteer)."""
    counts = Counter(n.strip() for n in names if n.strip())
    entities = {}
    if gazetteer is not None:
        for name in sorted(counts):
            entity = resolve_name(name, gazetteer)
            if entity is not None:
                entities[name] = entity
    rows: list[tuple[str, str, str]] = []
    for group in cluster_names(list(counts), entities):
        found = {entities[n] for n in group if n in entities}
        if found:
            entity = found.pop()
            label, canonical = entity, canonical_name(gazetteer, style, entity)
        else:
            label, canonical = representative(group, counts), ""
        rows.extend((name, label, canonical) for name in group)
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
