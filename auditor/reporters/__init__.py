"""Reporters turn DocumentResults into one output format each; they know nothing of checks.

A reporter receives results one at a time (``add``) and writes in ``finish``; formats that can
stream (jsonl, text) write as results arrive. Files are written atomically (``auditor.atomic``):
a report file is either the old one or the complete new one, never half-written.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import AtomicTextFile, write_text
from ..config import Config
from ..document import DocumentResult
from ..rules import Rule

# format name -> (module, class)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("auditor.reporters.text", "TextReporter"),
    "json": ("auditor.reporters.json", "JsonReporter"),
    "jsonl": ("auditor.reporters.json", "JsonlReporter"),
    "csv": ("auditor.reporters.csv", "CsvReporter"),
    "markdown": ("auditor.reporters.markdown", "MarkdownReporter"),
    "html": ("auditor.reporters.html", "HtmlReporter"),
    "results": ("auditor.reporters.results", "ResultsReporter"),
    "sarif": ("auditor.reporters.sarif", "SarifReporter"),
    "junit": ("auditor.reporters.junit", "JunitReporter"),
    "github": ("auditor.reporters.github", "GithubReporter"),
    "gitlab": ("auditor.reporters.gitlab", "GitlabReporter"),
    "rdjson": ("auditor.reporters.rdjson", "RdjsonReporter"),
}


@dataclass
class ReportContext:
    signature: str
    config: Config
    rules: dict[str, Rule] = field(default_factory=dict)
    output: Path | None = None  # a file, or a directory for multi-file formats
    color: bool = False
    root: Path = field(default_factory=Path.cwd)


class Reporter:
    name = ""
    extension = "txt"
    multi_file = False  # writes several files into a directory

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx
        self.results: list[DocumentResult] = []

    def add(self, result: DocumentResult) -> None:
        self.results.append(result)

    def finish(self) -> None:
        write_text(self.ctx.output, self.render(self.results))

    def render(self, results: list[DocumentResult]) -> str:
        raise NotImplementedError

    def abort(self) -> None:
        """The run stopped before ``finish`` (Ctrl-C, kill, error): no report file is left
        half-written. Streaming reporters keep their open AtomicTextFile in ``self.file``."""
        file = getattr(self, "file", None)
        if isinstance(file, AtomicTextFile):
            file.abort()


def output_path(raw: str | None) -> Path | None:
    """``--output`` as given. A trailing slash names a folder even before it exists (``Path``
    drops the slash, so the folder is made now, and single-file formats write into it)."""
    if raw is None:
        return None
    path = Path(raw)
    if raw.endswith(("/", os.sep)):
        path.mkdir(parents=True, exist_ok=True)
    return path


def reporter_for(fmt: str, ctx: ReportContext) -> Reporter:
    module, cls = FORMATS[fmt]
    reporter_class = getattr(importlib.import_module(module), cls)
    if ctx.output is not None and reporter_class.multi_file is False and ctx.output.is_dir():
        ctx.output = ctx.output / f"audit.{reporter_class.extension}"
    return reporter_class(ctx)


def relative_path(path: str, root: Path) -> str:
    """A report path relative to ``root`` where possible, always with forward slashes."""
    plain, sep, fragment = path.partition("#")
    try:
        rel = os.path.relpath(plain, root)
        if not rel.startswith(".."):
            plain = rel
    except ValueError:
        pass
    return plain.replace(os.sep, "/") + sep + fragment


def read_first(result: DocumentResult) -> list[tuple[int, str]]:
    """The sentences the fluency check ranks first to read (``extra["read_first"]``), as
    (line, sentence text); the text is empty when the result does not carry the article."""
    entries = result.extra.get("read_first") or []
    text = result.text or ""
    return [(e["line"], text[e["start"] : e["end"]]) for e in entries]
