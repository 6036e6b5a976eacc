"""The fluency check against human MQM judgements: reading an MQM file, scoring its rows the
way articles are scored, fitting a calibration to them, and how well the score ranks them.

An MQM file is JSONL (optionally gzipped) with ``target``, ``mqm`` (penalty, higher = worse) and
``seg_id`` per row, and optionally ``system``, ``is_human``, ``doc``, ``doc_seg`` (each segment
is then scored after the segments before it in its document, as articles are), ``reference``
(for the chrF baseline), ``spans`` (rater error spans) and ``target_status``. The WMT20 zh-en
MQM development data has all of them. ``auditor eval mqm`` and ``research/mqm.py`` build on
this module.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..stats import grouped_tau, kendall_pearson
from .assess import Assessment
from .calibration import Calibration
from .segments import (
    BLOCK_CHARS,
    Block,
    TokenScoreFile,
    TokenScores,
    assess_pairs,
    blocks_of,
    flagged_spans,
    slice_tokens,
    token_scores,
)


def read_rows(path: str) -> list[dict]:
    """The rows of an MQM file; a missing file, a bad line or a row without ``target``,
    ``mqm`` or ``seg_id`` is a one-line UsageError naming it."""
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


@dataclass
class Scored:
    """The picked rows of an MQM file, scored by the language model in document context."""

    picked: list[int]  # row indices, in file order
    pairs: list[tuple[str, str]]  # (context marker, target): "" opens a document
    scores: list[TokenScores]
    human: list[bool]

    def mt(self) -> list[int]:
        """Positions (into ``picked``) of the machine translations."""
        return [k for k, h in enumerate(self.human) if not h]


def score_rows(
    rows: list[dict],
    picked: list[int],
    context_chars: int,
    scorer: Callable[[], object],
    token_file: Path | None = None,
    progress: Callable[[int], object] | None = None,
) -> Scored:
    """Per-token LM scores of the picked rows, each after the text before it in its document
    (kept in ``token_file`` and reused from it, when given)."""
    blocks = document_blocks(rows, set(picked), context_chars, BLOCK_CHARS)
    scored = token_scores(
        [(b.context, b.text) for b in blocks],
        scorer,
        TokenScoreFile(token_file),
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
    return Scored(
        picked=picked,
        pairs=pairs,
        scores=[by_row[i] for i in picked],
        human=[bool(rows[i].get("is_human")) for i in picked],
    )


def fit_calibration(
    rows: list[dict], scored: Scored, made_from: str, reviewed: Path | None = None
) -> Calibration:
    """A calibration fitted to the scored rows: word expectations and the clean-sentence line
    from the human rows, the score weights from the MT rows and their MQM penalties; the
    reporting levels are the shipped calibration's. ``made_from`` says which rows, for the
    file's header (``header``); ``reviewed``: the shipped calibration of the model, whose levels
    and weighed measurements carry over."""
    from .fit import fit, fit_weights

    clean = [
        (p[1], *s) for p, s, h in zip(scored.pairs, scored.scores, scored.human, strict=True) if h
    ]
    openings = [not p[0].strip() for p, h in zip(scored.pairs, scored.human, strict=True) if h]
    if not clean:
        raise UsageError(f"{made_from}: no human rows (is_human) to calibrate on")
    policy = Calibration.load(reviewed)  # the reviewed reporting levels carry over to a new fit
    levels = {"flag_level": policy.flag_level, "major_level": policy.major_level}
    # Word expectations first (clean rows), then the score weights (MT rows against their
    # MQM penalties), then how garbled clean sentences read.
    words_only = fit(clean, **levels, weights=policy.weights, openings=openings)
    mt_rows = scored.mt()
    if not mt_rows:
        raise UsageError(f"{made_from}: no MT rows (is_human false) to fit the score on")
    measured = [
        a.components
        for a in assess_pairs(
            [scored.pairs[k] for k in mt_rows], [scored.scores[k] for k in mt_rows], words_only
        )
    ]
    # The measurements the reviewed calibration weighs are the ones weighed anew.
    weights, intercept = fit_weights(
        measured,
        [float(rows[scored.picked[k]]["mqm"]) for k in mt_rows],
        [rows[scored.picked[k]]["seg_id"] for k in mt_rows],
        names=list(policy.weights),
    )
    return fit(clean, **levels, weights=weights, intercept=intercept, openings=openings)


def header(model: str, made_from: str, clean_rows: int, mt_rows: int) -> str:
    """How a fitted calibration was made, for the top of its file."""
    return (
        f"Fluency calibration: {model} (de-quantized, run in bf16) surprisal of\n"
        "clean professional English.\n"
        f"Made by `auditor eval mqm --calibrate` from the human translations of\n"
        f"{made_from}: {clean_rows} segments, each scored after\n"
        "the text before it in its document. Derived statistics only, no text.\n"
        "words: per word kind, median and median absolute deviation of surprisal (nats)\n"
        "by wordfreq Zipf bin. sentences: the line of sentence garbledness on length in words\n"
        "(intercept, slope, spread per square-root word) and quantiles of the standardized\n"
        "residuals. spans: quantiles of the best span score per sentence. policy: the\n"
        "clean-quantile levels from which a finding is reported / major. score: the weights\n"
        f"of the sentence measurements, fitted to the MQM penalties of {mt_rows} MT rows\n"
        "(auditor.fluency.fit.fit_weights), in MQM points per unit."
    )


def correlations(rows: list[dict], scored: Scored, assessed: list[Assessment]) -> dict:
    """Kendall tau and Pearson of each score against MQM over the MT rows, flat and grouped by
    ``seg_id``: the FLU score and garbledness beside summed surprisal and length (and sentence
    chrF against the reference, when every row has one)."""
    mt = scored.mt()
    mqm = [float(rows[scored.picked[k]]["mqm"]) for k in mt]
    groups = [rows[scored.picked[k]]["seg_id"] for k in mt]
    columns = {
        "FLU score": [assessed[k].score for k in mt],
        "FLU garbledness": [assessed[k].garbledness for k in mt],
        "summed surprisal": [assessed[k].surprisal for k in mt],
        "length (chars)": [float(len(scored.pairs[k][1])) for k in mt],
    }
    if all(rows[scored.picked[k]].get("reference") for k in mt):
        from ..reference.metrics import sentence_chrf

        columns["sentence chrF"] = [
            -sentence_chrf(scored.pairs[k][1], rows[scored.picked[k]]["reference"]) for k in mt
        ]
    figures = {}
    for name, x in columns.items():
        tau, r = kendall_pearson(x, mqm)
        figures[name] = {
            "flat_tau": tau,
            "flat_pearson": r,
            "grouped_tau": grouped_tau(groups, x, mqm),
        }
    return figures


def false_alarms(assessed: list[Assessment], calibration: Calibration) -> dict:
    """Findings on clean (human) rows, as the check would report them."""
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


def triage(rows: list[dict], scored: Scored, assessed) -> dict[str, float] | None:
    """``triage_lift`` of the FLU score beside length over the MT rows, when rows name their
    document (None when not)."""
    mt = scored.mt()
    picked = [rows[scored.picked[k]] for k in mt]
    if not all("doc" in row for row in picked):
        return None
    return triage_lift(
        [(row["doc"], str(row.get("system"))) for row in picked],
        [_major(row) for row in picked],
        {
            "FLU score": [assessed[k].score for k in mt],
            "length (chars)": [float(len(scored.pairs[k][1])) for k in mt],
        },
    )


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


def _major(row: dict) -> bool:
    return any(s.get("severity") == "Major" for s in row.get("spans") or [])
