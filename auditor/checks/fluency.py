"""FLU: garbled sentences and spans, by language-model surprisal against clean English.

Every sentence is scored by the language model (the ``lm`` setting) conditioned on the article
text before it (a bounded window), in blocks of consecutive sentences batched across all
articles of the batch; the per-token surprisal is then judged by ``auditor.fluency`` against
what the same model gives professional English (``corpora/lm/fluency-<model>.yaml``). Debris
found by BOIL is neither scored nor used as context; words inside NAME, UNT and LEX findings
are not held against the sentence (they are reported already, or are names).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..document import Document, Finding, Sentence, clip
from ..fluency.assess import Assessment, assess
from ..fluency.calibration import Calibration, default_path
from ..fluency.segments import BLOCK_CHARS, slice_tokens
from ..fluency.triage import read_first
from ..rules import Example, Family, Rule
from ..spans import SpanSet
from . import NOTHING, Check, Handover

CHECK = "fluency"
_CLEAN = "The mayor opened the new bridge on Saturday.\n\nTraffic will use it from Monday."
_WORD_SALAD = "Bridge the of opened mayor waste Saturday money the of river was because city."
_GARBLED = _CLEAN.replace("\n\n", f"\n\n{_WORD_SALAD}\n\n")
FAMILY = Family(
    prefix="FLU",
    check=CHECK,
    title="fluency",
    color="#CC79A7",
    order=20,
    uses_lm=True,
    # Debris is neither scored nor context; words the others flagged are not held against
    # the sentence.
    reads=("BOIL", "NAME", "UNT", "LEX", "ENC"),
    rules=(
        Rule("FLU001", CHECK, "garbled-span", "Fluency/Grammar", "major",
             "Words a reader stumbles on: far more surprising to a language model than clean "
             "English words of the same kind and frequency.", statistical=True,
             examples=(
                 Example(_GARBLED, flags="the of opened mayor waste Saturday money the of"),
                 Example(_CLEAN),
             )),
        Rule("FLU002", CHECK, "garbled-sentence", "Style/Awkward", "major",
             "A sentence that reads as garbled as a whole: its surprisal beyond clean English "
             "is higher than in nearly all professionally written sentences of its length.",
             statistical=True,
             examples=(Example(_GARBLED, flags=_WORD_SALAD), Example(_CLEAN))),
    ),
)  # fmt: skip
MIN_WORDS = 3  # shorter pieces (datelines, labels) say too little to judge


def load_scorer(name: str | None = None):
    """The scorer of language model ``name`` (None: the default)."""
    from ..lm.model import load
    from ..lm.scorer import Scorer

    return Scorer(*load(name))


def calibration_of(resources) -> Calibration:
    """The calibration of the configured language model, read once per process."""
    name = resources.config.lm or None
    return resources.get(
        f"fluency.calibration.{name}", lambda: Calibration.load(default_path(name))
    )


def scorer_of(resources):
    """The scorer of the configured language model, loaded once per process."""
    name = resources.config.lm or None
    return resources.get(f"lm.scorer.{name}", lambda: load_scorer(name))


@dataclass(slots=True)
class _Block:
    doc: int
    sentences: list[Sentence]
    context: str

    def text(self) -> str:
        """The sentences as the model reads them: a line break between paragraphs, a space
        within one, however the input laid them out (a one-line article reads as the same
        article with its line breaks)."""
        parts = [self.sentences[0].text]
        for before, sentence in zip(self.sentences, self.sentences[1:], strict=False):
            parts.append("\n" if sentence.paragraph != before.paragraph else " ")
            parts.append(sentence.text)
        return "".join(parts)

    def offsets(self) -> list[int]:
        """Where each sentence starts in ``text()``."""
        starts, at = [], 0
        for sentence in self.sentences:
            starts.append(at)
            at += len(sentence.text) + 1
        return starts


class FluencyCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.calibration: Calibration = calibration_of(resources).with_levels(
            config.fluency_flag_level, config.fluency_major_level
        )

    @property
    def scorer(self):
        return scorer_of(self.resources)

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        return self.check_batch([doc], [earlier])[0]

    def check_batch(
        self, docs: Sequence[Document], earlier: Sequence[Handover]
    ) -> list[list[Finding]]:
        blocks = [b for i, doc in enumerate(docs) for b in self._blocks(i, doc, earlier[i])]
        results: list[list[Finding]] = [[] for _ in docs]
        ranked: list[list[tuple[float, int, int]]] = [[] for _ in docs]
        if not blocks:
            return results
        scores = self.scorer.score([(b.context, b.text()) for b in blocks])
        # Words the checks before flagged are reported already, or are names.
        discounted = [SpanSet((f.start, f.end) for f in e.flagged) for e in earlier]
        for block, scored in zip(blocks, scores, strict=True):
            doc = docs[block.doc]
            protected = discounted[block.doc]
            for n, (sentence, at) in enumerate(zip(block.sentences, block.offsets(), strict=True)):
                offsets, logprobs = slice_tokens(
                    scored.text,
                    scored.offsets,
                    scored.logprobs,
                    at,
                    at + len(sentence.text),
                )
                a = assess(
                    sentence.text,
                    offsets,
                    logprobs,
                    self.calibration,
                    [
                        (s - sentence.start, e - sentence.start)
                        for s, e in protected.inside(sentence.start, sentence.end)
                    ],
                    opening=n == 0 and not block.context,
                )
                results[block.doc].extend(self._findings(doc, sentence, a))
                if len(sentence.words) >= MIN_WORDS:
                    ranked[block.doc].append((a.score, sentence.start, sentence.end))
        for doc, candidates in zip(docs, ranked, strict=True):
            # ``read_first``: the sentences to read first (``auditor.fluency.triage``), most
            # likely first, each with its place in the input file and its estimated MQM points.
            entries = []
            for score, start, end in read_first(candidates):
                line, col = doc.locate(start)
                entries.append(
                    {"start": start, "end": end, "line": line, "col": col, "score": round(score, 2)}
                )
            if entries:
                doc.extra["read_first"] = entries
        return results

    def _blocks(self, i: int, doc: Document, earlier: Handover) -> list[_Block]:
        """Runs of consecutive sentences worth scoring, each with the clean text before it."""
        debris = SpanSet((d.start, d.end) for d in earlier.debris)
        blocks: list[_Block] = []
        window = self.config.lm_context_chars
        before = ""  # the end of the article text so far, debris left out
        current: _Block | None = None
        for sentence in _outside(doc.sentences, debris):
            if sentence is None:  # debris: the text around it does not run on
                current = None
                continue
            fits = current and sentence.end - current.sentences[0].start <= BLOCK_CHARS
            if fits:
                current.sentences.append(sentence)
            else:
                current = _Block(i, [sentence], before)
                blocks.append(current)
            before = (f"{before}\n{sentence.text}" if before else sentence.text)[-window:]
        return [b for b in blocks if any(len(s.words) >= MIN_WORDS for s in b.sentences)]

    def _findings(self, doc: Document, sentence: Sentence, a: Assessment) -> list[Finding]:
        if len(sentence.words) < MIN_WORDS:
            return []
        cal = self.calibration
        findings = []
        for span in a.spans:
            level = cal.span_quantile(span.score)
            if level < cal.flag_level:
                continue
            findings.append(
                doc.finding(
                    FAMILY.rule("FLU001"),
                    sentence.start + span.start,
                    sentence.start + span.end,
                    f"garbled wording: “{clip(span.text, 40)}” is far less expected here than "
                    f"clean English ({span.surprisal / max(span.expected, 0.1):.1f}x its "
                    f"surprisal; a stretch this odd is in {1 - level:.1%} of clean sentences)",
                    confidence=level,
                    severity="major" if level >= cal.major_level else "minor",
                    evidence={**span.evidence(), "clean_quantile": round(level, 4)},
                )
            )
        if a.quantile >= cal.flag_level:
            findings.append(
                doc.finding(
                    FAMILY.rule("FLU002"),
                    sentence.start,
                    sentence.end,
                    f"sentence reads as garbled: less fluent to a language model than "
                    f"{a.quantile:.1%} of clean sentences of its length",
                    confidence=a.quantile,
                    severity="major" if a.quantile >= cal.major_level else "minor",
                    evidence={
                        "garbledness": round(a.garbledness, 2),
                        "clean_quantile": round(a.quantile, 4),
                        "estimated_mqm": round(a.score, 2),
                        "surprisal": round(a.surprisal, 2),
                        "words": a.n_words,
                    },
                )
            )
        return findings


def _mostly_in(sentence: Sentence, spans: SpanSet) -> bool:
    """Is most of the sentence inside the spans?"""
    return spans.chars_inside(sentence.start, sentence.end) * 2 > sentence.end - sentence.start


def _outside(sentences: Sequence[Sentence], debris: SpanSet) -> Iterator[Sentence | None]:
    """The sentences with debris left out: a sentence mostly debris gives None, and one with
    debris inside (chrome glued to a headline where line breaks were lost) gives the pieces
    around it, each read as a sentence of its own, with a None between them."""
    for sentence in sentences:
        if _mostly_in(sentence, debris):
            yield None
            continue
        inside = debris.inside(sentence.start, sentence.end)
        if not inside:
            yield sentence
            continue
        cuts = [sentence.start, *(x for span in inside for x in span), sentence.end]
        for k, (start, end) in enumerate(zip(cuts[::2], cuts[1::2], strict=True)):
            if k:
                yield None
            piece = sentence.text[start - sentence.start : end - sentence.start]
            lead = len(piece) - len(piece.lstrip())
            piece = piece.strip()
            if piece:
                start += lead
                tokens = [t for t in sentence.tokens if start <= t.start and t.end <= end]
                yield Sentence(start, start + len(piece), piece, tokens, sentence.paragraph)
