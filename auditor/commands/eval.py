"""``auditor eval mqm FILE``: how well the fluency score agrees with human MQM judgements.

FILE is JSONL (optionally gzipped) with ``target``, ``mqm`` (penalty, higher = worse) and
``seg_id`` per row, and optionally ``system``, ``is_human``, ``doc``, ``doc_seg`` (each segment
is then scored after the segments before it in its document, as articles are), ``reference``
(for the chrF baseline), ``spans`` (rater error spans) and ``target_status``. The WMT20 zh-en
MQM development data has all of them.

Printed: Kendall tau (tau-b) and Pearson of each score against MQM over the MT rows, flat and
grouped by ``seg_id`` (the mean of per-segment taus: same source, different systems), for the
FLU score and, beside it, plain summed surprisal, target length and sentence chrF against the
reference; span precision and recall (character overlap) against the raters' Fluency spans on
``all_raters_agree`` rows; the false alarms on the human translations (major FLU findings
per 2,000 words); and, when rows name their document, the triage lift: the share of the top
tenth of each document's MT sentences, ranked by the FLU score, that hold a Major error,
against random order and ranking by length.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from ..cli import UsageError
from . import add_lm_option


def register(sub) -> None:
    p = sub.add_parser("eval", help="measure the checks against human judgements")
    kinds = p.add_subparsers(dest="kind", metavar="KIND")
    m = kinds.add_parser("mqm", help="fluency score against MQM penalties (Kendall, Pearson)")
    m.add_argument("file", metavar="FILE", help="JSONL rows with target, mqm, seg_id (.gz ok)")
    m.add_argument("--sample", type=int, metavar="N", help="evaluate N random seg_ids")
    m.add_argument("--limit", type=int, metavar="N", help="evaluate the first N seg_ids")
    m.add_argument("--segments", metavar="RANGES", help="only these seg_ids, e.g. 1-40,97")
    m.add_argument("--seed", type=int, default=7, help="seed of --sample (default 7)")
    m.add_argument(
        "--fold",
        metavar="I/N",
        help="keep the documents of fold I of N (calibrate on one, measure on another)",
    )
    m.add_argument(
        "--token-scores",
        metavar="FILE",
        help="keep per-token LM scores in this JSONL file and reuse them",
    )
    m.add_argument("--calibration", metavar="FILE", help="calibration YAML to evaluate")
    m.add_argument(
        "--calibrate",
        metavar="OUT",
        help="fit a calibration on the human rows evaluated, write it to OUT and "
        "evaluate with it (in-sample)",
    )
    m.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    add_lm_option(m)
    m.set_defaults(func=run_mqm)
    r = kinds.add_parser(
        "ref", help="sentence chrF of target against reference vs MQM (no model needed)"
    )
    r.add_argument("file", metavar="FILE", help="JSONL rows with target, reference, mqm, seg_id")
    r.set_defaults(func=run_ref)
    p.set_defaults(func=lambda args: p.error("a kind is required: mqm or ref"))


def run_ref(args) -> int:
    """The reference-based view on the whole file: sentence chrF against -MQM over the MT rows,
    flat and grouped by seg_id (the baseline every fluency figure is compared with)."""
    from ..reference.calibrate import chrf_mqm_correlation, load_rows

    try:
        rows = load_rows(args.file)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{args.file}: {exc}") from exc
    missing = {"target", "reference", "mqm", "seg_id", "is_human"} - set(rows.columns)
    if missing:
        raise UsageError(f"{args.file}: rows lack {', '.join(sorted(missing))}")
    figures = chrf_mqm_correlation(rows)
    print(f"sentence chrF vs -MQM over {figures['rows']:,} MT rows")
    print(f"  Kendall tau, flat:                 {figures['kendall_tau_flat']:.3f}")
    print(
        f"  Kendall tau, grouped by seg_id:    {figures['kendall_tau_grouped']:.3f}"
        f" ({figures['segments_grouped']:,} segments)"
    )
    print(f"  Pearson, flat:                     {figures['pearson_flat']:.3f}")
    return 0


def read_rows(path: str) -> list[dict]:
    import gzip

    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{path}: no such file")
    opener = gzip.open if path.endswith(".gz") else open
    rows = []
    with opener(p, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise UsageError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            missing = [k for k in ("target", "mqm", "seg_id") if k not in row]
            if missing:
                raise UsageError(f"{path}:{n}: missing field(s) {', '.join(missing)}")
            rows.append(row)
    return rows


def document_blocks(rows: list[dict], picked: set[int], context_chars: int, block_chars: int):
    """LM blocks holding the picked rows: each row's document (same system) in ``doc_seg``
    order, cut into blocks, so that every segment is scored after the text before it."""
    from ..fluency.segments import Block, blocks_of

    if not all("doc" in r and "doc_seg" in r for r in rows):
        return [
            Block("", str(rows[i]["target"]), [(i, 0, len(str(rows[i]["target"])))])
            for i in sorted(picked)
        ]
    by_doc: dict[tuple, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        by_doc[(r["doc"], str(r.get("system")))].append(i)
    wanted = sorted(
        {key for key, members in by_doc.items() if picked.intersection(members)},
        key=lambda key: min(by_doc[key]),
    )
    blocks = []
    for key in wanted:
        members = sorted(by_doc[key], key=lambda i: rows[i]["doc_seg"])
        segments = [(i, str(rows[i]["target"])) for i in members if str(rows[i]["target"]).strip()]
        for block in blocks_of(segments, context_chars, block_chars):
            if any(i in picked for i, _, _ in block.parts):
                blocks.append(block)
    return blocks


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


def kendall_pearson(x: list[float], y: list[float]) -> tuple[float, float]:
    from scipy.stats import kendalltau, pearsonr

    if len(x) < 3 or len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan, math.nan
    return float(kendalltau(x, y).statistic), float(pearsonr(x, y).statistic)


def grouped_tau(groups: list[int], x: list[float], y: list[float]) -> float:
    by: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by[g].append(i)
    taus = []
    for members in by.values():
        tau, _ = kendall_pearson([x[i] for i in members], [y[i] for i in members])
        if not math.isnan(tau):
            taus.append(tau)
    return sum(taus) / len(taus) if taus else math.nan


def triage_lift(
    articles: list, major: list[bool], columns: dict[str, list[float]], share: float = 0.1
) -> dict[str, float]:
    """How well each score finds the sentences to read first: the share of the top ``share``
    (rounded up) of each article's sentences, ranked by the score (higher first), that hold a
    Major error, pooled over articles; "random order" is what a random pick gets (the
    articles' own rates). ``articles`` names each sentence's article."""
    members: dict = defaultdict(list)
    for k, article in enumerate(articles):
        members[article].append(k)
    taken = sum(math.ceil(share * len(ks)) for ks in members.values())
    expected = sum(
        math.ceil(share * len(ks)) * statistics.fmean(major[k] for k in ks)
        for ks in members.values()
    )
    out = {"random order": expected / taken if taken else math.nan}
    for name, x in columns.items():
        hits = 0
        for ks in members.values():
            top = sorted(ks, key=lambda k: (-x[k], k))[: math.ceil(share * len(ks))]
            hits += sum(major[k] for k in top)
        out[name] = hits / taken if taken else math.nan
    return out


def sentence_chrf():
    try:
        from ..reference.metrics import sentence_chrf as chrf

        return chrf
    except ImportError:
        from sacrebleu.metrics import CHRF

        metric = CHRF()
        return lambda hyp, ref: metric.sentence_score(hyp, [ref]).score


def span_overlap(rows, assessed, calibration) -> dict:
    """Character precision and recall of flagged spans against the raters' Fluency spans."""
    from ..fluency.segments import flagged_spans

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


def false_alarms(assessed, calibration) -> dict:
    """Findings on clean (human) rows, as the check would report them."""
    from ..fluency.segments import flagged_spans

    words = sum(a.n_words for a in assessed)
    major = minor = 0
    for a in assessed:
        levels = [level for _, level in flagged_spans(a, calibration)]
        if a.quantile >= calibration.flag_level:
            levels.append(a.quantile)
        major += sum(level >= calibration.major_level for level in levels)
        minor += sum(level < calibration.major_level for level in levels)
    return {
        "rows": len(assessed),
        "words": words,
        "major": major,
        "minor": minor,
        "major_per_2000_words": 2000 * major / words if words else math.nan,
    }


def _major(row: dict) -> bool:
    return any(s.get("severity") == "Major" for s in row.get("spans") or [])


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


def run_mqm(args) -> int:
    from ..checks import Resources
    from ..checks.fluency import BLOCK_CHARS, scorer_of
    from ..config import load_config
    from ..fluency.calibration import Calibration, default_path, dump, fit, fit_weights
    from ..fluency.segments import TokenScoreFile, assess_pairs, slice_tokens, token_scores
    from ..lm import model_spec

    config = load_config({"lm": args.lm}, use_files=False)
    spec = model_spec(config.lm)
    rows = read_rows(args.file)
    chosen = choose_segments(
        rows, args.sample, args.limit, args.seed, args.fold, parse_ranges(args.segments)
    )
    picked = [i for i, r in enumerate(rows) if r["seg_id"] in chosen and str(r["target"]).strip()]
    blocks = document_blocks(rows, set(picked), config.lm_context_chars, BLOCK_CHARS)
    resources = Resources(config)
    store = TokenScoreFile(Path(args.token_scores) if args.token_scores else None)
    progress = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(blocks), desc="scoring", unit="block", file=sys.stderr, leave=False)
        progress = bar.update
    scored = token_scores(
        [(b.context, b.text) for b in blocks],
        lambda: scorer_of(resources),
        store,
        chunk=32,
        progress=progress,
    )
    by_row, opening = {}, set()
    for block, (offsets, logprobs) in zip(blocks, scored, strict=True):
        for i, start, end in block.parts:
            by_row[i] = slice_tokens(block.text, offsets, logprobs, start, end)
        if not block.context:
            opening.add(block.parts[0][0])
    # assess_pairs reads an empty context as the start of a document
    pairs = [("" if i in opening else "\n", str(rows[i]["target"])) for i in picked]
    scores = [by_row[i] for i in picked]
    human = [bool(rows[i].get("is_human")) for i in picked]
    if args.calibrate:
        clean = [(p[1], *s) for p, s, h in zip(pairs, scores, human, strict=True) if h]
        openings = [not p[0].strip() for p, h in zip(pairs, human, strict=True) if h]
        if not clean:
            raise UsageError(f"{args.file}: no human rows (is_human) to calibrate on")
        # the reviewed reporting levels carry over to a new fit
        policy = Calibration.load(default_path(spec.name))
        levels = {"flag_level": policy.flag_level, "major_level": policy.major_level}
        # Word expectations first (clean rows), then the score weights (MT rows against their
        # MQM penalties), then how garbled clean sentences read.
        words_only = fit(clean, **levels, weights=policy.weights, openings=openings)
        mt_rows = [k for k, h in enumerate(human) if not h]
        if not mt_rows:
            raise UsageError(f"{args.file}: no MT rows (is_human false) to fit the score on")
        measured = [
            a.components
            for a in assess_pairs(
                [pairs[k] for k in mt_rows], [scores[k] for k in mt_rows], words_only
            )
        ]
        # The measurements the reviewed calibration weighs are the ones weighed anew.
        weights, intercept = fit_weights(
            measured,
            [float(rows[picked[k]]["mqm"]) for k in mt_rows],
            [rows[picked[k]]["seg_id"] for k in mt_rows],
            names=list(policy.weights),
        )
        calibration = fit(clean, **levels, weights=weights, intercept=intercept, openings=openings)
        header = (
            f"Fluency calibration: {spec.id} (de-quantized, run in bf16) surprisal of\n"
            "clean professional English.\n"
            f"Made by `auditor eval mqm --calibrate` from the human translations of\n"
            f"{Path(args.file).name}: {len(clean)} segments of {len(chosen)} seg_ids\n"
            f"(--sample {args.sample} --limit {args.limit} --seed {args.seed} --fold {args.fold}),"
            " each scored after\nthe text before it in its document. Derived statistics only, "
            "no text.\n"
            "words: per word kind, median and median absolute deviation of surprisal (nats)\n"
            "by wordfreq Zipf bin. sentences: the line of sentence garbledness on length in words\n"
            "(intercept, slope, spread per square-root word) and quantiles of the standardized\n"
            "residuals. spans: quantiles of the best span score per sentence. policy: the\n"
            "clean-quantile levels from which a finding is reported / major. score: the weights\n"
            f"of the sentence measurements, fitted to the MQM penalties of {len(mt_rows)} MT rows\n"
            "(auditor.fluency.calibration.fit_weights), in MQM points per unit."
        )
        dump(calibration, Path(args.calibrate), header)
    else:
        path = Path(args.calibration) if args.calibration else default_path(spec.name)
        calibration = Calibration.load(path)
    assessed = assess_pairs(pairs, scores, calibration)

    mt = [k for k, h in enumerate(human) if not h]
    if not mt:
        raise UsageError(f"{args.file}: no MT rows (is_human false) to evaluate")
    mqm = [float(rows[picked[k]]["mqm"]) for k in mt]
    groups = [rows[picked[k]]["seg_id"] for k in mt]
    columns = {
        "FLU score": [assessed[k].score for k in mt],
        "FLU garbledness": [assessed[k].garbledness for k in mt],
        "summed surprisal": [assessed[k].surprisal for k in mt],
        "length (chars)": [float(len(pairs[k][1])) for k in mt],
    }
    if all(rows[picked[k]].get("reference") for k in mt):
        chrf = sentence_chrf()
        columns["sentence chrF"] = [-chrf(pairs[k][1], rows[picked[k]]["reference"]) for k in mt]
    figures: dict = {
        "file": args.file,
        "segments": len(chosen),
        "mt_rows": len(mt),
        "human_rows": len(picked) - len(mt),
        "correlation": {},
    }
    print(
        f"{args.file}: {len(chosen)} seg_ids, {len(mt)} MT rows, "
        f"{len(picked) - len(mt)} human rows; calibration {calibration.source or args.calibrate}"
    )
    print(f"{'score':<20} {'flat tau':>9} {'flat r':>8} {'grouped tau':>12}")
    for name, x in columns.items():
        tau, r = kendall_pearson(x, mqm)
        g = grouped_tau(groups, x, mqm)
        figures["correlation"][name] = {"flat_tau": tau, "flat_pearson": r, "grouped_tau": g}
        print(f"{name:<20} {tau:>9.3f} {r:>8.3f} {g:>12.3f}")
    if all("doc" in rows[picked[k]] for k in mt):
        lift = triage_lift(
            [(rows[picked[k]]["doc"], str(rows[picked[k]].get("system"))) for k in mt],
            [_major(rows[picked[k]]) for k in mt],
            {"FLU score": columns["FLU score"], "length (chars)": columns["length (chars)"]},
        )
        figures["triage"] = lift
        print(
            "read first (top 10% of each document's MT sentences): share with a Major error: "
            + ", ".join(f"{name} {share:.1%}" for name, share in lift.items())
        )
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
        "human translations": [k for k, h in enumerate(human) if h],
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
    clean = [assessed[k] for k in kinds["human translations"]]
    if clean:
        fa = false_alarms(clean, calibration)
        figures["human_false_alarms"] = fa
        print(
            f"human translations: {fa['major']} major, {fa['minor']} minor FLU findings in "
            f"{fa['words']} words = {fa['major_per_2000_words']:.2f} major per 2,000 words"
        )
    if args.json:
        from ..reporters import write_bytes

        blob = json.dumps(figures, indent=1, sort_keys=True, default=str) + "\n"
        write_bytes(Path(args.json), blob.encode("utf-8"))
    return 0
