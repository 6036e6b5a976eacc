"""The fluency check against the development data's MQM judgements, as the README reports it.

    python -m research mqm FILE [--sample N] [--limit N] [--segments 1-40,97] [--seed S]
                                [--fold I/N] [--calibration FILE | --calibrate OUT]
                                [--token-scores FILE] [--json OUT]

What ``auditor eval mqm`` prints (Kendall tau and Pearson against MQM, flat and grouped by
``seg_id``, beside summed surprisal, length and sentence chrF; false alarms on the human
translations), on a chosen part of the file (``--fold`` for held-out figures: calibrate on one
fold, measure on another), and more: span precision and recall against the raters' Fluency
spans on ``all_raters_agree`` rows, and how the sentence flag treats human translations,
error-free MT and MT with a Major Fluency span (share flagged from several clean-quantile
levels, median garbledness, AUC).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics

from auditor.commands.eval import add_mqm_arguments, evaluate, write_figures
from auditor.errors import UsageError
from auditor.fluency.mqm import read_rows
from auditor.fluency.segments import flagged_spans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m research mqm", description=__doc__.splitlines()[0]
    )
    add_mqm_arguments(parser)
    parser.add_argument("--sample", type=int, metavar="N", help="evaluate N random seg_ids")
    parser.add_argument("--limit", type=int, metavar="N", help="evaluate the first N seg_ids")
    parser.add_argument("--segments", metavar="RANGES", help="only these seg_ids, e.g. 1-40,97")
    parser.add_argument("--seed", type=int, default=7, help="seed of --sample (default 7)")
    parser.add_argument(
        "--fold",
        metavar="I/N",
        help="keep the documents of fold I of N (calibrate on one, measure on another)",
    )
    args = parser.parse_args(argv)
    rows = read_rows(args.file)
    chosen = choose_segments(
        rows, args.sample, args.limit, args.seed, args.fold, parse_ranges(args.segments)
    )
    picked = [i for i, r in enumerate(rows) if r["seg_id"] in chosen and str(r["target"]).strip()]
    made_from = (
        f"{args.file.rsplit('/', 1)[-1]} ({len(chosen)} seg_ids: --sample {args.sample} "
        f"--limit {args.limit} --seed {args.seed} --fold {args.fold})"
    )
    figures, (scored, assessed, calibration) = evaluate(args, rows, picked, made_from, len(chosen))
    mt = scored.mt()
    agree = [
        k
        for k in mt
        if rows[picked[k]].get("target_status", "all_raters_agree") == "all_raters_agree"
    ]
    spans = span_overlap(
        [rows[picked[k]] for k in agree], [assessed[k] for k in agree], calibration
    )
    figures["spans"] = spans
    print(
        f"spans vs Fluency spans ({spans['rows']} all_raters_agree MT rows): "
        f"char P {spans['char_precision']:.3f} R {spans['char_recall']:.3f}; "
        f"span P {spans['span_precision']:.3f} R {spans['span_recall']:.3f} "
        f"({spans['flagged_spans']} flagged, {spans['gold_spans']} rater spans)"
    )
    kinds = {
        "human translations": [k for k, h in enumerate(scored.human) if h],
        "MT without errors": [k for k in mt if float(rows[picked[k]]["mqm"]) == 0],
        "MT, Major Fluency": [k for k in mt if _major_fluency(rows[picked[k]])],
    }
    table = separation({name: [assessed[k] for k in ks] for name, ks in kinds.items()}, calibration)
    figures["sentence_flags"] = table
    print(
        "sentence garbledness: share of rows flagged from each clean-quantile level "
        f"(reported from {calibration.flag_level}, major from {calibration.major_level})"
    )
    levels = table["levels"]
    print(f"  {'rows':<20} {'n':>6}" + "".join(f" {level:>7}" for level in levels) + "  median")
    for name, row in table["rows"].items():
        if not row["n"]:
            print(f"  {name:<20} {0:>6}" + " " * (8 * len(levels)) + f" {'-':>7}")
            continue
        shares = "".join(f" {row['flagged'][str(level)]:>7.1%}" for level in levels)
        print(f"  {name:<20} {row['n']:>6}{shares} {row['median_residual']:>7.2f}")
    if table["auc"]:
        print(
            "  AUC, MT with a Major Fluency span against: "
            + ", ".join(f"{name} {v:.3f}" for name, v in table["auc"].items())
        )
    write_figures(args, figures)
    return 0


def choose_segments(
    rows: list[dict],
    sample: int | None,
    limit: int | None,
    seed: int,
    fold: str | None,
    segments: list[tuple[int, int]] | None = None,
) -> set:
    """The seg_ids to evaluate: those in the ``segments`` ranges; of them the first ``limit``;
    of them ``sample`` at random, whole documents at a time when rows name their document (so
    every segment keeps its context and every group its systems); of those, the documents of
    one ``fold`` ("I/N")."""
    ids = list(dict.fromkeys(r["seg_id"] for r in rows))
    if segments:
        ids = [i for i in ids if any(lo <= i <= hi for lo, hi in segments)]
    if limit is not None:
        ids = ids[:limit]
    docs_of: dict = {}
    for r in rows:
        docs_of.setdefault(r.get("doc", r["seg_id"]), set()).add(r["seg_id"])
    wanted = set(ids)
    docs = sorted((d for d, segs in docs_of.items() if segs & wanted), key=str)
    if sample is not None:
        random.Random(seed).shuffle(docs)
        taken, count = [], 0
        for d in docs:
            if count >= sample:
                break
            taken.append(d)
            count += len(docs_of[d] & wanted)
        docs = taken
    if fold:
        try:
            index, parts = (int(x) for x in fold.split("/"))
            assert 0 <= index < parts
        except (ValueError, AssertionError) as exc:
            raise UsageError(f"--fold must be I/N with 0 <= I < N, not '{fold}'") from exc
        docs = [d for k, d in enumerate(docs) if k % parts == index]
    return {s for d in docs for s in docs_of[d] & wanted}


def parse_ranges(text: str | None) -> list[tuple[int, int]] | None:
    """ "147-187,433" -> [(147, 187), (433, 433)]"""
    if not text:
        return None
    ranges = []
    for part in text.split(","):
        lo, _, hi = part.strip().partition("-")
        try:
            ranges.append((int(lo), int(hi or lo)))
        except ValueError as exc:
            raise UsageError(f"--segments: '{part}' is not a seg_id or a range A-B") from exc
    return ranges


def span_overlap(rows, assessed, calibration) -> dict:
    """Character precision and recall of flagged spans against the raters' Fluency spans."""
    flagged_chars = gold_chars = both = 0
    gold_spans = gold_hit = pred_spans = pred_hit = 0
    for row, a in zip(rows, assessed, strict=True):
        gold = set()
        spans = [
            s
            for s in row.get("spans") or []
            if s.get("top") == "Fluency" and s.get("start") is not None and s.get("end") is not None
        ]
        for s in spans:
            gold.update(range(s["start"], s["end"]))
        pred = set()
        predicted = [span for span, _ in flagged_spans(a, calibration)]
        for span in predicted:
            pred.update(range(span.start, span.end))
        flagged_chars += len(pred)
        gold_chars += len(gold)
        both += len(pred & gold)
        gold_spans += len(spans)
        gold_hit += sum(any(i in pred for i in range(s["start"], s["end"])) for s in spans)
        pred_spans += len(predicted)
        pred_hit += sum(any(i in gold for i in range(p.start, p.end)) for p in predicted)
    return {
        "rows": len(rows),
        "char_precision": both / flagged_chars if flagged_chars else math.nan,
        "char_recall": both / gold_chars if gold_chars else math.nan,
        "span_precision": pred_hit / pred_spans if pred_spans else math.nan,
        "span_recall": gold_hit / gold_spans if gold_spans else math.nan,
        "flagged_spans": pred_spans,
        "gold_spans": gold_spans,
    }


