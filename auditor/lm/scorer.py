"""Per-token surprisal of sentences in their document context.

``Scorer.score`` takes (context, text) pairs and returns, for every token of ``text``, its
character span in ``text`` and its log-probability given the context and the tokens before it.
Contexts are cut to a bounded number of tokens; pairs are sorted by length and batched under a
token budget, so padding stays small and memory bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenScores:
    text: str
    offsets: tuple[tuple[int, int], ...]  # character span of each token in ``text``
    logprobs: tuple[float, ...]  # natural log; surprisal is the negative

    @property
    def surprisal(self) -> float:
        return -sum(self.logprobs)


class Scorer:
    def __init__(
        self, model, tokenizer, context_tokens: int = 96, batch_tokens: int = 2048
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.context_tokens = context_tokens
        self.batch_tokens = batch_tokens
        # SmolLM2 was trained on documents separated by <|endoftext|>: it is the right start.
        self.start_id = tokenizer.convert_tokens_to_ids("<|endoftext|>")
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.start_id

    def _encode(self, context: str, text: str) -> tuple[list[int], int, list[tuple[int, int]]]:
        """Token ids of start + context + text, the index where text starts, text offsets."""
        ctx_ids = self.tokenizer(context, add_special_tokens=False)["input_ids"] if context else []
        ctx_ids = ctx_ids[-self.context_tokens :]
        # A leading space makes the first word tokenized as it is mid-document ("ĠWord").
        lead = " " if context else ""
        enc = self.tokenizer(lead + text, add_special_tokens=False, return_offsets_mapping=True)
        shift = len(lead)
        offsets = [(max(0, s - shift), max(0, e - shift)) for s, e in enc["offset_mapping"]]
        ids = [self.start_id, *ctx_ids, *enc["input_ids"]]
        return ids, 1 + len(ctx_ids), offsets

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[TokenScores]:
        import torch

        encoded = [self._encode(c, t) for c, t in pairs]
        order = sorted(range(len(pairs)), key=lambda i: len(encoded[i][0]))
        results: list[TokenScores | None] = [None] * len(pairs)
        batch: list[int] = []
        longest = 0
        for i in order + [None]:
            if i is not None:
                length = len(encoded[i][0])
                if not batch or max(longest, length) * (len(batch) + 1) <= self.batch_tokens:
                    batch.append(i)
                    longest = max(longest, length)
                    continue
            if batch:
                with torch.inference_mode():
                    self._run(batch, encoded, pairs, results)
            batch, longest = ([i], len(encoded[i][0])) if i is not None else ([], 0)
        return results  # type: ignore[return-value]

    def _run(self, batch, encoded, pairs, results) -> None:
        import torch

        width = max(len(encoded[i][0]) for i in batch)
        ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, i in enumerate(batch):
            seq = encoded[i][0]
            ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1
        logits = self.model(input_ids=ids, attention_mask=mask).logits
        for row, i in enumerate(batch):
            seq, text_start, offsets = encoded[i]
            # Position p predicts token p + 1.
            predicted = logits[row, text_start - 1 : len(seq) - 1].float()
            targets = ids[row, text_start : len(seq)]
            logprobs = torch.log_softmax(predicted, dim=-1).gather(1, targets[:, None])[:, 0]
            results[i] = TokenScores(
                text=pairs[i][1], offsets=tuple(offsets), logprobs=tuple(logprobs.tolist())
            )
