"""REF: an article against a reference translation (``auditor check --reference``) or against
the other versions of its story in the corpus (siblings).

Sentences are aligned monotonically (``auditor.reference.align``) and scored with sacrebleu.
With several siblings, a finding needs the agreement of more than half of them, and its
confidence is the share that agrees: one outlet trimming its copy says little about the
others. Sentences the boilerplate check flags are debris, not article text, and are left out
on both sides (found with ``auditor.boilerplate`` whether or not BOIL rules are selected).
The check produces nothing when there is neither a reference nor a sibling.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from ..boilerplate import find_debris, patterns
from ..document import Document, Finding, clip
from ..reference import REFERENCES_KEY, SIBLINGS_KEY, calibration
from ..reference.compare import Comparison, compare
from ..rules import Example, Family, Rule
from ..segment import segment
from . import NOTHING, Check, Handover

CHECK = "reference"
EXCERPT_CHARS = 120
# A story syndicated to dozens of outlets: a majority of this many versions is evidence
# enough, and the work per article stays bounded.
MAX_SIBLINGS = 8

# Examples: against a reference translation, and against two sibling versions of one story.
_THIRD = "Traffic will use it from Monday."
_REFERENCE = (
    f"The mayor opened the new bridge on Saturday. It cost 40 million euros. {_THIRD} "
    "The opposition called it a waste of money."
)


def _against_reference(sentence: str, instead: str, flags: str | None = None) -> Example:
    """The reference with ``sentence`` replaced by ``instead``, flagged there."""
    return Example(
        _REFERENCE.replace(sentence, instead), flags=flags or instead, reference=_REFERENCE
    )


def _story(text: str) -> str:
    return f"---\nstory: bridge\n---\n{text}"


_SIBLINGS = (_story(_REFERENCE), _story(_REFERENCE.replace("Saturday", "Saturday morning")))

FAMILY = Family(
    prefix="REF",
    check=CHECK,
    title="reference",
    color="#009E73",
    order=60,
    rules=(
        Rule("REF001", CHECK, "low-similarity", "Accuracy/Mistranslation", "minor",
             "An aligned sentence scores below the calibrated chrF threshold against the "
             "reference or most sibling versions: it may say something else.",
             statistical=True,
             examples=(
                 _against_reference(_THIRD, "On Monday it shuts for repairs."),
                 Example(_REFERENCE.replace(_THIRD, "From Monday, traffic will use it."),
                         reference=_REFERENCE),
             )),
        Rule("REF002", CHECK, "sentence-missing", "Accuracy/Omission", "major",
             "A sentence of the reference (or of most sibling versions) has no counterpart "
             "here.", statistical=True,
             examples=(
                 Example(_REFERENCE.replace(f"{_THIRD} ", ""), flags="", reference=_REFERENCE),
                 Example(_REFERENCE, reference=_REFERENCE),
             )),
        Rule("REF003", CHECK, "sentence-added", "Accuracy/Addition", "major",
             "A sentence with no counterpart in the reference (or in most sibling versions).",
             statistical=True,
             examples=(
                 _against_reference(_THIRD, f"{_THIRD} A brass band played.",
                                    flags="A brass band played."),
                 Example(_REFERENCE, reference=_REFERENCE),
                 Example(_story(_REFERENCE.replace(_THIRD, f"A brass band played. {_THIRD}")),
                         flags="A brass band played.", siblings=_SIBLINGS),
                 Example(_story(_REFERENCE), siblings=_SIBLINGS),
             )),
    ),
)  # fmt: skip


def _excerpt(text: str) -> str:
    return clip(" ".join(text.split()), EXCERPT_CHARS)


@dataclass
class _Votes:
    """What each comparison says about the candidate's sentences and gaps."""

    comparisons: int = 0
    siblings: bool = False
    alone: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    scored: dict[int, list[tuple[float, Comparison, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    missing: dict[int, list[tuple[Comparison, list[int]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, comparison: Comparison) -> None:
        self.comparisons += 1
        run: list[int] = []
        for index, pair in enumerate(comparison.pairs):
            if not pair.candidate:
                run.extend(pair.reference)
                nxt = comparison.pairs[index + 1] if index + 1 < len(comparison.pairs) else None
                if nxt is None or nxt.candidate:
                    anchor = comparison.insertion_point(index)
                    self.missing[anchor].append((comparison, run))
                    run = []
            elif not pair.reference:
                for i in pair.candidate:
                    self.alone[i] += 1
            else:
                for i in pair.candidate:
                    self.scored[i].append((pair.scores.chrf, comparison, index))

    def majority(self, count: int) -> bool:
        return count * 2 > self.comparisons

    def confidence(self, count: int) -> float:
        """The share of comparisons that agree. Among siblings the article itself is one
        more version that disagrees: two versions alone cannot say which of them is wrong."""
        return count / (self.comparisons + (1 if self.siblings else 0))

    def severity(self, rule: Rule, count: int) -> str:
        """Sibling evidence is major only when at least two other versions agree."""
        return "minor" if self.siblings and count < 2 else rule.severity


class ReferenceCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.calibration = calibration(resources)
        self.patterns = patterns(resources)
        self._debris_cache: dict[tuple[str, int], set[int]] = {}

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        references = self.resources.get(REFERENCES_KEY, lambda: None)
        index = self.resources.get(SIBLINGS_KEY, lambda: None)
        reference = references.for_document(doc) if references is not None else None
        siblings = index.siblings(doc, MAX_SIBLINGS) if index is not None else []
        if siblings:  # a version that shares no text past the lead is no version of this one
            from ..reference import calibration
            from ..reference.siblings import body_sketch, sketch_similarity

            least = calibration(self.resources).sibling_body
            own = body_sketch(doc)
            siblings = [s for s in siblings if sketch_similarity(own, body_sketch(s)) >= least]
        if reference is None and not siblings:
            return []
        skip = self._debris(doc, keep=False)
        fields: dict = {}
        sibling_comparisons = [self._compare(doc, s, skip) for s in siblings]
        if sibling_comparisons:
            fields["siblings"] = len(sibling_comparisons)
            fields["sibling_chrf"] = round(
                statistics.fmean(c.document.chrf for c in sibling_comparisons), 2
            )
        if reference is not None:
            comparisons = [self._compare(doc, reference, skip)]
            fields["reference"] = _summary(comparisons[0])
            basis = "the reference"
        else:
            comparisons = sibling_comparisons
            basis = "the sibling versions" if len(comparisons) > 1 else "the sibling version"
        doc.extra.update(fields)
        votes = _Votes(siblings=reference is None)
        for comparison in comparisons:
            votes.add(comparison)
        findings = self._added(doc, votes, skip, basis)
        findings += self._low(doc, votes, basis)
        findings += self._missing(doc, votes, basis)
        return sorted(findings, key=lambda f: (f.start, f.end, f.rule))

    def _compare(self, doc: Document, other: Document, skip: set[int]) -> Comparison:
        if not other.sentences:
            segment(other)
        return compare(doc, other, self.calibration, skip, self._debris(other))

    def _debris(self, doc: Document, keep: bool = True) -> set[int]:
        """Sentences the boilerplate check calls debris, found here whatever the selection so
        that both sides of a comparison are cleaned alike. References and siblings serve many
        comparisons, so theirs are kept."""
        key = (doc.path, len(doc.text))
        if key in self._debris_cache:
            return self._debris_cache[key]
        found = debris_sentences(doc, find_debris(doc, self.patterns))
        if keep:
            self._debris_cache[key] = found
        return found

    def _added(self, doc: Document, votes: _Votes, skip: set[int], basis: str) -> list[Finding]:
        findings = []
        rule = FAMILY.rule("REF003")
        for i, count in sorted(votes.alone.items()):
            if i in skip or not votes.majority(count):
                continue
            s = doc.sentences[i]
            findings.append(doc.finding(
                rule, s.start, s.end, f"sentence not in {basis}: a possible addition",
                confidence=votes.confidence(count), severity=votes.severity(rule, count),
                evidence={"comparisons": votes.comparisons, "unaligned_in": count},
            ))  # fmt: skip
        return findings

    def _low(self, doc: Document, votes: _Votes, basis: str) -> list[Finding]:
        threshold = self.calibration.low_chrf
        findings = []
        rule = FAMILY.rule("REF001")
        for i, scored in sorted(votes.scored.items()):
            low = [item for item in scored if item[0] < threshold]
            if not votes.majority(len(low)):
                continue
            chrf = statistics.median(item[0] for item in low)
            _, comparison, index = min(low, key=lambda item: item[0])
            pair = comparison.pairs[index]
            other = comparison.text("reference", pair)
            s = doc.sentences[i]
            share = votes.confidence(len(low))
            findings.append(doc.finding(
                rule, s.start, s.end,
                f"differs from {basis} (chrF {chrf:.1f}, below {threshold:g}); "
                f"it has: \u201c{_excerpt(other)}\u201d",
                confidence=share * (0.5 + 0.5 * (threshold - chrf) / threshold),
                evidence={
                    "chrf": round(chrf, 2), "threshold": threshold,
                    "bleu": round(pair.scores.bleu, 2), "ter": round(pair.scores.ter, 2),
                    "alignment": pair.kind, "reference": other,
                    "comparisons": votes.comparisons, "low_in": len(low),
                },
            ))  # fmt: skip
        return findings

    def _missing(self, doc: Document, votes: _Votes, basis: str) -> list[Finding]:
        findings = []
        rule = FAMILY.rule("REF002")
        for anchor, gaps in sorted(votes.missing.items()):
            if not votes.majority(len(gaps)):
                continue
            comparison, indices = gaps[0]
            sentences = [comparison.reference.sentences[j] for j in indices]
            text = " ".join(s.text for s in sentences)
            what = "a sentence" if len(sentences) == 1 else f"{len(sentences)} sentences"
            findings.append(doc.finding(
                rule, anchor, anchor,
                f"{what} of {basis} missing here: \u201c{_excerpt(text)}\u201d",
                confidence=votes.confidence(len(gaps)),
                severity=votes.severity(rule, len(gaps)),
                evidence={
                    "missing": text,
                    "reference_span": {"start": sentences[0].start, "end": sentences[-1].end},
                    "reference_path": comparison.reference.path,
                    "comparisons": votes.comparisons, "missing_in": len(gaps),
                },
            ))  # fmt: skip
        return findings


def debris_sentences(doc: Document, debris) -> set[int]:
    """Sentences at least half inside the given debris (anything with ``start`` and ``end``)."""
    out = set()
    for i, s in enumerate(doc.sentences):
        inside = sum(max(0, min(s.end, d.end) - max(s.start, d.start)) for d in debris)
        if inside * 2 >= s.end - s.start > 0:
            out.add(i)
    return out


def _summary(comparison: Comparison) -> dict:
    from ..reference.metrics import signatures

    kinds = [p.kind for p in comparison.pairs]
    sig = signatures()
    return {
        "path": comparison.reference.path,
        **comparison.document.to_dict(),
        "aligned": sum(k not in ("1-0", "0-1") for k in kinds),
        "omitted": sum(len(p.reference) for p in comparison.pairs if not p.candidate),
        "added": sum(len(p.candidate) for p in comparison.pairs if not p.reference),
        "signatures": {m: sig[f"{m}_document"] for m in ("chrf", "bleu", "ter")},
    }
