"""Spelling suggestions: English words a small, weighted edit away, ranked as a noisy channel
would (English frequency minus a penalty per edit), where edits between similar sounds (f/p,
a/u), keys side by side on a keyboard, doubled letters and two swapped letters cost half, as
MT and typists make them more often ("Deforted" -> "Deported", not "Deformed"; "helsp" ->
"helps", not "help"); words glued together ("debtdata" -> "debt data"); and the derivations
English forms freely, which no frequency list holds ("desertified"); the inflections of a
word the dictionary lists ("muntjacs").
"""

from __future__ import annotations

import math

from .frequencies import VOCABULARY_ZIPF

EDIT_PENALTY = 3.0  # Zipf units per edit: one edit must buy ~1,000x the frequency
MAX_COST = 2.0
MAX_SUGGESTIONS = 5
SPLIT_ZIPF = 3.0  # both halves of a glued pair must be this common

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
# Keys side by side on a QWERTY keyboard: a typist hits the one beside ("mefia" for "media").
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_SIMILAR_PAIRS |= {(r[i], r[i + 1]) for r in _ROWS for i in range(len(r) - 1)}
_SIMILAR_PAIRS |= {(b, a) for a, b in list(_SIMILAR_PAIRS)}


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
                if distance == 1 and _transposed(word, candidate):
                    cost = 0.5  # two letters swapped: the commonest slip of all typists
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


def _transposed(word: str, candidate: str) -> bool:
    """``candidate`` is ``word`` with two neighbouring letters swapped back."""
    if len(word) != len(candidate):
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, candidate, strict=True)) if a != b]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == candidate[diff[1]]


def _doubled(word: str, i: int) -> bool:
    return (i > 0 and word[i - 1] == word[i]) or (i + 1 < len(word) and word[i + 1] == word[i])


def match_case(suggestion: str, original: str) -> str:
    if original.isupper():
        return suggestion.upper()
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def is_derived(word: str, freq) -> bool:
    """A regular derivation of a common English stem ("visional", "remobilize")."""

    def known(stem: str) -> bool:
        return len(stem) >= 3 and freq.en(stem) >= STEM_ZIPF

    for suffix in _SUFFIXES:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if known(stem) or known(stem + "e") or (stem.endswith("i") and known(stem[:-1] + "y")):
                return True
    return any(word.startswith(p) and known(word[len(p) :]) for p in _PREFIXES)


# Inflections the dictionary's lemmas take: (suffix, what the lemma ends with instead).
_INFLECTIONS = (
    ("s", ""),
    ("es", ""),
    ("ies", "y"),
    ("d", ""),
    ("ed", ""),
    ("ied", "y"),
    ("ing", ""),
    ("ing", "e"),
)


def in_dictionary(word: str, freq) -> bool:
    """The dictionary lists ``word`` (lowercase), or the lemma it inflects ("muntjacs",
    "gaoled", "travelled": a doubled final consonant)."""
    if freq.listed(word):
        return True
    for suffix, ending in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + ending
            if freq.listed(stem) or (stem[-1] == stem[-2] and freq.listed(stem[:-1])):
                return True
    return False
