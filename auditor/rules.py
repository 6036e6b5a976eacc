"""Rules and rule families: what every finding of a code shares, declared once per family in its
check module (``FAMILY``) and collected by ``auditor.registry``.

A family (ruff's linter, LanguageTool's category) is a rule-code prefix with everything the
rest of the tool needs to know about it: the check that finds it, what reports call it and the
colour they show it in, where it comes in reports, whether it needs the language model and
which earlier families' findings its check reads. A rule carries examples, as ruff's and
proselint's do: an article it fires on, with the fix it offers, and one it leaves alone;
``tests/test_rule_examples.py`` runs every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Finding severities, mildest first: the one order the gate, scoring and reports use.
SEVERITIES = ("neutral", "minor", "major", "critical")
OTHER_COLOR = "#997700"  # a family with no colour of its own (e.g. codes from an older run)


def severity_rank(severity: str) -> int:
    """The place of ``severity`` in SEVERITIES (-1 for an unknown one)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


@dataclass(frozen=True, slots=True)
class Example:
    """An article a rule is shown on. With ``flags`` the rule must find exactly that text (the
    finding's ``text``) and offer ``fix`` first (None: no suggestion; "": delete it); without,
    the rule must find nothing in it.

    ``text`` is an article as a file would hold it (Markdown front matter gives ``lang``,
    ``source_lang``, ``story``...). ``reference`` is a reference translation to compare with
    and ``siblings`` other versions of the story (REF rules); ``settings`` are configuration
    overrides (``max_chars`` for LIM001). ``fault`` names a check that fails on the article:
    what LIM003 reports is a bug no input should reproduce, so its example has the check fail."""

    text: str
    flags: str | None = None
    fix: str | None = None
    reference: str | None = None
    siblings: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    fault: str | None = None

    @property
    def fires(self) -> bool:
        return self.flags is not None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "fires": self.fires}
        if self.fires:
            d.update(flags=self.flags, fix=self.fix)
        if self.reference is not None:
            d["reference"] = self.reference
        if self.siblings:
            d["siblings"] = list(self.siblings)
        if self.settings:
            d["settings"] = dict(self.settings)
        if self.fault:
            d["fault"] = self.fault
        return d


@dataclass(frozen=True, slots=True)
class Rule:
    """A stable rule code and what every finding of it shares (ruff's rule, LanguageTool's rule)."""

    code: str
    check: str
    name: str
    mqm_category: str
    severity: str
    help: str
    statistical: bool = False  # penalty weighted by confidence in scoring
    # An article-level finding: the other findings inside its span are not reported (an
    # article in German is one verdict, not a finding per German word).
    covers: bool = False
    examples: tuple[Example, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Family:
    """A rule family, declared once, in its check module. ``order`` places it in reports
    (None: after the ordered families, and only where its findings occur); ``reads`` names the
    earlier families whose findings the check reads (see ``auditor.checks.Handover``)."""

    prefix: str  # rule-code prefix: "BOIL"
    check: str  # the check's name, in signatures and in each finding's ``check``
    title: str  # what reports call the family: "debris"
    rules: tuple[Rule, ...]
    color: str = OTHER_COLOR  # in HTML pages and charts
    order: int | None = None
    uses_lm: bool = False  # needs the language model (off with --no-lm)
    reads: tuple[str, ...] = ()
    _by_code: dict[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for r in self.rules:
            if not r.code.startswith(self.prefix) or not r.code[len(self.prefix) :].isdigit():
                raise ValueError(f"family {self.prefix}: rule code {r.code} lacks the prefix")
            if r.check != self.check:
                raise ValueError(f"family {self.prefix}: {r.code} names check {r.check!r}")
        object.__setattr__(self, "_by_code", {r.code: r for r in self.rules})

    def rule(self, code: str) -> Rule:
        """The family's rule ``code`` (KeyError for a code it does not have)."""
        return self._by_code[code]

    def owns(self, code: str) -> bool:
        return code in self._by_code
