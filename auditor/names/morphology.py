"""What inflection does to a name: the base forms a written form may stand for.

Czech and Slovak give a woman's foreign surname the feminine ending (Baerbocková, Kallasová
for Baerbock, Kallas); Polish, Czech and Slovene decline names (Zełenskiego, Putinem,
Kristerssona, Hanny), and machine translation copies the declined form from its source; German
writes a genitive -s (Selenskyjs). ``base_forms`` returns every form a word could be declined
from, each with the kind of ending taken off, so the clustering can ask for consistent
evidence: a feminine surname (-ová) never pairs two different given names, and a given name
read as declined ("Ulfa") only stands when its surname is declined too ("Kristerssona").

The candidates are deliberately generous; they are only keys to look up, never spellings to
write, and every merge still needs the given names to agree.
"""

from __future__ import annotations

from functools import lru_cache

FEMININE = "feminine"  # -ová: the surname of a woman
CASE = "case"  # a declined form: genitive, dative, instrumental...

# (ending, what replaces it, kind), longest first within a family. Endings are matched on
# the case-folded word.
_ENDINGS: tuple[tuple[str, str, str], ...] = (
    # Czech and Slovak feminine surnames and their declension (Kallasová, Kallasové,
    # Kallasovou; Slovak Kallasovej, Kallasovú).
    ("ovou", "", FEMININE),
    ("ovej", "", FEMININE),
    ("ová", "", FEMININE),
    ("ové", "", FEMININE),
    ("ovú", "", FEMININE),
    # Adjectival surnames: Polish -ski/-cki/-ska, Czech -ský/-ská.
    ("skiego", "ski", CASE),
    ("skiemu", "ski", CASE),
    ("skim", "ski", CASE),
    ("ckiego", "cki", CASE),
    ("ckiemu", "cki", CASE),
    ("ckim", "cki", CASE),
    ("skiej", "ska", CASE),
    ("ską", "ska", CASE),
    ("ského", "ský", CASE),
    ("skému", "ský", CASE),
    ("ským", "ský", CASE),
    ("ské", "ská", CASE),
    ("skou", "ská", CASE),
    # Other adjectival surnames: Polish -y (Nawalnego), Czech -ý (Navalného).
    ("ego", "y", CASE),
    ("emu", "y", CASE),
    ("ym", "y", CASE),
    ("ého", "ý", CASE),
    ("ému", "ý", CASE),
    ("ým", "ý", CASE),
    # Nouns ending in a consonant: genitive/accusative -a, dative -owi/-ovi/-u, instrumental
    # -em/-om, Polish locative -ie (Kristerssona, Putinovi, Putinem, Kristerssonom, Kristerssonie).
    ("owi", "", CASE),
    ("ovi", "", CASE),
    ("em", "", CASE),
    ("om", "", CASE),
    ("ie", "", CASE),
    ("a", "", CASE),
    ("u", "", CASE),
    ("e", "", CASE),  # only after -j: Czech Alexeje, Sergeje (never Schulze for Schulz)
    # Nouns ending in -a: genitive -y/-i, accusative -ę/-u, instrumental -ą/-ou (Hanny,
    # Hannę, Hannou).
    ("ou", "a", CASE),
    ("y", "a", CASE),
    ("i", "a", CASE),
    ("ę", "a", CASE),
    ("ą", "a", CASE),
    ("u", "a", CASE),
    ("e", "a", CASE),  # Slovene genitive, Czech dative: Angele, Hanne
    ("ě", "a", CASE),
    ("m", "", CASE),  # Czech instrumental of names ending in -y, -i: Sarkozym
    # Masculine nouns in -o: genitive -a, instrumental -em (Bolsonara, Bolsonarem). Czech
    # names ending in -i, -y or -e: genitive -ho, dative -mu (Rishiho, Joeho).
    ("a", "o", CASE),
    ("em", "o", CASE),
    ("ovi", "o", CASE),
    # Polish names ending in a silent -e: Mike'a, Mike'owi, Mike'iem.
    ("'a", "", CASE),
    ("'owi", "", CASE),
    ("'iem", "", CASE),
    ("'em", "", CASE),
    ("'u", "", CASE),
    ("ho", "", CASE),
    ("mu", "", CASE),
    # Polish names ending in a vowel: Sarkozy'ego, Ruttego; Slovene ones: Sarkozyja, Sarkozyju.
    ("'ego", "", CASE),
    ("'emu", "", CASE),
    ("'m", "", CASE),
    ("ego", "", CASE),
    ("go", "", CASE),
    ("ja", "", CASE),
    ("ju", "", CASE),
    ("jem", "", CASE),
    # German genitive (Selenskyjs, Merkels).
    ("s", "", CASE),
)
MIN_STEM = 3  # letters left after an ending is taken off


@lru_cache(maxsize=65536)
def base_forms(word: str) -> dict[str, str]:
    """``{form: kind}``: the word itself (kind "") and what it may be declined from."""
    folded = word.casefold()
    out: dict[str, str] = {folded: ""}
    for ending, replacement, kind in _ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= MIN_STEM:
            stem = folded[: -len(ending)]
            if not stem[-1].isalpha() or not _allowed(stem, ending, replacement):
                continue
            out.setdefault(stem + replacement, kind)
    return out


def _allowed(stem: str, ending: str, replacement: str) -> bool:
    # -ski/-sky/-cki are adjectives, not a declined -ska ("Zelenski" is not "Zelenska");
    # a German genitive -s is never written after a sibilant, nor on a short word ("Hans").
    if ending in ("y", "i"):
        return stem[-1] != "k"
    if ending == "e" and not replacement:
        return stem[-1] == "j"
    if ending == "m":
        return stem[-1] in "iy"
    if ending in ("ho", "mu", "ego", "go", "ja", "ju", "jem") and not replacement:
        return stem[-1] in "aeiouy"
    if ending == "s":
        return len(stem) >= 4 and stem[-1] not in "sxzß"
    return True
