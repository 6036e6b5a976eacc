"""Finding name mentions in text: runs of capitalized words, split into gazetteer matches and
unknown names, every piece with its code-point offsets into the document text.

"Ukrainian President Wolodymyr Selenskyj" is one run; the longest gazetteer form wins
("Wolodymyr Selenskyj"), the words before it are titles or a given name, and capitalized words
the gazetteer does not know become unknown names, kept when they are not ordinary English words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Form, Gazetteer, zipf
from .translit import fold

# A word: letters, inner apostrophes (O'Brien, Zelens'kyj), but not a possessive 's.
_WORD = re.compile(r"[^\W\d_]\w*(?:['’](?![sS]\b)[^\W\d_]\w*)*")
_POSSESSIVE = ("'s", "’s", "'S", "’S")
_JOINERS = (" ", "-", "\u00a0", "‑")
PARTICLES = frozenset(
    "von van der den de da di du la le bin al el ibn dos del zu ter ten af".split()
)
# A capitalized word at least this frequent in English is taken for a title or an ordinary
# word, not part of a name, unless the gazetteer knows it as a given name.
COMMON_ZIPF = 5.0
# An unknown capitalized word this frequent is an ordinary word ("Makes", "Read").
UNKNOWN_COMMON_ZIPF = 3.5


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str


@dataclass
class Mention:
    start: int
    end: int
    text: str
    words: list[Word]
    forms: list[Form]  # gazetteer hits; empty for an unknown name
    before: list[Word] = field(default_factory=list)  # earlier words of the run (titles)
    given: Word | None = None  # an unknown capitalized word just before a bare surname
    sentence_index: int = -1


def words_in(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(text) if end is None else end
    return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def runs(text: str, start: int = 0, end: int | None = None) -> list[list[Word]]:
    """Runs of capitalized words joined by a space or hyphen (particles allowed inside)."""
    out: list[list[Word]] = []
    current: list[Word] = []
    end = len(text) if end is None else end
    for m in _WORD.finditer(text, start, end):
        capital = m.group()[0].isupper()
        particle = m.group() in PARTICLES
        if not (capital or particle):  # most words: they only end a run
            if current:
                out.append(current)
                current = []
            continue
        w = Word(m.start(), m.end(), m.group())
        joined = bool(current) and text[current[-1].end : w.start] in _JOINERS
        if joined and not text.startswith(_POSSESSIVE, current[-1].end) and (capital or particle):
            current.append(w)
            continue
        if current:
            out.append(current)
        current = [w] if capital else []
    if current:
        out.append(current)
    trimmed = []
    for run in out:
        while run and run[-1].text in PARTICLES:
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


def is_title(word: str, gazetteer: Gazetteer) -> bool:
    folded = fold(word)
    if folded in gazetteer.titles:
        return True
    return folded not in gazetteer.given_names and zipf(folded) >= COMMON_ZIPF


def find_mentions(
    text: str, gazetteer: Gazetteer, start: int = 0, end: int | None = None, sentence_index=-1
) -> tuple[list[Mention], list[Mention]]:
    """Known mentions (with gazetteer forms) and unknown names in ``text[start:end]``."""
    known: list[Mention] = []
    unknown: list[Mention] = []
    for run in runs(text, start, end):
        matched: list[Mention | None] = [None] * len(run)
        run_known: list[Mention] = []
        i = 0
        while i < len(run):
            for j in range(min(len(run), i + gazetteer.max_words), i, -1):
                span = text[run[i].start : run[j - 1].end]
                forms = gazetteer.lookup(span)
                if forms:
                    m = Mention(
                        run[i].start,
                        run[j - 1].end,
                        span,
                        run[i:j],
                        forms,
                        before=run[:i],
                        sentence_index=sentence_index,
                    )
                    run_known.append(m)
                    for k in range(i, j):
                        matched[k] = m
                    i = j
                    break
            else:
                i += 1
        known.extend(run_known)
        consumed = set()
        for m in run_known:
            i = run.index(m.words[0])
            bare = all(f.given_tokens == 0 and not f.alias for f in m.forms)
            before = run[i - 1] if i > 0 and matched[i - 1] is None else None
            if bare and before is not None and not is_title(before.text, gazetteer):
                m.given = before
                consumed.add(i - 1)
        # What is left between the matches: unknown names, titles dropped.
        group: list[Word] = []
        for i, w in enumerate(run):
            if matched[i] is None and i not in consumed and not is_title(w.text, gazetteer):
                group.append(w)
            elif group:
                unknown.extend(_unknown_names(text, group, run, sentence_index))
                group = []
        if group:
            unknown.extend(_unknown_names(text, group, run, sentence_index))
    return known, unknown


def _unknown_names(text: str, group: list[Word], run: list[Word], sentence_index: int):
    if len(group) == 1 and zipf(fold(group[0].text)) >= UNKNOWN_COMMON_ZIPF:
        return []
    if len(group) > 4:  # a title-case headline, not a name
        return []
    before = run[: run.index(group[0])]
    span = text[group[0].start : group[-1].end]
    return [
        Mention(
            group[0].start,
            group[-1].end,
            span,
            group,
            [],
            before=before,
            sentence_index=sentence_index,
        )
    ]


def sentence_mentions(doc, gazetteer: Gazetteer) -> tuple[list[Mention], list[Mention]]:
    """All mentions of a segmented document, sentence by sentence."""
    known: list[Mention] = []
    unknown: list[Mention] = []
    for index, s in enumerate(doc.sentences):
        k, u = find_mentions(doc.text, gazetteer, s.start, s.end, index)
        known.extend(k)
        unknown.extend(u)
    return known, unknown
