"""JSON: one object with the signature and every document; JSONL: one document per line."""

from __future__ import annotations

import json
import sys

from ..atomic import AtomicTextFile
from ..document import DocumentResult
from . import Reporter


def dumps(obj, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=False)


class JsonReporter(Reporter):
    name = "json"
    extension = "json"

    def render(self, results: list[DocumentResult]) -> str:
        doc = {"signature": self.ctx.signature, "documents": [r.to_dict() for r in results]}
        return dumps(doc, indent=2) + "\n"


class JsonlReporter(Reporter):
    """Streams: each document is written as soon as it is audited. With ``with_text`` the
    article text is kept too, so every other report can be rebuilt from this file."""

    name = "jsonl"
    extension = "jsonl"
    with_text = False

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.file = AtomicTextFile(ctx.output, resumable=True) if ctx.output else None

    def add(self, result: DocumentResult) -> None:
        line = {"signature": self.ctx.signature, **result.to_dict(with_text=self.with_text)}
        text = dumps(line) + "\n"
        if self.file:
            self.file.write(text)
        else:
            sys.stdout.write(text)

    def finish(self) -> None:
        if self.file:
            self.file.commit()
        else:
            sys.stdout.flush()
