"""``auditor names cluster FILE|DIR``: group spellings of the same entity and write CSV
``name,cluster,canonical``.

The input is a list of names (one per line: ``.txt``/``.lst`` files whose lines all look like
names, or ``-`` for standard input) or a corpus (articles, directories), whose name mentions are
collected first. ``--no-gazetteer`` clusters on transliteration keys and given-name agreement
alone, to discover variants the gazetteer does not know yet.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from ..errors import UsageError

LIST_SUFFIXES = {".txt", ".text", ".lst", ".list", ""}
# A line that may be a name: letters first (or a particle, "św. Wojciech"), then what names are
# written with: apostrophes of every kind (O’Brien, O´Brien, Zelens'kyj), initials and
# abbreviations (Mark T. Esper, Jr.), hyphens, a comma before a suffix, regnal numbers.
_NAME_LINE = re.compile(r"[^\W\d_][\w'’‘´`ʼ.,()\-\u2010\u2011 ]{0,100}")
MAX_NAME_WORDS = 8
LIST_SHARE = 0.9  # this share of lines must read as names (a stray "AT&T" keeps a list a list)


def register(sub) -> None:
    p = sub.add_parser("names", help="name tools: cluster spellings of the same entity")
    names_sub = p.add_subparsers(dest="names_command", metavar="COMMAND")
    c = names_sub.add_parser("cluster", help="group spellings of one entity (CSV)")
    c.add_argument(
        "paths",
        nargs="+",
        metavar="FILE|DIR",
        help="a list of names or a corpus ('-': names on stdin)",
    )
    c.add_argument(
        "--no-gazetteer",
        action="store_true",
        help="cluster without the gazetteer (discover unknown variants)",
    )
    c.add_argument(
        "--input",
        choices=["auto", "list", "corpus"],
        default="auto",
        help="read FILE as a list of names or as articles (default: guess)",
    )
    c.add_argument("--style", help="house style of canonical spellings: ap, reuters, bbc, a file")
    c.add_argument("--output", "-o", metavar="FILE", help="write the CSV here (atomically)")
    c.add_argument("--isolated", action="store_true", help="ignore configuration files")
    c.set_defaults(func=run_cluster)
    p.set_defaults(func=_missing_subcommand)


def _missing_subcommand(args) -> int:
    raise UsageError("names needs a subcommand: cluster")


def looks_like_name_list(text: str) -> bool:
    """One name a line? Prose has long lines and sentence punctuation; a list of names has
    neither. A list is read line by line, so every name given comes out once."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or any(len(line.split()) > MAX_NAME_WORDS for line in lines):
        return False
    names = sum(bool(_NAME_LINE.fullmatch(line)) and not _sentence(line) for line in lines)
    return names >= LIST_SHARE * len(lines)


def _sentence(line: str) -> bool:
    """Ends like a sentence: ":" or a full stop after a word that is no initial,
    abbreviation or number ("Anna K.", "Jr.", "Pius XII." are names)."""
    if line.endswith(":"):
        return True
    last = line.split()[-1]
    return last.endswith(".") and len(last) > 4 and last[:-1].isalpha() and last[0].islower()


def _names_from_corpus(paths: list[str], gazetteer, errors: list[str]) -> list[str]:
    from ..ingest import InputError, read_paths
    from ..names.mentions import find_mentions
    from ..segment import segment

    names: list[str] = []
    for item in read_paths(paths):
        if isinstance(item, InputError):
            errors.append(str(item))
            continue
        doc = segment(item)
        for s in doc.sentences:
            known, unknown = find_mentions(doc.text, gazetteer, s.start, s.end)
            for m in known:
                # The capitalized word before a bare surname is a given name only for a person:
                # "Escalated Ukraine conflict" (a headline) names Ukraine.
                person = any(gazetteer.entity(f.entity).type == "person" for f in m.forms)
                start = m.given.start if m.given is not None and person else m.start
                names.append(doc.text[start : m.end])
            names.extend(m.text for m in unknown)
    return [re.sub(r"\s+", " ", n) for n in names]


def run_cluster(args) -> int:
    from ..atomic import write_text
    from ..config import load_config
    from ..errors import ConfigError
    from ..names.cluster import cluster_rows
    from ..names.gazetteer import Gazetteer, GazetteerError, load_gazetteer
    from ..names.style import StyleError, load_style

    config = load_config({"style": args.style}, use_files=not args.isolated)
    try:
        full = load_gazetteer()
        style = load_style(config.style or "ap", full.entities)
    except (GazetteerError, StyleError) as exc:
        raise ConfigError(str(exc)) from exc
    # Without the gazetteer, its list of titles still tells names from "President".
    gazetteer = Gazetteer([], full.titles) if args.no_gazetteer else full
    errors: list[str] = []
    names: list[str] = []
    for path in args.paths:
        if path == "-":
            names.extend(line.strip() for line in sys.stdin if line.strip())
            continue
        p = Path(path)
        if not p.exists():
            raise UsageError(f"{path}: no such file or directory")
        as_list = args.input == "list"
        if args.input == "auto" and p.is_file() and p.suffix.lower() in LIST_SUFFIXES:
            try:
                text = p.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"{path}: cannot read: {exc}")
                continue
            as_list = looks_like_name_list(text)
        if as_list:
            try:
                text = p.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"{path}: cannot read: {exc}")
                continue
            names.extend(line.strip() for line in text.splitlines() if line.strip())
        else:
            names.extend(_names_from_corpus([path], gazetteer, errors))
    rows = cluster_rows(names, None if args.no_gazetteer else gazetteer, style)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "cluster", "canonical"])
    writer.writerows(rows)
    write_text(Path(args.output) if args.output else None, out.getvalue())
    for error in errors:
        print(f"auditor: {error}", file=sys.stderr)
    return 2 if errors else 0
