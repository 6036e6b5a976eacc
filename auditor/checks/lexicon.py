"""LEX: non-words and misspellings ("Deforted", "Rassophobia"), with ranked suggestions.

A word is judged only when no dictionary could know it for other reasons: it is a plain word
(no digits, acronyms, mixed case, URLs), not a name (capitalization, names used in the article,
NAME findings), not flagged already (UNT, BOIL), not in the accept list. It is a non-word when
wordfreq's English list lacks it and an English word lies within a small, weighted edit
distance. A word a dictionary lists is real English however rare ("jobbery"): it is a slip,
minor, only one cheap edit from a far more frequent word. A capitalized word is far more often
a name than a misspelling: it is judged only when it reads as no romanized Chinese name, and is
minor at most. The suggestions and their ranking are ``auditor.lexicon.spelling``'s.
"""

from __future__ import annotations

import re

from ..document import Document, Finding
from ..lexicon.frequencies import frequencies, normalize
from ..lexicon.spelling import (
    EDIT_PENALTY,
    MAX_COST,
    Vocabulary,
    in_dictionary,
    is_derived,
    match_case,
)
from ..lexicon.tokens import (
    is_capitalized,
    is_plain_word,
    is_sentence_initial,
    name_tokens,
    reads_as_pinyin,
    words_to_judge,
)
from ..lexicon.wordlists import accepted_words, lexicon_file, load_word_list
from ..rules import Example, Family, Rule
from ..spans import SpanSet
from . import NOTHING, Check, Handover

CHECK = "lexicon"

FAMILY = Family(
    prefix="LEX",
    check=CHECK,
    title="spelling",
    color="#D55E00",
    order=40,
    reads=("BOIL", "NAME", "UNT"),
    rules=(
        Rule("LEX001", CHECK, "non-word", "Fluency/Spelling", "major",
             "A non-word or misspelling; the suggestions are the likely intended words.",
             statistical=True,
             examples=(
                 Example("The commander said the children were Deforted to camps in the east.",
                         flags="Deforted", fix="Deported"),
                 Example("The commander said the children were deported to camps in the east."),
             )),
    ),
)  # fmt: skip

KNOWN_ZIPF = 2.0  # English words at least this frequent are never flagged
FOREIGN_KNOWN_ZIPF = 2.0  # a word this frequent in a source language is a name or UNT's business
MIN_LENGTH = 4
MAX_COST_CAPITALIZED = 1.0  # a capitalized word is a name unless it is nearly a word...
MAX_COST_NAME_POSITION = 0.5  # ...and mid-sentence, unless it is one similar sound off
MIN_LENGTH_CAPITALIZED = 7  # short capitalized non-words are mostly brands and names ("Shibor")
MAJOR_CONFIDENCE = 0.85  # a non-word with one clear intended word is major; others are minor
# A word the dictionary lists is real English ("jobbery"), or an archaic spelling that is also
# a common slip ("prehaps"): flagged, minor, only one cheap slip (swap, double, similar sound,
# key beside) from a far more frequent word.
MAX_COST_LISTED = 0.5
# Major needs a common intended word (once per million words): a non-word one slip from a rare
# word is as often its variant spelling ("muntjak", "muntjac") or a term of art as a typo.
MAJOR_SUGGESTION_ZIPF = 3.0
RARE_WORD_GAP = 2.5  # a rare English word is a typo only for a much more frequent neighbour

_CLITICS = frozenset("s t re ve ll d m".split())
_HYPHEN = re.compile(r"(-)")  # split keeping the hyphens, so offsets add up


class LexiconCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.freq = frequencies(resources)
        self.accepted = accepted_words(resources, config)
        self.rejected = resources.get(
            f"lexicon.reject:{config.reject}",
            lambda: load_word_list(lexicon_file("reject.txt"), *config.reject),
        )

    @property
    def vocabulary(self) -> Vocabulary:
        # Built on the first suspicious word: a clean article never pays for it.
        return self.resources.get(
            f"lexicon.vocabulary:{self.config.reject}",
            lambda: Vocabulary(self.freq, self.rejected),
        )

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        taken = SpanSet(earlier.spans())
        names = name_tokens(doc, earlier.names)
        findings: list[Finding] = []
        for sentence, token in words_to_judge(doc, taken):
            if token.text in self.accepted or token.text in names:
                continue
            word, _, clitic = token.text.replace("’", "'").partition("'")
            if clitic and clitic.lower() not in _CLITICS:
                continue  # "Tu'ionetoa", "O'Brien", "D'Alema": names
            offset = token.start
            for part in _HYPHEN.split(word):
                start, offset = offset, offset + len(part)
                if part in ("-", "") or not is_plain_word(part):
                    continue
                initial = start == token.start and is_sentence_initial(sentence, token)
                finding = self._judge(doc, start, part, names, initial)
                if finding:
                    findings.append(finding)
        return findings

    def _judge(self, doc: Document, start: int, word: str, names, initial: bool):
        end = start + len(word)
        correction = self.rejected.correction(word)
        if correction is not None:
            replacements = [match_case(correction, word)] if correction else []
            return doc.finding(
                FAMILY.rule("LEX001"),
                start,
                end,
                f'"{word}" is a misspelling (reject list)',
                replacements=replacements,
                confidence=1.0,
                evidence={"source": "reject-list"},
            )
        if len(word) < MIN_LENGTH or word in self.accepted:
            return None
        english = self.freq.en(word)
        if english >= KNOWN_ZIPF:
            return None
        # A regular derivation of a common stem is a word ("visional"), unless a far more
        # common word is one slip away: "statment" is "stat" + "ment", and "statement" typed.
        derived = is_derived(normalize(word), self.freq)
        listed = in_dictionary(normalize(word), self.freq)
        name_like = is_capitalized(word) and not initial
        if word in names or (is_capitalized(word) and self._foreign_known(word)):
            return None
        if not is_capitalized(word) and self._foreign_known(word):
            return None
        if is_capitalized(word) and len(word) < MIN_LENGTH_CAPITALIZED:
            return None
        if is_capitalized(word) and reads_as_pinyin(word):
            return None  # a romanized Chinese name: "Chenzhou" is not a misspelt "Shenzhou"
        if name_like:
            max_cost = MAX_COST_NAME_POSITION
        elif listed:
            max_cost = MAX_COST_LISTED
        elif is_capitalized(word) or english > 0:
            max_cost = MAX_COST_CAPITALIZED
        else:
            max_cost = MAX_COST
        # Glued capitalized words are brands and names ("Chinanews", "Beethovenfest"); a listed
        # word is a closed compound ("weathercock").
        ranked = self.vocabulary.suggestions(
            normalize(word), max_cost, splits=not (is_capitalized(word) or listed)
        )
        if english > 0 or derived or listed:
            # A rare English word: only a typo when a far more frequent word is one edit away.
            ranked = [r for r in ranked if r[2] >= english + RARE_WORD_GAP]
        if derived:
            # One slip away, and not the stem itself ("cooperations" is a plural, if rare).
            ranked = [
                r
                for r in ranked
                if r[1] <= 1.0 and " " not in r[0] and not normalize(word).startswith(r[0])
            ]
        if not ranked:
            return None
        best, cost, zipf = ranked[0]
        margin = (zipf - EDIT_PENALTY * cost) - (
            ranked[1][2] - EDIT_PENALTY * ranked[1][1] if len(ranked) > 1 else -EDIT_PENALTY
        )
        confidence = min(0.95, 0.55 + 0.1 * margin + (0.15 if english == 0 else 0.0))
        severity = "major" if english == 0 and confidence >= MAJOR_CONFIDENCE else "minor"
        doubled = normalize(word) == best * 2  # "timetime": sure, however rare the word
        if listed or (zipf < MAJOR_SUGGESTION_ZIPF and not doubled):
            severity = "minor"
        if is_capitalized(word):
            severity = "minor"  # a capitalized word is far more often a name than a misspelling
        if " " in best:
            # Two words glued together may be a closed compound English writes solid
            # ("carsickness"); a doubled word ("timetime") is the sure case and stays major.
            severity = "minor"
        replacements = [match_case(w, word) for w, _, _ in ranked]
        return doc.finding(
            FAMILY.rule("LEX001"),
            start,
            end,
            f'"{word}" is not an English word; did you mean "{replacements[0]}"?',
            replacements=replacements,
            confidence=round(max(confidence, 0.3), 4),
            severity=severity,
            evidence={
                "zipf_en": english,
                "suggestions": [{"word": w, "edit_cost": c, "zipf_en": z} for w, c, z in ranked],
            },
        )

    def _foreign_known(self, word: str) -> bool:
        return self.freq.max_foreign(word) >= FOREIGN_KNOWN_ZIPF
