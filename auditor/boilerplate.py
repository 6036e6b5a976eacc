"""Scraping debris in an article: page chrome, related links, author bios (patterns, which are
data: ``corpora/patterns/boilerplate.yaml``), and what no pattern can find: a sentence repeated
inside the article (a teaser glued in twice) and a block that starts mid-sentence (a cut teaser
fragment).

``find_debris`` gives the pieces with the BOIL rule each belongs to; the boilerplate check
reports them, and the reference check leaves them out of both sides of a comparison.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from .debris import MAX_SENTENCES, MAX_WORDS, DebrisRuns
from .document import Document
from .paths import corpora_dir, parse_yaml

_WORD = re.compile(r"\w+")
MIN_REPEAT_WORDS = 5


@dataclass(frozen=True)
class Pattern:
    id: str
    rule: str  # the BOIL rule code a match is reported under
    scope: str
    regex: re.Pattern[str]
    message: str
    next_headline: bool


@dataclass(frozen=True, slots=True)
class Match:
    """A stretch of the text that is not the article's: a whole block or sentence."""

    rule: str
    start: int
    end: int
    message: str
    confidence: float = 1.0


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
                rule=p["rule"],
                scope=p["scope"],
                regex=re.compile(p["regex"], re.IGNORECASE),
                message=p["message"],
                next_headline=bool(p.get("next_headline", False)),
            )
        )
    return patterns


def patterns(resources) -> list[Pattern]:
    """The patterns, loaded once per process."""
    return resources.get("boilerplate.patterns", load_patterns)


def find_debris(doc: Document, patterns: list[Pattern]) -> list[Match]:
    """The debris of a segmented document, in text order; a piece inside one already found
    is left out."""
    found: dict[tuple[int, int], Match] = {}
    spans: list[tuple[int, int]] = []  # found spans, sorted

    def already_found(start: int, end: int) -> bool:
        i = bisect.bisect_right(spans, (start, len(doc.text)))
        return any(s <= start and end <= e for s, e in spans[max(0, i - 8) : i])

    def add(rule: str, start: int, end: int, message: str, confidence: float = 1.0) -> None:
        if not already_found(start, end):
            found[(start, end)] = Match(rule, start, end, message, confidence)
            bisect.insort(spans, (start, end))

    _patterns(doc, patterns, add)
    _repeats(doc, add)
    _cut_fragments(doc, add)
    return sorted(found.values(), key=lambda m: (m.start, m.end))


def _bounded(doc: Document, start: int, end: int) -> bool:
    """Debris is a few lines of a page, never most of an article: a block matched as a whole
    holds at most ``MAX_SENTENCES`` sentences and ``MAX_WORDS`` words."""
    sentences = sum(start <= s.start < end for s in doc.sentences)
    return sentences <= MAX_SENTENCES and len(_WORD.findall(doc.text, start, end)) <= MAX_WORDS


def _patterns(doc: Document, patterns: list[Pattern], add) -> None:
    text = doc.text
    blocks = doc.paragraphs
    runs_in: list[int] = []  # blocks no pattern matches whole: debris may sit inside
    for i, block in enumerate(blocks):
        unit = text[block.start : block.end]
        pattern = next(
            (p for p in patterns if p.scope == "block" and p.regex.fullmatch(unit)), None
        )
        if (
            pattern is None
            or not _bounded(doc, block.start, block.end)
            or DebrisRuns(doc, block, patterns).swallows(pattern, block.start, block.end)
        ):
            runs_in.append(i)
            continue
        add(pattern.rule, block.start, block.end, pattern.message)
        if pattern.next_headline and i + 1 < len(blocks) and _is_headline(doc, i + 1):
            _linked_title(doc, add, pattern, blocks[i + 1].start, blocks[i + 1].end)
    for s in doc.sentences:
        for p in patterns:
            if p.scope == "sentence" and p.regex.fullmatch(s.text.strip()):
                add(p.rule, s.start, s.end, p.message)
                break
    for i in runs_in:
        for run in DebrisRuns(doc, blocks[i], patterns).runs():
            for piece in run:
                p = piece.pattern
                add(p.rule, piece.start, piece.end, p.message)
            last = run[-1]
            if last.pattern.next_headline:
                _title_after(doc, add, last, i)


def _title_after(doc: Document, add, piece, block_index: int) -> None:
    """The title a related-story label links to: the rest of its sentence when that reads
    as a headline, or the next block when the label ended its block."""
    block = doc.paragraphs[block_index]
    text = doc.text
    rest = piece.end
    while rest < block.end and text[rest].isspace():
        rest += 1
    if rest >= block.end:
        blocks = doc.paragraphs
        if block_index + 1 < len(blocks) and _is_headline(doc, block_index + 1):
            nxt = blocks[block_index + 1]
            _linked_title(doc, add, piece.pattern, nxt.start, nxt.end)
        return
    sentence = next(s for s in doc.sentences if s.start <= rest < s.end)
    title = text[rest : sentence.end]
    words = len(_WORD.findall(title))
    if 0 < words <= 20 and not title.rstrip('"”’»)]').endswith((".", "!", "?", "…")):
        _linked_title(doc, add, piece.pattern, rest, sentence.end)


def _linked_title(doc: Document, add, pattern: Pattern, start: int, end: int) -> None:
    add(
        pattern.rule,
        start,
        end,
        "title of a related story linked from the source page",
        confidence=0.9,
    )


def _is_headline(doc: Document, block_index: int) -> bool:
    sentences = [s for s in doc.sentences if s.paragraph == block_index]
    return len(sentences) == 1 and sentences[0].is_headline and len(sentences[0].words) <= 20


def _cut_fragments(doc: Document, add) -> None:
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
                "BOIL005",
                sentence.start,
                sentence.end,
                "fragment cut from a teaser: the block starts mid-sentence",
                confidence=0.8,
            )


def _repeats(doc: Document, add) -> None:
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
                    "BOIL004",
                    s.start,
                    s.end,
                    "sentence repeated from earlier in the article (a teaser glued in twice)",
                    confidence=0.9,
                )
        index = len(earlier)
        earlier.append(f" {' '.join(words)} ")
        for k in range(len(words) - MIN_REPEAT_WORDS + 1):
            runs = by_opening.setdefault(tuple(words[k : k + MIN_REPEAT_WORDS]), [])
            if not runs or runs[-1] != index:
                runs.append(index)
