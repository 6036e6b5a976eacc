"""NAME findings on clean professional English: the human translations of the MQM sets.

    python -m research names_clean [--old REV]

A human translation has no name variants to find, so every NAME finding on one is a false
alarm. The human rows (``is_human``) of newstest2020 (the development file) and of TED 2021
(never fitted on) are put together into one article per document and translator, audited
with the NAME rules only, and the findings counted per 2,000 words, for this tree and for
``--old`` (default: the branch point of issue 17) beside it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from .names_dev import BRANCH_POINT, ROOT, export_revision

DATA = ROOT.parent / "shared" / "data"
SETS = ("newstest2020_zhen_mqm.jsonl.gz", "ted2021_zhen_mqm.jsonl.gz")


def articles(path: Path) -> list[dict]:
    """One article per (document, human translator), its segments in order."""
    segments: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("is_human"):
                segments[(str(row["doc"]), row["system"])].append(
                    (int(row["doc_seg"]), row["target"])
                )
    return [
        {"id": f"{doc}|{system}", "text": "\n\n".join(t for _, t in sorted(rows))}
        for (doc, system), rows in sorted(segments.items())
    ]


def audit(rows: list[dict], tree: Path | None = None) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "human.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        cmd = [sys.executable, "-m", "auditor", "check", str(corpus), "--isolated", "--no-lm"]
        cmd += ["--select", "NAME", "--format", "jsonl", "--fail-on", "never"]
        env = dict(os.environ)
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        done = subprocess.run(
            cmd, capture_output=True, text=True, encoding="utf-8", env=env, cwd=tree or ROOT
        )
    results = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return [r for r in results if "findings" in r]


def summary(results: list[dict]) -> dict:
    words = sum(r["words"] for r in results)
    findings = [f for r in results for f in r["findings"]]
    return {
        "articles": len(results),
        "words": words,
        "findings": len(findings),
        "per_2000_words": 2000 * len(findings) / max(words, 1),
        "rules": dict(sorted(Counter(f["rule"] for f in findings).items())),
        "examples": sorted({f"{f['rule']} {f['text']!r} -> {f['replacements']}" for f in findings}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default=BRANCH_POINT, help="git revision to compare ('' = none)")
    args = parser.parse_args(argv)
    trees = {"new": None}
    if args.old:
        trees[args.old] = export_revision(args.old)
    for name in SETS:
        rows = articles(DATA / name)
        print(f"{name}: human translations, {len(rows)} articles")
        for label, tree in trees.items():
            s = summary(audit(rows, tree))
            print(
                f"  {label:<8} {s['findings']:>3} NAME findings in {s['words']:,} words: "
                f"{s['per_2000_words']:.3f} per 2,000 words {s['rules']}"
            )
            for example in s["examples"][:20]:
                print(f"           {example}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
