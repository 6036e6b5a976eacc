"""LEX: non-words and misspellings ("Deforted", "Rassophobia"), with ranked suggestions.

A word is judged only when no dictionary could know it for other reasons: it is a plain word
(no digits, acronyms, mixed case, URLs), not a name (capitalization, names used in the article,
NAME findings), not flagged already (UNT, BOIL), not in the accept list. It is a non-word when
wordfreq's English list lacks it and an English word lies within a small, weighted edit
distance. Suggestions are ranked as a noisy channel would: English frequency minus a penalty per
edit, where edits between similar sounds (f/p, a/u) or doubled letters cost half, as MT and
typists confuse them more often ("Deforted" -> "Deported", not "Deformed").
"""

from __future__ import annotations

import math
import re

from ..document import Document, Finding, Rule
from ..spans import SpanSet
from . import Check
from .words import (
    VOCABULARY_ZIPF,
    accepted_words,
    covered,
    frequencies,
    in_slashed_list,
    is_capitalized,
    is_plain_word,
    is_sentence_initial,
    lexicon_file,
    load_word_list,
    name_tokens,
    normalize,
    url_spans,
)

CHECK = "lexicon"

RULES = (
    Rule(
        "LEX001",
        CHECK,
        "non-word",
        "Fluency/Spelling",
        "major",
        "A non-word or misspelling; the suggestions are the likely intended words.",
        statistical=True,
    ),
)
_LEX001 = RULES[0]

KNOWN_ZIPF = 2.0  # English words at least this frequent are never flagged
FOREIGN_KNOWN_ZIPF = 2.0  # a word this frequent in a source language is a name or UNT's business
MIN_LENGTH = 4
EDIT_PENALTY = 3.0  # Zipf units per edit: one edit must buy ~1,000x the frequency
MAX_COST = 2.0
MAX_COST_CAPITALIZED = 1.0  # a capitalized word is a name unless it is nearly a word...
MAX_COST_NAME_POSITION = 0.5  # ...and mid-sentence, unless it is one similar sound off
MIN_LENGTH_CAPITALIZED = 7  # short capitalized non-words are mostly brands and names ("Shibor")
MAJOR_CONFIDENCE = 0.85  # a non-word with one clear intended word is major; others are minor
RARE_WORD_GAP = 2.5  # a rare English word is a typo only for a much more frequent neighbour
MAX_SUGGESTIONS = 5
SPLIT_ZIPF = 3.0  # both halves of a glued pair must be this common

_CLITICS = frozenset("s t re ve ll d m".split())
_HYPHEN = re.compile(r"(-)")  # split keeping the hyphens, so offsets add up
# Derivations English forms freely; a rare word made of a common stem and one of these is a word
# ("visional", "remobilize", "procuratorates"), however rare.
_SUFFIXES = (
    "s",
    "es",
    "ed",
    "d",
    "ing",
    "er",
    "ers",
    "ly",
    "al",
    "ist",
    "ists",
    "ism",
    "ness",
    "ize",
    "ise",
    "ized",
    "ised",
    "ization",
    "able",
    "ian",
    "ment",
    "ments",
    "ified",
    "ification",
    "ively",
)
# Not "un" or "mis": "unguilty" is a non-word however common "guilty" is.
_PREFIXES = (
    "re",
    "pre",
    "de",
    "non",
    "anti",
    "counter",
    "co",
    "post",
    "inter",
    "multi",
    "over",
    "under",
    "sub",
    "super",
    "cross",
    "self",
    "semi",
    "micro",
    "mega",
    "cyber",
)
STEM_ZIPF = 2.5
# Letters MT output and typists confuse: a substitution inside a group costs half an edit.
_SIMILAR = ("aeiouy", "bpfv", "td", "kgcq", "szc", "mn", "lr", "wv")
_SIMILAR_PAIRS = {(a, b) for group in _SIMILAR for a in group for b in group if a != b}


