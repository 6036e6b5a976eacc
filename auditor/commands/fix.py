"""``auditor fix PATH...``: apply the safe fixes (names: NAME001, NAME002; mechanical slips:
MECH001-MECH004; with ``--unsafe-fixes`` also MECH005) to Markdown and text.

Without ``--write`` it prints a unified diff and changes nothing (``--diff`` says so
explicitly); with ``--write`` each changed file is replaced atomically. A finding's offset in
the file is ``doc.base + start``: the Markdown reader blanks markup instead of cutting it, and
plain text is read as is. Formats where the audited text is not a slice of the file (HTML,
JSONL and CSV corpora) are refused with one line each, and every replacement is checked
against the file's text before anything is written.

The front-matter title, which every report shows, is text too: a one-line title is audited
on its own and fixed in place (a block scalar or a quoted value with escapes is left as it
is). Text the language check finds not to be English (UNT001: a German quotation; UNT003,
or UNT001 over most of its words: all of an article in another language, title included) is
left as it is: "Selenskyj" is how German writes the name.
"""

from __future__ import annotations

import dataclasses
import difflib
import sys
from functools import partial
from pathlib import Path

from ..errors import UsageError

FIXABLE_RULES = ("NAME001", "NAME002", "MECH001", "MECH002", "MECH003", "MECH004")
# Fixes that can change what the text says (ruff's "unsafe fixes"), applied only with
# --unsafe-fixes: a quotation mark with no partner may open a quotation whose end was lost.
UNSAFE_RULES = ("MECH005",)
FIXABLE_SUFFIXES = {".md", ".markdown", ".mdx", ".txt", ".text"}
# Front-matter fields that are prose a reader sees (the reader keeps these in ``doc.meta``).
TEXT_FIELDS = ("title",)
# Findings that mark text as not English, and the share of an article's words they must
# cover for the whole article to be taken as not English.
NOT_ENGLISH_RULES = ("UNT001", "UNT003")
MOSTLY_NOT_ENGLISH = 0.5


def register(sub) -> None:
    p = sub.add_parser(
        "fix", help="apply the safe fixes (NAME001, NAME002, MECH) to Markdown and text"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    mode.add_argument("--write", action="store_true", help="write the fixes (atomically)")
    p.add_argument("--style", help="house style for names: ap, reuters, bbc or a file")
    p.add_argument("--select", help="comma-separated rule codes or prefixes to apply")
    p.add_argument("--ignore", help="comma-separated rule codes or prefixes not to apply")
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also remove quotation marks and brackets with no partner (MECH005)",
    )
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    p.set_defaults(func=run)


@dataclasses.dataclass
class Edit:
    start: int  # in the file's decoded text
    end: int
    replacement: str
    rule: str


def plan_edits(doc, findings, wanted, rules=FIXABLE_RULES) -> list[Edit]:
    """Non-overlapping edits in file offsets, none inside text that is not English; raises
    ValueError when the mapping fails."""
    from ..spans import SpanSet

    foreign = SpanSet(not_english(doc, findings))
    return edits_for(
        doc,
        [
            f
            for f in findings
            if f.rule in rules
            and wanted(f.rule)
            and len(f.replacements) == 1
            and not foreign.overlaps(f.start, f.end)
        ],
    )


def edits_for(doc, findings) -> list[Edit]:
    """Each finding's first suggestion as an edit of the file's text, in order, overlaps
    dropped; raises ValueError when a finding does not match the file's text."""
    edits: list[Edit] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        start, end = doc.base + f.start, doc.base + f.end
        if doc.source[start:end] != f.text:
            raise ValueError(f"{f.rule} at offset {f.start} does not match the file's text")
        if edits and start < edits[-1].end:
            continue  # overlapping fixes: keep the first, the next run picks up the rest
        edits.append(Edit(start, end, f.replacements[0], f.rule))
    return edits


def fix_config(config, rules=FIXABLE_RULES):
    """The configuration the fix run audits with: no language model, and beside the fixable
    rules the debris findings (name fixes inside text about to be deleted are skipped) and
    the language check's (text in another language is left as it is)."""
    return dataclasses.replace(
        config, lm=False, select=["BOIL", *NOT_ENGLISH_RULES, *rules], ignore=[]
    )


def safe_edits(auditor, doc, wanted, rules=FIXABLE_RULES) -> tuple[list[Edit], bool]:
    """The safe fixes of ``doc`` (body and one-line front-matter title), in file order, and
    whether the whole article was left alone as not English. ``auditor`` audits with
    ``fix_config``; raises ValueError when a finding does not match the file's text."""
    result = auditor.audit_document(doc)
    foreign = whole_text_foreign(doc, result.findings)
    edits = plan_edits(doc, result.findings, wanted, rules)
    if not foreign:
        for field in field_documents(doc):
            edits += plan_edits(field, auditor.audit_document(field).findings, wanted, rules)
    edits.sort(key=lambda e: e.start)
    return edits, foreign


