"""Are two written words the same name? One answer for the clustering and the gazetteer.

Evidence, each a kind of relation: the transliteration keys of the words meet (Selenskyj,
Zelenskyy; "" = same name); they meet only once an ending is taken off (``FEMININE``:
Kallasová, Kallas; ``CASE``: Kristerssona, Kristersson); for given names also an English short form
(Joe, Joseph, from the ``nicknames`` data), a swapped pair of letters (Sebastain), an initial
(F., Fitzgerald) or near keys (Fjodor, Fyodor). ``None`` means the words disagree.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .morphology import CASE, FEMININE, Reading, base_forms, declensions
from .translit import fold, keys, strip_marks

SAME = ""
GENDER = "gender"  # Jan and Jana, Paul and Paula
FUZZY_GIVEN = 85.0  # rapidfuzz ratio of given-name keys
_RANK = {SAME: 0, FEMININE: 1, CASE: 2}


@lru_cache(maxsize=65536)
def forms(word: str) -> dict[str, str]:
    """Transliteration keys of ``word`` and of what it may be declined from, with the kind of
    ending taken off (SAME for the word as written)."""
    out: dict[str, str] = {}
    for form, kind in sorted(base_forms(word).items(), key=lambda item: _RANK[item[1]]):
        for key in keys(form):
            out.setdefault(key, kind)
    return out


def word_relation(a: str, b: str) -> str | None:
    """SAME, FEMININE or CASE when the keys of two words (or of their base forms) meet."""
    fa, fb = forms(a), forms(b)
    best = None
    for key, kind_a in fa.items():
        kind_b = fb.get(key)
        if kind_b is None:
            continue
        kind = max(kind_a, kind_b, key=_RANK.__getitem__)
        if best is None or _RANK[kind] < _RANK[best]:
            best = kind
    return best


@lru_cache(maxsize=1)
def _nicknames():
    from nicknames import NickNamer

    return NickNamer()


def short_form(a: str, b: str) -> bool:
    """Is one an English short form of the other (Joe, Joseph; Bill, William)? The data also
    relates names across languages (Ivan, John): a pair must share its first letter, or the
    short form be a short word of its own (Bill, Bob, Ted, Jack)."""
    a, b = sorted((fold(a), fold(b)), key=len)
    if a[:1] != b[:1] and not (len(a) <= 4 < len(b) or len(a) < len(b) <= 4):
        return False
    names = _nicknames()
    return b in names.nicknames_of(a) | names.canonicals_of(a)


def gender_pair(a: str, b: str) -> bool:
    """Jan and Jana, Paul and Paula, Giorgio and Giorgia: two people's given names, unless
    the surname is declined too (Polish "Ulfa Kristerssona" is Ulf Kristersson)."""
    a, b = strip_marks(fold(a)), strip_marks(fold(b))  # António and Antonia as Antonio
    if len(a) > len(b):
        a, b = b, a
    return (b == a + "a" and a[-1:] not in "aeiouy") or (
        len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"a", "o"}
    )


# A woman's given name is the man's with -a or -ia (Bohdana, Bogdan; Eugenia, Eugen); where the
# man's ends soft (-i, -y, -ij, -iy, -yj, -j: Evgeny, Valeri), hers ends -ia, -ija, -iya, -ja or
# -ya (Yevgenia, Valeria). A man's name may end in -a itself (Kuzma, Foma): only these endings,
# set against the man's, make a woman's form.
_SOFT = re.compile(r"(?:ij|iy|yj|i|y|j)$")
_SOFT_WOMAN = re.compile(r"(?:ija|iya|ia|ja|ya)$")


@lru_cache(maxsize=65536)
def woman_form(a: str, b: str) -> str | None:
    """The man's name, when one of two given names is a woman's form of the other, also in
    another spelling: Bohdana and Bogdan, Aleksandra and Oleksandr, Karla and Carl, Yevgenia
    and Evgeny. ``gender_pair`` sees the ending on the same letters only; keys, consonant
    skeleton or a slip make such pairs one name to ``given_relation``, yet they are a man's
    name and a woman's (or a declined man's: Polish "Bogdana" is of Bogdan), as Jan and Jana
    are. Not an English short form (Josh, Joshua) nor two letters swapped (a slip)."""
    fa, fb = fold(a).rstrip("."), fold(b).rstrip(".")
    if gender_pair(fa, fb):
        if len(fa) != len(fb):
            return min(fa, fb, key=len)
        return fa if strip_marks(fa).endswith("o") else fb
    if short_form(fa, fb) or _swap(fa, fb):
        return None
    for woman, man in ((fa, fb), (fb, fa)):
        # No nominative ends in a nasal vowel: Urszulę, Hanną are a woman's name declined.
        if len(man) < 3 or man.endswith(("a", "e", "o", "u", "ę", "ą")):
            continue
        soft = _SOFT.search(man)
        if soft is not None:
            ending = _SOFT_WOMAN.search(woman)
            stems = {woman[: ending.start()]} if ending else set()
            man_stem = man[: soft.start()]
        else:
            stems = {woman[:-1]} if woman.endswith("a") else set()
            stems |= {woman[:-2]} if woman.endswith("ia") else set()
            man_stem = man
        if any(len(s) >= 3 and given_relation(s, man_stem) in (SAME, CASE) for s in stems):
            return man
    return None


def _swap(a: str, b: str) -> bool:
    from rapidfuzz.distance import OSA, Levenshtein

    return OSA.distance(a, b) == 1 and Levenshtein.distance(a, b) == 2


def given_relation(a: str, b: str) -> str | None:
    """How two given names relate: SAME (one name), CASE (one may be the other declined:
    Hanny, Hanna), GENDER (a man's and a woman's name, or a declined man's name: Jana,
    Jan; Ulfa, Ulf) or None (two names)."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.fuzz import ratio

    fa, fb = fold(a).rstrip("."), fold(b).rstrip(".")
    if not fa or not fb:
        return SAME
    if fa == fb:
        return SAME
    if len(fa) == 1 or len(fb) == 1:  # an initial
        return SAME if forms(fa[0]).keys() & forms(fb[0]).keys() or fa[0] == fb[0] else None
    if gender_pair(fa, fb):
        return GENDER
    relation = word_relation(fa, fb)
    if relation is not None:
        return SAME if relation == FEMININE else relation
    if short_form(fa, fb):
        return SAME
    if min(len(fa), len(fb)) >= 5 and OSA.distance(fa, fb) == 1:
        return SAME  # a slip of the keys (Sebastain) or one letter more or less
    ka, kb = keys(fa), keys(fb)
    if ka and kb and max(ratio(x, y) for x in ka for y in kb) >= FUZZY_GIVEN:
        return SAME
    if any(_consonants(x) == _consonants(y) and len(_consonants(x)) >= 4 for x in ka for y in kb):
        return SAME  # vowels written in or left out: Dymitr, Dmitri
    declined = [(x, y) for x, kx in forms(fa).items() for y, ky in forms(fb).items() if kx or ky]
    if any(_consonants(x) == _consonants(y) and len(_consonants(x)) >= 4 for x, y in declined):
        return CASE  # the same, declined: Aleksandrowi (Aleksandr), Alexander
    return None


