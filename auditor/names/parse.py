"""A person's or place's name as written, taken apart: titles, given name, middle names and
initials, particles, surname, generational suffix.

"Papież Pius XII", "Joseph R. Doe Jr.", "Mark T. Esper, Jr", "Abdel Al Nasser",
"Ursula von der Leyen", "O’Brien", "Kramp Karrenbauer": what the clustering compares is the
content words, with titles (nameparser's list, and the forms MT leaves untranslated) and
generational suffixes left out, particles kept aside (they are written, dropped and
capitalized differently from one language to the next), hyphens read as spaces (Jean-Luc, Jean
Luc) and every kind of apostrophe read as one (O’Brien, O‘Brien, O´Brien).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from .translit import fold

# Apostrophes and the marks MT and keyboards put in their place.
APOSTROPHES = "'’‘´`ʼʹ′"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
# A word: letters with inner apostrophes (O'Brien), or a number (regnal "14."), each with an
# optional full stop (an initial or an abbreviation).
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*\.?|\d+\.?")
# Words written before or inside surnames, in the languages names reach English news from.
PARTICLES = frozenset(
    """von van vom zu der den de da das dos do di del della degli dei du la le les al el ad ed
    an ar as ash at az bin ibn bint ben ter ten af av""".split()
)
# Particles that are also given names when they open a name ("Al Gore", "Ben Carson").
_GIVEN_PARTICLES = frozenset({"al", "ben", "van", "do", "la"})
_ROMAN = re.compile(r"(?=[ivxlc])m*(?:c[md]|d?c{0,3})(?:x[cl]|l?x{0,3})(?:i[xv]|v?i{0,3})")
# Titles in the languages of European news, beside nameparser's English ones and the
# gazetteer's: what MT leaves untranslated before a name ("papež", "św.", "prezydent").
FOREIGN_TITLES = frozenset(
    """papež papież papa pápež svatý svätý sveti sv św święty święta saint st ste san santa
    prezident prezydent predsednik président presidente präsident premiér premier kancléř
    kanclerz kanzler kanzlerin ministr minister ministerka ministra bundeskanzler""".split()
)


@lru_cache(maxsize=1)
def _english_titles() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.titles)


@lru_cache(maxsize=1)
def _suffixes() -> frozenset[str]:
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.suffix_not_acronyms) | {"jr", "sr", "jnr", "snr", "ml", "st"}


@dataclass(frozen=True)
class Word:
    text: str  # as written, without a trailing full stop
    folded: str  # case-folded, one kind of apostrophe
    particle: bool = False
    initial: bool = False


@dataclass(frozen=True)
class ParsedName:
    text: str
    words: tuple[Word, ...]  # content words in order, particles included, titles dropped
    number: str = ""  # a regnal number ("Pius XII") that must agree

    @property
    def core(self) -> tuple[Word, ...]:
        """The words that are not particles."""
        return tuple(w for w in self.words if not w.particle)

    @property
    def given(self) -> Word | None:
        core = self.core
        return core[0] if len(core) >= 2 else None

    @property
    def surname(self) -> Word | None:
        core = self.core
        return core[-1] if core else None

    @property
    def middle(self) -> tuple[Word, ...]:
        core = self.core
        return core[1:-1] if len(core) >= 3 else ()

    def as_particle_surname(self) -> ParsedName | None:
        """The other reading of a two-word name opening with a word that is both a given
        name and a particle ("Van Agt", "Al Sharpton" read as a surname alone), or None."""
        if len(self.words) != 2 or self.words[0].particle:
            return None
        first = self.words[0]
        if first.folded not in PARTICLES or first.initial:
            return None
        return replace(self, words=(replace(first, particle=True), self.words[1]))

    @property
    def surname_text(self) -> str:
        """The surname with the particles and joined words before it ("von der Leyen")."""
        if not self.words:
            return ""
        i = len(self.words) - 1
        while i > 0 and self.words[i - 1].particle:
            i -= 1
        return " ".join(w.text for w in self.words[i:])


def _plain(word: str) -> str:
    return unicodedata.normalize("NFC", _APOSTROPHE.sub("'", word))


def is_title(folded: str) -> bool:
    bare = folded.rstrip(".")
    return bare in FOREIGN_TITLES or bare in _english_titles()


@lru_cache(maxsize=65536)
def parse_name(name: str) -> ParsedName:
    """``name`` taken apart; titles are dropped where they open it."""
    text = _plain(name)
    # A possessive or genitive apostrophe at the end belongs to no name ("Zelenskyy's").
    text = re.sub(r"(?<=\w)'s?$", "", text.strip())
    raw = _TOKEN.findall(text)
    # Titles open a name; the last word is never one ("Lord Byron" keeps "Byron").
    while len(raw) > 1 and is_title(fold(raw[0])):
        raw.pop(0)
    number = ""
    while len(raw) > 1:
        last = fold(raw[-1]).rstrip(".")
        if last in _suffixes() and not _ROMAN.fullmatch(last):
            raw.pop()
        elif (_ROMAN.fullmatch(last) and raw[-1].rstrip(".").isupper() and not text.isupper()) or (
            last.isdigit()
        ):
            number = last.upper()
            raw.pop()
        else:
            break
    # "O Brien", "D Annunzio": an elided O', D', L' written as a word of its own.
    if len(raw) >= 3 and raw[-2] in ("O", "D", "L") and raw[-1][:1].isupper():
        raw[-2:] = [raw[-2] + "'" + raw[-1]]
    words = []
    for i, token in enumerate(raw):
        bare = token.rstrip(".")
        folded = fold(bare)
        # A lower-case particle anywhere, a capitalized one inside a name or before a surname
        # ("Van der Bellen", "De Gaulle"); not "Al" in "Al Gore".
        particle = folded in PARTICLES and (
            bare.islower()
            or i > 0
            or (len(raw) == 2 and folded not in _GIVEN_PARTICLES)
            or (len(raw) > 1 and fold(raw[1]) in PARTICLES)  # "Van der Bellen", "De la Cruz"
        )
        particle = particle and i < len(raw) - 1
        initial = len(bare) == 1 or (token.endswith(".") and len(bare) <= 2 and bare.isalpha())
        words.append(Word(bare, folded, particle, initial and not particle))
    return ParsedName(name, tuple(words), number)
