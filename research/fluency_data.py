"""The MQM files as the fluency research reads them: every row with its per-token LM scores from
each model, scored exactly as ``auditor eval mqm`` scores them (each document per system in
order, in blocks after the text before them), read from token-score files so that no
measurement ever waits for the model twice.

Token-score files are made by ``auditor eval mqm FILE --lm NAME --token-scores OUT`` (hours of
CPU for the whole development file; run in the background with ``nice``). Rows whose block is
missing from a file (a run cut short) are left out, and so is every seg_id any of whose rows
is missing for any model, so that grouped figures always compare whole groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.fluency.mqm import document_blocks, read_rows
from auditor.fluency.segments import BLOCK_CHARS, TokenScoreFile, pair_key, slice_tokens

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = {
    "newstest2020": DATA / "newstest2020_zhen_mqm.jsonl.gz",
    "ted2021": DATA / "ted2021_zhen_mqm.jsonl.gz",
}
CONTEXT_CHARS = 600  # the product's lm_context_chars


@dataclass
class Row:
    index: int
    seg_id: int
    doc: str
    system: str
    human: bool
    target: str
    reference: str
    mqm: float
    spans: list
    opening: bool  # first segment of its document: nothing before it for the LM
    status: str = "all_raters_agree"
    scores: dict[str, tuple] = field(default_factory=dict)  # model -> (offsets, logprobs)

    @property
    def major(self) -> bool:
        """Some rater marked a Major error of any kind."""
        return any(s.get("severity") == "Major" for s in self.spans)

    @property
    def major_fluency(self) -> bool:
        return any(s.get("top") == "Fluency" and s.get("severity") == "Major" for s in self.spans)


def load(name: str, token_files: dict[str, Path]) -> list[Row]:
    """The rows of data set ``name`` scored by every model in ``token_files``."""
    raw = read_rows(str(FILES[name]))
    picked = {i for i, r in enumerate(raw) if str(r["target"]).strip()}
    blocks = document_blocks(raw, picked, CONTEXT_CHARS, BLOCK_CHARS)
    rows = {
        i: Row(
            index=i,
            seg_id=int(r["seg_id"]),
            doc=str(r["doc"]),
            system=str(r["system"]),
            human=bool(r["is_human"]),
            target=str(r["target"]),
            reference=str(r.get("reference") or ""),
            mqm=float(r["mqm"]),
            spans=r.get("spans") or [],
            opening=False,
            status=str(r.get("target_status") or "all_raters_agree"),
        )
        for i, r in enumerate(raw)
        if i in picked
    }
    for block in blocks:
        if not block.context:
            rows[block.parts[0][0]].opening = True
    for model, path in token_files.items():
        known = TokenScoreFile(Path(path)).known
        for block in blocks:
            scored = known.get(pair_key(block.context, block.text))
            if scored is None:
                continue
            for i, start, end in block.parts:
                rows[i].scores[model] = slice_tokens(block.text, *scored, start, end)
    complete: dict[int, bool] = {}
    for row in rows.values():
        whole = len(row.scores) == len(token_files)
        complete[row.seg_id] = complete.get(row.seg_id, True) and whole
    return [row for row in rows.values() if complete[row.seg_id]]
