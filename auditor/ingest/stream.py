"""Corpus files as a stream of text lines, so a corpus of any size is read with memory bounded
by its longest row, never by its size.

The encoding is decided from the first MiB (byte-order mark, UTF-8, or a legacy encoding that
charset-normalizer detects); bytes further on that do not decode become U+FFFD, which the ENC
rules report, rather than failing a whole corpus for one damaged row.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from .decode import _BINARY_CONTROLS, EmptyInput, InputProblem

SNIFF_BYTES = 1 << 20
# A row this long is not an article (the pipeline cuts articles at max_chars, 1M by default);
# reading it whole would let one line decide the memory of the run.
MAX_ROW_CHARS = 32 << 20


class OversizedRow(str):
    """Stands in for a line longer than MAX_ROW_CHARS (its content is dropped)."""


def sniff_encoding(sample: bytes, complete: bool) -> str:
    """The codec for a stream starting with ``sample`` (``complete``: the whole input)."""
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if not sample.strip():
        raise EmptyInput("empty file")
    head = sample[:65536]
    if b"\x00" in head or sum(head.count(bytes([c])) for c in _BINARY_CONTROLS) > len(head) / 100:
        raise InputProblem("binary file (control bytes in the content)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise InputProblem("undecodable: not UTF-8 and no single-byte encoding fits")
    return best.encoding


class _Rewound(io.RawIOBase):
    """The sniffed sample, then the rest of the stream: one readable stream again."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = memoryview(head)
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """Decoded lines, line endings kept (as the csv module wants them). Raises InputProblem
    before the first line for an empty, binary or undecodable input."""
    sample = stream.read(SNIFF_BYTES)
    encoding = sniff_encoding(sample, complete=len(sample) < SNIFF_BYTES)
    raw = io.BufferedReader(_Rewound(sample, stream), buffer_size=1 << 16)
    yield from _lines(io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""))


def _lines(text: io.TextIOWrapper) -> Iterator[str]:
    while True:
        line = text.readline(MAX_ROW_CHARS)
        if not line:
            return
        if len(line) == MAX_ROW_CHARS and not line.endswith(("\n", "\r")):
            while line and not line.endswith(("\n", "\r")):
                line = text.readline(MAX_ROW_CHARS)
            yield OversizedRow()
            continue
        yield line


class SeekableLines:
    """The lines of a seekable file (as ``text_lines``), with positions to come back to: a
    corpus row can be read again later without reading the rows before it.

    ``position`` is where the next line starts (an opaque ``TextIOWrapper.tell`` cookie) and
    ``count`` how many lines came before it; ``seek`` returns to a noted pair. The encoding is
    sniffed unless given (a reader coming back already knows it)."""

    def __init__(self, stream: BinaryIO, encoding: str | None = None) -> None:
        if encoding is None:
            start = stream.tell()
            sample = stream.read(SNIFF_BYTES)
            encoding = sniff_encoding(sample, complete=len(sample) < SNIFF_BYTES)
            stream.seek(start)
        self.encoding = encoding
        self.count = 0
        self._text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")

    @property
    def position(self) -> int:
        return self._text.tell()

    def seek(self, position: int, count: int) -> None:
        self._text.seek(position)
        self.count = count

    def __iter__(self) -> Iterator[str]:
        for line in _lines(self._text):
            self.count += 1
            yield line
