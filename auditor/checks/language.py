"""UNT: source-language text left in the English copy, and the article's likely source language.

UNT001 finds untranslated sentences and clauses (``auditor.language.sentences``), UNT002 single
words and closed compounds (``auditor.language.words``). The article's source language is
inferred from what leaked and from how its names are transliterated
(``auditor.language.source``) and reported as ``inferred_source_lang``.
"""

from __future__ import annotations

from ..document import Document, Finding
from ..language.codes import code, language_name, wordfreq_code
from ..language.identify import LanguageIdentifier
from ..language.sentences import ForeignText, SentenceFinder
from ..language.source import SourceLanguage
from ..language.words import MIN_SOURCE_ZIPF, WordEvidence, WordFinder
from ..lexicon.frequencies import frequencies
from ..lexicon.tokens import name_tokens
from ..lexicon.wordlists import (
    accepted_words,
    lexicon_file,
    load_transliteration_cues,
    load_word_list,
    name_heads,
)
from ..rules import Example, Family, Rule
from ..spans import SpanSet
from . import NOTHING, Check, Handover

CHECK = "language"
CATEGORY = "Accuracy/Untranslated"

FAMILY = Family(
    prefix="UNT",
    check=CHECK,
    title="untranslated",
    color="#E69F00",
    order=30,
    reads=("BOIL", "NAME"),
    rules=(
        Rule("UNT001", CHECK, "untranslated-sentence", CATEGORY, "major",
             "A sentence or clause left in the source language.", statistical=True,
             examples=(
                 Example("The minister spoke briefly. Die Regierung lehnt den Vorschlag "
                         "entschieden ab. Talks resume on Monday.",
                         flags="Die Regierung lehnt den Vorschlag entschieden ab."),
                 Example("The minister spoke briefly. The government firmly rejects the "
                         "proposal. Talks resume on Monday."),
             )),
        Rule("UNT002", CHECK, "untranslated-word", CATEGORY, "major",
             "A word left in the source language: frequent there, rare in English.",
             statistical=True,
             examples=(
                 Example("The summit will take place in the second half of the Juni.",
                         flags="Juni"),
                 Example("The summit will take place in the second half of June."),
             )),
        Rule("UNT003", CHECK, "untranslated-article", CATEGORY, "critical",
             "An article mostly in another language: one finding for the whole article, "
             "which fails it, in place of a finding per sentence and word.", covers=True,
             examples=(
                 Example("Die Bundesregierung hat den Vorschlag am Montag entschieden "
                         "abgelehnt. Der Sprecher sagte, die Gespräche würden erst im Juni "
                         "fortgesetzt. Talks resume in June.",
                         flags="Die Bundesregierung hat den Vorschlag am Montag entschieden "
                         "abgelehnt. Der Sprecher sagte, die Gespräche würden erst im Juni "
                         "fortgesetzt. Talks resume in June."),
                 Example("The minister spoke briefly. Die Regierung lehnt den Vorschlag "
                         "entschieden ab. Talks resume on Monday and the ministry hopes for "
                         "an agreement by the end of June."),
             )),
    ),
)  # fmt: skip

DOC_LANGUAGE_BONUS = 1.0  # a word frequent in several languages is taken in the article's own
MOSTLY_FOREIGN = 0.5  # this share of an article's words in foreign sentences: not English
MIN_FOREIGN_SENTENCES = 2


class LanguageCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.freq = frequencies(resources)
        loanwords = resources.get(
            "language.loanwords", lambda: load_word_list(lexicon_file("loanwords.txt"))
        )
        cues = resources.get("language.transliteration", load_transliteration_cues)
        heads = resources.get("language.name_heads", name_heads)
        detector = config.language_detector
        self.sentences = SentenceFinder(self.freq, self._identifier, detector)
        self.words = WordFinder(
            self.freq, loanwords, accepted_words(resources, config), cues, heads
        )
        self.source = SourceLanguage(self.freq, cues)

    def _identifier(self) -> LanguageIdentifier:
        detector = self.config.language_detector
        return self.resources.get(
            f"language.identifier:{detector}", lambda: LanguageIdentifier(detector)
        )

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        spans = earlier.spans()
        # For whole sentences a leading "Die"/"Il" starts no name (else "Die Regierung lehnt
        # das ab." loses two of five words); for single words it does ("He Xiaopeng").
        names = name_tokens(doc, earlier.names, self.freq)
        # A name finding is a word of a sentence, not a reason to skip it: a German sentence
        # that says "Selenskyj" is still German. Debris is skipped.
        debris = SpanSet((d.start, d.end) for d in earlier.debris)
        foreign = self.sentences.find(doc, names, debris)
        taken = SpanSet([*spans, *((t.start, t.end) for t in foreign)])
        given = doc.meta.get("source_lang")
        given = wordfreq_code(str(given)) if given else None
        words = self.words.candidates(doc, name_tokens(doc, earlier.names), taken, given)
        doc_lang = self.source.of_document(doc, [t.lang for t in foreign], words, earlier.names)
        findings = [self._sentence_finding(doc, t) for t in foreign] + [
            self._word_finding(doc, start, end, evidence, doc_lang)
            for (start, end), evidence in words.items()
        ]
        findings.sort(key=lambda f: (f.start, f.end))
        whole = self._article_finding(doc, foreign, debris)
        if whole is not None:
            findings = [whole]
        untranslated = [(f.rule == "UNT001", f.evidence["lang"], f.text) for f in findings]
        lang = self.source.reported(doc, untranslated, earlier.names)
        if lang:
            doc.extra["inferred_source_lang"] = lang
        return findings

    @staticmethod
    def _article_finding(doc: Document, foreign: list[ForeignText], debris) -> Finding | None:
        """One finding over the whole article when most of its words are in foreign
        sentences, in the language most of them are in."""
        words = [w for s in doc.sentences for w in s.words if not debris.overlaps(w.start, w.end)]
        # Whole sentences only, two at least: a quotation inside an English sentence, or
        # one foreign line, is not an article in another language.
        sentences = [p for p in foreign if p.unit != "clause"]
        if sum(p.evidence.get("sentences", 1) for p in sentences) < MIN_FOREIGN_SENTENCES:
            return None
        by_lang: dict[str, int] = {}
        for piece in sentences:
            inside = sum(piece.start <= w.start < piece.end for w in words)
            by_lang[piece.lang] = by_lang.get(piece.lang, 0) + inside
        share = sum(by_lang.values()) / len(words) if words else 0.0
        if share <= MOSTLY_FOREIGN:
            return None
        lang = max(sorted(by_lang), key=by_lang.get)
        start = min(w.start for w in words)
        end = max(s.end for s in doc.sentences)
        return doc.finding(
            FAMILY.rule("UNT003"),
            start,
            end,
            f"the article is in {language_name(lang)}, not English "
            f"({share:.0%} of its words are in untranslated sentences)",
            evidence={"lang": lang, "foreign_word_share": round(share, 3)},
        )

    @staticmethod
    def _sentence_finding(doc: Document, text: ForeignText) -> Finding:
        return doc.finding(
            FAMILY.rule("UNT001"),
            text.start,
            text.end,
            f"untranslated {text.unit}: this is {language_name(text.lang)}, not English",
            confidence=text.confidence,
            evidence=text.evidence,
        )

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
                f'untranslated {language_name(report)} compound: "{text}" '
                f'("{modifier}" + "{head}") is {language_name(report)}, not English'
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
            FAMILY.rule("UNT002"),
            start,
            end,
            message,
            confidence=round(confidence, 4),
            evidence=fields,
        )
