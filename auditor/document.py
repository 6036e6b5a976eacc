"""The data that flows through the pipeline: documents, their pieces, findings and results.

Offsets are code points into ``Document.text``, the text the checks see. ``Document.source`` is
the input as given (front matter included) and ``Document.base`` is where ``text`` starts in it,
so line and column of a finding index the input file, as editors and CI annotations expect.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .rules import Rule


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    kind: str  # "word", "number", "punct", "symbol"

    @property
    def is_word(self) -> bool:
        return self.kind in ("word", "number")


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    tokens: list[Token]
    paragraph: int
    is_headline: bool = False
    _words: list[Token] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def words(self) -> list[Token]:
        """The word and number tokens (worked out once: every check asks, for every token)."""
        if self._words is None:
            self._words = [t for t in self.tokens if t.is_word]
        return self._words


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int


@dataclass(slots=True)
class Finding:
    rule: str
    check: str
    message: str
    start: int
    end: int
    text: str
    mqm_category: str
    severity: str
    confidence: float = 1.0
    replacements: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    statistical: bool = False
    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0
    fingerprint: str = ""
    # Where the finding is, for inputs whose lines mean nothing (line and col are 0 then):
    # "paragraph 12" in a Word file, "page 3, line 14" in a PDF.
    where: str = ""

    @property
    def place(self) -> str:
        """ "12:5" (line and column in the file), or ``where`` when lines mean nothing."""
        return f"{self.line}:{self.col}" if self.line else self.where

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "check": self.check,
            "message": self.message,
            "span": {"start": self.start, "end": self.end},
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
            "text": self.text,
            "replacements": list(self.replacements),
            "mqm_category": self.mqm_category,
            "severity": self.severity,
            "confidence": round(float(self.confidence), 4),
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        } | ({"where": self.where} if self.where else {})

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        return cls(
            rule=d["rule"],
            check=d["check"],
            message=d["message"],
            start=d["span"]["start"],
            end=d["span"]["end"],
            text=d["text"],
            mqm_category=d["mqm_category"],
            severity=d["severity"],
            confidence=d.get("confidence", 1.0),
            replacements=list(d.get("replacements", [])),
            evidence=d.get("evidence", {}),
            line=d.get("line", 0),
            col=d.get("col", 0),
            end_line=d.get("end_line", 0),
            end_col=d.get("end_col", 0),
            fingerprint=d.get("fingerprint", ""),
            where=d.get("where", ""),
        )


@dataclass(slots=True)
class Document:
    path: str
    id: str
    text: str
    source: str = ""
    base: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    # Spans where inline comments switch rules off: (start, end, codes or prefixes or "ALL").
    disabled: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    # Article-level fields the checks add to the report (inferred source language, chrF
    # against sibling versions): the result's ``extra``.
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # For inputs whose lines mean nothing (Word, PDF): (offset in text, place) from where each
    # paragraph or line starts, sorted; findings are then located by place, not line and column.
    places: list[tuple[int, str]] = field(default_factory=list)
    # For text extracted from a page (HTML): each character's offset in ``source``, -1 where
    # it could not be found there (``ingest.html_source``).
    source_offsets: list[int] | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.source:
            self.source = self.text

    @property
    def words(self) -> int:
        return sum(len(s.words) for s in self.sentences)

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out once per segmentation and shared by the checks that ask
        under the same ``key`` (several want the article's name tokens). The key names what
        the result depends on besides the segmented text; callers must not modify it."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def forget_derived(self) -> None:
        """Drop what ``derived`` remembered: the text was segmented afresh."""
        self._derived.clear()

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the input file of a code-point offset into ``text``."""
        if self._line_starts is None:
            starts = [0]
            for i, ch in enumerate(self.source):
                if ch == "\n":
                    starts.append(i + 1)
            self._line_starts = starts
        pos = self.base + offset
        line = bisect.bisect_right(self._line_starts, pos)
        return line, pos - self._line_starts[line - 1] + 1

    def _locate_extracted(self, finding: Finding, start: int, end: int) -> None:
        """Line and column in the page as given when the span was found there; else where it
        lies in the extracted text (never a wrong line)."""
        offsets = self.source_offsets or []
        first = offsets[start] if start < len(offsets) else -1
        last = offsets[end - 1] if start < end <= len(offsets) else first - 1
        if first >= 0 and last >= 0:
            finding.line, finding.col = self.locate(first - self.base)
            finding.end_line, finding.end_col = self.locate(last + 1 - self.base)
        else:
            paragraph = self.text.count("\n", 0, start) + 1
            finding.where = f"paragraph {paragraph} of the text extracted from the page"

    def is_disabled(self, code: str, offset: int) -> bool:
        """Whether an inline comment switches rule ``code`` off at ``offset``."""
        return any(
            start <= offset < end and any(c == "ALL" or code.startswith(c) for c in codes)
            for start, end, codes in self.disabled
        )

    def finding(
        self,
        rule: Rule,
        start: int,
        end: int,
        message: str,
        *,
        replacements: list[str] | None = None,
        confidence: float = 1.0,
        severity: str | None = None,
        evidence: dict[str, Any] | None = None,
    ) -> Finding:
        """A finding of ``rule`` over ``text[start:end]``, located in the input file."""
        finding = Finding(
            rule=rule.code,
            check=rule.check,
            message=message,
            start=start,
            end=end,
            text=self.text[start:end],
            mqm_category=rule.mqm_category,
            severity=severity or rule.severity,
            confidence=confidence,
            replacements=list(replacements or []),
            evidence=dict(evidence or {}),
            statistical=rule.statistical,
        )
        if self.places:
            i = bisect.bisect_right(self.places, (start, "\uffff")) - 1
            finding.where = self.places[max(i, 0)][1]
        elif self.source_offsets is not None:
            self._locate_extracted(finding, start, end)
        else:
            finding.line, finding.col = self.locate(start)
            finding.end_line, finding.end_col = self.locate(end)
        context = self.text[max(0, start - 40) : end + 40]
        key = "\x1f".join((self.path, self.id, rule.code, finding.text, context))
        finding.fingerprint = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return finding


