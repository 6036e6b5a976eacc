"""ENC: broken characters — invisible and bidi controls, homoglyphs from another script,
mojibake and replacement characters.

Web copy carries characters the reader never sees (zero-width spaces, bidi marks pasted in by
CMS editors), letters from another script that look identical ("Kyіv" with a Cyrillic "і"),
and text decoded with the wrong encoding ("CafÃ©"). All of them look fine or nearly fine in
print and break search, indexing and name matching. The character tables are data
(``corpora/encoding/``); the mojibake repair is ftfy's.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..document import Document, Finding
from ..paths import corpora_dir
from ..rules import Example, Family, Rule
from . import NOTHING, Check, Handover

CHECK = "encoding"
CATEGORY = "Fluency/Character encoding"


def _examples(word: str, fix: str | None, instead: str) -> tuple[Example, ...]:
    """A sentence with ``word`` in it (flagged, ``fix`` offered), and with ``instead``."""
    sentence = "The talks in {} ended on Monday without an agreement."
    return Example(sentence.format(word), flags=word, fix=fix), Example(sentence.format(instead))


FAMILY = Family(
    prefix="ENC",
    check=CHECK,
    title="encoding",
    color="#56B4E9",
    order=70,
    rules=(
        Rule("ENC001", CHECK, "invisible-character", CATEGORY, "minor",
             "Zero-width, bidi or control character inside a word, or a bidi control anywhere.",
             examples=_examples("Ber\u200blin", "Berlin", "Berlin")),
        Rule("ENC002", CHECK, "mixed-script-word", CATEGORY, "major",
             "A word mixing look-alike letters of two scripts (a Cyrillic 'і' in 'Kyіv').",
             examples=_examples("Ky\u0456v", "Kyiv", "Kyiv")),
        Rule("ENC003", CHECK, "mojibake", CATEGORY, "major",
             "Text decoded with the wrong encoding ('CafÃ©'); the repair is the suggestion.",
             examples=_examples("CafÃ©", "Café", "Café")),
        Rule("ENC004", CHECK, "replacement-character", CATEGORY, "major",
             "U+FFFD replacement character: characters lost in a decoding error upstream.",
             examples=_examples("M\ufffdnchen", None, "München")),
    ),
)  # fmt: skip

SCRIPTS = ("Latin", "Cyrillic", "Greek")
# ftfy's repair and the alignment of its output run on pieces of at most this many characters,
# so a pathological line costs linear time; mojibake never spans more than a word or two.
MAX_REPAIR_CHUNK = 2000
_LETTERS = re.compile(r"[^\W\d_]+")
_NOT_SPACE = re.compile(r"\S+")
_MOJIBAKE_HINT = re.compile(
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    r"\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122\u0400-\u045f]"
)


@dataclass(frozen=True)
class EncodingData:
    invisible: dict[str, tuple[str, str]]  # character -> (kind, name)
    invisible_run: re.Pattern[str]
    lookalike: dict[tuple[str, str], str]  # (letter, target script) -> look-alike letter


def _code_point(field: str) -> int:
    if not field.startswith("U+"):
        raise ValueError(f"not a code point: {field!r}")
    return int(field[2:], 16)


def _rows(path: Path) -> list[list[str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) != 6 and len(fields) != 4:
                raise ValueError(f"{path}:{number}: expected tab-separated fields")
            rows.append(fields)
    return rows


def load_data(folder: Path | None = None) -> EncodingData:
    folder = folder or corpora_dir() / "encoding"
    invisible: dict[str, tuple[str, str]] = {}
    for first, last, kind, name in _rows(folder / "invisible.tsv"):
        for cp in range(_code_point(first), _code_point(last) + 1):
            invisible[chr(cp)] = (kind, name)
    klass = "".join(f"\\u{ord(ch):04x}" if ord(ch) > 0 else "\\x00" for ch in sorted(invisible))
    lookalike = {}
    for cp, _letter, _script, target_cp, _target, target_script in _rows(
        folder / "confusables.tsv"
    ):
        lookalike[(chr(_code_point(cp)), target_script)] = chr(_code_point(target_cp))
    return EncodingData(invisible, re.compile(f"[{klass}]+"), lookalike)


_script_cache: dict[str, str | None] = {}


def script_of(ch: str) -> str | None:
    """Latin, Cyrillic or Greek for a letter of those scripts, else None."""
    script = _script_cache.get(ch, "")
    if script == "":
        name = unicodedata.name(ch, "")
        script = next((s for s in SCRIPTS if name.startswith(s.upper() + " ")), None)
        if len(_script_cache) < 100_000:
            _script_cache[ch] = script
    return script


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


class EncodingCheck(Check):
    family = FAMILY

    def __init__(self, config, resources) -> None:
        super().__init__(config, resources)
        self.data: EncodingData = resources.get("encoding.data", load_data)

    def check(self, doc: Document, earlier: Handover = NOTHING) -> list[Finding]:
        findings = self._mojibake(doc)
        taken = [(f.start, f.end) for f in findings]
        findings += self._replacement_characters(doc, taken)
        taken = [(f.start, f.end) for f in findings]
        findings += self._invisible(doc, taken)
        findings += self._mixed_scripts(doc)
        return sorted(findings, key=lambda f: (f.start, f.end, f.rule))

    # ENC001 -----------------------------------------------------------------------------
    def _invisible(self, doc: Document, taken: list[tuple[int, int]]) -> list[Finding]:
        text = doc.text
        flagged: list[tuple[int, int, list[str], str]] = []  # word span, names, severity
        for m in self.data.invisible_run.finditer(text):
            s, e = m.span()
            if _inside(taken, s, e):
                continue
            before = text[s - 1] if s else ""
            after = text[e] if e < len(text) else ""
            in_word = before.isalnum() and after.isalnum()
            kinds = {self.data.invisible[ch][0] for ch in m.group()}
            anywhere = kinds & {"bidi-control", "control"}
            if not anywhere and not in_word:
                continue
            if kinds == {"joiner"} and not (script_of(before) and script_of(after)):
                continue  # orthographic joiner (Arabic, Indic scripts)
            if in_word:
                s, e = self._word_around(text, s, e)
            names = sorted({f"{self.data.invisible[ch][1]} ({_code(ch)})" for ch in m.group()})
            severity = "major" if "bidi-control" in kinds else "minor"
            if flagged and s < flagged[-1][1]:
                ps, _pe, pnames, psev = flagged[-1]
                worse = "major" if "major" in (psev, severity) else "minor"
                flagged[-1] = (ps, max(e, _pe), sorted({*pnames, *names}), worse)
            else:
                flagged.append((s, e, names, severity))
        rule = FAMILY.rule("ENC001")
        findings = []
        for s, e, names, severity in flagged:
            cleaned = "".join(ch for ch in text[s:e] if ch not in self.data.invisible)
            where = f"inside '{cleaned}'" if cleaned else "in the text"
            if severity == "major":
                message = (
                    f"bidirectional control {', '.join(names)} {where}: it reorders how "
                    "the text displays and can hide or scramble words"
                )
            else:
                message = (
                    f"invisible {', '.join(names)} {where}: search, indexing and name "
                    "matching see a different word"
                )
            findings.append(
                doc.finding(
                    rule,
                    s,
                    e,
                    message,
                    replacements=[cleaned],
                    severity=severity,
                    evidence={"characters": names},
                )
            )
        return findings

    def _word_around(self, text: str, s: int, e: int) -> tuple[int, int]:
        invisible = self.data.invisible
        while s > 0 and (text[s - 1].isalnum() or text[s - 1] in invisible):
            s -= 1
        while e < len(text) and (text[e].isalnum() or text[e] in invisible):
            e += 1
        return s, e

    # ENC002 -----------------------------------------------------------------------------
    def _mixed_scripts(self, doc: Document) -> list[Finding]:
        rule = FAMILY.rule("ENC002")
        findings = []
        for m in _LETTERS.finditer(doc.text):
            word = m.group()
            if word.isascii():
                continue
            counts: dict[str, int] = {}
            for ch in word:
                script = script_of(ch)
                if script:
                    counts[script] = counts.get(script, 0) + 1
            if len(counts) < 2:
                continue
            main = max(SCRIPTS, key=lambda s: (counts.get(s, 0), -SCRIPTS.index(s)))
            foreign = [ch for ch in word if script_of(ch) not in (main, None)]
            if not all((ch, main) in self.data.lookalike for ch in foreign):
                continue  # a visible mix ("μg"), not a homoglyph
            repaired = "".join(
                self.data.lookalike.get((ch, main), ch) if ch in foreign else ch for ch in word
            )
            described = ", ".join(
                f"{_code(ch)} {unicodedata.name(ch, '?')}" for ch in dict.fromkeys(foreign)
            )
            others = sorted(s for s in counts if s != main)
            message = (
                f"'{word}' mixes {main} with {' and '.join(others)} look-alike letters "
                f"({described}): it reads as '{repaired}' but search and name matching "
                "miss it"
            )
            findings.append(
                doc.finding(
                    rule,
                    m.start(),
                    m.end(),
                    message,
                    replacements=[repaired],
                    evidence={
                        "scripts": dict(sorted(counts.items())),
                        "characters": [_code(c) for c in foreign],
                    },
                )
            )
        return findings

    # ENC003 -----------------------------------------------------------------------------
    def _mojibake(self, doc: Document) -> list[Finding]:
        from ftfy import fix_encoding
        from ftfy.badness import is_bad

        rule = FAMILY.rule("ENC003")
        findings = []
        for start, chunk in _chunks(doc.text):
            if not _MOJIBAKE_HINT.search(chunk) or not is_bad(chunk):
                continue
            fixed = fix_encoding(chunk)
            if fixed == chunk:
                continue
            for s, e, repaired in _repairs(chunk, fixed):
                original = chunk[s:e]
                message = (
                    f"mojibake: '{original}' is text decoded with the wrong encoding; "
                    f"it should read '{repaired}'"
                )
                findings.append(
                    doc.finding(rule, start + s, start + e, message, replacements=[repaired])
                )
        return findings

    # ENC004 -----------------------------------------------------------------------------
    def _replacement_characters(self, doc: Document, taken) -> list[Finding]:
        rule = FAMILY.rule("ENC004")
        findings = []
        if "\ufffd" not in doc.text:
            return findings
        for m in _NOT_SPACE.finditer(doc.text):
            if "\ufffd" in m.group() and not _inside(taken, *m.span()):
                message = (
                    f"replacement character U+FFFD in '{m.group()}': characters were "
                    "lost when the text was decoded upstream; restore them from the source"
                )
                findings.append(doc.finding(rule, m.start(), m.end(), message))
        return findings


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def _chunks(text: str):
    """(offset, piece) over ``text``: lines, long lines cut at whitespace into pieces of at most
    MAX_REPAIR_CHUNK characters (or hard-cut when a line has no whitespace for that long)."""
    pos = 0
    for line in text.split("\n"):
        offset = 0
        while len(line) - offset > MAX_REPAIR_CHUNK:
            cut = line.rfind(" ", offset + MAX_REPAIR_CHUNK // 2, offset + MAX_REPAIR_CHUNK)
            cut = cut + 1 if cut > 0 else offset + MAX_REPAIR_CHUNK
            yield pos + offset, line[offset:cut]
            offset = cut
        yield pos + offset, line[offset:]
        pos += len(line) + 1


def _repairs(chunk: str, fixed: str) -> list[tuple[int, int, str]]:
    """Where ``fixed`` differs from ``chunk``: (start, end, repaired word) over whole words."""
    matcher = difflib.SequenceMatcher(None, chunk, fixed, autojunk=False)
    groups: list[list[int]] = []  # [start, end, fixed start, fixed end]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        s, e = i1, i2
        while s > 0 and not chunk[s - 1].isspace():
            s -= 1
        while e < len(chunk) and not chunk[e].isspace():
            e += 1
        fs, fe = s + (j1 - i1), e + (j2 - i2)
        if groups and s <= groups[-1][1]:
            groups[-1][1], groups[-1][3] = e, fe
        else:
            groups.append([s, e, fs, fe])
    return [(s, e, fixed[fs:fe]) for s, e, fs, fe in groups if chunk[s:e] != fixed[fs:fe]]