def not_english(doc, findings) -> list[tuple[int, int]]:
    """Spans of ``doc.text`` found not to be English: the UNT001 findings, or the whole text
    when they cover most of its words."""
    spans = sorted((f.start, f.end) for f in findings if f.rule in NOT_ENGLISH_RULES)
    if not spans:
        return []
    words = [w for s in doc.sentences for w in s.words]
    inside = sum(any(a <= w.start < b for a, b in spans) for w in words)
    if words and inside > MOSTLY_NOT_ENGLISH * len(words):
        return [(0, len(doc.text))]
    return spans


def whole_text_foreign(doc, findings) -> bool:
    return not_english(doc, findings) == [(0, len(doc.text))]


def field_documents(doc) -> list:
    """A document for each one-line text field of the front matter, at its place in the
    file (quoted or plain; block scalars and values with escapes are left alone)."""
    import re

    from ..document import Document

    front = doc.source[: doc.base]
    out = []
    for name in TEXT_FIELDS:
        value = doc.meta.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        m = re.search(rf"^{re.escape(name)}:[ \t]*(['\"]?)(.*?)\1[ \t]*(?:#.*)?$", front, re.M)
        if m is None or m.group(2) != value:
            continue
        out.append(
            Document(path=doc.path, id=doc.id, text=value, source=doc.source, base=m.start(2))
        )
    return out


def apply_edits(text: str, edits: list[Edit]) -> str:
    out, pos = [], 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def encode_like(text: str, encoding: str, original: bytes) -> bytes:
    """``text`` encoded as ``original`` was (its encoding and byte-order mark)."""
    import codecs

    bom = b""
    for mark in (
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE,
    ):
        if original.startswith(mark):
            bom = mark
            break
    return bom + text.encode(encoding)


def _diff_name(side: str, path: str) -> str:
    return path if Path(path).is_absolute() else f"{side}/{path}"


def run(args) -> int:
    from ..atomic import write_bytes
    from ..config import load_config, parse_codes
    from ..ingest import InputError, expand, read_bytes
    from ..ingest.decode import InputProblem, decode
    from ..pipeline import Auditor

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"{path}: no such file or directory")
    config = load_config(
        {
            "select": parse_codes(args.select),
            "ignore": parse_codes(args.ignore, "--ignore"),
            "style": args.style,
            "lm": False,
        },
        use_files=not args.isolated,
    )
    rules = (*FIXABLE_RULES, *(UNSAFE_RULES if args.unsafe_fixes else ()))
    auditor = Auditor(fix_config(config, rules))
    failed = False
    changed_files = total_edits = 0
    for item in expand(args.paths):
        if isinstance(item, InputError):
            print(f"auditor: {item}", file=sys.stderr)
            failed = True
            continue
        path = Path(item)
        if path.suffix.lower() not in FIXABLE_SUFFIXES:
            print(
                f"auditor: {item}: cannot fix {path.suffix or 'this'} input: its audited text "
                "is not a slice of the file (fix Markdown or text files)",
                file=sys.stderr,
            )
            failed = True
            continue
        try:
            data = path.read_bytes()
            text, encoding = decode(data)
        except (OSError, InputProblem) as exc:
            print(f"auditor: {item}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            failed = True
            continue
        docs = list(read_bytes(data, item))
        if len(docs) != 1 or isinstance(docs[0], InputError):
            print(f"auditor: {docs[0] if docs else item}", file=sys.stderr)
            failed = True
            continue
        doc = docs[0]
        if doc.source != text:
            print(
                f"auditor: {item}: cannot fix: the reader changed the file's text", file=sys.stderr
            )
            failed = True
            continue
        try:
            edits, foreign = safe_edits(auditor, doc, partial(config.is_selected, path=item), rules)
        except ValueError as exc:
            print(f"auditor: {item}: cannot fix: {exc}", file=sys.stderr)
            failed = True
            continue
        if foreign and not args.quiet:
            print(f"auditor: {item}: left as it is: not English", file=sys.stderr)
        if not edits:
            continue
        fixed = apply_edits(text, edits)
        changed_files += 1
        total_edits += len(edits)
        if args.write:
            write_bytes(path, encode_like(fixed, encoding, data))
        else:
            sys.stdout.writelines(
                difflib.unified_diff(
                    text.splitlines(keepends=True),
                    fixed.splitlines(keepends=True),
                    fromfile=_diff_name("a", item),
                    tofile=_diff_name("b", item),
                )
            )
    if not args.quiet:
        verb = "fixed" if args.write else "would fix"
        print(f"{verb} {total_edits} finding(s) in {changed_files} file(s)", file=sys.stderr)
    return 2 if failed else 0
