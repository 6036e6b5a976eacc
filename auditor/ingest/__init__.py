"""Read inputs into Documents: one reader per format, every problem a one-line InputProblem.

``read_paths`` yields a Document for every article and an ``InputError`` for every input that
cannot be audited, so one bad file never stops a corpus run. Inputs are only ever read.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..document import Document
from .decode import EmptyInput, InputProblem, decode
from .markdown import disabled_regions, prose, split_front_matter
from .stream import MAX_ROW_CHARS, OversizedRow, SeekableLines, text_lines

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
CORPUS_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
OFFICE_SUFFIXES = {".docx", ".pdf"}  # binary: read by python-docx and pypdf
KNOWN_SUFFIXES = (
    TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | CORPUS_SUFFIXES | OFFICE_SUFFIXES
)
META_KEYS = ("title", "lang", "source_lang", "outlet", "date", "story", "url")


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that is not audited: an error, or (``empty``) one with nothing to audit."""

    path: str
    reason: str
    empty: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def expand(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Files named or found under named directories, in sorted order; hidden entries skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                        found.append(os.path.join(root, name))
            if not found:
                looked_for = ", ".join(sorted(KNOWN_SUFFIXES))
                yield InputError(str(path), f"no auditable files (looked for {looked_for})")
            yield from sorted(found)
        elif path.exists() or path.is_symlink():
            yield str(path)
        else:
            yield InputError(str(path), "no such file or directory")


def read_paths(paths: Iterable[str]) -> Iterator[Document | InputError]:
    for item in expand(paths):
        if isinstance(item, InputError):
            yield item
            continue
        if Path(item).suffix.lower() in CORPUS_SUFFIXES:
            yield from _corpus_file(item)
        else:
            yield from _article_file(item)


def _article_file(path: str) -> Iterator[Document | InputError]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, path)


@dataclass(frozen=True, slots=True)
class Location:
    """Where an article can be read again: its file, and for a corpus row the position and
    line count of the row's first line (``SeekableLines``) and the file's encoding."""

    path: str
    position: int = 0
    lines: int = 0
    encoding: str | None = None


def read_located(
    paths: Iterable[str],
) -> Iterator[tuple[Document | InputError, Location | None]]:
    """What ``read_paths`` yields, each with the Location ``read_at`` reads it again from
    (None for errors). Lets a pass over a large corpus keep locations instead of texts."""
    for item in expand(paths):
        if isinstance(item, InputError):
            yield item, None
        elif Path(item).suffix.lower() in CORPUS_SUFFIXES:
            yield from _located_rows(item)
        else:
            location = Location(item)
            for read in _article_file(item):
                yield read, (location if isinstance(read, Document) else None)


def _located_rows(path: str) -> Iterator[tuple[Document | InputError, Location | None]]:
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or exc}"), None
        return
    with stream:
        try:
            lines = SeekableLines(stream)
            items = _corpus(_rows(lines, path), path)
            while True:
                location = Location(path, lines.position, lines.count, lines.encoding)
                item = next(items, None)
                if item is None:
                    return
                yield item, (location if isinstance(item, Document) else None)
        except InputProblem as exc:
            yield input_error(path, exc), None
        except OSError as exc:
            yield InputError(path, f"cannot read: {exc.strerror or exc}"), None


def read_at(location: Location) -> Document | None:
    """The article at ``location`` read again, or None if it cannot be (the file changed
    or went away since)."""
    if Path(location.path).suffix.lower() not in CORPUS_SUFFIXES:
        return next((d for d in _article_file(location.path) if isinstance(d, Document)), None)
    try:
        with open(location.path, "rb") as stream:
            lines = SeekableLines(stream, location.encoding)
            fields = None
            if location.lines and Path(location.path).suffix.lower() == ".csv":
                fields = csv.DictReader(_csv_lines(lines)).fieldnames  # the header row
            lines.seek(location.position, location.lines)
            item = next(_corpus(_rows(lines, location.path, fields), location.path), None)
    except (InputProblem, OSError, ValueError, UnicodeError):
        return None
    return item if isinstance(item, Document) else None


def _rows(
    lines: Iterable[str], path: str, fields: list[str] | None = None
) -> Iterator[tuple[int, dict | None, str | None]]:
    """Rows of a corpus; after a seek (``SeekableLines``), ``fields`` are a CSV's columns."""
    first = getattr(lines, "count", 0)
    if Path(path).suffix.lower() == ".csv":
        return _csv_rows(lines, fields, first)
    return _jsonl_rows(lines, first + 1)


def read_stream(stream: BinaryIO, path: str) -> Iterator[Document | InputError]:
    """Documents from a binary stream (stdin): corpora row by row, other formats whole."""
    if Path(path).suffix.lower() in CORPUS_SUFFIXES:
        yield from read_corpus(stream, path)
    else:
        yield from read_bytes(stream.read(), path)


