"""Word (.docx) and PDF files, as desks receive them, read into paragraphs.

A Word file's paragraphs are joined by blank lines, so segmentation sees each as a block; a PDF's
lines are kept as lines, pages apart. Lines and columns of that text mean nothing in the file, so
every paragraph (or PDF line) keeps a place a reader finds it by: "paragraph 12", "page 3, line
14" (``Document.places``; findings carry it as ``where``).
"""

from __future__ import annotations

import io

from ..document import Document
from .decode import EmptyInput, InputProblem

# A PDF page's text with fewer letters than this is a scan (an image with no text layer).
_MIN_LETTERS = 20


def _document(path: str, stem: str, paragraphs: list[tuple[str, str]], title: str | None):
    """A Document of ``paragraphs`` (place, text) joined by blank lines, places kept."""
    parts, places, at = [], [], 0
    for place, text in paragraphs:
        places.append((at, place))
        parts.append(text)
        at += len(text) + 2
    doc = Document(path=path, id=stem, text="\n\n".join(parts))
    doc.places = places
    if title:
        doc.meta["title"] = title
    return doc


def read_docx(data: bytes, path: str, stem: str) -> Document:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        word = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputProblem(f"not a readable Word (.docx) file: {exc}") from None
    paragraphs = []
    for number, paragraph in enumerate(word.paragraphs, 1):
        text = " ".join(paragraph.text.split())
        if text:
            paragraphs.append((f"paragraph {number}", text))
    if not paragraphs:
        raise EmptyInput("no text in the Word file")
    return _document(path, stem, paragraphs, word.core_properties.title or None)


def read_pdf(data: bytes, path: str, stem: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputProblem("the PDF is encrypted: its text cannot be read")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title")
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputProblem(f"not a readable PDF file: {exc}") from None
    if not pages:
        raise EmptyInput("the PDF has no pages")
    if sum(ch.isalpha() for page in pages for ch in page) < _MIN_LETTERS:
        raise InputProblem("the PDF has no text layer (a scan?): run OCR on it first")
    # A PDF has pages and lines, not paragraphs: each line keeps its page and line number, and
    # lines run on as the page has them (segmentation joins hard-wrapped prose).
    lines, parts, at = [], [], 0
    for page_number, page in enumerate(pages, 1):
        page_lines = [" ".join(line.split()) for line in page.replace("\r", "").split("\n")]
        for number, line in enumerate(page_lines, 1):
            if line:
                lines.append((at, f"page {page_number}, line {number}"))
                parts.append(line)
                at += len(line) + 1
        if parts and not parts[-1].endswith("\n"):
            parts[-1] += "\n"  # a blank line between pages
            at += 1
    doc = Document(path=path, id=stem, text="\n".join(parts).rstrip())
    doc.places = lines
    if title:
        doc.meta["title"] = str(title)
    return doc
