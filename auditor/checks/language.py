"""UNT: source-language text left in the English copy, and the article's likely source language.

UNT001 finds untranslated sentences and clauses: langdetect (seeded, so every run agrees) names
a language, and a word-frequency vote must agree before anything is reported, because
langdetect alone calls about one English line of 1-3 words in five something else (measured in
auditor/evaluation/unt_lex.py). Lines under four words are left to UNT002.

UNT002 finds single untranslated words ("the second half of the Juni") and closed compounds
("Élyséepalast"): frequent in a likely source language, rare in English, not a loanword and not
a name. Capitalization is evidence: mid-sentence, only German capitalizes common nouns, so a
capitalized word there is a name unless it is German.

The article's source language is inferred from what leaked and from how its names are
transliterated ("Selenskyj", "Peskow": German), and reported as ``inferred_source_lang``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..document import Document, Finding, Rule, Sentence
from ..spans import SpanSet
from . import Check
from .words import (
    FOREIGN,
    LANGUAGE_NAMES,
    accepted_words,
    code,
    covered,
    frequencies,
    in_slashed_list,
    is_capitalized,
    is_plain_word,
    is_sentence_initial,
    language_name,
    lexicon_file,
    load_transliteration_cues,
    load_word_list,
    name_heads,
    name_tokens,
    normalize,
    romanize_russian,
    url_spans,
)

CHECK = "language"
CATEGORY = "Accuracy/Untranslated"

RULES = (
    Rule(
        "UNT001",
        CHECK,
        "untranslated-sentence",
        CATEGORY,
        "major",
        "A sentence or clause left in the source language.",
        statistical=True,
    ),
    Rule(
        "UNT002",
        CHECK,
        "untranslated-word",
        CATEGORY,
        "major",
        "A word left in the source language: frequent there, rare in English.",
        statistical=True,
    ),
)
_UNT001, _UNT002 = RULES

# Sentence level. langdetect must be this sure, on at least this many words, and this share
# of the words that wordfreq can tell apart must be more frequent in that language than in
# English (see auditor/evaluation/unt_lex.py for the measurement behind these numbers).
MIN_SENTENCE_WORDS = 4
MIN_CLAUSE_WORDS = 5
MIN_DETECT_PROB = 0.90
MIN_FOREIGN_SHARE = 0.6
MIN_FOREIGN_VOTES = 3
VOTE_MARGIN = 0.3
MAX_CAPITALIZED_SHARE = 0.6  # this share of capitalized words (German included) is a name
PREFILTER_SHARE = 0.4  # below this share of non-English-looking words, langdetect is not asked

# Word level (Zipf units).
MIN_SOURCE_ZIPF = 3.0
MIN_SOURCE_ZIPF_NOUN = 3.5  # capitalized: German nouns that leak are common ones ("Juni")
MAX_ENGLISH_ZIPF = 1.5  # a lowercase word English uses more is English ("repos", "pertinence")
MAX_ENGLISH_ZIPF_NOUN = 3.0  # a capitalized German noun: English lists hold it as a name too
MIN_RUSSIAN_ZIPF = 4.0  # romanized Russian collides with typos ("pary"): ask for more
MIN_RUSSIAN_LENGTH = 5
MIN_ZIPF_GAP = 2.0
SHORT_WORD = 3  # letters; such words need more evidence
MIN_SHORT_SOURCE_ZIPF = 4.5
MAX_SHORT_ENGLISH_ZIPF = 2.0
TYPO_NEIGHBOUR_ZIPF = 4.5  # a lowercase word one edit from an English word this common is a typo
DOC_LANGUAGE_BONUS = 1.0  # a word frequent in several languages is taken in the article's own
COMPOUNDING = ("de", "nl", "nb")  # languages that write compounds closed
MIN_COMPOUND_HEAD = 4
MIN_MODIFIER_ZIPF = 2.5

# Source-language inference: weights of the evidence, and how much the winner must lead by.
SENTENCE_EVIDENCE = 3.0
WORD_EVIDENCE = 1.0
NAME_EVIDENCE = 1.0  # per distinct name spelling the names check traces to a language
MIN_SOURCE_SCORE = 3.0
MIN_SOURCE_MARGIN = 1.0

_CLAUSE_BREAK = re.compile(r"[,;:()\[\]\"“”„«»–—]+")
_WORD_PARTS = re.compile(r"([-'’])")  # split keeping the joiners, so offsets add up
_WORDFREQ_CODE = {"no": "nb", "ru": "ru-Latn"}


# The languages a detector may answer: English, the languages syndicated news is translated
# from, and the scripts that mark themselves. Left free, detectors call short English lines
# Tagalog, Indonesian, Welsh or Nigerian Pidgin (see auditor/evaluation/unt_lex.py).
DETECTOR_LANGUAGES = tuple(
    """en de it fr es pt nl no da sv fi pl cs sk hu ro hr sl tr ru uk bg el zh ja ko ar he fa
    hi""".split()
)


class LanguageIdentifier:
    """Sentence language identification, deterministic, among DETECTOR_LANGUAGES.

    ``langdetect`` (the default) samples n-grams at random: its profiles are loaded in a fixed
    order and its seed fixed, so the same text always gets the same answer. ``py3langid`` (the
    "langid" extra) is a naive Bayes model, deterministic by construction and faster.
    """

    def __init__(
        self,
        detector: str = "langdetect",
        seed: int = 0,
        languages: tuple[str, ...] | None = DETECTOR_LANGUAGES,
    ) -> None:
        self.detector = detector
        if detector == "py3langid":
            from py3langid.langid import MODEL_FILE
            from py3langid.langid import LanguageIdentifier as LangId

            self._langid = LangId.from_model_file(MODEL_FILE, norm_probs=True)
            if languages:
                self._langid.set_languages(list(languages))
            return
        from pathlib import Path

        import langdetect
        from langdetect.detector_factory import DetectorFactory

        profiles = Path(langdetect.__file__).parent / "profiles"
        factory = DetectorFactory()
        factory.load_json_profile(
            [p.read_text(encoding="utf-8") for p in sorted(profiles.iterdir()) if p.is_file()]
        )
        factory.seed = seed
        self._factory = factory
        self._prior = {
            lang: 1.0
            for lang in factory.get_lang_list()
            if languages is None or lang.split("-")[0] in languages
        }

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """(language, probability), most likely first; languages as ISO 639-1 codes."""
        if self.detector == "py3langid":
            return [(lang, float(p)) for lang, p in self._langid.rank(text)[:3]]
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.set_prior_map(self._prior)
        detector.append(text)
        try:
            return [(p.lang.split("-")[0], p.prob) for p in detector.get_probabilities()]
        except LangDetectException:
            return []


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


@dataclass(frozen=True)
class WordEvidence:
    lang: str  # wordfreq code
    zipf: float
    english: float
    others: dict[str, float]
    compound: tuple[str, str] | None = None


class LanguageCheck(Check):
    name = CHECK
    rules = RULES

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.freq = frequencies(resources)
        self.loanwords = resources.get(
            "language.loanwords", lambda: load_word_list(lexicon_file("loanwords.txt"))
        )
        self.accepted = accepted_words(resources, config)
        self.cues = resources.get("language.transliteration", load_transliteration_cues)
        self.name_heads = resources.get("language.name_heads", name_heads)

    @property
    def identifier(self) -> LanguageIdentifier:
        # Loaded on first need: most English articles never get past the word-frequency test.
        detector = self.config.language_detector
        return self.resources.get(
            f"language.identifier:{detector}", lambda: LanguageIdentifier(detector)
        )

    # --- the check ------------------------------------------------------------------------

    def check(self, doc: Document, prior=()) -> list[Finding]:
        prior = list(prior)
        spans = [(f.start, f.end) for f in prior]
        # A name finding is a word of a sentence, not a reason to skip it: a German sentence
        # that says "Selenskyj" is still German.
        debris = SpanSet([(f.start, f.end) for f in prior if f.check != "names"])
        # For whole sentences a leading "Die"/"Il" starts no name (else "Die Regierung lehnt
        # das ab." loses two of five words); for single words it does ("He Xiaopeng").
        sentences = self._sentences(doc, name_tokens(doc, prior, self.freq), debris)
        taken = SpanSet([*spans, *((f.start, f.end) for f in sentences)])
        given = doc.meta.get("source_lang")
        given = _WORDFREQ_CODE.get(str(given), str(given)) if given else None
        words = self._word_candidates(doc, name_tokens(doc, prior), taken, given)
        doc_lang = self._document_language(doc, sentences, words, prior)
        findings = sentences + [
            self._word_finding(doc, start, end, evidence, doc_lang)
            for (start, end), evidence in words.items()
        ]
        return sorted(findings, key=lambda f: (f.start, f.end))

    def document_fields(self, doc: Document, findings: list[Finding]) -> dict:
        scores = self._transliteration_scores(doc)
        _add_name_origins(scores, findings)
        seen: set[tuple[str, str]] = set()
        for f in findings:
            lang = f.evidence.get("lang") if f.rule in ("UNT001", "UNT002") else None
            if lang is None:
                continue
            if f.rule == "UNT001":
                scores[lang] += SENTENCE_EVIDENCE
            elif (lang, normalize(f.text)) not in seen:
                seen.add((lang, normalize(f.text)))
                scores[lang] += WORD_EVIDENCE
        lang = _leader(scores)
        return {"inferred_source_lang": lang} if lang else {}

    # --- sentences and clauses ------------------------------------------------------------

    def _sentences(self, doc: Document, names: set[str], taken) -> list[Finding]:
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
        return self._merge(doc, flagged)

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
        if lang == "en" or prob < MIN_DETECT_PROB:
            return None
        if _non_latin_share(" ".join(t.text for t in content)) >= 0.5:
            # Another script in English copy needs no vote: it cannot be English.
            return lang, {
                "lang": lang,
                "lang_prob": round(prob, 4),
                "detector": self.config.language_detector,
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
            "detector": self.config.language_detector,
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
            and not (urls and covered(t.start, t.end, urls))
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
        table_lang = _WORDFREQ_CODE.get(lang, lang)
        if table_lang == "ru-Latn":
            word = romanize_russian(normalize(word))
        if table_lang in FOREIGN:
            return self.freq.zipf(word, table_lang)
        # A language the tables do not hold (Swedish, Portuguese...): rare, so ask wordfreq.
        from wordfreq import available_languages, zipf_frequency

        if table_lang not in available_languages("large"):
            return 0.0
        return zipf_frequency(word, table_lang, wordlist="large")

    def _merge(self, doc: Document, flagged: list[_Flag]) -> list[Finding]:
        """One finding per run of consecutive foreign sentences of one language in a paragraph:
        an untranslated paragraph is one error, not one per sentence."""
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
        return [self._sentence_finding(doc, group) for group in groups]

    @staticmethod
    def _sentence_finding(doc: Document, group: list[_Flag]) -> Finding:
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
        name = language_name(group[0].lang)
        return doc.finding(
            _UNT001,
            group[0].start,
            group[-1].end,
            f"untranslated {unit}: this is {name}, not English",
            confidence=round(confidence, 4),
            evidence=evidence,
        )

    # --- single words ---------------------------------------------------------------------

    def _word_candidates(self, doc: Document, names: set[str], taken, given: str | None):
        found: dict[tuple[int, int], WordEvidence] = {}
        for sentence in doc.sentences:
            urls = url_spans(sentence)
            for token in sentence.words:
                if token.kind != "word" or taken.overlaps(token.start, token.end):
                    continue
                if urls and covered(token.start, token.end, urls):
                    continue
                if in_slashed_list(doc.text, token):
                    continue
                offset = token.start
                for part in _WORD_PARTS.split(token.text):
                    start, offset = offset, offset + len(part)
                    if len(part) < 2 or part in "-'’" or not is_plain_word(part):
                        continue
                    evidence = self._word_evidence(sentence, token, part, names, given)
                    if evidence:
                        found[(start, start + len(part))] = evidence
        return found

    def _word_evidence(
        self, sentence, token, word: str, names, given: str | None
    ) -> WordEvidence | None:
        noun = is_capitalized(word)
        english = self.freq.en(word)
        short = len(word) <= SHORT_WORD
        max_english = MAX_ENGLISH_ZIPF_NOUN if noun else MAX_ENGLISH_ZIPF
        max_english = min(max_english, MAX_SHORT_ENGLISH_ZIPF) if short else max_english
        if english > max_english or word in self.loanwords or word in self.accepted:
            return None  # most words end here: English enough
        allowed = FOREIGN
        if noun:
            if word in names or token.text in names or self._is_transliterated(word):
                return None
            # Only German capitalizes common nouns; a capitalized word from another language is
            # a name (at a sentence start too: "Stoltenberg said" is not Norwegian).
            allowed = ("de",)
        elif _follows_name(sentence, token):
            return None  # "Parti socialiste", "Assemblée nationale": part of a name
        scores = {lang: z for lang, z in self.freq.by_language(word).items() if lang in allowed}
        if "ru-Latn" in scores and (
            len(word) < MIN_RUSSIAN_LENGTH or scores["ru-Latn"] < MIN_RUSSIAN_ZIPF
        ):
            del scores["ru-Latn"]
        if scores:
            lang, zipf = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
            min_source = MIN_SOURCE_ZIPF_NOUN if noun else MIN_SOURCE_ZIPF
            min_source = max(min_source, MIN_SHORT_SOURCE_ZIPF) if short else min_source
            if zipf < min_source or zipf - english < MIN_ZIPF_GAP:
                return None
            if not noun and given not in scores and self._typo_of_english(normalize(word)):
                return None  # "pary" is Polish, but here "party" misspelled: LEX's business
            return WordEvidence(lang, zipf, english, scores)
        if noun and english < 1.5 and len(word) >= 2 * MIN_COMPOUND_HEAD:
            # Only capitalized: lowercase run-together English ("paperselling") splits too.
            return self._compound(word, allowed)
        return None

    def _typo_of_english(self, word: str) -> bool:
        """One edit from a very common English word: more likely a slip than a leak (unless
        the word is in the article's own source language)."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        edits = {word[:i] + word[i + 1 :] for i in range(len(word))}
        edits |= {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in letters}
        edits |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
        return self.freq.max_english(sorted(edits - {word})) >= TYPO_NEIGHBOUR_ZIPF

    def _compound(self, word: str, allowed) -> WordEvidence | None:
        """A closed compound whose head is a source-language noun ("Élysée|palast")."""
        lowered = normalize(word)
        if lowered.endswith(self.name_heads):
            return None
        best = None
        for cut in range(3, len(lowered) - MIN_COMPOUND_HEAD + 1):
            modifier, head = lowered[:cut], lowered[cut:]
            english_head = self.freq.en(head)
            if english_head > 2.0:
                continue
            for lang in COMPOUNDING:
                if lang not in allowed:
                    continue
                zipf = self.freq.zipf(head, lang)
                if zipf < MIN_SOURCE_ZIPF or zipf - english_head < 1.5:
                    continue
                if not self._known_modifier(modifier, lang):
                    continue
                if best is None or zipf > best.zipf:
                    best = WordEvidence(
                        lang, zipf, english_head, {lang: zipf}, compound=(word[:cut], word[cut:])
                    )
        return best

    def _known_modifier(self, modifier: str, lang: str) -> bool:
        for form in (
            modifier,
            modifier[:-1] if modifier.endswith(("s", "n", "e")) else None,
            modifier[:-2] if modifier.endswith(("es", "en")) else None,
        ):
            if not form or len(form) < 3:
                continue
            if self.freq.en(form) >= MIN_MODIFIER_ZIPF or any(
                z >= MIN_MODIFIER_ZIPF for z in self.freq.by_language(form).values()
            ):
                return True
        return False

    def _word_finding(self, doc, start, end, evidence: WordEvidence, doc_lang) -> Finding:
        lang = evidence.lang
        if doc_lang and doc_lang != lang:
            own = evidence.others.get(doc_lang, 0.0)
            if own >= MIN_SOURCE_ZIPF and own + DOC_LANGUAGE_BONUS >= evidence.zipf:
                lang = doc_lang
        zipf = evidence.others.get(lang, evidence.zipf)
        report = code(lang)
        text = doc.text[start:end]
        gap = zipf - evidence.english
        if evidence.compound:
            modifier, head = evidence.compound
            message = (
                f'untranslated {language_name(report)} compound: "{head}" is '
                f'{language_name(report)}, so "{text}" was left untranslated'
            )
        else:
            message = (
                f'untranslated {language_name(report)} word: "{text}" is common in '
                f"{language_name(report)} and rare in English"
            )
        fields = {
            "lang": report,
            "zipf_source": zipf,
            "zipf_en": evidence.english,
            "zipf_by_language": {code(k): v for k, v in sorted(evidence.others.items())},
        }
        if evidence.compound:
            fields["compound"] = list(evidence.compound)
        confidence = min(0.95, 0.5 + gap / 8)
        return doc.finding(
            _UNT002, start, end, message, confidence=round(confidence, 4), evidence=fields
        )

    # --- source language ------------------------------------------------------------------

    def _is_transliterated(self, word: str) -> bool:
        return self.freq.en(word) < 2.5 and any(c.regex.fullmatch(word) for c in self.cues)

    def _transliteration_scores(self, doc: Document) -> defaultdict[str, float]:
        """Language scores of the article's transliterated names: a fresh copy, as callers add
        their evidence to it (the check and ``document_fields`` both ask)."""
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
                if word in seen or not is_capitalized(word) or self.freq.en(word) >= 2.5:
                    continue
                seen.add(word)
                matched: dict[str, float] = {}
                for cue in self.cues:
                    if cue.regex.fullmatch(word):
                        matched[cue.lang] = max(matched.get(cue.lang, 0.0), cue.weight)
                for lang, weight in matched.items():
                    scores[lang] += weight
        return scores

    def _document_language(self, doc: Document, sentences, words, prior) -> str | None:
        """The wordfreq code of the article's source language: from front matter, else from
        the evidence (used to pick the language of a word frequent in several)."""
        given = doc.meta.get("source_lang")
        if given:
            return _WORDFREQ_CODE.get(str(given), str(given))
        scores = self._transliteration_scores(doc)
        _add_name_origins(scores, prior)
        for f in sentences:
            scores[f.evidence["lang"]] += SENTENCE_EVIDENCE
        distinct = Counter()
        for (start, end), evidence in words.items():
            ranked = sorted(evidence.others.values(), reverse=True)
            if len(ranked) == 1 or ranked[0] - ranked[1] >= 1.0:
                distinct[(code(evidence.lang), normalize(doc.text[start:end]))] = 1
        for lang, _word in distinct:
            scores[lang] += WORD_EVIDENCE
        lang = _leader(scores)
        return _WORDFREQ_CODE.get(lang, lang) if lang else None


def _follows_name(sentence: Sentence, token) -> bool:
    """The word right after a capitalized mid-sentence word ("Parti socialiste")."""
    tokens = sentence.tokens
    i = next(i for i, t in enumerate(tokens) if t.start == token.start)
    before = tokens[i - 1] if i > 0 else None
    if before is None or before.kind != "word" or is_sentence_initial(sentence, before):
        return False
    between = sentence.text[before.end - sentence.start : token.start - sentence.start]
    return is_capitalized(before.text) and not between.strip()


def _non_latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum("a" <= ch.lower() <= "z" or "\u00c0" <= ch <= "\u024f" for ch in letters)
    return 1 - latin / len(letters)


def _add_name_origins(scores, findings) -> None:
    """The names check says where a spelling comes from ("Peskow": de); each distinct name
    spelling counts once, shared among the languages that write it so."""
    seen: set[str] = set()
    for f in findings:
        origins = f.evidence.get("origins") if f.rule.startswith("NAME") else None
        if not isinstance(origins, list) or not origins or f.text in seen:
            continue
        seen.add(f.text)
        # Only languages: the names check also gives origins like "mt" (an MT slip).
        languages = [str(o) for o in origins if str(o) in LANGUAGE_NAMES and o != "en"]
        for lang in languages:
            scores[lang] += NAME_EVIDENCE / len(languages)


def _leader(scores) -> str | None:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < MIN_SOURCE_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MIN_SOURCE_MARGIN:
        return None
    return ranked[0][0]
