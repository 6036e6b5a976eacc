"""What inflection does to a name: the base forms a written form may stand for.

Czech and Slovak give a woman's foreign surname the feminine ending (Baerbocková, Kallasová
for Baerbock, Kallas); Polish, Czech and Slovene decline names (Zełenskiego, Putinem,
Kristerssona, Hanny), and machine translation copies the declined form from its source; German
writes a genitive -s (Selenskyjs). The endings are reviewed data, by paradigm and with the
cases each stands for and its sources: ``corpora/names/declension.yaml``.

``base_forms`` returns every form a word could be declined from, each with the kind of ending
taken off, so the clustering can ask for consistent evidence: a feminine surname (-ová) never
pairs two different given names, and a given name read as declined ("Ulfa") only stands when
its surname is declined too ("Kristerssona"). ``declensions`` adds the cases, and the readings
that stand only beside a given name declined in the same case (Czech "Pedra Sáncheze", where
a German "Busse" is a name of its own).

``describe`` says what an ending is for an editor ("Czech genitive or accusative"), from the
table's cases and languages.

The candidates are deliberately generous; they are only keys to look up, never spellings to
write, and every merge still needs the given names to agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..paths import corpora_dir, parse_yaml

FEMININE = "feminine"  # -ová: the surname of a woman
CASE = "case"  # a declined form: genitive, dative, instrumental...
SLAVIC = "Slavic"  # a paradigm without a language of its own: any of the table's Slavic ones
MIN_STEM = 3  # letters left after an ending is taken off


@dataclass(frozen=True)
class Ending:
    ending: str
    base: str  # what the nominative has in its place
    kind: str
    cases: frozenset[str]
    after: re.Pattern | None  # the stem must end so
    not_after: re.Pattern | None
    min_stem: int
    agree: bool  # only beside a given name declined in the same case
    surname: bool  # a paradigm of surnames only
    language: str  # who writes the ending so ("Czech", "Polish"; "Slavic" when several do)
    possessive: bool  # a genitive English writes with 's (German Selenskyjs)


@dataclass(frozen=True)
class Reading:
    kind: str
    cases: frozenset[str]
    agree: bool
    given_cases: frozenset[str]  # the cases as a given name (no surname-only paradigm)
    languages: frozenset[str] = frozenset()
    possessive: bool = False  # every paradigm giving it is a genitive English writes with 's


@lru_cache(maxsize=1)
def endings() -> tuple[Ending, ...]:
    data = parse_yaml((corpora_dir() / "names" / "declension.yaml").read_text(encoding="utf-8"))
    out = []
    for paradigm in data["paradigms"]:
        kind = paradigm.get("kind", CASE)
        bases = paradigm.get("base", "")
        bases = [bases] if isinstance(bases, str) else bases
        after, not_after = (
            re.compile(f"(?:{paradigm[k]})$") if k in paradigm else None
            for k in ("after", "not_after")
        )
        for ending, value in paradigm["endings"].items():
            cases, own = (value, [value[1]]) if isinstance(value, list) else (value, None)
            cases = cases[0] if isinstance(cases, list) else cases
            for base in own or bases:
                out.append(
                    Ending(
                        ending,
                        base,
                        kind,
                        frozenset(cases),
                        after,
                        not_after,
                        paradigm.get("min_stem", MIN_STEM),
                        bool(paradigm.get("agree", False)),
                        bool(paradigm.get("surname", False)),
                        paradigm.get("language", SLAVIC),
                        bool(paradigm.get("possessive", False)),
                    )
                )
    return tuple(out)


@lru_cache(maxsize=65536)
def declensions(word: str) -> dict[str, Reading]:
    """``{form: Reading}``: every form the word may be declined from, with the kind of ending,
    the cases it may stand for and whether the reading needs a given name declined in the same
    case. The word itself is not among them."""
    folded = word.casefold()
    out: dict[str, Reading] = {}
    for e in endings():
        if not folded.endswith(e.ending) or len(folded) - len(e.ending) < e.min_stem:
            continue
        stem = folded[: -len(e.ending)]
        if not stem[-1].isalpha():
            continue
        if (e.after and not e.after.search(stem)) or (e.not_after and e.not_after.search(stem)):
            continue
        form = stem + e.base
        if form == folded:
            continue
        given = frozenset() if e.surname else e.cases
        seen = out.get(form)
        languages = frozenset([e.language])
        if seen is None:
            out[form] = Reading(e.kind, e.cases, e.agree, given, languages, e.possessive)
        else:  # the first kind stays; a reading that needs no agreement wins
            out[form] = Reading(
                seen.kind,
                seen.cases | e.cases,
                seen.agree and e.agree,
                seen.given_cases | given,
                seen.languages | languages,
                seen.possessive and e.possessive,
            )
    return out


@lru_cache(maxsize=65536)
def base_forms(word: str) -> dict[str, str]:
    """``{form: kind}``: the word itself (kind "") and what it may be declined from on its own
    (not the readings that need a given name declined in the same case)."""
    folded = word.casefold()
    out: dict[str, str] = {folded: ""}
    for form, reading in declensions(word).items():
        if not reading.agree:
            out.setdefault(form, reading.kind)
    return out


@lru_cache(maxsize=1)
def _case_names() -> dict[str, str]:
    data = parse_yaml((corpora_dir() / "names" / "declension.yaml").read_text(encoding="utf-8"))
    return dict(data["cases"])


def describe(kind: str, cases: frozenset[str], languages: frozenset[str]) -> str:
    """What an ending says, for an editor, and no more: "Czech genitive or accusative",
    "Slavic instrumental", "Czech or Slovak feminine". A form several paradigms give is
    named by what they share (Slavic when their languages differ)."""
    language = next(iter(languages)) if len(languages) == 1 else SLAVIC
    if "German" in languages and len(languages) > 1:
        language = "German or Slavic"
    if kind == FEMININE:
        return f"{language} feminine"
    names = _case_names()
    shown = [names[c] for c in names if c in cases]
    if len(shown) > 1:
        shown = [", ".join(shown[:-1]), shown[-1]]
    return f"{language} {' or '.join(shown)}" if shown else language