@dataclass(slots=True)
class DocumentResult:
    """What the pipeline says about one document: the unit every reporter consumes."""

    path: str
    id: str
    status: str = "ok"  # "ok" | "error" | "empty" (nothing to audit; notes say why)
    error: str | None = None
    title: str | None = None
    outlet: str | None = None
    story: str | None = None
    source_lang: str | None = None
    words: int = 0
    penalty: float = 0.0
    score: float | None = None
    verdict: str | None = None
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # The audited text, for reporters that show findings in place; not serialized by default.
    text: str | None = field(default=None, repr=False)

    @property
    def why_not_audited(self) -> str:
        """One line for a result that was not audited: the error, or why it is empty."""
        if self.status == "empty":
            return f"empty: {self.notes[0] if self.notes else 'nothing to audit'}"
        return self.error or ""

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "id": self.id,
            "status": self.status,
            "error": self.error,
            "title": self.title,
            "outlet": self.outlet,
            "story": self.story,
            "source_lang": self.source_lang,
            "words": self.words,
            "penalty": round(self.penalty, 4),
            "score": None if self.score is None else round(self.score, 2),
            "verdict": self.verdict,
            "notes": list(self.notes),
            "extra": self.extra,
            "findings": [f.to_dict() for f in self.findings],
        }
        if with_text:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentResult:
        return cls(
            path=d["path"],
            id=d["id"],
            status=d.get("status", "ok"),
            error=d.get("error"),
            title=d.get("title"),
            outlet=d.get("outlet"),
            story=d.get("story"),
            source_lang=d.get("source_lang"),
            words=d.get("words", 0),
            penalty=d.get("penalty", 0.0),
            score=d.get("score"),
            verdict=d.get("verdict"),
            notes=list(d.get("notes", [])),
            findings=[Finding.from_dict(f) for f in d.get("findings", [])],
            extra=d.get("extra", {}),
            text=d.get("text"),
        )
