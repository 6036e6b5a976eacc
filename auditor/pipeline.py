"""The one pipeline: read -> segment -> check -> score. Reporters take it from there.

Documents flow through in batches, so memory is bounded by the batch size and checks that
profit from batching (the language model) see several articles at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext

from . import limits, registry
from .checks import Check, Handover, Resources
from .config import Config
from .document import Document, DocumentResult, Finding
from .ingest import InputError, read_paths
from .lm import model_spec
from .scoring import score
from .segment import segment
from .version import __version__

Item = Document | InputError | DocumentResult


class Auditor:
    def __init__(self, config: Config, resources: Resources | None = None) -> None:
        self.config = config
        self.resources = resources or Resources(config)
        self.checks: list[Check] = [
            cls(config, self.resources) for cls in registry.checks_for(config)
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
        # What each check handed on, per document, by family prefix, in the order they ran.
        handed: list[dict[str, Handover]] = [{} for _ in docs]
        for check in self.checks:
            reads = check.family.reads
            earlier = [sum((h[p] for p in h if p in reads), Handover()) for h in handed]
            for i, findings in enumerate(self._run_check(check, docs, earlier)):
                per_doc[i].extend(findings)
                own = [f for f in findings if check.family.owns(f.rule)]  # not LIM findings
                handed[i][check.family.prefix] = check.hand_on(docs[i], own)
        results = iter(zip(docs, per_doc, strict=True))
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
            doc, findings = next(results)
            yield self._result(doc, findings)

    def _prepare(self, doc: Document) -> Document:
        if len(doc.text) > self.config.max_chars:
            cut = doc.text.rfind("\n", 0, self.config.max_chars)
            cut = cut if cut > self.config.max_chars // 2 else self.config.max_chars
            doc.meta["truncated_from_chars"] = len(doc.text)
            doc.text = doc.text[:cut]
            if doc.base == 0 and len(doc.source) > cut:
                doc.source = doc.source[:cut]  # lines and columns never look past the cut
        doc.extra.clear()  # what checks add, from this audit only
        return segment(doc)

    def _run_check(
        self, check: Check, docs: list[Document], earlier: list[Handover]
    ) -> list[list[Finding]]:
        """The check's findings per document, contained: a batch may take the time budget
        times its size; when it runs out, or the check raises, each document is run again on
        its own, so only the articles at fault lose this check's findings (to a LIM002 or
        LIM003 finding) and the run goes on."""
        budget = self.config.time_budget
        timed = bool(budget) and not check.uses_lm and limits.can_interrupt()

        def run(batch: list[Document], before: list[Handover]) -> list[list[Finding]]:
            with limits.deadline(budget * len(batch)) if timed else nullcontext():
                return [list(found) for found in check.check_batch(batch, before)]

        def lost(doc: Document, error: BaseException) -> list[Finding]:
            if isinstance(error, limits.OverBudget):
                return [limits.over_budget_finding(doc, check.name, budget)]
            return [limits.failed_finding(doc, check.name, error)]

        if not docs:
            return []
        try:
            return run(docs, earlier)
        except (limits.OverBudget, Exception) as error:
            if len(docs) == 1:
                return [lost(docs[0], error)]
        found: list[list[Finding]] = []
        for doc, before in zip(docs, earlier, strict=True):
            try:
                found.extend(run([doc], [before]))
            except (limits.OverBudget, Exception) as error:
                found.append(lost(doc, error))
        return found

    def _result(self, doc: Document, findings: list[Finding]) -> DocumentResult:
        extra = dict(doc.extra)
        if "truncated_from_chars" in doc.meta:
            findings = [*findings, limits.cut_finding(doc, doc.meta["truncated_from_chars"])]
        kept = {
            (f.start, f.end, f.rule): f
            for f in findings
            if self.config.is_selected(f.rule, doc.path) and not doc.is_disabled(f.rule, f.start)
        }
        ordered = _uncovered([kept[k] for k in sorted(kept)])
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


def _uncovered(findings: list[Finding]) -> list[Finding]:
    """The findings, less those inside an article-level finding's span (``Rule.covers``)."""
    covering = [f for f in findings if (r := registry.rule(f.rule)) is not None and r.covers]
    if not covering:
        return findings
    return [
        f
        for f in findings
        if f in covering
        or limits.FAMILY.owns(f.rule)
        or not any(c.start <= f.start and f.end <= c.end for c in covering)
    ]


def without_excluded(items: Iterable[Item], config: Config) -> Iterable[Item]:
    """The items whose path no ``exclude`` glob of ``config`` leaves out. Pre-commit and CI
    name files one by one: the exclusion applies to files named, not only to folders."""
    if not config.exclude:
        return items
    return (item for item in items if not config.is_excluded(item.path))


def read_inputs(paths: list[str], config: Config) -> Iterable[Item]:
    """The articles (and unreadable inputs) under ``paths`` that ``config`` audits."""
    return without_excluded(read_paths(paths), config)


def corpus_resources(
    config: Config, corpus: list[str] | None, reference_path: str | None = None
) -> Resources:
    """Resources carrying what the REF check compares against: the reference translations
    read from ``reference_path``, and the index of sibling versions among the articles under
    ``corpus`` (None: no corpus, e.g. stdin)."""
    from pathlib import Path

    from .errors import UsageError
    from .ingest import CORPUS_SUFFIXES, read_at, read_located
    from .reference import provide_references, provide_siblings

    resources = Resources(config)
    if reference_path is not None:
        if not Path(reference_path).exists():
            raise UsageError(f"--reference {reference_path}: no such file or directory")
        items = list(read_paths([reference_path]))
        for item in items:
            if isinstance(item, InputError):
                raise UsageError(f"--reference {item}")
        provide_references(resources, [d for d in items if isinstance(d, Document)])
    one_article = (
        corpus is not None and len(corpus) == 1 and Path(corpus[0]).is_file()
        and Path(corpus[0]).suffix.lower() not in CORPUS_SUFFIXES
    )  # fmt: skip
    if corpus and not one_article and config.wants_prefix("REF"):

        def read():
            return (p for p in read_located(corpus) if not config.is_excluded(p[0].path))

        provide_siblings(resources, read, read_at)
    return resources


def _first_headline(doc: Document) -> str | None:
    return doc.sentences[0].text[:200] if doc.sentences else None
