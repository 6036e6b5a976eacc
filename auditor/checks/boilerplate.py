"""BOIL: scraping debris, page chrome, author bios and teaser fragments repeated in an article.

Patterns are data (``corpora/patterns/boilerplate.yaml``); this module only applies them and
finds what no pattern can: a sentence repeated inside the article (a teaser glued in twice)
and a block that starts mid-sentence (a cut teaser fragment).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from ..document import Document, Finding, Rule
from ..paths import corpora_dir, parse_yaml
from . import Check

CHECK = "boilerplate"
CATEGORY = "Other/Extraction"


def _rule(code: str, name: str, severity: str, help_text: str) -> Rule:
    return Rule(code, CHECK, name, CATEGORY, severity, help_text)


RULES = (
    _rule("BOIL001", "related-link", "major", "Related-story label or link from the source page."),
    _rule("BOIL002", "page-chrome", "major", "Share bars, comment forms, banners, ticker labels."),
    _rule("BOIL003", "author-bio", "major", "Author biography appended by an aggregator."),
    _rule(
        "BOIL004", "repeated-fragment", "major", "A sentence repeated from earlier in the article."
    ),
    _rule("BOIL005", "cut-fragment", "major", "A block that starts mid-sentence: a cut teaser."),
    _rule("BOIL006", "credit-line", "minor", "Photo caption, credit or agency sign-off line."),
)
_BY_CODE = {r.code: r for r in RULES}
_WORD = re.compile(r"\w+")
MIN_REPEAT_WORDS = 5


@dataclass(frozen=True)
class Pattern:
    id: str
    rule: Rule
    scope: str
    regex: re.Pattern[str]
    message: str
    next_headline: bool


def load_patterns(path: Path | None = None) -> list[Pattern]:
    path = path or corpora_dir() / "patterns" / "boilerplate.yaml"
    data = parse_yaml(path.read_text(encoding="utf-8"))
    patterns = []
    for p in data["patterns"]:
        if p["scope"] not in ("block", "sentence"):
            raise ValueError(f"{path}: pattern {p['id']}: unknown scope {p['scope']!r}")
        patterns.append(
            Pattern(
                id=p["id"],
                rule=_BY_CODE[p["rule"]],
                scope=p["scope"],
                regex=re.compile(p["regex"], re.IGNORECASE),
                message=p["message"],
                next_headline=bool(p.get("next_headline", False)),
            )
        )
    return patterns


class BoilerplateCheck(Check):
    name = CHECK
    rules = RULES

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.patterns = resources.get("boilerplate.patterns", load_patterns)

    def check(self, doc: Document, prior=()) -> list[Finding]:
        findings: dict[tuple[int, int], Finding] = {}
        block_starts = [b.start for b in doc.paragraphs]

        def covered(start: int, end: int) -> bool:
            # Every span here is a whole block or a whole sentence, so a span is covered when
            # it is already flagged or lies in a block flagged as a whole.
            if (start, end) in findings:
                return True
            i = bisect.bisect_right(block_starts, start) - 1
            block = doc.paragraphs[i] if i >= 0 else None
            return block is not None and (block.start, block.end) in findings and end <= block.end

        def add(rule: Rule, start: int, end: int, message: str, **kw) -> None:
            if not covered(start, end):
                findings[(start, end)] = doc.finding(rule, start, end, message, **kw)

        self._patterns(doc, add)
        self._repeats(doc, add)
        self._cut_fragments(doc, add)
        return sorted(findings.values(), key=lambda f: (f.start, f.end))

    def _patterns(self, doc: Document, add) -> None:
        text = doc.text
        blocks = doc.paragraphs
        for i, block in enumerate(blocks):
            unit = text[block.start : block.end].strip()
            for p in self.patterns:
                if p.scope == "block" and p.regex.fullmatch(unit):
                    add(p.rule, block.start, block.end, p.message, replacements=[""])
                    if p.next_headline and i + 1 < len(blocks) and self._is_headline(doc, i + 1):
                        nxt = blocks[i + 1]
                        add(
                            p.rule,
                            nxt.start,
                            nxt.end,
                            "title of a related story linked from the source page",
                            replacements=[""],
                            confidence=0.9,
                        )
                    break
        for s in doc.sentences:
            for p in self.patterns:
                if p.scope == "sentence" and p.regex.fullmatch(s.text.strip()):
                    add(p.rule, s.start, s.end, p.message, replacements=[""])
                    break

    @staticmethod
    def _is_headline(doc: Document, block_index: int) -> bool:
        sentences = [s for s in doc.sentences if s.paragraph == block_index]
        return len(sentences) == 1 and sentences[0].is_headline and len(sentences[0].words) <= 20

    def _cut_fragments(self, doc: Document, add) -> None:
        rule = _BY_CODE["BOIL005"]
        sentence_at = {s.start: s for s in doc.sentences}
        for block in doc.paragraphs:
            sentence = sentence_at.get(block.start)
            if sentence is None:
                continue
            head = sentence.text.lstrip()
            # A lowercase word or a bare colon at the start of a block is where a teaser was cut.
            starts_cut = head[:1] in (":", ";", ",") or (
                head[:1].islower() and not re.match(r"(?:e\.g\.|i\.e\.|iPhone|eBay)", head)
            )
            if starts_cut and (block is not doc.paragraphs[0] or not head[:1].isalpha()):
                add(
                    rule,
                    sentence.start,
                    sentence.end,
                    "fragment cut from a teaser: the block starts mid-sentence",
                    replacements=[""],
                    confidence=0.8,
                )

    def _repeats(self, doc: Document, add) -> None:
        rule = _BY_CODE["BOIL004"]
        # Earlier sentences indexed by every run of MIN_REPEAT_WORDS words, so a sentence is
        # compared only with the earlier ones that share its opening words (linear, not
        # quadratic, in long documents).
        earlier: list[str] = []
        by_opening: dict[tuple[str, ...], list[int]] = {}
        for s in doc.sentences:
            words = [w.lower() for w in _WORD.findall(s.text)]
            if len(words) >= MIN_REPEAT_WORDS:
                joined = f" {' '.join(words)} "
                candidates = by_opening.get(tuple(words[:MIN_REPEAT_WORDS]), ())
                if any(joined in earlier[i] for i in candidates):
                    add(
                        rule,
                        s.start,
                        s.end,
                        "sentence repeated from earlier in the article (a teaser glued in twice)",
                        replacements=[""],
                        confidence=0.9,
                    )
            index = len(earlier)
            earlier.append(f" {' '.join(words)} ")
            for k in range(len(words) - MIN_REPEAT_WORDS + 1):
                runs = by_opening.setdefault(tuple(words[k : k + MIN_REPEAT_WORDS]), [])
                if not runs or runs[-1] != index:
                    runs.append(index)
