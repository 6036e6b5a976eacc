"""Per-word LM surprisal: LM tokens (sub-words) grouped into the words a reader sees, each with
the features its expected surprisal depends on (kind, position, word frequency)."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon.tokens import reads_as_pinyin

# Words as a reader sees them: hyphenated and apostrophe compounds stay whole; numbers keep
# their separators; every other non-space character is punctuation of its own.
_WORD = re.compile(r"\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s|%)?|\w+(?:['’\-]\w+)*|[^\w\s]")
KINDS = ("first", "lower", "cap", "number", "punct", "mark")
STOPS = frozenset(".,;!?")
# After these a new clause starts, and its first word is as hard to expect as a sentence's.
CLAUSE_BREAKS = frozenset(";:–—") | {"-", "--"}
# A headline's or caption's closing outlet tag: "... rose 1.46% - Xinhuanet", "... – VG".
_OUTLET_TAG = re.compile(
    r"(?:\s(?=-)|(?=[–—|]))((?:-{1,2}|[–—|])\s*[A-Z][\w.&'’]*(?:\s+[A-Z][\w.&'’]*){0,2})\s*$"
)
_UNFINISHED = re.compile(r"[^.!?…\"”’»)\]\s]\s*$")  # no closing punctuation: a headline, a caption
NAME_ZIPF = 3.0  # capitalized words rarer than this (per billion: 1,000) are taken as names


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in English (0 for words it does not know)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@dataclass(slots=True)
class Word:
    start: int
    end: int
    text: str
    kind: str
    zipf: float
    surprisal: float  # nats, summed over the LM tokens of the word
    protected: bool = False  # inside a name, number, quote or a finding of an earlier check
    excess: float = 0.0  # surprisal above the clean-English expectation (set by calibration)


def word_kind(text: str, first: bool) -> str:
    if text[0].isdigit():
        return "number"
    if not (text[0].isalnum() or text[0] == "_"):
        # Full stops and commas are nearly free for the LM; dashes, quotes, brackets and
        # colons cost more in clean copy too, so they get their own expectation.
        return "punct" if text in STOPS else "mark"
    if first:
        return "first"
    return "cap" if text[0].isupper() else "lower"


def words_of(
    text: str,
    offsets: Sequence[tuple[int, int]],
    logprobs: Sequence[float],
    protected: Sequence[tuple[int, int]] = (),
) -> list[Word]:
    """The words of ``text`` with the surprisal of the LM tokens that fall in them.

    A token belongs to the word that holds its first non-space character; tokens that are
    only white space go to the next word. ``protected`` spans (offsets into ``text``) mark
    words whose surprisal is legitimate (names, quotes, already-reported errors)."""
    words: list[Word] = []
    for m in _WORD.finditer(text):
        w = m.group()
        first = not words or words[-1].text in CLAUSE_BREAKS
        words.append(Word(m.start(), m.end(), w, word_kind(w, first), zipf(w), 0.0))
    if not words:
        return words
    starts = [w.start for w in words]
    for (s, e), lp in zip(offsets, logprobs, strict=True):
        while s < e and text[s].isspace():
            s += 1
        i = bisect.bisect_right(starts, s) - 1
        if i < 0 or s >= e or s >= words[i].end:  # white space or a gap: the next word
            i = min(i + 1, len(words) - 1)
        words[i].surprisal -= lp
    quoted = _quoted_spans(text, words)
    title_case = _is_title_case(words)
    named = _abbreviated_names(words) | _chinese_names(words)
    for i, w in enumerate(words):
        if i in named:
            w.protected = True
        elif looks_like_name(w) or w.kind == "number" or (title_case and w.text[0].isupper()):
            w.protected = True
        elif any(s <= w.start and w.end <= e for s, e in quoted):
            w.protected = True
        elif any(s < w.end and w.start < e for s, e in protected):
            w.protected = True
    return words


def looks_like_name(word: Word) -> bool:
    """Capitalized and rare as a common word: a name, whose surprisal says nothing of fluency.
    Capitalized common words ("the Moscow War of Agency") are judged as words."""
    return word.text[0].isupper() and word.kind in ("cap", "first") and word.zipf < NAME_ZIPF


def _is_title_case(words: list[Word]) -> bool:
    """Headline Title Case: capitals say nothing of names, and the LM finds them all odd."""
    lettered = [w for w in words if w.text[0].isalpha() and len(w.text) > 3]
    return len(lettered) >= 3 and sum(w.text[0].isupper() for w in lettered) >= 0.8 * len(lettered)


def without_outlet_tag(text: str) -> str:
    """The headline or caption without the outlet's name it ends with ("... - Xinhuanet"):
    a convention of the page, not wording to judge."""
    m = _OUTLET_TAG.search(text) if _UNFINISHED.search(text) else None
    return text[: m.start(1)].rstrip() if m else text


def _quoted_spans(text: str, words: Sequence[Word]) -> list[tuple[int, int]]:
    """Quoted stretches whose wording is the source's: short ones (titles, slogans, coined
    terms), and longer ones in Title Case (the title of a work, an exhibition, a campaign:
    "the Exhibition of Photographs of the Works to Guarantee ...")."""
    spans = []
    for m in re.finditer(r"[\"“„«‘]([^\"“”„«»‘’\n]{1,300})[\"”»’“]", text):
        inside = [w for w in words if m.start(1) <= w.start and w.end <= m.end(1)]
        if m.end(1) - m.start(1) <= 60 or _is_title_case(inside):
            spans.append((m.start(1), m.end(1)))
    return spans


def _chinese_names(words: Sequence[Word]) -> set[int]:
    """Indexes of the words of romanized Chinese names: a run of two or more capitalized words
    that are all Pinyin, one of them a rare word of two syllables or more ("Song Tianyuan",
    "Hu Henghua"). The family name alone may be an English word ("Song", "He"); next to the
    given name it is a name."""
    names: set[int] = set()
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and _is_pinyin_capitalized(words[j]):
            j += 1
        if j - i >= 2 and any(w.zipf < NAME_ZIPF and reads_as_pinyin(w.text) for w in words[i:j]):
            names.update(range(i, j))
        i = j + 1 if j == i else j
    return names


def _is_pinyin_capitalized(word: Word) -> bool:
    return (
        word.kind in ("cap", "first") and word.text[0].isupper() and reads_as_pinyin(word.text, 1)
    )


def _abbreviated_names(words: Sequence[Word]) -> set[int]:
    """Indexes of the words of a name given with its abbreviation in brackets, as news
    introduces organisations and events: "the Seventh Rail Safety Forum (RSF) opened". The
    capitalized run before the bracket and the capitalized words inside are the name."""
    names: set[int] = set()
    for i in range(1, len(words) - 1):
        opening, acronym = words[i], words[i + 1]
        if opening.text != "(" or not (len(acronym.text) >= 2 and acronym.text.isupper()):
            continue
        j = i - 1
        while j >= 0 and words[j].text[0].isupper() and words[j].kind in ("cap", "first"):
            j -= 1
        if i - 1 - j < 2:  # one capitalized word before the bracket: no run to explain
            continue
        names.update(range(j + 1, i))
        k = i + 1
        while k < len(words) and words[k].text != ")" and words[k].text[0].isupper():
            names.add(k)
            k += 1
    return names


def unigram_surprisal(z: float) -> float:
    """Surprisal in nats of a word with Zipf frequency ``z`` (unknown words: 1 in 10^9)."""
    return (9.0 - max(z, 0.0)) * math.log(10)
