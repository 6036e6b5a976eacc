"""Checks: small components that read a segmented Document and yield Findings.

A check never reads files or prints; what it needs (patterns, gazetteers, models) arrives
through ``Resources``, loaded once per process. The registry below fixes the order checks run
in; a check is imported only when at least one of its rules is selected, so a run without the
language model never imports torch.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..document import Document, Finding, Rule

if TYPE_CHECKING:
    from ..config import Config

# (check name, module, class, rule-code prefix) in the order they run. The prefix lets the
# pipeline decide whether a check is wanted without importing it.
REGISTRY: tuple[tuple[str, str, str, str], ...] = (
    ("boilerplate", "auditor.checks.boilerplate", "BoilerplateCheck", "BOIL"),
    ("names", "auditor.checks.names", "NamesCheck", "NAME"),
    ("language", "auditor.checks.language", "LanguageCheck", "UNT"),
    ("lexicon", "auditor.checks.lexicon", "LexiconCheck", "LEX"),
    ("encoding", "auditor.checks.encoding", "EncodingCheck", "ENC"),
    ("fluency", "auditor.checks.fluency", "FluencyCheck", "FLU"),
    ("reference", "auditor.checks.reference", "ReferenceCheck", "REF"),
)


class Check:
    """Base class. Subclasses set ``name`` and ``rules`` and implement ``check``."""

    name: str = ""
    rules: tuple[Rule, ...] = ()
    uses_lm: bool = False

    def __init__(self, config: Config, resources: Resources) -> None:
        self.config = config
        self.resources = resources

    def check(self, doc: Document, prior: Sequence[Finding] = ()) -> Iterable[Finding]:
        """Findings for ``doc``. ``prior`` holds what the checks before this one found (so the
        fluency check can discount names already flagged, or skip debris)."""
        raise NotImplementedError

    def check_batch(
        self, docs: Sequence[Document], prior: Sequence[Sequence[Finding]]
    ) -> list[list[Finding]]:
        """Findings for several documents at once; checks that batch (the LM) override this."""
        return [list(self.check(doc, p)) for doc, p in zip(docs, prior, strict=True)]

    def document_fields(self, doc: Document, findings: list[Finding]) -> dict:
        """Article-level fields this check adds to the report (e.g. inferred source language)."""
        return {}


class Resources:
    """Shared, lazily loaded resources (data files, models), one instance per process."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._cache: dict[str, object] = {}

    def get(self, key: str, loader):
        if key not in self._cache:
            self._cache[key] = loader()
            # A resource lives as long as the process: keep the cyclic garbage collector from
            # walking it again on every full collection (langdetect's profiles alone are
            # ~90,000 lists; walking them took a tenth of a corpus run).
            gc.freeze()
        return self._cache[key]

    def loaded(self) -> dict[str, object]:
        """What is loaded so far, to hand to worker processes (``auditor.parallel``)."""
        return dict(self._cache)

    def provide(self, entries: dict[str, object]) -> None:
        self._cache.update(entries)


def check_classes(prefixes_wanted) -> list[type[Check]]:
    """The check classes whose prefix passes ``prefixes_wanted(prefix)``, in registry order."""
    classes = []
    for _name, module, cls, prefix in REGISTRY:
        if prefixes_wanted(prefix):
            classes.append(getattr(importlib.import_module(module), cls))
    return classes


def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for check_class in check_classes(lambda prefix: True):
        for rule in check_class.rules:
            rules[rule.code] = rule
    from ..limits import RULES as LIMIT_RULES  # the pipeline's own findings (size, time)

    rules.update((rule.code, rule) for rule in LIMIT_RULES)
    return rules