def _major_fluency(row: dict) -> bool:
    return any(
        s.get("top") == "Fluency" and s.get("severity") == "Major" for s in row.get("spans") or []
    )


TRADE_OFF_LEVELS = (0.9, 0.95)  # shown beside the calibration's own flag and major levels


def separation(kinds: dict[str, list], calibration) -> dict:
    """How the sentence flag treats each kind of row: the share flagged from several clean-
    quantile levels (the trade-off a ``fluency_flag_level`` setting makes), the median
    garbledness (as a residual against clean sentences of its length, in spreads) and the AUC
    of the garbledness of garbled MT (the last kind) against each other kind. Human
    translations read as more surprising than error-free MT, so the two AUCs differ."""
    from scipy.stats import mannwhitneyu

    levels = sorted({*TRADE_OFF_LEVELS, calibration.flag_level, calibration.major_level})
    residuals = {
        name: [calibration.residual(a.garbledness, a.n_words) for a in found]
        for name, found in kinds.items()
    }
    rows = {
        name: {
            "n": len(found),
            "flagged": {
                str(level): (
                    sum(a.quantile >= level for a in found) / len(found) if found else math.nan
                )
                for level in levels
            },
            "median_residual": statistics.median(residuals[name]) if found else math.nan,
        }
        for name, found in kinds.items()
    }
    *others, garbled = kinds
    auc = {}
    for name in others:
        x, y = residuals[garbled], residuals[name]
        if x and y:
            auc[name] = float(mannwhitneyu(x, y).statistic) / (len(x) * len(y))
    return {"levels": levels, "rows": rows, "auc": auc, "garbled": garbled}
