"""``auditor check --resume``: continue a corpus run from its results JSONL.

A JSONL report grows at ``.NAME.partial`` beside ``--output NAME`` (see ``AtomicTextFile``),
one finished article per line, in input order, and becomes ``NAME`` only when the run is
complete. A resumed run reads the finished records (from the partial file a killed run left, or
from a complete ``NAME``), walks the inputs again and hands every input whose record comes next
straight to the report instead of auditing it. Records are matched in order, so memory stays
constant; the report of a resumed run is byte-identical to that of an uninterrupted one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .atomic import partial_path
from .document import Document, DocumentResult
from .ingest import InputError


class ResumeError(Exception):
    """The results file cannot be resumed from; the message is one line."""


def previous_path(output: Path) -> Path:
    """Where the records being resumed from are kept while the new partial file grows."""
    return output.with_name(f".{output.name}.resumed")


class Resume:
    def __init__(self, output: Path, signature: str) -> None:
        self.output = output
        self.signature = signature
        self.source = self._take_source()
        self.reused = 0

    def _take_source(self) -> Path | None:
        """The freshest records: an interrupted run's partial file (moved aside, so the new run
        can write its own) or else a complete report."""
        partial, previous = partial_path(self.output), previous_path(self.output)
        # Both exist when a resumed run was itself interrupted; both are prefixes of the same
        # report, so the longer one holds more finished articles.
        found = [p for p in (partial, previous) if p.exists()]
        if found:
            keep = max(found, key=lambda p: p.stat().st_size)
            os.replace(keep, previous)
            if partial.exists():
                partial.unlink()
            return previous
        return self.output if self.output.exists() else None

    def records(self) -> Iterator[DocumentResult]:
        if self.source is None:
            return
        with self.source.open("r", encoding="utf-8", newline="\n") as f:
            for number, line in enumerate(f, 1):
                if not line.endswith("\n"):
                    return  # the last record of a killed run, cut mid-write
                try:
                    record = json.loads(line)
                    signature = record.pop("signature")
                    result = DocumentResult.from_dict(record)
                except (ValueError, KeyError, TypeError) as exc:
                    raise ResumeError(
                        f"{self.source}:{number}: not a results record ({exc}); "
                        "run without --resume"
                    ) from exc
                if signature != self.signature:
                    raise ResumeError(
                        f"{self.source}: results were made by another configuration or version "
                        f"({signature}); run without --resume"
                    )
                yield result

    def items(
        self, items: Iterable[Document | InputError]
    ) -> Iterator[Document | InputError | DocumentResult]:
        """The inputs, with each one that has a finished record replaced by that record."""
        finished = self.records()
        waiting = next(finished, None)
        for item in items:
            if waiting is not None and waiting.path == item.path:
                self.reused += 1
                yield waiting
                waiting = next(finished, None)
            else:
                yield item

    def done(self) -> None:
        """The new report is complete: the records resumed from are no longer needed."""
        previous = previous_path(self.output)
        if previous.exists():
            previous.unlink()
