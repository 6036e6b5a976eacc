"""Danish, Norwegian Bokmål and Swedish told apart where word frequencies say little.

Interface and news sentences of the three often share every word ("Dette felt kan ikke være
tomt.": Danish; Norwegian writes "Dette feltet"), and their compounds are in no word list
("skråstreg", Danish; Norwegian "skråstrek"). What still tells them apart is spelling inside
the word (-hed/-het, -tion/-sjon, ä/ö, kj-/gj-) and definiteness: after a demonstrative, or an
article and an adjective, Danish puts a bare noun ("denne side", "den nye måling") where
Norwegian and Swedish put a definite one ("denne siden", "den nye målingen"). The markers are
reviewed data (``corpora/language/scandinavian.tsv``); each one a word carries counts for the
languages it names, in UNT001's close-kin step.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import corpora_dir

LANGUAGES = ("da", "no", "sv")
BARE = "da"  # the language of a bare noun after a demonstrative or an article and adjective
KNOWN_ZIPF = 3.0  # a word this frequent in the Danish or Norwegian list is a word
# A bare noun's definite form is common too ("felt" 4.7, "feltet" 4.6); a verb's or adverb's
# look-alike is not ("har" 7.2, "haren" 3.0: "den allerede har" is no noun phrase).
DEFINITE_BELOW = 2.0
LISTS = ("da", "nb")  # wordfreq's codes, "small" lists (as the close-kin step reads)
MIN_HEAD = 5  # letters of a compound's last part that stands for it ("skråstreg": "streg")


@dataclass(frozen=True)
class Definite:
    """A definite noun's ending: the bare noun ends with ``after`` ("" for any), the definite
    one adds ``ending``."""

    after: str
    ending: str
    langs: frozenset[str]


@dataclass(frozen=True)
class Markers:
    spellings: tuple[tuple[re.Pattern, frozenset[str]], ...]
    determiners: frozenset[str]
    articles: frozenset[str]
    definite: tuple[Definite, ...]  # longest ending first


@cache
def markers(path: Path | None = None) -> Markers:
    path = path or corpora_dir() / "language" / "scandinavian.tsv"
    spellings, determiners, articles, definite = [], set(), set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, form, langs, _note = line.split("\t")
        named = frozenset(langs.split())
        if not named <= set(LANGUAGES):
            raise ValueError(f"{path}: unknown language in {line!r}")
        if kind == "spelling":
            spellings.append((re.compile(form), named))
        elif kind == "determiner":
            determiners.add(form)
        elif kind == "article":
            articles.add(form)
        elif kind == "definite":
            after, ending = form.split("-")
            definite.append(Definite(after, ending, named))
        else:
            raise ValueError(f"{path}: unknown kind {kind!r}")
    definite.sort(key=lambda d: -len(d.ending))
    return Markers(tuple(spellings), frozenset(determiners), frozenset(articles), tuple(definite))


def marks(words: list[str]) -> Counter:
    """How many markers of each language ``words`` (a sentence's, in order) carry."""
    found = markers()
    lower = [w.lower() for w in words]
    counts: Counter = Counter()
    for word in lower:
        for pattern, langs in found.spellings:
            if pattern.search(word):
                counts.update(langs)
    for i, word in enumerate(lower):
        noun = None
        if word in found.determiners and i + 1 < len(lower):
            noun = lower[i + 1]
        elif (
            word in found.articles
            and i + 2 < len(lower)
            and lower[i + 1].endswith("e")
            and _known(lower[i + 1])
        ):
            noun = lower[i + 2]  # "den nye måling": an adjective's weak form, then the noun
        if noun:
            counts.update(_definiteness(noun, found.definite))
    return counts


def compound_head(word: str, listed) -> str:
    """``word`` as the word lists know it: a compound none of them holds ("skråstreg",
    Danish; Norwegian "skråstrek") by its longest last part of MIN_HEAD letters or more that
    one of them does ("streg"), for the head of a Scandinavian compound is its last part.
    ``listed(word)``: whether a sibling's list holds it."""
    if listed(word):
        return word
    lower = word.lower()
    for i in range(1, len(lower) - MIN_HEAD + 1):
        if listed(lower[i:]):
            return lower[i:]
    return word


def _definiteness(noun: str, endings: tuple[Definite, ...]) -> frozenset[str]:
    """The languages a noun's form speaks for: a definite noun (its bare form a known word)
    for those that put it after a demonstrative, a bare one (its definite form known) for
    Danish; nothing for a word that is neither ("dette kan")."""
    for d in endings:
        stem = noun.removesuffix(d.ending)
        if stem != noun and len(stem) >= 2 and stem.endswith(d.after) and _known(stem):
            return d.langs
    bare = _zipf(noun)
    if bare >= KNOWN_ZIPF and any(
        noun.endswith(d.after) and _zipf(noun + d.ending) >= max(KNOWN_ZIPF, bare - DEFINITE_BELOW)
        for d in endings
    ):
        return frozenset((BARE,))
    return frozenset()


def _known(word: str) -> bool:
    return _zipf(word) >= KNOWN_ZIPF


@cache
def _zipf(word: str) -> float:
    """The word's Zipf frequency in the Danish or Norwegian list, whichever is higher."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, lang, wordlist="small") for lang in LISTS)
