"""UNT002's machinery: single words ("the second half of the Juni") and closed compounds
("Élyséepalast") left in a source language: frequent there, rare in English, not a loanword
and not a name. Capitalization is evidence: mid-sentence, only German capitalizes common
nouns, so a capitalized word there is a name unless it is German.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Sentence
from ..lexicon.frequencies import FOREIGN, Frequencies, normalize
from ..lexicon.tokens import (
    is_capitalized,
    is_plain_word,
    is_sentence_initial,
    words_to_judge,
)
from ..lexicon.wordlists import TransliterationCue, WordList

# Zipf units.
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
COMPOUNDING = ("de", "nl", "nb")  # languages that write compounds closed
MIN_COMPOUND_HEAD = 4
MIN_MODIFIER_ZIPF = 2.5
MIN_LONG_NOUN = 10  # letters: a word this long that German knows is German, not a name
MIN_LONG_NOUN_ZIPF = 2.0
MIN_NEVER_ENGLISH_ZIPF = 4.0  # a German noun this common that English lacks is no name part
MAX_TITLE_ENGLISH = 1.5  # Zipf: a common German noun before a name ("Schwester Pan")
MIN_TITLE_LENGTH = 7  # letters of a German title left before a name
TRANSLITERATED_MAX_ENGLISH = 2.5  # a name spelled the way a source language transliterates

_WORD_PARTS = re.compile(r"([-'’])")  # split keeping the joiners, so offsets add up


@dataclass(frozen=True)
class WordEvidence:
    lang: str  # wordfreq code
    zipf: float
    english: float
    others: dict[str, float]
    compound: tuple[str, str] | None = None


class WordFinder:
    def __init__(
        self,
        freq: Frequencies,
        loanwords: WordList,
        accepted: WordList,
        cues: list[TransliterationCue],
        name_heads: tuple[str, ...],
    ) -> None:
        self.freq = freq
        self.loanwords = loanwords
        self.accepted = accepted
        self.cues = cues
        self.name_heads = name_heads

    def is_transliterated(self, word: str) -> bool:
        """A rare capitalized word spelled as a source language transliterates names
        ("Selenskyj")."""
        return self.freq.en(word) < TRANSLITERATED_MAX_ENGLISH and any(
            c.regex.fullmatch(word) for c in self.cues
        )

    def candidates(self, doc: Document, names: set[str], taken, given: str | None):
        """Words (and parts of hyphenated words) outside ``taken`` that may be left in a
        source language, with the evidence; ``given``: the article's source language as a
        wordfreq code, if front matter says."""
        found: dict[tuple[int, int], WordEvidence] = {}
        for sentence, token in words_to_judge(doc, taken):
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
            named = word in names or token.text in names
            if named and not (
                (word == token.text and self._title_before_name(sentence, token))
                or self._never_english(word)
            ):
                return None
            if self.is_transliterated(word):
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
            if zipf >= min_source and zipf - english >= MIN_ZIPF_GAP:
                if not noun and given not in scores and self._typo_of_english(normalize(word)):
                    return None  # "pary" is Polish, but here "party" misspelled: LEX's business
                return WordEvidence(lang, zipf, english, scores)
        if noun and english == 0.0 and len(word) >= MIN_LONG_NOUN:
            # A long capitalized word English lacks and German knows ("Schornsteinfeger").
            german = self.freq.zipf(word, "de") if "de" in allowed else 0.0
            if german >= MIN_LONG_NOUN_ZIPF:
                return WordEvidence("de", german, english, {"de": german})
        if noun and english < 1.5 and len(word) >= 2 * MIN_COMPOUND_HEAD:
            # Only capitalized: lowercase run-together English ("paperselling") splits too.
            return self._compound(word, allowed)
        return None

    def _never_english(self, word: str) -> bool:
        """A common German noun English text never uses ("Haare of National Day"): the words
        of names, German papers' and firms' included, are cited in English and have an
        English frequency ("Zeitung" 2.8, "Agentur" 1.4)."""
        return self.freq.en(word) == 0.0 and self.freq.zipf(word, "de") >= MIN_NEVER_ENGLISH_ZIPF

    def _title_before_name(self, sentence: Sentence, token) -> bool:
        """A long word English lacks opening a run of capitalized words, where German puts a
        title before a name ("Verkehrsminister Hans Meyer", "Bundeskanzler Olaf Scholz");
        the first word of a paper's name is rarely one ("Frankfurter Allgemeine")."""
        english = self.freq.en(token.text)
        if len(token.text) < MIN_TITLE_LENGTH:
            return False  # short words before a name are mostly parts of it
        long_unknown = english == 0.0
        # German first names are English names too (Jürgen 2.7, Friedhelm 1.5); nouns are not.
        common_noun = english < MAX_TITLE_ENGLISH and self.freq.zipf(token.text, "de") >= 4.0
        if not (long_unknown or common_noun):
            return False
        words = sentence.words
        i = next(i for i, t in enumerate(words) if t.start == token.start)
        before = words[i - 1] if i > 0 else None
        after = words[i + 1] if i + 1 < len(words) else None
        opens = before is None or not is_capitalized(before.text) or i == 1
        return opens and after is not None and is_capitalized(after.text)

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
            for lang in COMPOUNDING:
                if lang not in allowed:
                    continue
                zipf = self.freq.zipf(head, lang)
                if zipf < MIN_SOURCE_ZIPF:
                    continue
                if english_head > 2.0 or zipf - english_head < 1.5:
                    # A head both languages share ("Verkehrs|minister"): the modifier must be
                    # the language's alone.
                    if not self._own_modifier(modifier, lang):
                        continue
                elif not self._known_modifier(modifier, lang):
                    continue
                if best is None or zipf > best.zipf:
                    best = WordEvidence(
                        lang, zipf, english_head, {lang: zipf}, compound=(word[:cut], word[cut:])
                    )
        return best

    def _own_modifier(self, modifier: str, lang: str) -> bool:
        """A compound's first part that is common in ``lang`` and that English lacks
        ("verkehrs", "bundes"), with or without its linking letters."""
        for form in _modifier_forms(modifier):
            if (
                len(form) >= MIN_COMPOUND_HEAD
                and self.freq.zipf(form, lang) >= MIN_SOURCE_ZIPF
                and self.freq.en(form) < MAX_ENGLISH_ZIPF
            ):
                return True
        return False

    def _known_modifier(self, modifier: str, lang: str) -> bool:
        for form in _modifier_forms(modifier):
            if self.freq.en(form) >= MIN_MODIFIER_ZIPF or any(
                z >= MIN_MODIFIER_ZIPF for z in self.freq.by_language(form).values()
            ):
                return True
        return False


def _follows_name(sentence: Sentence, token) -> bool:
    """The word right after a capitalized mid-sentence word ("Parti socialiste")."""
    tokens = sentence.tokens
    i = next(i for i, t in enumerate(tokens) if t.start == token.start)
    before = tokens[i - 1] if i > 0 else None
    if before is None or before.kind != "word" or is_sentence_initial(sentence, before):
        return False
    between = sentence.text[before.end - sentence.start : token.start - sentence.start]
    return is_capitalized(before.text) and not between.strip()


def _modifier_forms(modifier: str) -> list[str]:
    """A compound's first part, and the same without German's linking letters."""
    forms = (
        modifier,
        modifier[:-1] if modifier.endswith(("s", "n", "e")) else None,
        modifier[:-2] if modifier.endswith(("es", "en")) else None,
    )
    return [form for form in forms if form and len(form) >= 3]
