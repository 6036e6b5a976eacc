"""Read inputs into Documents: one reader per format, every problem a one-line InputProblem.

``read_paths`` yields a Document for every article and an ``InputError`` for every input that
cannot be audited, so one bad file never stops a corpus run. Inputs are only ever read.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..document import Document
from .decode import InputProblem, decode
from .markdown import prose, split_front_matter

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
CORPUS_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | CORPUS_SUFFIXES
META_KEYS = ("title", "lang", "source_lang", "outlet", "date", "story", "url")


@dataclass(frozen=True, slots=True)
class InputError:
    path: str
    reason: str

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
        try:
            data = Path(item).read_bytes()
        except OSError as exc:
            yield InputError(item, f"cannot read: {exc.strerror or exc}")
            continue
        yield from read_bytes(data, item)


def read_bytes(data: bytes, path: str) -> Iterator[Document | InputError]:
    """Documents from one input's bytes; the format comes from the name's suffix."""
    try:
        text, _encoding = decode(data)
    except InputProblem as exc:
        yield InputError(path, str(exc))
        return
    suffix = Path(path).suffix.lower()
    try:
        if suffix in CORPUS_SUFFIXES:
            yield from _corpus(text, path, suffix)
        elif suffix in MARKDOWN_SUFFIXES:
            yield _markdown(text, path)
        elif suffix in HTML_SUFFIXES:
            yield _html(text, path)
        else:
            yield _checked(Document(path=path, id=_stem(path), text=text))
    except (InputProblem, ValueError) as exc:
        yield InputError(path, str(exc))


def _stem(path: str) -> str:
    return Path(path).stem or path


def _checked(doc: Document) -> Document:
    if not doc.text.strip():
        raise InputProblem("no text to audit")
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
    return _checked(doc)


def _html(text: str, path: str) -> Document:
    import trafilatura

    extracted = trafilatura.bare_extraction(
        text, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True
    )
    body = extracted.text if extracted is not None else None
    if not body:
        raise InputProblem("no article text found in the HTML")
    doc = Document(path=path, id=_stem(path), text=body)
    meta = {"title": extracted.title, "url": extracted.url, "date": extracted.date}
    if extracted.hostname:
        meta["outlet"] = extracted.hostname
    doc.meta = _meta(meta)
    return _checked(doc)


def _corpus(text: str, path: str, suffix: str) -> Iterator[Document | InputError]:
    if suffix == ".csv":
        rows: Iterable[tuple[int, dict | None, str | None]] = _csv_rows(text)
    else:
        rows = _jsonl_rows(text)
    seen_any = False
    for number, row, problem in rows:
        seen_any = True
        where = f"{path}:{number}"
        if problem:
            yield InputError(where, problem)
            continue
        assert row is not None
        body = row.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(where, "row has no 'text'")
            continue
        row_id = str(row.get("id") or number)
        doc = Document(path=f"{path}#{row_id}", id=row_id, text=body)
        doc.meta = _meta(row)
        yield doc
    if not seen_any:
        yield InputError(path, "corpus has no rows")


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        if not isinstance(row, dict):
            yield number, None, "row is not a JSON object"
            continue
        yield number, row, None


def _csv_rows(text: str) -> Iterator[tuple[int, dict | None, str | None]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise InputProblem("CSV corpus needs a 'text' column")
    try:
        for row in reader:
            yield reader.line_num, row, None
    except csv.Error as exc:
        yield reader.line_num, None, f"invalid CSV: {exc}"
