"""Which tokens are words to judge: not names, codes, numbers or links.

Shared by the checks that judge single words (UNT, LEX): a capitalized word in a run of
capitalized words is a name, so is a word the names check flagged; links, handles and
slash-joined credit lines ("dpa/AFP") are codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..document import Document, Sentence, Token
from .frequencies import Frequencies

COMMON_WORD_ZIPF = 5.0  # articles, pronouns, prepositions: "The", "Die", "Il" start no name
_URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|[@#]\w+|\b\w+\.(?:com|org|net|de|it)\b")
# Every match of _URLISH holds one of these; most sentences hold none, and _URLISH is slow to
# rule out (``\S+@`` retries from every position).
_URL_HINT = re.compile(r"://|www\.|[@#]|\.(?:com|org|net|de|it)\b")


_CAPITALIZED = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:[-'’][^\W\d_]+)*")
# Lowercase words inside names ("Ursula von der Leyen", "Bank of England", "Hochschule für
# Musik und Theater").
_NAME_PARTICLES = frozenset(
    """von van der den de da di del della dei degli des du le la bin al ter ten of zu am im für
    und et y e i og""".split()
)
# English determiners: as a sentence's first word they start no name ("The Bundesregierung
# said": one German word, not a name; "The Hague" keeps "Hague", an English word).
_DETERMINERS = frozenset("The A An This That These Those Its Their Our".split())


def is_capitalized(text: str) -> bool:
    return text[:1].isupper()


@lru_cache(maxsize=1 << 16)
def is_plain_word(text: str) -> bool:
    """Letters only (with inner hyphens or apostrophes): not a number, code, acronym or mixed
    case like "iPhone" or "McKinsey" that no dictionary decides."""
    if not _CAPITALIZED.fullmatch(text):
        return False
    letters = text.replace("-", "").replace("'", "").replace("’", "")
    if letters.isupper() and len(letters) > 1:
        return False
    return not any(ch.isupper() for ch in letters[1:])


_CLAUSE_OPENERS = frozenset(':–—"“„«‘')


def is_sentence_initial(sentence: Sentence, token: Token) -> bool:
    """First word of the sentence, or after a colon, dash or opening quote (a new clause that
    English capitalizes)."""
    if sentence.words and sentence.words[0].start == token.start:
        return True
    # The character before the token, spaces skipped, found by walking back from the token
    # (copying the sentence up to every token would be quadratic in its length).
    text, i = sentence.text, token.start - sentence.start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] in _CLAUSE_OPENERS


def in_slashed_list(text: str, token: Token) -> bool:
    """A token joined to others by slashes: a credit line ("dpa/AFP/cibo"), a path, a pair of
    datelines ("Kyiv/Moscow") — codes and names, not words to judge."""
    return text[token.start - 1 : token.start] == "/" or text[token.end : token.end + 1] == "/"


def url_spans(sentence: Sentence) -> list[tuple[int, int]]:
    if not _URL_HINT.search(sentence.text):
        return []
    return [
        (sentence.start + m.start(), sentence.start + m.end())
        for m in _URLISH.finditer(sentence.text)
    ]


def words_to_judge(doc: Document, taken) -> Iterator[tuple[Sentence, Token]]:
    """Each word token of ``doc`` with its sentence, except those in the ``taken`` spans (a
    SpanSet of text judged already), inside a link or handle, or in a slash-joined list."""
    for sentence in doc.sentences:
        urls = url_spans(sentence)
        for token in sentence.words:
            if token.kind != "word" or taken.overlaps(token.start, token.end):
                continue
            if urls and overlaps_any(token.start, token.end, urls):
                continue
            if in_slashed_list(doc.text, token):
                continue
            yield sentence, token


def overlaps_any(start: int, end: int, spans) -> bool:
    """Does [start, end) share a character with any of ``spans``?"""
    return any(s < end and start < e for s, e in spans)


def name_tokens(doc: Document, flagged=(), freq: Frequencies | None = None) -> set[str]:
    """Capitalized words this article uses as names: in a run of two or more capitalized words
    ("Rustem Umjerow", "Den Haag"), or in a spelling the names check flagged (``flagged``:
    its NameSpellings). A word used once as part of a name counts as a name everywhere in the
    article. With ``freq``, a sentence's first word that is a common word in some language
    ("The", "Die", "Il") starts no run: "Die Regierung" is German, not a name."""
    names = set(_run_names(doc, freq))
    for spelling in flagged:
        names.update(w for w in re.findall(r"\w+", spelling.text) if is_capitalized(w))
    return names


def _run_names(doc: Document, freq: Frequencies | None) -> frozenset[str]:
    """The capitalized words of the article's runs of two or more: the costly part of
    ``name_tokens``, worked out once per article for the language and lexicon checks."""
    key = "words.run_names:common-first-words" if freq else "words.run_names"
    return doc.derived(key, lambda: frozenset(_find_run_names(doc, freq)))


def _find_run_names(doc: Document, freq: Frequencies | None) -> set[str]:
    names: set[str] = set()
    for sentence in doc.sentences:
        if is_title_case(sentence):
            continue  # "Russia Makes Demands for Ceasefire": capitals say nothing here
        run: list[Token] = []
        first = sentence.words[0] if sentence.words else None
        for token in [*sentence.tokens, None]:
            if (
                token is not None
                and token.kind == "word"
                and (is_capitalized(token.text) or (run and token.text in _NAME_PARTICLES))
                and not (token is first and token.text in _DETERMINERS)
                and not (freq and token is first and _common_word(freq, token.text))
            ):
                run.append(token)
                continue
            if not run:
                continue
            while run and not is_capitalized(run[-1].text):
                run.pop()
            capitals = [t for t in run if is_capitalized(t.text)]
            if len(capitals) >= 2:
                names.update(t.text for t in capitals)
            run = []
    return names


def _common_word(freq: Frequencies, word: str) -> bool:
    return max(freq.en(word), freq.max_foreign(word)) >= COMMON_WORD_ZIPF


def is_title_case(sentence: Sentence) -> bool:
    """A headline in title case ("Russia Makes Demands for Ceasefire"): every word longer than
    three letters is capitalized."""
    long_words = 0
    for t in sentence.words:
        if t.kind == "word" and len(t.text) > 3:
            if not is_capitalized(t.text):
                return False  # prose, mostly decided by the first few words
            long_words += 1
    return long_words >= 2


# Romanized Chinese (Hanyu Pinyin, without tones): an initial (or none) and a final per syllable.
_PINYIN_SYLLABLES = frozenset(
    initial + final
    for initial in ["", "zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw"]
    for final in """iang iong uang ang eng ing ong iao ian uai uan ai ei ao ou an en in un ia ie
    iu ua uo ui ue er a o e i u""".split()
)
_LONGEST_SYLLABLE = max(map(len, _PINYIN_SYLLABLES))


def reads_as_pinyin(word: str, least: int = 2) -> bool:
    """``least`` (1 or 2) or more Pinyin syllables and nothing else ("Chenzhou", "Xi'an",
    "Tieling"): a romanized Chinese name, next to which another one ("Shenzhou") is often a
    cheap edit away. Capitalized, such a word is a name, not a misspelling."""
    text = word.lower().replace("'", "").replace("’", "")
    # syllables[i]: how many syllables (2 or more count as 2) can spell text[:i]; linear time.
    syllables: dict[int, int] = {0: 0}
    for i in range(len(text)):
        if i not in syllables:
            continue
        for j in range(i + 1, min(len(text), i + _LONGEST_SYLLABLE) + 1):
            if text[i:j] in _PINYIN_SYLLABLES:
                syllables[j] = max(syllables.get(j, 0), min(syllables[i] + 1, 2))
    return syllables.get(len(text), 0) >= least
