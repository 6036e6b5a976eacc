"""The one pipeline: read -> segment -> check -> score. Reporters take it from there.

Documents flow through in batches, so memory is bounded by the batch size and checks that
profit from batching (the language model) see several articles at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from . import __version__
from .checks import Check, Resources, check_classes
from .config import Config
from .document import Document, DocumentResult, Finding
from .ingest import InputError
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
        lm = "smollm2-135m-q4_1" if any(c.uses_lm for c in self.checks) else "off"
        return (
            f"auditor:{__version__}|checks:{names}|lm:{lm}|style:{self.config.style}"
            f"|cfg:{self.config.hash()}"
        )

    def audit(
        self, items: Iterable[Document | InputError], batch_size: int = 32
    ) -> Iterator[DocumentResult]:
        batch: list[Document | InputError] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._audit_batch(batch)
                batch = []
        if batch:
            yield from self._audit_batch(batch)

    def audit_document(self, doc: Document) -> DocumentResult:
        return next(self._audit_batch([doc]))

    def _audit_batch(self, batch: list[Document | InputError]) -> Iterator[DocumentResult]:
        docs = [self._prepare(item) for item in batch if isinstance(item, Document)]
        per_doc: list[list[Finding]] = [[] for _ in docs]
        extras: list[dict] = [{} for _ in docs]
        for check in self.checks:
            for i, findings in enumerate(check.check_batch(docs, per_doc)):
                per_doc[i].extend(findings)
            for i, doc in enumerate(docs):
                extras[i].update(check.document_fields(doc, per_doc[i]))
        results = iter(zip(docs, per_doc, extras, strict=True))
        for item in batch:
            if isinstance(item, InputError):
                yield DocumentResult(path=item.path, id=item.path, status="error", error=item.reason)
                continue
            doc, findings, extra = next(results)
            yield self._result(doc, findings, extra)

    def _prepare(self, doc: Document) -> Document:
        if len(doc.text) > self.config.max_chars:
            cut = doc.text.rfind("\n", 0, self.config.max_chars)
            cut = cut if cut > self.config.max_chars // 2 else self.config.max_chars
            doc.meta["truncated_from_chars"] = len(doc.text)
            doc.text = doc.text[:cut]
        return segment(doc)

    def _result(self, doc: Document, findings: list[Finding], extra: dict) -> DocumentResult:
        kept = {
            (f.start, f.end, f.rule): f
            for f in findings
            if self.config.is_selected(f.rule, doc.path)
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
        if "truncated_from_chars" in doc.meta:
            result.notes.append(
                f"article cut at {len(doc.text)} of {doc.meta['truncated_from_chars']} characters"
            )
        return score(result, self.config)


def _first_headline(doc: Document) -> str | None:
    return doc.sentences[0].text[:200] if doc.sentences else None
