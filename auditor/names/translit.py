"""Transliteration-aware keys: one spelling read in each European orthography, reduced to a
common sound skeleton, so that Selenskyj, Zelenskyy, Zełenski and Zelenskij meet.

A Slavic name reaches English copy through whichever language the article was translated from.
German writes В as w, Ш as sch, Ц as z; Polish writes Ш as sz and Ч as cz; French writes Ш as ch
and Ж as j. A spelling alone does not say which system produced it, so ``keys`` reads it in every
system and returns the set of skeletons; two spellings are transliteration variants of each
other when their key sets meet. Keys are deliberately lossy (voicing, soft signs, i/y/j, endings
-ij/-yj/-y) and are only ever one piece of evidence: the callers still demand given-name and
context agreement before merging two names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Internal sound symbols (upper case, never produced by lowercased input):
# S = sh, C = ch, Z = zh, X = kh, T = ts.
_COMMON_LETTERS = {"ß": "ss", "ł": "l", "đ": "d", "ø": "o", "æ": "e", "œ": "e", "ı": "i", "å": "o"}

_PROFILES: dict[str, list[tuple[str, str]]] = {
    # English (BGN/PCGN-like and news usage). English spells the long vowels of Arabic, Urdu
    # and Persian names ee and oo where Czech, Slovak and Slovene write í and ú (Rasheed,
    # Rašíd; Mahmood, Mahmúd), and Russian дж as dzh where English writes j.
    "en": [
        ("ee", "i"),
        ("oo", "u"),
        ("dzh", "j"),
        ("shch", "SC"),
        ("sh", "S"),
        ("zh", "Z"),
        ("kh", "X"),
        ("tch", "C"),
        ("ch", "C"),
        ("ts", "T"),
        ("tz", "T"),
        ("ck", "k"),
        ("ph", "f"),
        ("c(?=[eiy])", "s"),
        ("c", "k"),
        ("q", "k"),
        ("x", "ks"),
        ("w", "v"),
    ],
    # German (Duden); dsch is English j (Dschamal, Jamal)
    "de": [
        ("dsch", "j"),
        ("schtsch", "SC"),
        ("tsch", "C"),
        ("sch", "S"),
        ("ch", "X"),
        ("tz", "T"),
        ("ts", "T"),
        ("z", "T"),
        ("ck", "k"),
        ("ie", "i"),
        ("ä", "e"),
        ("ö", "o"),
        ("ü", "u"),
        ("w", "v"),
        ("c", "k"),
        ("x", "ks"),
        ("ph", "f"),
    ],
    # Polish; dż is English j (Dżamal, Jamal)
    "pl": [
        ("dż", "j"),
        ("szcz", "SC"),
        ("sz", "S"),
        ("cz", "C"),
        ("ch", "X"),
        ("rz", "Z"),
        ("ż", "Z"),
        ("ź", "Z"),
        ("ś", "S"),
        ("ć", "C"),
        ("c", "T"),
        ("ń", "n"),
        ("ó", "u"),
        ("ą", "on"),
        ("ę", "en"),
        ("(?<=[bcdfghklmnprstvwz])ie", "e"),
        ("w", "v"),
    ],
    # Czech, Slovak and Slovene; dž is English j (Džamál, Jamal)
    "cs": [
        ("ovová$", "ova"),
        ("enková$", "enko"),
        ("dž", "j"),
        ("šč", "SC"),
        ("š", "S"),
        ("č", "C"),
        ("ž", "Z"),
        ("ch", "X"),
        ("ř", "rZ"),
        ("c", "T"),
        ("ě", "je"),
        ("w", "v"),
    ],
    # French
    "fr": [
        ("chtch", "SC"),
        ("tch", "C"),
        ("ch", "S"),
        ("kh", "X"),
        ("dj", "dZ"),
        ("j", "Z"),
        ("gu(?=[eiy])", "g"),
        ("(?<=[bcdfgklmnprstvz])e$", ""),
        ("ou", "u"),
        ("ts", "T"),
        ("c(?=[eiy])", "s"),
        ("c", "k"),
        ("w", "v"),
        ("ff$", "v"),
        ("ss", "s"),
    ],
    # Italian
    "it": [
        ("sc(?=[ei])", "S"),
        ("sh", "S"),
        ("zh", "Z"),
        ("kh", "X"),
        ("ci(?=[aou])", "C"),
        ("c(?=[ei])", "C"),
        ("ch", "k"),
        ("gi(?=[aou])", "dZ"),
        ("g(?=[ei])", "dZ"),
        ("gh", "g"),
        ("z", "T"),
        ("c", "k"),
        ("w", "v"),
    ],
    # Norwegian, Swedish, Danish
    "nordic": [
        ("sjtsj", "SC"),
        ("tsj", "C"),
        ("sj", "S"),
        ("zj", "Z"),
        ("kh", "X"),
        ("ts", "T"),
        ("w", "v"),
        ("c", "k"),
    ],
}
_COMPILED = {
    name: [(re.compile(pattern), repl) for pattern, repl in rules]
    for name, rules in _PROFILES.items()
}
PROFILES = tuple(_PROFILES)
_MARKED = {
    name: frozenset(ch for pattern, _ in rules for ch in pattern if not ch.isascii())
    for name, rules in _PROFILES.items()
}

# From sound string to skeleton: merge what transliteration systems disagree on.
_COLLAPSE = [
    (re.compile(r"th"), "t"),  # Katharina/Katarina, Matthias/Mathias
    (re.compile(r"SC"), "S"),
    (re.compile(r"Z"), "S"),
    (re.compile(r"z"), "s"),
    (re.compile(r"X"), "h"),
    (re.compile(r"g"), "h"),
    (re.compile(r"[jy]"), "i"),
    (re.compile(r"(?<=[a-zA-Z])i(?=[aeou])"), ""),  # ia/ja/ya, ie/je/ye, iu/ju/yu -> vowel
    (re.compile(r"^i(?=[aeou])"), ""),
    (re.compile(r"(?<=[CS])o"), "e"),  # Gorbatschow / Gorbachev: ё after ch, sh
    (re.compile(r"f\b"), "v"),
    (re.compile(r"[aeiou]+v$"), "v"),  # Kharkiv/Kharkov, Lviv/Lvov, Solovyov/Soloviev
    (re.compile(r"(.)\1+"), r"\1"),
]


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-folded, apostrophe- and space-normalized form used for exact lookups."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("‑", "-")
    return re.sub(r"\s+", " ", text).strip()


def _prepare(word: str) -> str:
    word = unicodedata.normalize("NFC", word.lower())
    return "".join(_COMMON_LETTERS.get(ch) or _latin(ch) for ch in word)


@lru_cache(maxsize=4096)
def _latin(ch: str) -> str:
    """A letter of another script in Latin letters (Путин, Ζελένσκι), by anyascii."""
    if ch.isascii() or not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN"):
        return ch
    from anyascii import anyascii

    return anyascii(ch).lower()


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read(word: str, profile: str) -> str:
    # A marked letter this orthography does not write reads as its base letter first, so
    # that "č" meets "c" under the English rules as "c" does ("Kovačič", "Kovacic").
    own = _MARKED[profile]
    word = "".join(ch if ch.isascii() or ch in own else strip_marks(ch) for ch in word)
    for pattern, repl in _COMPILED[profile]:
        word = pattern.sub(repl, word)
    word = strip_marks(word)
    word = re.sub(r"[^a-zA-Z]", "", word)
    for pattern, repl in _COLLAPSE:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=65536)
def word_keys(word: str) -> frozenset[str]:
    """Skeletons of one word under every orthography."""
    prepared = _prepare(word)
    return frozenset(k for k in (_read(prepared, p) for p in PROFILES) if k)


@lru_cache(maxsize=65536)
def keys(name: str) -> frozenset[str]:
    """Skeletons of a (multi-word) name; words are read with the same orthography together."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if not words:
        return frozenset()
    prepared = [_prepare(w) for w in words]
    out = set()
    for profile in PROFILES:
        parts = [_read(w, profile) for w in prepared]
        if all(parts):
            out.add(" ".join(parts))
    return frozenset(out)


def primary_key(name: str) -> str:
    """One deterministic key (the English reading) for display and sorting."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    return " ".join(_read(_prepare(w), "en") for w in words)


def similarity(a: str, b: str) -> float:
    """Best fuzzy similarity (0..100) between any skeletons of two names."""
    from rapidfuzz.fuzz import ratio

    ka, kb = keys(a), keys(b)
    if ka & kb:
        return 100.0
    return max((ratio(x, y) for x in ka for y in kb), default=0.0)
