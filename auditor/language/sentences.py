"""UNT001's machinery: sentences and clauses left in another language.

A language identifier (lingua by default; deterministic) names a language, and a
word-frequency vote must agree before anything is reported, because identifiers alone call
short English lines another language (``python -m research unt_lex``). Where lingua doubts a
short sentence, the word lists decide among the languages it gives a chance. Lines under four
words join a foreign neighbour or a run of short lines (with a longer sentence that failed
alone but is not plainly English), else are left to UNT002. Names,
codes, numbers and links are left out first; a quoted clause is found inside an English
sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..document import Document, Sentence
from ..lexicon.frequencies import FOREIGN, Frequencies, normalize, romanize_russian
from ..lexicon.tokens import is_capitalized, is_plain_word, overlaps_any, url_spans
from . import scandinavian
from .codes import code, wordfreq_code
from .identify import DETECTOR_LANGUAGES, LanguageIdentifier

# The identifier must be this sure, on at least this many words, and this share of the words that
# wordfreq can tell apart must be more frequent in that language than in English (see
# ``research/unt_lex.py`` for the measurement behind these numbers).
MIN_SENTENCE_WORDS = 4
MIN_CLAUSE_WORDS = 5
MIN_DETECT_PROB = 0.90  # that it is not English (close kin may share the rest: sl/hr, da/no)
MIN_CANDIDATE_PROB = 0.01  # a language lingua gives this chance, when it doubts
MIN_WORDS_ALONE_SHARE = 0.8  # ...is taken when this share of the words vote for it
MIN_LEADING_PROB = 0.3  # that it is the language named (it/pt/es share much)
MIN_FOREIGN_SHARE = 0.6
MIN_FOREIGN_VOTES = 3
VOTE_MARGIN = 0.3
RARE_IN_ENGLISH = 2.5  # Zipf: a word this rare in English may be another language's
MIN_SOURCE_WORD_ZIPF = 3.0  # ...and one this common in a source language is no name
UNLISTED_ZIPF = 3.0  # a word rare in English, in a language wordfreq has no list for
MAX_CAPITALIZED_SHARE = 0.6  # this share of capitalized words (German included) is a name
PREFILTER_SHARE = 0.4  # below this share of non-English-looking words, no identifier is asked

# Close kin: languages whose sentences share most of their words and letter trigrams, so that
# an identifier's first answer is often a sibling ("Politiet efterlyser vidner til ulykken.",
# Danish, named Norwegian; Slovak named Czech, Serbian named Bulgarian). Once a sentence is known to
# be foreign, a language of a group is decided again within its group by word frequencies
# (``KIN_FLOOR``) and the identifier's trigrams together. Serbian is in the Cyrillic group
# when its text is; written in Latin letters it is Croatian to wordfreq (one list, "sh").
KIN = (
    ("da", "no", "sv"),
    ("cs", "sk"),
    ("hr", "sl", "sr"),
    ("ru", "uk", "bg", "sr"),
    ("es", "pt", "it", "fr", "ro"),
)
CYRILLIC_KIN = KIN[3]
# wordfreq's "small" lists (words of Zipf 3 or more; 3-9 MB each in memory): the same depth in
# every language ("best" is the large list for nb, sv, cs but the small one for da, sk: that
# difference alone called Danish Norwegian), and a twentieth of the large lists' memory.
KIN_WORDLIST = "small"
KIN_FLOOR = 1.5  # Zipf a word counts for at least: a word one list lacks is no veto
KIN_MIN_PROB = 1e-4  # the identifier's least chance, for a sibling outside its top answers
SCANDINAVIAN = KIN[0]
MARKER_WEIGHT = 2.0  # Zipf a Danish/Norwegian/Swedish marker counts for (scandinavian.py)

# Latin-script languages whose wordfreq lists can name a sentence when lingua doubts.
LISTED = tuple(
    lang
    for lang in DETECTOR_LANGUAGES
    if lang in "de it fr es pt nl no da sv fi lv lt pl cs sk hu ro hr sl tr".split()
)

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
        flagged = self._with_short_neighbours(doc, flagged, names, taken)
        flagged = sorted([*flagged, *self._short_runs(doc, flagged, names, taken)], key=_start)
        given = doc.meta.get("source_lang")
        if given:
            flagged = [_as_source(flag, code(str(given).lower())) for flag in flagged]
        return [_merged(group) for group in self._runs(doc, flagged)]

    def _short_runs(self, doc: Document, flagged: list[_Flag], names, taken) -> list[_Flag]:
        """Runs of sentences of a paragraph each too short to judge alone ("CSRF verifikácia
        zlyhala. Požiadavka bola prerušená."), judged together. A sentence long enough but
        not judged foreign alone, whose words are not plainly English, may be one of them
        ("Tava parole tika iestatīta. Tagad vari pieteikties.": lingua doubts four Latvian
        words, and three are too few); a run needs one short sentence."""
        done = {id(f.sentence) for f in flagged}
        runs: list[list[tuple[Sentence, list, bool]]] = [[]]
        for sentence in doc.sentences:
            content = self._content(sentence, sentence.start, sentence.end, names)
            free = id(sentence) not in done and not taken.overlaps(sentence.start, sentence.end)
            short = free and 0 < len(content) < MIN_SENTENCE_WORDS
            joins = short or (free and content and not self._plainly_english(content))
            run = runs[-1]
            if joins and (not run or run[-1][0].paragraph == sentence.paragraph):
                run.append((sentence, content, short))
            elif joins:
                runs.append([(sentence, content, short)])
            elif run:
                runs.append([])
        found = []
        for run in runs:
            if len(run) < 2 or not any(short for *_, short in run):
                continue
            content = [t for _, words, _ in run for t in words]
            counted = [t for _, words, _ in run for t in words[1:]]
            # Its words, names included, make a sentence's worth; three must be content words
            # that may be foreign: a language outside the word tables loses an opening word to a
            # "name" ("Nepavyko CSRF patvirtinimas. Užklausa nutraukta.": "Nepavyko CSRF").
            words = sum(t.kind == "word" for s, *_ in run for t in s.words)
            if words < MIN_SENTENCE_WORDS or self._not_english(content) < MIN_FOREIGN_VOTES:
                continue
            result = self._judge(content, counted)
            if result:
                found += [_Flag(s, s.start, s.end, *result) for s, *_ in run]
        return found

    def _with_short_neighbours(self, doc: Document, flagged: list[_Flag], names, taken):
        """Sentences too short to judge alone ("Došlo k chybe.") beside a foreign sentence
        of their paragraph, whose words lean the same way, join it."""
        index = {id(s): i for i, s in enumerate(doc.sentences)}
        seen = {id(f.sentence) for f in flagged}
        out = list(flagged)
        queue = [f for f in flagged if f.whole]
        while queue:
            flag = queue.pop()
            i = index[id(flag.sentence)]
            for j in (i - 1, i + 1):
                if not 0 <= j < len(doc.sentences):
                    continue
                other = doc.sentences[j]
                if (
                    id(other) in seen
                    or other.paragraph != flag.sentence.paragraph
                    or taken.overlaps(other.start, other.end)
                    or len(self._content(other, other.start, other.end, names))
                    >= MIN_SENTENCE_WORDS
                    or not self._leans(other, other.start, other.end, flag.lang, names)
                ):
                    continue
                seen.add(id(other))
                added = _Flag(other, other.start, other.end, flag.lang, dict(flag.evidence))
                out.append(added)
                queue.append(added)
        return sorted(out, key=_start)

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

    def _vote_share(self, tokens, lang: str) -> tuple[int, float]:
        """How many words vote for ``lang``, and their share of the words that vote at all."""
        foreign_votes, english_votes = self._votes(tokens, lang)
        decided = foreign_votes + english_votes
        return foreign_votes, foreign_votes / decided if decided else 0.0

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
        if len(content) < min_words:
            return None
        # A sentence capitalizes its first word anyway; a clause's first word counts.
        return self._judge(content, content[1:] if start == sentence.start else content)

    def _judge(self, content: list, counted: list) -> tuple[str, dict] | None:
        """The language of ``content`` (words), if it is not English; ``counted``: the words
        whose capitals count (not a sentence's first)."""
        found = self._detect(content, counted)
        if found is None:
            return None
        detected, guesses, share = found
        lang = kin_language([t.text for t in content], detected, dict(guesses))
        evidence = self._evidence(lang, dict(guesses).get(detected, 0.0), share, len(content))
        return lang, _detected(evidence, detected)

    def _detect(self, content: list, counted: list) -> tuple[str, list, float] | None:
        """(language, the identifier's guesses, share of the decided words voting for it) when
        ``content`` is not English."""
        if self._plainly_english(content):
            return None
        capitals = sum(is_capitalized(t.text) for t in counted)
        if capitals >= MAX_CAPITALIZED_SHARE * len(counted):
            return None  # "Hochschule für Musik und Theater": a name, kept as names are
        guesses = self.identifier.probabilities(" ".join(t.text for t in content))
        if not guesses:
            return None
        lang, prob = guesses[0]
        text = " ".join(t.text for t in content)
        # lingua's values cover every language, so how sure it is that the text is not
        # English is known even where close kin share the rest (Slovene/Croatian); the other
        # detectors' answers are cut off, so their leader must be sure on its own.
        sure = prob
        if self.detector == "lingua":
            sure = 1 - sum(p for other, p in guesses if other == "en")
        if lang != "en" and prob >= MIN_LEADING_PROB and sure >= MIN_DETECT_PROB:
            if _non_latin_share(text) >= 0.5:
                # Another script in English copy needs no vote: it cannot be English.
                return lang, guesses, 1.0
            foreign_votes, share = self._vote_share(content, lang)
            if foreign_votes >= MIN_FOREIGN_VOTES and share >= MIN_FOREIGN_SHARE:
                return lang, guesses, share
        if self.detector != "lingua":
            return None
        # lingua's trigram models can doubt a short sentence ("Acestă parolă este compusă
        # exclusiv din elemente numerice": English 0.84): then the words decide among the
        # languages it gives a chance, and must do so clearly.
        if _non_latin_share(text) >= 0.5:
            return None
        chances = {other: p for other, p in guesses if p >= MIN_CANDIDATE_PROB}
        # The languages it gives a chance, and those whose word lists can speak for them.
        candidates = [*chances, *(c for c in LISTED if c not in chances)]
        best = None
        for other in candidates:
            p = chances.get(other, 0.0)
            if other == "en":
                continue
            foreign_votes, share = self._vote_share(content, other)
            if foreign_votes >= MIN_FOREIGN_VOTES and share >= MIN_WORDS_ALONE_SHARE:
                if best is None or (foreign_votes, share, p) > best[:3]:
                    best = (foreign_votes, share, p, other)
        if best is None:
            return None
        return best[3], guesses, best[1]

    def _evidence(self, lang: str, prob: float, share: float, words: int) -> dict:
        return {
            "lang": lang,
            "lang_prob": round(prob, 4),
            "detector": self.detector,
            "foreign_word_share": round(share, 3),
            "words": words,
        }

    def _content(self, sentence: Sentence, start: int, end: int, names: set[str]) -> list:
        """The words of ``sentence`` within [start, end) that may be foreign: not names (but
        a German noun phrase that opens a sentence, "Spezifische Berechtigungen für...", is
        no name: words common in a source language and rare in English count), not codes or
        acronyms ("DEBUG"), not inside a URL or handle."""
        urls = url_spans(sentence)
        return [
            t
            for t in sentence.words
            if start <= t.start
            and t.end <= end
            and t.kind == "word"
            and is_plain_word(t.text)
            and not (urls and overlaps_any(t.start, t.end, urls))
            and (t.text not in names or self._source_word(t.text))
        ]

    def _source_word(self, word: str) -> bool:
        return (
            self.freq.en(word) < RARE_IN_ENGLISH
            and self.freq.max_foreign(word) >= MIN_SOURCE_WORD_ZIPF
        )

    def _not_english(self, tokens) -> int:
        """How many words are rare in English or more frequent in a source language (the
        tables hold eight; a Romanian "sunt" is merely rare in English)."""
        other = 0
        for t in tokens:
            english = self.freq.en(t.text)
            foreign = self.freq.max_foreign(t.text)
            if english < RARE_IN_ENGLISH or foreign > english + VOTE_MARGIN:
                other += 1
        return other

    def _plainly_english(self, tokens) -> bool:
        """Most words more frequent in English than in any source language: no need to ask
        an identifier (which errs on short English lines)."""
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
            # No word list (Estonian): a word rare in English counts for the language named.
            return UNLISTED_ZIPF if self.freq.en(word) < RARE_IN_ENGLISH else 0.0
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


def kin_language(words: list[str], lang: str, chances: dict[str, float]) -> str:
    """``lang`` decided again among its close kin (KIN), for a text of ``words`` already known
    to be foreign: each sibling scores the sum of the words' Zipf frequencies in its wordfreq
    list (at least KIN_FLOOR each) plus the log10 of the identifier's chance for it
    (``chances``); a tie keeps ``lang``. Danish, Norwegian and Swedish also score
    MARKER_WEIGHT for each of their spelling and definiteness markers, and their compounds
    count by their last part (``scandinavian.py``)."""
    cyrillic = _non_latin_share(" ".join(words)) >= 0.5
    group = next((g for g in KIN if lang in g and (g is CYRILLIC_KIN) == cyrillic), None)
    if group is None:
        return lang
    from wordfreq import zipf_frequency

    def table(kin: str) -> str:
        return "ru" if kin == "ru" else wordfreq_code(kin)  # Cyrillic, not romanized

    def listed(word: str) -> bool:
        return any(zipf_frequency(word, table(kin), wordlist=KIN_WORDLIST) for kin in group)

    marked = {}
    if group is SCANDINAVIAN:
        # Spelling and definiteness, where the three share most words; a compound no list
        # holds counts by its last part (``scandinavian.py``).
        marked = scandinavian.marks(words)
        words = [scandinavian.compound_head(word, listed) for word in words]

    def score(kin: str) -> tuple[float, bool]:
        frequency = sum(
            max(zipf_frequency(word, table(kin), wordlist=KIN_WORDLIST), KIN_FLOOR)
            for word in words
        )
        frequency += MARKER_WEIGHT * marked.get(kin, 0)
        return frequency + math.log10(max(chances.get(kin, 0.0), KIN_MIN_PROB)), kin == lang

    return max(group, key=score)


def _start(flag: _Flag) -> int:
    return flag.start


def _as_source(flag: _Flag, source: str) -> _Flag:
    """A sentence named a close sibling of the article's declared source language is in that
    language: an untranslated sentence of a Norwegian article is Norwegian, even where each of
    its words is Danish too ("Dette felt kan ikke være tomt.")."""
    if flag.lang == source or not any(flag.lang in g and source in g for g in KIN):
        return flag
    evidence = _detected(
        {**flag.evidence, "lang": source}, flag.evidence.get("detected_lang", flag.lang)
    )
    return replace(flag, lang=source, evidence=evidence)


def _detected(evidence: dict, detected: str) -> dict:
    """``evidence`` with the identifier's own answer as ``detected_lang`` where the language
    reported is another (a sibling's, the source language's); ``lang_prob`` is its chance."""
    evidence.pop("detected_lang", None)
    if detected != evidence["lang"]:
        evidence["detected_lang"] = detected
    return evidence


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
