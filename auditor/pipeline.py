"""The one pipeline: read -> segment -> check -> score. Reporters take it from there.

Documents flow through in batches, so memory is bounded by the batch size and checks that
profit from batching (the language model) see several articles at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from . import __version__, limits
from .checks import Check, Resources, check_classes
from .config import Config
from .document import Document, DocumentResult, Finding
from .ingest import InputError
from .lm import model_spec
from .scoring import score
from .segment import segment


class Auditor:
    def __init__(self, config: Config, resources: Resources | None = None) -> None:
        self.config = config
        self.resources = resources or Resources(config)
        self.checks: list[Check] = [
            cls(config, self.resources) for cls in check_classes(config.wants_prefix)
        ]

    @property
    def signature(self) -> str:
        names = ",".join(c.name for c in self.checks) or "none"
        lm = model_spec(self.config.lm).id if any(c.uses_lm for c in self.checks) else "off"
        return (
            f"auditor:{__version__}|checks:{names}|lm:{lm}|style:{self.config.style}"
            f"|cfg:{self.config.hash()}"
        )

    def audit(
        self, items: Iterable[Document | InputError | DocumentResult], batch_size: int = 32
    ) -> Iterator[DocumentResult]:
        """Results in input order. Items that are already results (a resumed run's finished
        articles) pass through unaudited."""
        batch: list[Document | InputError | DocumentResult] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._audit_batch(batch)
                batch = []
        if batch:
            yield from self._audit_batch(batch)

    def audit_document(self, doc: Document) -> DocumentResult:
        return next(self._audit_batch([doc]))

    def _audit_batch(
        self, batch: list[Document | InputError | DocumentResult]
    ) -> Iterator[DocumentResult]:
        docs = [self._prepare(item) for item in batch if isinstance(item, Document)]
        per_doc: list[list[Finding]] = [[] for _ in docs]
        extras: list[dict] = [{} for _ in docs]
        for check in self.checks:
            for i, findings in enumerate(self._run_check(check, docs, per_doc)):
                per_doc[i].extend(findings)
            for i, doc in enumerate(docs):
                extras[i].update(check.document_fields(doc, per_doc[i]))
        results = iter(zip(docs, per_doc, extras, strict=True))
        for item in batch:
            if isinstance(item, DocumentResult):
                yield item
                continue
            if isinstance(item, InputError):
                if item.empty:
                    yield DocumentResult(
                        path=item.path, id=item.path, status="empty", notes=[item.reason]
                    )
                else:
                    yield DocumentResult(
                        path=item.path, id=item.path, status="error", error=item.reason
                    )
                continue
            doc, findings, extra = next(results)
            yield self._result(doc, findings, extra)

    def _prepare(self, doc: Document) -> Document:
        if len(doc.text) > self.config.max_chars:
            cut = doc.text.rfind("\n", 0, self.config.max_chars)
            cut = cut if cut > self.config.max_chars // 2 else self.config.max_chars
            doc.meta["truncated_from_chars"] = len(doc.text)
            doc.text = doc.text[:cut]
            if doc.base == 0 and len(doc.source) > cut:
                doc.source = doc.source[:cut]  # lines and columns never look past the cut
        return segment(doc)

    def _run_check(
        self, check: Check, docs: list[Document], prior: list[list[Finding]]
    ) -> list[list[Finding]]:
        """The check's findings per document, contained: a batch may take the time budget
        times its size; when it runs out, or the check raises, each document is run again on
        its own, so only the articles at fault lose this check's findings (to a LIM002 or
        LIM003 finding) and the run goes on."""
        budget = self.config.time_budget
        timed = bool(budget) and not check.uses_lm and limits.can_interrupt()

        def run(batch: list[Document], before: list[list[Finding]]) -> list[list[Finding]]:
            with limits.deadline(budget * len(batch)) if timed else nullcontext():
                return [list(found) for found in check.check_batch(batch, before)]

        def lost(doc: Document, error: BaseException) -> list[Finding]:
            if isinstance(error, limits.OverBudget):
                return [limits.over_budget_finding(doc, check.name, budget)]
            return [limits.failed_finding(doc, check.name, error)]

        if not docs:
            return []
        try:
            return run(docs, prior)
        except (limits.OverBudget, Exception) as error:
            if len(docs) == 1:
                return [lost(docs[0], error)]
        found: list[list[Finding]] = []
        for doc, before in zip(docs, prior, strict=True):
            try:
                found.extend(run([doc], [before]))
            except (limits.OverBudget, Exception) as error:
                found.append(lost(doc, error))
        return found

    def _result(self, doc: Document, findings: list[Finding], extra: dict) -> DocumentResult:
        if "truncated_from_chars" in doc.meta:
            findings = [*findings, limits.cut_finding(doc, doc.meta["truncated_from_chars"])]
        kept = {
            (f.start, f.end, f.rule): f
            for f in findings
            if self.config.is_selected(f.rule, doc.path) and not doc.is_disabled(f.rule, f.start)
        }
        ordered = [kept[k] for k in sorted(kept)]
        result = DocumentResult(
            path=doc.path,
            id=doc.id,
            title=doc.meta.get("title") or _first_headline(doc),
            outlet=doc.meta.get("outlet"),
            story=doc.meta.get("story"),
            source_lang=doc.meta.get("source_lang") or extra.pop("inferred_source_lang", None),
            words=doc.words,
            findings=ordered,
            extra=extra,
            text=doc.text,
        )
        return score(result, self.config)


def _first_headline(doc: Document) -> str | None:
    return doc.sentences[0].text[:200] if doc.sentences else None
