"""``auditor compare CANDIDATE REFERENCE``: two versions of one article, sentence by sentence.

Prints the alignment (which sentences pair up, which are missing or added), sacrebleu's chrF,
BLEU and TER per pair and for the document with sacrebleu's signatures, and the REF findings
that ``auditor check --reference`` would report.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UsageError

FORMATS = ("text", "json", "csv")


def register(sub) -> None:
    p = sub.add_parser("compare", help="align and score an article against a reference")
    p.add_argument("candidate", metavar="CANDIDATE", help="the version to judge")
    p.add_argument("reference", metavar="REFERENCE", help="the reference or sibling version")
    p.add_argument("--format", "-f", default="text", choices=FORMATS)
    p.add_argument("--output", "-o", metavar="FILE", help="write the report here")
    p.set_defaults(func=run)


def _one_document(path: str):
    from ..document import Document
    from ..ingest import InputError, read_paths

    if not Path(path).exists():
        raise UsageError(f"{path}: no such file or directory")
    items = list(read_paths([path]))
    for item in items:
        if isinstance(item, InputError):
            raise UsageError(str(item))
    docs = [d for d in items if isinstance(d, Document)]
    if len(docs) != 1:
        raise UsageError(f"{path}: holds {len(docs)} articles; compare takes one article each")
    return docs[0]


def run(args) -> int:
    from ..atomic import write_text
    from ..boilerplate import find_debris, patterns
    from ..checks import Resources
    from ..checks.reference import ReferenceCheck, debris_sentences
    from ..config import load_config
    from ..reference import calibration, provide_references
    from ..reference.compare import compare
    from ..reference.metrics import signatures
    from ..segment import segment

    candidate = segment(_one_document(args.candidate))
    reference = segment(_one_document(args.reference))
    config = load_config()
    resources = Resources(config)
    provide_references(resources, [reference])
    findings = ReferenceCheck(config, resources).check(candidate)
    fields = candidate.extra
    skip = [
        debris_sentences(d, find_debris(d, patterns(resources))) for d in (candidate, reference)
    ]
    comparison = compare(candidate, reference, calibration(resources), *skip)
    rows = [_row(comparison, n, pair) for n, pair in enumerate(comparison.pairs, 1)]
    report = {
        "candidate": candidate.path,
        "reference": reference.path,
        "document": comparison.document.to_dict(),
        "signatures": signatures(),
        "summary": fields.get("reference", {}),
        "pairs": rows,
        "findings": [f.to_dict() for f in findings],
    }
    output = Path(args.output) if args.output else None
    if args.format == "json":
        write_text(output, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        write_text(output, _csv(rows))
    else:
        write_text(output, _text(report, candidate.path))
    return 0


def _row(comparison, number: int, pair) -> dict:
    def side(name: str) -> dict | None:
        span = comparison.span(name, pair)
        if span is None:
            return None
        return {"start": span[0], "end": span[1], "text": comparison.text(name, pair)}

    return {
        "pair": number,
        "kind": pair.kind,
        "candidate": side("candidate"),
        "reference": side("reference"),
        "similarity": pair.similarity,
        **(pair.scores.to_dict() if pair.scores else {"chrf": None, "bleu": None, "ter": None}),
    }


def _csv(rows: list[dict]) -> str:
    import pandas as pd

    flat = []
    for r in rows:
        c, ref = r["candidate"] or {}, r["reference"] or {}
        flat.append({
            "pair": r["pair"], "kind": r["kind"],
            "candidate_start": c.get("start", ""), "candidate_end": c.get("end", ""),
            "reference_start": ref.get("start", ""), "reference_end": ref.get("end", ""),
            "similarity": r["similarity"] if c and ref else "",
            "chrf": _blank(r["chrf"]), "bleu": _blank(r["bleu"]), "ter": _blank(r["ter"]),
            "candidate_text": c.get("text", ""), "reference_text": ref.get("text", ""),
        })  # fmt: skip
    columns = [
        "pair", "kind", "candidate_start", "candidate_end", "reference_start", "reference_end",
        "similarity", "chrf", "bleu", "ter", "candidate_text", "reference_text",
    ]  # fmt: skip
    return pd.DataFrame(flat, columns=columns).to_csv(index=False, lineterminator="\n")


def _blank(value):
    return "" if value is None else value


def _text(report: dict, path: str) -> str:
    doc = report["document"]
    summary = report["summary"]
    sig = report["signatures"]
    lines = [
        f"candidate: {report['candidate']}",
        f"reference: {report['reference']}",
        f"document:  chrF {doc['chrf']:.2f}  BLEU {doc['bleu']:.2f}  TER {doc['ter']:.2f}",
        f"  chrF {sig['chrf_document']}",
        f"  BLEU {sig['bleu_document']}",
        f"  TER  {sig['ter_document']}",
        f"  sentence BLEU {sig['bleu_sentence']}",
        f"alignment: {summary.get('aligned', 0)} pair(s), {summary.get('omitted', 0)} "
        f"sentence(s) missing from the candidate, {summary.get('added', 0)} added",
        "",
        f"{'#':>4}  kind  {'sim':>5}  {'chrF':>5}  {'BLEU':>5}  {'TER':>5}",
    ]
    for r in report["pairs"]:
        numbers = "".join(
            f"  {'-':>5}" if r[k] is None else f"  {r[k]:5.1f}" for k in ("chrf", "bleu", "ter")
        )
        sim = f"{r['similarity']:5.1f}" if r["candidate"] and r["reference"] else f"{'-':>5}"
        lines.append(f"{r['pair']:>4}  {r['kind']:<4}  {sim}{numbers}")
        if r["candidate"]:
            lines.append(f"      C: {_clip(r['candidate']['text'])}")
        if r["reference"]:
            lines.append(f"      R: {_clip(r['reference']['text'])}")
    if report["findings"]:
        lines.append("")
    for f in report["findings"]:
        lines.append(f"{path}:{f['line']}:{f['col']}: {f['rule']} [{f['severity']}] {f['message']}")
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int = 110) -> str:
    from ..document import clip

    return clip(" ".join(text.split()), width)
