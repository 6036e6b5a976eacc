"""BOIL: scraping debris, page chrome, author bios and teaser fragments repeated in an article.

Patterns are data (``corpora/patterns/boilerplate.yaml``); this module only applies them and
finds what no pattern can: a sentence repeated inside the article (a teaser glued in twice)
and a block that starts mid-sentence (a cut teaser fragment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..document import Document, Finding, Rule
from ..paths import corpora_dir
from . import Check

CHECK = "boilerplate"
CATEGORY = "Other/Extraction"


def _rule(code: str, name: str, severity: str, help_text: str) -> Rule:
    return Rule(code, CHECK, name, CATEGORY, severity, help_text)


RULES = (
    _rule("BOIL001", "related-link", "major", "Related-story label or link from the source page."),
    _rule("BOIL002", "page-chrome", "major", "Share bars, comment forms, banners, ticker labels."),
    _rule("BOIL003", "author-bio", "major", "Author biography appended by an aggregator."),
    _rule("BOIL004", "repeated-fragment", "major", "A sentence repeated from earlier in the article."),
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
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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

        def add(rule: Rule, start: int, end: int, message: str, **kw) -> None:
            if not any(s <= start and end <= e for s, e in findings):
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
                        add(p.rule, nxt.start, nxt.end, "title of a related story linked from "
                            "the source page", replacements=[""], confidence=0.9)
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
        for block in doc.paragraphs:
            first = [s for s in doc.sentences if s.start == block.start]
            if not first:
                continue
            sentence = first[0]
            head = sentence.text.lstrip()
            # A lowercase word or a bare colon at the start of a block is where a teaser was cut.
            starts_cut = head[:1] in (":", ";", ",") or (
                head[:1].islower() and not re.match(r"(?:e\.g\.|i\.e\.|iPhone|eBay)", head)
            )
            if starts_cut and (block is not doc.paragraphs[0] or not head[:1].isalpha()):
                add(rule, sentence.start, sentence.end, "fragment cut from a teaser: the block "
                    "starts mid-sentence", replacements=[""], confidence=0.8)

    def _repeats(self, doc: Document, add) -> None:
        rule = _BY_CODE["BOIL004"]
        earlier: list[str] = []
        for s in doc.sentences:
            words = " ".join(w.lower() for w in _WORD.findall(s.text))
            if words.count(" ") + 1 >= MIN_REPEAT_WORDS:
                if any(f" {words} " in f" {e} " for e in earlier):
                    add(rule, s.start, s.end, "sentence repeated from earlier in the article "
                        "(a teaser glued in twice)", replacements=[""], confidence=0.9)
            earlier.append(words)
