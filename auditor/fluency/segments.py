"""Scoring loose segments (not articles): what ``auditor fluency score`` and ``auditor eval mqm``
share. Segments go to the LM in one batched call; a token-score file, when given, keeps the
per-token scores of every (context, text) pair so that later runs with other scoring math or
calibration need no LM at all."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .assess import Assessment, assess
from .calibration import Calibration

BLOCK_CHARS = 1200  # consecutive sentences scored in one LM pass (about 250 tokens)

TokenScores = tuple[list[tuple[int, int]], list[float]]


def pair_key(context: str, text: str) -> str:
    return hashlib.sha256(f"{context}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()


class TokenScoreFile:
    """Per-token scores on disk, one JSON line per (context, text) pair, appended as scored."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, TokenScores] = {}
        if path and path.is_file():
            with path.open(encoding="utf-8") as f:
                for line in f:
                    try:
                        rec = json.loads(line)
                    except ValueError:  # a line cut by an interrupted run
                        continue
                    offsets = [(int(s), int(e)) for s, e in rec["offsets"]]
                    self.known[rec["key"]] = (offsets, [float(x) for x in rec["logprobs"]])

    def add(self, items: dict[str, TokenScores]) -> None:
        self.known.update(items)
        if not self.path or not items:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            for key in sorted(items):
                offsets, logprobs = items[key]
                rec = {"key": key, "offsets": offsets, "logprobs": [round(x, 4) for x in logprobs]}
                f.write(json.dumps(rec) + "\n")


def token_scores(
    pairs: Sequence[tuple[str, str]],
    get_scorer,
    store: TokenScoreFile | None = None,
    chunk: int = 256,
    progress=None,
) -> list[TokenScores]:
    """Per-token (offsets, logprobs) of every (context, text) pair, scoring each distinct pair
    once; ``get_scorer`` is called only when something is left to score."""
    store = store or TokenScoreFile(None)
    keys = [pair_key(c, t) for c, t in pairs]
    # In input order, so that an interrupted run has scored whole documents.
    todo = list({k: p for k, p in zip(keys, pairs, strict=True) if k not in store.known}.items())
    for i in range(0, len(todo), chunk):
        part = todo[i : i + chunk]
        scored = get_scorer().score([p for _, p in part])
        store.add(
            {k: (list(s.offsets), list(s.logprobs)) for (k, _), s in zip(part, scored, strict=True)}
        )
        if progress:
            progress(len(part))
    return [store.known[k] for k in keys]


def assess_pairs(
    pairs: Sequence[tuple[str, str]],
    scores: Sequence[TokenScores],
    calibration: Calibration,
) -> list[Assessment]:
    return [
        assess(text, offsets, logprobs, calibration, opening=not context.strip())
        for (context, text), (offsets, logprobs) in zip(pairs, scores, strict=True)
    ]


def flagged_spans(a: Assessment, calibration: Calibration) -> list:
    """The spans of ``a`` worth reporting, with their clean-quantile level."""
    return [
        (span, level)
        for span in a.spans
        if (level := calibration.span_quantile(span.score)) >= calibration.flag_level
    ]


@dataclass(slots=True)
class Block:
    """Consecutive segments of one document scored in one LM pass after ``context``."""

    context: str
    text: str
    parts: list[tuple[int, int, int]]  # (segment index, start, end) of each segment in text


def blocks_of(
    segments: Sequence[tuple[int, str]], context_chars: int, block_chars: int
) -> list[Block]:
    """(index, text) segments of one document, in order, cut into blocks of at most
    ``block_chars`` (a longer segment is a block of its own); segments are joined with a
    newline and every block is preceded by up to ``context_chars`` of the text before it.
    Scoring a block at once costs the context once per block, not once per segment."""
    blocks: list[Block] = []
    before = ""
    current: Block | None = None
    for index, text in segments:
        if current and len(current.text) + 1 + len(text) <= block_chars:
            start = len(current.text) + 1
            current.text += "\n" + text
        else:
            current = Block(before[-context_chars:], text, [])
            blocks.append(current)
            start = 0
        current.parts.append((index, start, start + len(text)))
        before = f"{before}\n{text}" if before else text
        before = before[-context_chars:]
    return blocks


def slice_tokens(
    text: str, offsets: Sequence[tuple[int, int]], logprobs: Sequence[float], start: int, end: int
) -> TokenScores:
    """The tokens of a block whose first visible character lies in [start, end), re-based to
    ``start``; tokens of white space alone (line breaks between segments) are left out."""
    out_offsets, out_logprobs = [], []
    for (s, e), lp in zip(offsets, logprobs, strict=True):
        first = s
        while first < e and text[first].isspace():
            first += 1
        if start <= first < end and first < e:
            out_offsets.append((max(s, start) - start, min(e, end) - start))
            out_logprobs.append(lp)
    return out_offsets, out_logprobs
