"""Clean copy: findings per 2,000 words on professional translations, every default check on.

    python -m research clean_copy [--old REV] [--show tune] [--families F,...] [--no-cache]

A professional translation is the copy an editor trusts: every major finding on one is a
false alarm until a person agrees it is an error. The human rows (``is_human``) of newstest2020
(the development file) and of TED 2021 (never tuned on) are put together into one article per
document and translator, and audited as ``make audit`` audits: every default check, the
default language model, no configuration file. Printed per set: major findings per 2,000
words per rule family and in all (and how many of them are on a word glued to itself,
"managementmanagement": debris of the raters' post-edits in the 2020 release, an error for
certain, and what is left without them), and minor findings per 2,000 words; then the same
counted on the ``all_raters_agree`` segments alone (the release's cleanest rows; the audit is
the same, each segment judged in its whole article, only the counting is restricted).

The sets: newstest2020's documents split in two halves by a rule that never changes, **tune**
(the first byte of sha256 of the ``doc`` id is even) and **check** (odd); fixes are developed
on the tune half's findings alone (``--show tune`` lists them), the check half and TED are
reported as held out. ``--old REV`` audits revision REV (exported once into a temporary
folder) beside this tree: the baseline. Results are cached per tree (a hash of every file of
``auditor/`` and ``corpora/``) and per corpus in the user cache, so a rerun of an unchanged tree
costs nothing and any change to the product is measured afresh (``--no-cache`` always is).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from .data import DEV_DATA, TED_DATA, half
from .names_dev import ROOT, export_revision

BASELINE = "f66c0fe"  # before issue 18
PER_WORDS = 2000
SETS = ("tune", "check", "newstest", "ted")  # the four columns, in print order
AGREED = "all_raters_agree"  # the 2020 release's cleanest rows: no post-edits mixed in
FAMILIES = ("BOIL", "NAME", "UNT", "LEX", "ENC", "FLU", "REF", "LIM")  # others appended as seen


def articles(path: Path) -> list[dict]:
    """One article per (document, human translator), its segments in order, a blank line
    between them (the first segment of a news document is its headline). ``segments`` holds
    each segment's (start, end) in ``text`` and its ``target_status`` (TED 2021 has none: its
    rows carry no raters' post-edits, so they count as agreed)."""
    segments: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("is_human"):
                key = (str(row["doc"]), str(row["system"]))
                status = str(row.get("target_status") or AGREED)
                segments[key].append((int(row["doc_seg"]), row["target"].strip(), status))
    out = []
    for (doc, system), rows in sorted(segments.items()):
        text, spans = "", []
        for _, target, status in sorted(rows):
            if target:
                text += "\n\n" if text else ""
                spans.append((len(text), len(text) + len(target), status))
                text += target
        out.append({"id": f"{doc}|{system}", "text": text, "segments": spans})
    return out