class Vocabulary:
    """English words for suggestions, bucketed by length for fast fuzzy search."""

    def __init__(self, freq, reject) -> None:
        self.freq = freq
        self.reject = reject
        self.by_length = freq.english_vocabulary()
        self.zipf: dict[str, float] = {}  # of the words suggested so far, and of glued pairs

    def suggestions(
        self, word: str, max_cost: float = MAX_COST, splits: bool = True
    ) -> list[tuple[str, float, float]]:
        """(suggestion, weighted edit cost, Zipf) for ``word`` (lowercase), best first;
        ``splits`` also offers the words of a glued pair ("debtdata" -> "debt data")."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        limit = math.ceil(max_cost)
        found: dict[str, float] = {}
        for length in range(len(word) - limit, len(word) + limit + 1):
            choices = self.by_length.get(length)
            if not choices:
                continue
            for candidate, distance, _ in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                cost = min(float(distance), _weighted_cost(word, candidate))
                if 0 < cost <= max_cost and candidate not in self.reject.words:
                    found[candidate] = cost
                    self.zipf.setdefault(candidate, self.freq.en(candidate))
        if splits:
            found.update(self._splits(word))
        ranked = sorted(
            found.items(), key=lambda kv: (-(self.zipf[kv[0]] - EDIT_PENALTY * kv[1]), kv[0])
        )
        return [(w, cost, self.zipf[w]) for w, cost in ranked[:MAX_SUGGESTIONS]]

    def _splits(self, word: str) -> dict[str, float]:
        """Words MT or an editor glued together: "slowdownto" -> "slowdown to", "timetime" ->
        "time"."""
        half = len(word) // 2
        if len(word) % 2 == 0 and word[:half] == word[half:]:
            z = self.freq.en(word[:half])
            if z >= VOCABULARY_ZIPF:
                self.zipf[word[:half]] = z
                return {word[:half]: 0.5}
        found = {}
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            z = min(self.freq.en(left), self.freq.en(right))
            if z >= SPLIT_ZIPF:
                joined = f"{left} {right}"
                self.zipf[joined] = z
                found[joined] = 1.0
        return found


def _weighted_cost(source: str, target: str) -> float:
    from rapidfuzz.distance import Levenshtein

    cost = 0.0
    for op in Levenshtein.editops(source, target):
        if op.tag == "replace":
            pair = (source[op.src_pos], target[op.dest_pos])
            cost += 0.5 if pair in _SIMILAR_PAIRS else 1.0
        elif op.tag == "delete":
            cost += 0.5 if _doubled(source, op.src_pos) else 1.0
        else:
            cost += 0.5 if _doubled(target, op.dest_pos) else 1.0
    return cost


def _doubled(word: str, i: int) -> bool:
    return (i > 0 and word[i - 1] == word[i]) or (i + 1 < len(word) and word[i + 1] == word[i])


def _match_case(suggestion: str, original: str) -> str:
    if original.isupper():
        return suggestion.upper()
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


class LexiconCheck(Check):
    name = CHECK
    rules = RULES

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

    def check(self, doc: Document, prior=()) -> list[Finding]:
        prior = list(prior)
        taken = SpanSet((f.start, f.end) for f in prior)
        names = name_tokens(doc, prior)
        findings: list[Finding] = []
        for sentence in doc.sentences:
            urls = url_spans(sentence)
            for token in sentence.words:
                if token.kind != "word" or taken.overlaps(token.start, token.end):
                    continue
                if urls and covered(token.start, token.end, urls):
                    continue
                if token.text in self.accepted or token.text in names:
                    continue
                if in_slashed_list(doc.text, token):
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
            replacements = [_match_case(correction, word)] if correction else []
            return doc.finding(
                _LEX001,
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
        if self._derived(normalize(word)):
            return None
        name_like = is_capitalized(word) and not initial
        if word in names or (is_capitalized(word) and self._foreign_known(word)):
            return None
        if not is_capitalized(word) and self._foreign_known(word):
            return None
        if is_capitalized(word) and len(word) < MIN_LENGTH_CAPITALIZED:
            return None
        if name_like:
            max_cost = MAX_COST_NAME_POSITION
        elif is_capitalized(word) or english > 0:
            max_cost = MAX_COST_CAPITALIZED
        else:
            max_cost = MAX_COST
        # Glued capitalized words are brands and names ("Chinanews", "Beethovenfest").
        ranked = self.vocabulary.suggestions(
            normalize(word), max_cost, splits=not is_capitalized(word)
        )
        if english > 0:
            # A rare English word: only a typo when a far more frequent word is one edit away.
            ranked = [r for r in ranked if r[2] >= english + RARE_WORD_GAP]
        if not ranked:
            return None
        best, cost, zipf = ranked[0]
        margin = (zipf - EDIT_PENALTY * cost) - (
            ranked[1][2] - EDIT_PENALTY * ranked[1][1] if len(ranked) > 1 else -EDIT_PENALTY
        )
        confidence = min(0.95, 0.55 + 0.1 * margin + (0.15 if english == 0 else 0.0))
        severity = "major" if english == 0 and confidence >= MAJOR_CONFIDENCE else "minor"
        if " " in best:
            # Two words glued together may be a closed compound English writes solid
            # ("carsickness"); a doubled word ("timetime") is the sure case and stays major.
            severity = "minor"
        replacements = [_match_case(w, word) for w, _, _ in ranked]
        return doc.finding(
            _LEX001,
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

    def _derived(self, word: str) -> bool:
        def known(stem: str) -> bool:
            return len(stem) >= 3 and self.freq.en(stem) >= STEM_ZIPF

        for suffix in _SUFFIXES:
            if word.endswith(suffix):
                stem = word[: -len(suffix)]
                if (
                    known(stem)
                    or known(stem + "e")
                    or (stem.endswith("i") and known(stem[:-1] + "y"))
                ):
                    return True
        return any(word.startswith(p) and known(word[len(p) :]) for p in _PREFIXES)

    def _foreign_known(self, word: str) -> bool:
        return self.freq.max_foreign(word) >= FOREIGN_KNOWN_ZIPF