def read_bytes(data: bytes, path: str) -> Iterator[Document | InputError]:
    """Documents from one input's bytes; the format comes from the name's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix in CORPUS_SUFFIXES:
        yield from read_corpus(io.BytesIO(data), path)
        return
    if suffix in OFFICE_SUFFIXES:
        from .office import read_docx, read_pdf

        try:
            read = read_docx if suffix == ".docx" else read_pdf
            yield read(data, path, _stem(path))
        except InputProblem as exc:
            yield input_error(path, exc)
        return
    try:
        text, _encoding = decode(data)
    except InputProblem as exc:
        yield input_error(path, exc)
        return
    suffix = Path(path).suffix.lower()
    try:
        if suffix in MARKDOWN_SUFFIXES:
            yield _markdown(text, path)
        elif suffix in HTML_SUFFIXES:
            yield _html(text, path)
        else:
            yield _checked(Document(path=path, id=_stem(path), text=text))
    except (InputProblem, ValueError) as exc:
        yield input_error(path, exc)


def input_error(path: str, exc: Exception) -> InputError:
    """The InputError for an input that raised ``exc`` (an empty one is not an error)."""
    return InputError(path, str(exc), empty=isinstance(exc, EmptyInput))


def _stem(path: str) -> str:
    return Path(path).stem or path


def _checked(doc: Document) -> Document:
    if not doc.text.strip():
        raise EmptyInput("no text to audit")
    return doc


def _meta(raw: dict) -> dict:
    return {k: str(raw[k]) for k in META_KEYS if raw.get(k) not in (None, "")}


def _markdown(text: str, path: str) -> Document:
    meta, body_start = split_front_matter(text)
    body = prose(text[body_start:])
    doc = Document(
        path=path, id=str(meta.get("id") or _stem(path)), text=body, source=text, base=body_start
    )
    doc.meta = _meta(meta)
    doc.disabled = disabled_regions(text[body_start:])
    return _checked(doc)


def _html(text: str, path: str) -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        text, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
    )
    body = extracted.text if extracted is not None else None
    if not body:
        raise InputProblem("no article text found in the HTML")
    from .html_source import source_offsets

    doc = Document(path=path, id=_stem(path), text=body, source=text)
    doc.source_offsets = source_offsets(text, body)
    meta = {"title": extracted.title, "url": extracted.url, "date": extracted.date}
    if extracted.hostname:
        meta["outlet"] = extracted.hostname
    doc.meta = _meta(meta)
    return _checked(doc)


def _corpus_file(path: str) -> Iterator[Document | InputError]:
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        yield from read_corpus(stream, path)


def read_corpus(stream: BinaryIO, path: str) -> Iterator[Document | InputError]:
    """One Document per row of a JSONL or CSV corpus, read as a stream: memory stays bounded by
    the longest row however large the corpus is."""
    try:
        yield from _corpus(_rows(text_lines(stream), path), path)
    except InputProblem as exc:
        yield input_error(path, exc)
    except OSError as exc:
        yield InputError(path, f"cannot read: {exc.strerror or exc}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: str) -> str:
    """JSON escapes can spell lone surrogates, which no report could encode; U+FFFD keeps the
    offsets and the ENC rules report it."""
    return _SURROGATE.sub("\ufffd", value)


def _corpus(
    rows: Iterable[tuple[int, dict | None, str | None]], path: str
) -> Iterator[Document | InputError]:
    seen_any = False
    for number, row, problem in rows:
        seen_any = True
        where = f"{path}:{number}"
        if problem:
            yield InputError(where, problem)
            continue
        assert row is not None
        body = row.get("text")
        if not isinstance(body, str):
            yield InputError(where, "row has no 'text'")
            continue
        if not body.strip():
            yield InputError(where, "empty text", empty=True)
            continue
        row_id = _no_surrogates(str(row.get("id") or number))
        doc = Document(path=f"{path}#{row_id}", id=row_id, text=_no_surrogates(body))
        doc.meta = {k: _no_surrogates(v) for k, v in _meta(row).items()}
        yield doc
    if not seen_any:
        yield InputError(path, "corpus has no rows")


def _jsonl_rows(
    lines: Iterable[str], first: int = 1
) -> Iterator[tuple[int, dict | None, str | None]]:
    for number, line in enumerate(lines, first):
        if isinstance(line, OversizedRow):
            yield number, None, f"row longer than {MAX_ROW_CHARS} characters"
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        except RecursionError:
            yield number, None, "invalid JSON: nested too deeply"
            continue
        if not isinstance(row, dict):
            yield number, None, "row is not a JSON object"
            continue
        yield number, row, None


def _csv_rows(
    lines: Iterable[str], fields: list[str] | None = None, before: int = 0
) -> Iterator[tuple[int, dict | None, str | None]]:
    """Rows numbered by their last line; ``before`` lines precede ``lines`` (after a seek,
    past the header, whose ``fields`` are then given)."""
    reader = csv.DictReader(_csv_lines(lines), fieldnames=fields)
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise InputProblem("CSV corpus needs a 'text' column")
    try:
        for row in reader:
            yield before + reader.line_num, row, None
    except csv.Error as exc:
        yield before + reader.line_num, None, f"invalid CSV: {exc}"


def _csv_lines(lines: Iterable[str]) -> Iterator[str]:
    # The csv module's default field limit (128 KiB) is shorter than a long article.
    csv.field_size_limit(MAX_ROW_CHARS)
    for line in lines:
        if isinstance(line, OversizedRow):
            raise InputProblem(f"a line longer than {MAX_ROW_CHARS} characters")
        yield line
