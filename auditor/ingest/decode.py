"""Bytes to text: BOMs, UTF-8, legacy single-byte encodings; binary input refused."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls but tab, newline, form feed and carriage return: rare in text, common in binary.
_BINARY_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


class InputProblem(Exception):
    """An input that cannot be audited; the message is one line naming the problem."""


class EmptyInput(InputProblem):
    """An input with nothing to audit (an empty file, a placeholder): reported as empty, not
    as an error."""


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Raises InputProblem for empty, binary or undecodable input."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputProblem(
                    f"not valid {encoding} despite its byte-order mark ({exc.reason})"
                ) from None
    if not data.strip():
        raise EmptyInput("empty file")
    sample = data[:65536]
    if (
        b"\x00" in sample
        or sum(sample.count(bytes([c])) for c in _BINARY_CONTROLS) > len(sample) / 100
    ):
        raise InputProblem("binary file (control bytes in the content)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise InputProblem("undecodable: not UTF-8 and no single-byte encoding fits")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputProblem(f"undecodable as {best.encoding}: {exc}") from exc
