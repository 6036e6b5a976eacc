"""UNT001's machinery: sentences and clauses left in another language.

A language identifier (langdetect, seeded, so every run agrees) names a language, and a
word-frequency vote must agree before anything is reported, because langdetect alone calls
about one English line of 1-3 words in five something else (``python -m research unt_lex``).
Lines under four words are left to UNT002. Names, numbers and links are left out first; a
quoted clause is found inside an English sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..document import Document, Sentence
from ..lexicon.frequencies import FOREIGN, Frequencies, normalize, romanize_russian
from ..lexicon.tokens import is_capitalized, overlaps_any, url_spans
from .codes import wordfreq_code
from .identify import LanguageIdentifier

# langdetect must be this sure, on at least this many words, and this share of the words that
# wordfreq can tell apart must be more frequent in that language than in English (see
# ``research/unt_lex.py`` for the measurement behind these numbers).
MIN_SENTENCE_WORDS = 4
MIN_CLAUSE_WORDS = 5
MIN_DETECT_PROB = 0.90  # that it is not English (close kin may share the rest: sl/hr, da/no)
MIN_LEADING_PROB = 0.3  # that it is the language named (it/pt/es share much)
MIN_FOREIGN_SHARE = 0.6
MIN_FOREIGN_VOTES = 3
VOTE_MARGIN = 0.3
UNLISTED_ZIPF = 1.0  # a word English lacks, in a language wordfreq has no list for
MAX_CAPITALIZED_SHARE = 0.6  # this share of capitalized words (German included) is a name
PREFILTER_SHARE = 0.4  # below this share of non-English-looking words, langdetect is not asked

_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”„«»–—]+")


@dataclass(frozen=True)
class ForeignText:
    """A sentence, clause or run of sentences in another language."""

    start: int
    end: int
    lang: str  # as the identifier names it (ISO 639-1)
    unit: str  # "sentence", "clause" or "sentences"
    confidence: float
    evidence: dict


@dataclass(frozen=True)
class _Flag:
    """A sentence or clause found to be in another language, before merging."""

    sentence: Sentence
    start: int
    end: int
    lang: str
    evidence: dict

    @property
    def whole(self) -> bool:
        return (self.start, self.end) == (self.sentence.start, self.sentence.end)


class SentenceFinder:
    """Finds foreign sentences with word frequencies and, only where they leave doubt, the
    language identifier (loaded on first need: most English articles never need it)."""

    def __init__(
        self, freq: Frequencies, identifier: Callable[[], LanguageIdentifier], detector: str
    ) -> None:
        self.freq = freq
        self._identifier = identifier
        self.detector = detector

    @property
    def identifier(self) -> LanguageIdentifier:
        return self._identifier()

    def find(self, doc: Document, names: set[str], taken) -> list[ForeignText]:
        """Sentences and clauses in another language, outside the ``taken`` spans; a run of
        foreign sentences of one language in a paragraph is one piece."""
        flagged: list[_Flag] = []
        for sentence in doc.sentences:
            if taken.overlaps(sentence.start, sentence.end):
                continue
            whole = self._content(sentence, sentence.start, sentence.end, names)
            if self._not_english(whole) < MIN_FOREIGN_VOTES:
                continue  # too few words that may be foreign, for the sentence or any clause
            result = self._foreign(sentence, sentence.start, sentence.end, names)
            if result:
                flagged.append(_Flag(sentence, sentence.start, sentence.end, *result))
                continue
            clauses = self._clauses(sentence)
            i = 0
            while i < len(clauses):
                start, end = clauses[i]
                result = self._foreign(sentence, start, end, names, MIN_CLAUSE_WORDS)
                if not result:
                    i += 1
                    continue
                # A quote runs on past its first comma: take the neighbouring clauses whose
                # words lean the same way ("Wir werden ..., so lange es nötig ist").
                lang = result[0]
                first = i
                while first > 0 and self._leans(sentence, *clauses[first - 1], lang, names):
                    first -= 1
                last = i
                while last + 1 < len(clauses) and self._leans(
                    sentence, *clauses[last + 1], lang, names
                ):
                    last += 1
                flagged.append(_Flag(sentence, clauses[first][0], clauses[last][1], *result))
                i = last + 1
        return [_merged(group) for group in self._runs(doc, flagged)]

    def _leans(self, sentence, start: int, end: int, lang: str, names) -> bool:
        foreign, english = self._votes(
            [
                t
                for t in sentence.words
                if start <= t.start and t.end <= end and t.kind == "word" and t.text not in names
            ],
            lang,
        )
        return foreign >= 1 and foreign > english

    def _votes(self, tokens, lang: str) -> tuple[int, int]:
        """How many words are more frequent in ``lang`` than in English, and the reverse."""
        foreign_votes = english_votes = 0
        for t in tokens:
            english = self.freq.en(t.text)
            source = self._zipf(t.text, lang)
            if source > english + VOTE_MARGIN:
                foreign_votes += 1
            elif english > source + VOTE_MARGIN:
                english_votes += 1
        return foreign_votes, english_votes

    @staticmethod
    def _clauses(sentence: Sentence) -> list[tuple[int, int]]:
        spans, cursor = [], 0
        for m in [*_CLAUSE_BREAK.finditer(sentence.text), None]:
            stop = m.start() if m else len(sentence.text)
            piece = sentence.text[cursor:stop]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip() and stop - cursor < len(sentence.text):
                spans.append(
                    (sentence.start + cursor + lead, sentence.start + cursor + len(piece.rstrip()))
                )
            cursor = m.end() if m else stop
        return spans

    def _foreign(
        self,
        sentence: Sentence,
        start: int,
        end: int,
        names: set[str],
        min_words: int = MIN_SENTENCE_WORDS,
    ) -> tuple[str, dict] | None:
        content = self._content(sentence, start, end, names)
        if len(content) < min_words or self._plainly_english(content):
            return None
        # A sentence capitalizes its first word anyway; a clause's first word counts.
        counted = content[1:] if start == sentence.start else content
        capitals = sum(is_capitalized(t.text) for t in counted)
        if capitals >= MAX_CAPITALIZED_SHARE * len(counted):
            return None  # "Hochschule für Musik und Theater": a name, kept as names are
        guesses = self.identifier.probabilities(" ".join(t.text for t in content))
        if not guesses:
            return None
        lang, prob = guesses[0]
        # lingua's values cover every language, so how sure it is that the text is not
        # English is known even where close kin share the rest (Slovene/Croatian); the other
        # detectors' answers are cut off, so their leader must be sure on its own.
        sure = prob
        if self.detector == "lingua":
            sure = 1 - sum(p for other, p in guesses if other == "en")
        if lang == "en" or prob < MIN_LEADING_PROB or sure < MIN_DETECT_PROB:
            return None
        if _non_latin_share(" ".join(t.text for t in content)) >= 0.5:
            # Another script in English copy needs no vote: it cannot be English.
            return lang, {
                "lang": lang,
                "lang_prob": round(prob, 4),
                "detector": self.detector,
                "foreign_word_share": 1.0,
                "words": len(content),
            }
        foreign_votes, english_votes = self._votes(content, lang)
        decided = foreign_votes + english_votes
        share = foreign_votes / decided if decided else 0.0
        if foreign_votes < MIN_FOREIGN_VOTES or share < MIN_FOREIGN_SHARE:
            return None
        return lang, {
            "lang": lang,
            "lang_prob": round(prob, 4),
            "detector": self.detector,
            "foreign_word_share": round(share, 3),
            "words": len(content),
        }

    @staticmethod
    def _content(sentence: Sentence, start: int, end: int, names: set[str]) -> list:
        """The words of ``sentence`` within [start, end) that may be foreign: not names, not
        inside a URL or handle."""
        urls = url_spans(sentence)
        return [
            t
            for t in sentence.words
            if start <= t.start
            and t.end <= end
            and t.kind == "word"
            and not (urls and overlaps_any(t.start, t.end, urls))
            and t.text not in names
        ]

    def _not_english(self, tokens) -> int:
        """How many words are unknown in English or more frequent in a source language."""
        other = 0
        for t in tokens:
            english = self.freq.en(t.text)
            foreign = self.freq.max_foreign(t.text)
            if english == 0.0 or foreign > english + VOTE_MARGIN:
                other += 1
        return other

    def _plainly_english(self, tokens) -> bool:
        """Most words more frequent in English than in any source language: no need to ask
        langdetect (which costs ~10 ms a sentence and errs on short English lines)."""
        other = self._not_english(tokens)
        return other < MIN_FOREIGN_VOTES or other / len(tokens) < PREFILTER_SHARE

    def _zipf(self, word: str, lang: str) -> float:
        """Zipf frequency of ``word`` in a langdetect language (0 when wordfreq lacks it)."""
        table_lang = wordfreq_code(lang)
        if table_lang == "ru-Latn":
            word = romanize_russian(normalize(word))
        if table_lang in FOREIGN:
            return self.freq.zipf(word, table_lang)
        # A language the tables do not hold (Swedish, Czech...): rare, so ask wordfreq.
        from wordfreq import available_languages, zipf_frequency

        if table_lang not in available_languages("best"):
            # No word list (Estonian): a word English lacks counts for the language named.
            return UNLISTED_ZIPF if self.freq.en(word) == 0.0 else 0.0
        return zipf_frequency(word, table_lang, wordlist="best")

    @staticmethod
    def _runs(doc: Document, flagged: list[_Flag]) -> list[list[_Flag]]:
        """Runs of consecutive foreign sentences of one language in a paragraph: an
        untranslated paragraph is one error, not one per sentence."""
        index = {id(s): i for i, s in enumerate(doc.sentences)}
        groups: list[list[_Flag]] = []
        for flag in flagged:
            last = groups[-1][-1] if groups else None
            if (
                last
                and flag.whole
                and last.whole
                and last.lang == flag.lang
                and (
                    last.sentence.paragraph == flag.sentence.paragraph
                    and index[id(last.sentence)] + 1 == index[id(flag.sentence)]
                )
            ):
                groups[-1].append(flag)
            else:
                groups.append([flag])
        return groups


def _merged(group: list[_Flag]) -> ForeignText:
    evidence = dict(group[0].evidence)
    if len(group) > 1:
        evidence["sentences"] = len(group)
        for key in ("lang_prob", "foreign_word_share"):
            evidence[key] = min(f.evidence[key] for f in group)
        evidence["words"] = sum(f.evidence["words"] for f in group)
        unit = "sentences"
    else:
        unit = "sentence" if group[0].whole else "clause"
    share = evidence["foreign_word_share"]
    confidence = evidence["lang_prob"] * min(1.0, 0.4 + share)
    return ForeignText(
        group[0].start, group[-1].end, group[0].lang, unit, round(confidence, 4), evidence
    )


def _non_latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum("a" <= ch.lower() <= "z" or "\u00c0" <= ch <= "\u024f" for ch in letters)
    return 1 - latin / len(letters)
