"""``auditor eval mqm FILE``: how well the fluency score agrees with human MQM judgements on a
newsroom's own data, and a calibration fitted to it.

FILE is an MQM file (JSONL, optionally gzipped: ``target``, ``mqm``, ``seg_id`` per row; see
``auditor.fluency.mqm``). Printed: Kendall tau (tau-b) and Pearson of each score against MQM
over the MT rows, flat and grouped by ``seg_id`` (the mean of per-segment taus: same source,
different systems), for the FLU score and, beside it, plain summed surprisal, target length and
sentence chrF against the reference; and the false alarms on the human translations (major FLU
findings per 2,000 words). ``--calibrate OUT`` first fits a calibration to the file (the clean
line from its human rows, the score weights from its MT rows) and measures with it, in sample.

The team's studies (held-out folds, samples, span precision against the raters, the sentence
flag's trade-offs) are ``python -m research mqm``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import UsageError
from . import add_lm_option


def register(sub) -> None:
    p = sub.add_parser("eval", help="measure the fluency check against human MQM judgements")
    kinds = p.add_subparsers(dest="kind", metavar="KIND")
    m = kinds.add_parser("mqm", help="fluency score against MQM penalties (Kendall, Pearson)")
    add_mqm_arguments(m)
    m.set_defaults(func=run_mqm)
    p.set_defaults(func=lambda args: p.error("a kind is required: mqm"))


def add_mqm_arguments(m) -> None:
    m.add_argument("file", metavar="FILE", help="JSONL rows with target, mqm, seg_id (.gz ok)")
    m.add_argument(
        "--token-scores",
        metavar="FILE",
        help="keep per-token LM scores in this JSONL file and reuse them",
    )
    m.add_argument("--calibration", metavar="FILE", help="calibration YAML to evaluate")
    m.add_argument(
        "--calibrate",
        metavar="OUT",
        help="fit a calibration on the file, write it to OUT and evaluate with it (in-sample)",
    )
    m.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    add_lm_option(m)


def run_mqm(args) -> int:
    from ..fluency.mqm import read_rows

    rows = read_rows(args.file)
    picked = [i for i, r in enumerate(rows) if str(r["target"]).strip()]
    made_from = Path(args.file).name
    figures, _ = evaluate(args, rows, picked, made_from, segments=len({r["seg_id"] for r in rows}))
    write_figures(args, figures)
    return 0


def evaluate(args, rows, picked, made_from: str, segments: int):
    """Score, calibrate if asked, print the correlation table and the human false alarms;
    returns the figures and what was assessed (for studies that print more)."""
    from ..checks import Resources
    from ..checks.fluency import scorer_of
    from ..config import load_config
    from ..fluency.calibration import Calibration, default_path
    from ..fluency.fit import dump
    from ..fluency.mqm import (
        correlations,
        false_alarms,
        fit_calibration,
        header,
        score_rows,
        triage,
    )
    from ..fluency.segments import assess_pairs
    from ..lm import model_spec

    config = load_config({"lm": args.lm}, use_files=False)
    spec = model_spec(config.lm)
    resources = Resources(config)
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(desc="scoring", unit="block", file=sys.stderr, leave=False).update
    scored = score_rows(
        rows,
        picked,
        config.lm_context_chars,
        lambda: scorer_of(resources),
        Path(args.token_scores) if args.token_scores else None,
        progress,
    )
    if args.calibrate:
        calibration = fit_calibration(rows, scored, made_from, default_path(spec.name))
        clean_rows = sum(scored.human)
        made = header(spec.id, made_from, clean_rows, len(scored.mt()))
        dump(calibration, Path(args.calibrate), made)
    else:
        path = Path(args.calibration) if args.calibration else default_path(spec.name)
        calibration = Calibration.load(path)
    assessed = assess_pairs(scored.pairs, scored.scores, calibration)
    mt = scored.mt()
    if not mt:
        raise UsageError(f"{args.file}: no MT rows (is_human false) to evaluate")
    figures: dict = {
        "file": args.file,
        "segments": segments,
        "mt_rows": len(mt),
        "human_rows": len(picked) - len(mt),
        "correlation": correlations(rows, scored, assessed),
    }
    print(
        f"{args.file}: {segments} seg_ids, {len(mt)} MT rows, "
        f"{len(picked) - len(mt)} human rows; calibration {calibration.source or args.calibrate}"
    )
    print(f"{'score':<20} {'flat tau':>9} {'flat r':>8} {'grouped tau':>12}")
    for name, c in figures["correlation"].items():
        print(
            f"{name:<20} {c['flat_tau']:>9.3f} {c['flat_pearson']:>8.3f} {c['grouped_tau']:>12.3f}"
        )
    lift = triage(rows, scored, assessed)
    if lift is not None:
        figures["triage"] = lift
        print(
            "read first (top 10% of each document's MT sentences): share with a Major error: "
            + ", ".join(f"{name} {share:.1%}" for name, share in lift.items())
        )
    clean = [assessed[k] for k, h in enumerate(scored.human) if h]
    if clean:
        fa = false_alarms(clean, calibration)
        figures["human_false_alarms"] = fa
        print(
            f"human translations: {fa['major']} major, {fa['minor']} minor FLU findings in "
            f"{fa['words']} words = {fa['major_per_2000_words']:.2f} major per 2,000 words"
        )
    return figures, (scored, assessed, calibration)


def write_figures(args, figures: dict) -> None:
    if args.json:
        from ..atomic import write_bytes

        blob = json.dumps(figures, indent=1, sort_keys=True, default=str) + "\n"
        write_bytes(Path(args.json), blob.encode("utf-8"))