def _tree_hash(tree: Path) -> str:
    digest = hashlib.sha256()
    for folder in ("auditor", "corpora"):
        for path in sorted((tree / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(tree)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _cache_dir() -> Path:
    root = os.environ.get("AUDITOR_CACHE_DIR")
    if not root:
        from platformdirs import user_cache_dir

        root = user_cache_dir("auditor")
    return Path(root) / "research" / "clean_copy"


def audit(rows: list[dict], tree: Path, use_cache: bool = True) -> list[dict]:
    """The auditor of ``tree`` over ``rows``, as ``make audit`` runs it: its results per article."""
    corpus = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    key = hashlib.sha256(f"{_tree_hash(tree)}\0{corpus}".encode()).hexdigest()[:32]
    cached = _cache_dir() / f"{key}.jsonl"
    if use_cache and cached.is_file():
        out = cached.read_text(encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "human.jsonl"
            path.write_text(corpus, encoding="utf-8")
            cmd = [sys.executable, "-m", "auditor", "check", str(path), "--isolated"]
            cmd += ["--format", "jsonl", "--fail-on", "never", "--quiet"]
            env = dict(os.environ, PYTHONPATH=str(tree))
            done = subprocess.run(
                cmd, capture_output=True, text=True, encoding="utf-8", env=env, cwd=tree
            )
        if done.returncode not in (0, 1):
            raise SystemExit(f"clean_copy: the audit failed ({tree}): {done.stderr.strip()}")
        out = done.stdout
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp_file = cached.with_suffix(".tmp")
        tmp_file.write_text(out, encoding="utf-8")
        tmp_file.replace(cached)
    results = [json.loads(line) for line in out.splitlines() if line.strip()]
    return [r for r in results if "findings" in r]


# A word glued to itself ("managementmanagement"): an error in the text for certain. The 2020
# release mixed raters' post-edits into the targets of rows not all raters agree on, and left
# such doubles behind; the study counts them apart so that what remains is read as alarms.
_DOUBLED = re.compile(r"(\w{2,})\1", re.IGNORECASE)


def _is_doubled(finding: dict) -> bool:
    return bool(_DOUBLED.fullmatch(finding["text"]))


def agreed_only(results: list[dict], texts: dict[str, dict]) -> list[dict]:
    """The results cut down to the ``all_raters_agree`` segments of each article: the
    findings that start in one, and the words of those segments. The audit itself is the
    same (each segment is judged in its whole article); only the counting is restricted."""
    from auditor.segment import tokenize

    out = []
    for r in results:
        agreed = [(a, b) for a, b, status in texts[r["id"]]["segments"] if status == AGREED]
        if not agreed:
            continue
        text = texts[r["id"]]["text"]
        words = sum(sum(t.is_word for t in tokenize(text[a:b])) for a, b in agreed)
        inside = [f for f in r["findings"] if any(a <= f["span"]["start"] < b for a, b in agreed)]
        out.append(dict(r, words=words, findings=inside))
    return out


def rates(results: list[dict]) -> dict:
    """Words, and findings per 2,000 words: major per family and in all (and how many are on
    a word glued to itself, the data's artifacts), minor per family and in all."""
    words = sum(r["words"] for r in results)
    findings = [f for r in results for f in r["findings"]]
    major = [f for f in findings if f["severity"] in ("major", "critical")]
    minor = [f for f in findings if f["severity"] == "minor"]
    scale = PER_WORDS / max(words, 1)
    return {
        "articles": len(results),
        "words": words,
        "major": Counter(f["rule"].rstrip("0123456789") for f in major),
        "major_all": len(major),
        "major_doubled": sum(map(_is_doubled, major)),
        "minor": Counter(f["rule"].rstrip("0123456789") for f in minor),
        "minor_all": len(minor),
        "scale": scale,
    }


def split(results: list[dict]) -> dict[str, list[dict]]:
    """The four sets' results: the halves by document, all of newstest2020, TED 2021."""
    sets: dict[str, list[dict]] = {name: [] for name in SETS}
    for r in results:
        source, doc = r["id"].split("|")[0].split(":", 1)
        if source == "ted":
            sets["ted"].append(r)
        else:
            sets[half(doc)].append(r)
            sets["newstest"].append(r)
    return sets


def table(columns: dict[str, dict]) -> str:
    """Findings per 2,000 words, major and minor per family (rows), for each labelled set
    (columns)."""
    seen = {fam for c in columns.values() for fam in (*c["major"], *c["minor"])}
    families = [f for f in FAMILIES if f in seen] + sorted(seen - set(FAMILIES))
    width = max(12, *(len(label) + 2 for label in columns))
    lines = ["".ljust(14) + "".join(label.rjust(width) for label in columns)]
    # "artifacts": majors on a word glued to itself (the data's post-edit debris), counted in
    # "major, all" too; "without": the majors that are left when they are set apart.
    counts = "".join(f"{c['words']:,}".rjust(width) for c in columns.values())
    lines.append("words".ljust(14) + counts)

    def row(label: str, value) -> str:
        return label.ljust(14) + "".join(f"{value(c):.2f}".rjust(width) for c in columns.values())

    for fam in families:
        lines.append(row(f"major {fam}", lambda c, fam=fam: c["major"][fam] * c["scale"]))
    lines.append(row("major, all", lambda c: c["major_all"] * c["scale"]))
    lines.append(row("  artifacts", lambda c: c["major_doubled"] * c["scale"]))
    lines.append(row("  without", lambda c: (c["major_all"] - c["major_doubled"]) * c["scale"]))
    for fam in families:
        lines.append(row(f"minor {fam}", lambda c, fam=fam: c["minor"][fam] * c["scale"]))
    lines.append(row("minor, all", lambda c: c["minor_all"] * c["scale"]))
    return "\n".join(lines)


def show(results: list[dict], texts: dict[str, str], families: set[str] | None) -> None:
    """Every major and minor finding of a set with its context: for the tune half only."""
    for r in results:
        text = texts[r["id"]]
        for f in r["findings"]:
            if f["severity"] == "neutral":
                continue
            if families and f["rule"].rstrip("0123456789") not in families:
                continue
            start, end = f["span"]["start"], f["span"]["end"]
            before, after = text[max(0, start - 60) : start], text[end : end + 60]
            context = f"{before}[[{text[start:end]}]]{after}"
            print(f"{r['id']} {f['rule']} [{f['severity']}] {f['message']}")
            print(f"    {' '.join(context.split())}")


def corpus() -> list[dict]:
    """Every article of both files, ids prefixed by their file (``newstest:``, ``ted:``)."""
    rows = [dict(r, id=f"newstest:{r['id']}") for r in articles(DEV_DATA)]
    return rows + [dict(r, id=f"ted:{r['id']}") for r in articles(TED_DATA)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=BASELINE, help="revision audited beside ('' = none)")
    parser.add_argument(
        "--show", choices=("tune",), help="list the tune half's findings (the others stay unread)"
    )
    parser.add_argument("--families", help="with --show: only these families (BOIL,FLU)")
    parser.add_argument("--no-cache", action="store_true", help="audit even an unchanged tree")
    args = parser.parse_args(argv)
    rows = corpus()
    trees = {"this tree": ROOT}
    if args.old:
        trees[args.old] = export_revision(args.old)
    texts = {r["id"]: r for r in rows}
    inputs = [{"id": r["id"], "text": r["text"]} for r in rows]
    audited = {
        label: split(audit(inputs, tree, not args.no_cache)) for label, tree in trees.items()
    }
    print(
        f"Clean copy: human translations as articles (document x translator), every default "
        f"check, findings per {PER_WORDS:,} words; halves of newstest2020 by sha256(doc)[0] "
        f"even (tune) / odd (check); TED 2021 never tuned on. Artifacts: majors on a word "
        f"glued to itself, debris of the raters' post-edits in the 2020 release."
    )
    for label, sets in audited.items():
        print(f"\n{label}, all rows:")
        print(table({name: rates(sets[name]) for name in SETS}))
        print(f"\n{label}, {AGREED} rows only (TED 2021: every row, it has no post-edits):")
        print(table({name: rates(agreed_only(sets[name], texts)) for name in SETS}))
    if args.show:
        families = set(args.families.split(",")) if args.families else None
        print(f"\nfindings on {args.show} ({next(iter(trees))}):")
        show(audited["this tree"][args.show], {k: r["text"] for k, r in texts.items()}, families)
    return 0


if __name__ == "__main__":
    sys.exit(main())
