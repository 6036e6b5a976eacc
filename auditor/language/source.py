"""The article's likely source language, inferred from what leaked (untranslated sentences and
words) and from how its names are transliterated ("Selenskyj", "Peskow": German; the cues in
``corpora/lexicon/transliteration.yaml`` and the names check's origins).

Each kind of evidence adds to a language's score; the leader must reach MIN_SOURCE_SCORE and
lead the next by MIN_SOURCE_MARGIN, else the language stays unknown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ..document import Document
from ..handover import NameSpelling
from ..lexicon.frequencies import Frequencies, normalize
from ..lexicon.tokens import is_capitalized
from ..lexicon.wordlists import TransliterationCue
from .codes import LANGUAGE_NAMES, code, wordfreq_code
from .words import TRANSLITERATED_MAX_ENGLISH, WordEvidence

SENTENCE_EVIDENCE = 3.0
WORD_EVIDENCE = 1.0
NAME_EVIDENCE = 1.0  # per distinct name spelling the names check traces to a language
MIN_SOURCE_SCORE = 3.0
MIN_SOURCE_MARGIN = 1.0


class SourceLanguage:
    def __init__(self, freq: Frequencies, cues: list[TransliterationCue]) -> None:
        self.freq = freq
        self.cues = cues

    def of_document(
        self,
        doc: Document,
        sentence_langs: Iterable[str],
        words: Mapping[tuple[int, int], WordEvidence],
        names: Iterable[NameSpelling],
    ) -> str | None:
        """The wordfreq code of the article's source language while it is audited: from front
        matter, else from the evidence (it picks the language of a word frequent in several).
        ``sentence_langs``: the languages of its foreign sentences; ``words``: its candidate
        untranslated words."""
        given = doc.meta.get("source_lang")
        if given:
            return wordfreq_code(str(given))
        scores = self.transliteration_scores(doc)
        add_name_origins(scores, names)
        for lang in sentence_langs:
            scores[lang] += SENTENCE_EVIDENCE
        distinct = Counter()
        for (start, end), evidence in words.items():
            ranked = sorted(evidence.others.values(), reverse=True)
            if len(ranked) == 1 or ranked[0] - ranked[1] >= 1.0:
                distinct[(code(evidence.lang), normalize(doc.text[start:end]))] = 1
        for lang, _word in distinct:
            scores[lang] += WORD_EVIDENCE
        lang = leader(scores)
        return wordfreq_code(lang) if lang else None

    def reported(
        self,
        doc: Document,
        untranslated: Iterable[tuple[bool, str, str]],
        names: Iterable[NameSpelling],
    ) -> str | None:
        """The report code of the article's likely source language, from what was reported:
        ``untranslated`` holds (whole sentence?, language, text) per UNT finding, in order."""
        scores = self.transliteration_scores(doc)
        add_name_origins(scores, names)
        seen: set[tuple[str, str]] = set()
        for sentence, lang, text in untranslated:
            if sentence:
                scores[lang] += SENTENCE_EVIDENCE
            elif (lang, normalize(text)) not in seen:
                seen.add((lang, normalize(text)))
                scores[lang] += WORD_EVIDENCE
        return leader(scores)

    def transliteration_scores(self, doc: Document) -> defaultdict[str, float]:
        """Language scores of the article's transliterated names: a fresh copy, as callers add
        their evidence to it (both the audit and the report ask)."""
        scores = doc.derived(
            "language.transliteration_scores", lambda: self._score_transliterations(doc)
        )
        return defaultdict(float, scores)

    def _score_transliterations(self, doc: Document) -> defaultdict[str, float]:
        scores: defaultdict[str, float] = defaultdict(float)
        seen: set[str] = set()
        for sentence in doc.sentences:
            for token in sentence.words:
                word = token.text
                if (
                    word in seen
                    or not is_capitalized(word)
                    or self.freq.en(word) >= TRANSLITERATED_MAX_ENGLISH
                ):
                    continue
                seen.add(word)
                matched: dict[str, float] = {}
                for cue in self.cues:
                    if cue.regex.fullmatch(word):
                        matched[cue.lang] = max(matched.get(cue.lang, 0.0), cue.weight)
                for lang, weight in matched.items():
                    scores[lang] += weight
        return scores


def add_name_origins(scores, names: Iterable[NameSpelling]) -> None:
    """The names check says where a spelling comes from ("Peskow": de); each distinct name
    spelling counts once, shared among the languages that write it so."""
    seen: set[str] = set()
    for name in names:
        origins = name.origins
        if not origins or name.text in seen:
            continue
        seen.add(name.text)
        # Only languages: the names check also gives origins like "mt" (an MT slip).
        languages = [str(o) for o in origins if str(o) in LANGUAGE_NAMES and o != "en"]
        for lang in languages:
            scores[lang] += NAME_EVIDENCE / len(languages)


def leader(scores) -> str | None:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < MIN_SOURCE_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MIN_SOURCE_MARGIN:
        return None
    return ranked[0][0]