@lru_cache(maxsize=65536)
def same_spelled(a: str, b: str) -> bool:
    """One name in two spellings: the keys meet, or their consonants do, with the same last
    letter (a vowel written in or left out: Aleksandr, Alexander; not Giorgi, Giorgio).
    Stricter than ``given_relation``: no slip, short form or near keys."""
    ka, kb = keys(a), keys(b)
    return bool(ka & kb) or any(
        x[-1] == y[-1] and _consonants(x) == _consonants(y) and len(_consonants(x)) >= 4
        for x in ka
        for y in kb
    )


def _consonants(key: str) -> str:
    return re.sub(r"[aeiou]", "", key)


# Foreign surnames ending in a vowel are often left undeclined in Polish or Czech (the grammars
# decline most of them: Rutteho, Ruttego), so a declined given name may stand before one as
# written: "Marka Rutte" is Mark Rutte. (A man's and a woman's name before one stay a pair of
# people's names as written: "Giorgia Meloni" is not Giorgio Meloni's genitive.)
_INDECLINABLE = re.compile(r"[aeiouyéèëü]$")


# (given name, surname, the ending's reading or None as written, given name declined?)
NameReading = tuple[str, str, Reading | None, bool]


@lru_cache(maxsize=65536)
def readings(given: str, surname: str) -> tuple[NameReading, ...]:
    """(given name, surname, reading, given name declined?) of a name as written
    (reading None) and of the names it may be declined from: both words in one case, the
    given name alone before a surname in a vowel, or the surname alone after a given name left
    as it is ("Mario Montim", "Keir Starmerjem": MT and writers often leave a foreign given name
    undeclined). The reading is the ending's, with the cases both words share."""
    out = [(fold(given), surname, None, False)]
    declined = [(form, r) for form, r in declensions(surname).items() if r.kind == CASE]
    out.extend((fold(given), base, r, False) for base, r in declined)
    indeclinable = bool(_INDECLINABLE.search(fold(surname)))
    for form, reading in declensions(given).items():
        if reading.kind != CASE or not reading.given_cases:
            continue
        for base, s in declined:
            if reading.given_cases & s.cases:
                shared = replace(s, cases=reading.given_cases & s.cases)
                out.append((form, base, shared, True))
        if indeclinable and not (gender_pair(given, form) and len(given) == len(form)):
            out.append((form, surname, replace(reading, cases=reading.given_cases), True))
    return tuple(out)
