"""Checks: small components that read a segmented Document and yield Findings.

A check never reads files or prints; what it needs (patterns, gazetteers, models) arrives
through ``Resources``, loaded once per process, and its models load only when it first needs
them (a run without the language model never imports torch). Each check module declares its
rule family once (``FAMILY``, see ``auditor.rules.Family``) and the check class carries it;
``auditor.registry`` lists the checks in the order they run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..document import Document, Finding
from ..handover import NOTHING, Debris, Handover, NameSpelling
from ..rules import Family, Rule

__all__ = ["NOTHING", "Check", "Debris", "Handover", "NameSpelling", "Resources"]

if TYPE_CHECKING:
    from ..config import Config


class Check:
    """Base class. Subclasses set ``family`` (declared in their module) and implement
    ``check``."""

    family: Family

    @property
    def name(self) -> str:
        return self.family.check

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.family.rules

    @property
    def uses_lm(self) -> bool:
        return self.family.uses_lm

    def __init__(self, config: Config, resources: Resources) -> None:
        self.config = config
        self.resources = resources

    def check(self, doc: Document, earlier: Handover = NOTHING) -> Iterable[Finding]:
        """Findings for ``doc``. ``earlier`` holds what the checks before this one hand on
        (so the fluency check can skip debris and discount names already flagged). Fields a
        check adds to the article's report go into ``doc.extra``."""
        raise NotImplementedError

    def check_batch(
        self, docs: Sequence[Document], earlier: Sequence[Handover]
    ) -> list[list[Finding]]:
        """Findings for several documents at once; checks that batch (the LM) override this."""
        return [list(self.check(doc, e)) for doc, e in zip(docs, earlier, strict=True)]

    def hand_on(self, doc: Document, findings: list[Finding]) -> Handover:
        """What this check's findings on ``doc`` tell the checks after it that read its family.
        By default they are findings on article text."""
        return Handover(flagged=tuple(findings))


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
