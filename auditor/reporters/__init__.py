"""Reporters turn DocumentResults into one output format each; they know nothing of checks.

A reporter receives results one at a time (``add``) and writes in ``finish``; formats that can
stream (jsonl, text) write as results arrive. Files are written atomically: a report file is
either the old one or the complete new one, never half-written.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..config import Config
from ..document import DocumentResult, Rule

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


def write_text(path: Path | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_bytes(path, text.encode("utf-8"))


def _file_mode(path: Path) -> int:
    """The mode the written file should have: the replaced file's (``auditor fix`` must not
    change an article's permissions), else what ``open`` would give under the umask; mkstemp's
    0600 would hide reports from a web server or a teammate."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, _file_mode(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def partial_path(path: Path) -> Path:
    """Where a resumable report grows until it is complete (``--resume`` reads it)."""
    return path.with_name(f".{path.name}.partial")


class AtomicTextFile:
    """A text stream that lands at ``path`` only when closed without error.

    A ``resumable`` file grows at ``partial_path(path)``, flushed after every write so that a
    killed run leaves whole records there, and is kept when the run is aborted."""

    def __init__(self, path: Path, resumable: bool = False) -> None:
        self.path = path
        self.resumable = resumable
        path.parent.mkdir(parents=True, exist_ok=True)
        if resumable:
            self.tmp = str(partial_path(path))
            self.stream: IO[str] = open(self.tmp, "w", encoding="utf-8", newline="\n")
        else:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.chmod(self.tmp, _file_mode(path))
            self.stream = open(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.stream.write(text)
        if self.resumable:
            self.stream.flush()

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.stream.close()
        if not self.resumable and os.path.exists(self.tmp):
            os.unlink(self.tmp)


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
