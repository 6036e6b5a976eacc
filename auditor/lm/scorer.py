"""Per-token surprisal of sentences in their document context.

``Scorer.score`` takes (context, text) pairs and returns, for every token of ``text``, its
character span in ``text`` and its log-probability given the context and the tokens before it.

Where the time goes, and what is done about it:
- A pair already scored (in this run, or in any earlier run: ``auditor.lm.cache``) is not
  scored again; syndicated copies and re-audits cost a lookup.
- Each pass (a pair, or one window of a long text) runs alone, unpadded. Batching pairs of
  different lengths (padded to one, with a mask) would change the kernels, and with them the
  last bits of every number; even stacking rows without padding does: oneDNN picks its kernel
  by the number of rows, and one row's result depends on that kernel. One pass per pair keeps
  every score a function of (context, text) alone, which the cache, ``--jobs`` and distributed
  runs rely on.
- The passes of one call take turns instead (``Network.hiddens``, about ``group_tokens``
  tokens at a time): each layer runs one step (a matrix product, the attention...) for every
  pass before the next step. Each pass computes exactly what it computes alone, but a weight
  is read from memory once per step for all of them and then from the core's cache: reading
  the 0.2 GB of SmolLM2's weights from memory took about a third of the matrix products' time
  on one sentence's pass. On the sample sentences, 10 pairs a call as ``make bench`` asks:
  CPU 13.2 -> 10.3 s (SmolLM2) in one process, the same numbers to the last bit.
- Of a one-sentence pass (SmolLM2, ~125 positions, one thread), measured with torch.profiler
  on an AVX-512 host (with AMX: 62% the products before the passes took turns, 54% after):
  ~70% the matrix products (bf16, oneDNN's brgemm kernel, weights packed after the first passes
  into the layout it reads: see ``Network.pack``), ~12% attention (torch's flash
  kernel), ~7% the RMS norms (computed in fp32 as transformers does), the rest element-wise
  (RoPE, SiLU, residual adds) and the output head's log-softmax. Each of these is kept as it
  is: any other kernel or order of operations changes the last bits of the scores.
- The output head (49k x 576 for SmolLM2, 262k x 640 for Gemma) runs only at the positions
  being scored, 128 at a time, and the last layer computes its projections after attention
  only there too.
- Weights are bf16 (see ``auditor.lm.network``). Contexts are cut to ``context_tokens``; a text
  longer than ``window_tokens`` is scored in windows, each seeing the tokens before it, so
  memory stays bounded on hostile input.
- A run from a cold start (one article) spends about a third of its time importing torch,
  which only a run with something left to score pays (``auditor.lm.model``).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from .cache import ScoreCache, enabled_by_default, make_key

SETTINGS_VERSION = 1  # bump when scoring changes in a way the cache key does not show


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
        self,
        model,
        tokenizer,
        context_tokens: int = 96,
        window_tokens: int = 512,
        cache: ScoreCache | bool | None = None,
        memo_size: int = 50_000,
        group_tokens: int = 2048,
    ) -> None:
        """``model`` and ``tokenizer`` as ``auditor.lm.model.load`` returns them. ``cache``:
        a ScoreCache, True/False, or None for the default (on unless the environment says
        AUDITOR_SCORE_CACHE=off)."""
        self.model = model
        self._tokenizer = tokenizer
        self._backend = None
        self.context_tokens = context_tokens
        self.window_tokens = window_tokens
        self.group_tokens = group_tokens
        if cache is None:
            cache = enabled_by_default()
        if isinstance(cache, bool):
            cache = ScoreCache() if cache else None
        self.cache: ScoreCache | None = cache
        # Another torch, or a CPU with other matrix kernels, may round differently; a cached
        # score must equal a fresh one.
        self.namespace = (
            f"{getattr(model, 'key', type(model).__name__)}|ctx={context_tokens}"
            f"|win={window_tokens}|torch={_torch_version()}|cpu={_matrix_kernels()}"
            f"|v{SETTINGS_VERSION}"
        )
        self._memo: OrderedDict[tuple[str, str], TokenScores] = OrderedDict()
        self._memo_size = memo_size
        self.stats = {"pairs": 0, "memo": 0, "cached": 0, "computed": 0, "tokens": 0}

    @property
    def tokenizer(self):
        # A transformers fast tokenizer wraps the same ``tokenizers.Tokenizer``; the model's own
        # is read only now, when something is left to score.
        if self._backend is None:
            self._backend = getattr(self._tokenizer, "backend_tokenizer", self._tokenizer)
        return self._backend

    @property
    def start_id(self) -> int:
        """What each pass starts with: the token that began a document in the model's training
        (SmolLM2: <|endoftext|>, Gemma: <bos>)."""
        return self.tokenizer.token_to_id(getattr(self.model, "start_token", "<|endoftext|>"))

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[TokenScores]:
        pairs = [(context, text) for context, text in pairs]
        self.stats["pairs"] += len(pairs)
        wanted = list(dict.fromkeys(pairs))  # each distinct pair once, in first-seen order
        found: dict[tuple[str, str], TokenScores] = {}
        for pair in wanted:
            if pair in self._memo:
                self._memo.move_to_end(pair)
                found[pair] = self._memo[pair]
        self.stats["memo"] += len(found)
        missing = [p for p in wanted if p not in found]
        if missing and self.cache is not None:
            keys = {p: make_key(self.namespace, *p) for p in missing}
            hits = self.cache.get_many(list(keys.values()))
            for pair in missing:
                if keys[pair] in hits:
                    offsets, logprobs = hits[keys[pair]]
                    found[pair] = TokenScores(pair[1], offsets, logprobs)
                    self.stats["cached"] += 1
            missing = [p for p in missing if p not in found]
        if missing:
            fresh = self._compute(missing)
            found.update(fresh)
            self.stats["computed"] += len(fresh)
            if self.cache is not None:
                self.cache.put_many(
                    (make_key(self.namespace, *p), (s.offsets, s.logprobs))
                    for p, s in fresh.items()
                )
        for pair, scores in found.items():
            self._memo[pair] = scores
        while len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)
        return [found[p] for p in pairs]

    def warm(self) -> None:
        """Load the weights and the tokenizer now, as a server does before its first request:
        one short pass, neither read from nor written to the caches."""
        self._compute([("", "The talks went on.")])

    def forget(self) -> None:
        """Drop the in-process memo of scored text (a server keeps no article text between
        requests; the score cache on disk holds hashes and numbers only)."""
        self._memo.clear()

    def _compute(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], TokenScores]:
        import torch

        network = self.model.network
        start_id = self.start_id
        encoded = [self._encode(context, text) for context, text in pairs]
        # Every pass (a text's window with the tokens before it): which pair, prefix, targets.
        passes: list[tuple[int, list[int], list[int]]] = []
        for i, (context_ids, text_ids, _) in enumerate(encoded):
            for begin in range(0, len(text_ids), self.window_tokens):
                before = (context_ids + text_ids[:begin])[-self.context_tokens :]
                chunk = text_ids[begin : begin + self.window_tokens]
                passes.append((i, [start_id, *before], chunk))
        logprobs: list[list[float]] = [[] for _ in pairs]
        with torch.inference_mode():
            for group in _groups(passes, self.group_tokens):
                ids = [torch.tensor([prefix + targets]) for _, prefix, targets in group]
                # Position p predicts token p + 1.
                hidden = network.hiddens(ids, [len(prefix) - 1 for _, prefix, _ in group])
                for (i, prefix, _), row, h in zip(group, ids, hidden, strict=True):
                    logprobs[i] += network.logprobs(h[0, :-1], row[0, len(prefix) :]).tolist()
        results = {}
        for pair, (_, text_ids, offsets), scores in zip(pairs, encoded, logprobs, strict=True):
            self.stats["tokens"] += len(text_ids)
            results[pair] = TokenScores(pair[1], offsets, tuple(scores))
        return results

    def _encode(self, context: str, text: str):
        """Context ids, text ids and the text tokens' character spans in ``text``."""
        context_ids = (
            self.tokenizer.encode(context, add_special_tokens=False).ids if context else []
        )
        # A leading space makes the first word tokenized as it is mid-document ("ĠWord").
        lead = " " if context and text else ""
        encoding = self.tokenizer.encode(lead + text, add_special_tokens=False)
        shift = len(lead)
        offsets = tuple((max(0, s - shift), max(0, e - shift)) for s, e in encoding.offsets)
        return context_ids, encoding.ids, offsets


def _torch_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")
    except PackageNotFoundError:
        return "none"


def _matrix_kernels() -> str:
    """What picks oneDNN's bf16 kernels, and so the last bits of a score: the CPU's AVX-512
    BF16 and AMX (read from /proc/cpuinfo: importing torch to ask would cost a run whose
    scores are all cached a second) and the ISA cap the environment may set."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            flags = next((line.split()[2:] for line in info if line.startswith("flags")), [])
    except OSError:
        flags = []
    found = [flag for flag in ("avx512_bf16", "amx_bf16") if flag in flags] or ["other"]
    return "+".join(found) + f",{os.environ.get('ONEDNN_MAX_CPU_ISA', '')}"


def _groups(passes: list, tokens: int) -> list[list]:
    """The passes in their order, cut into groups of about ``tokens`` tokens (at least one pass
    each): what ``Network.hiddens`` runs in turn, with the group's activations in memory."""
    groups: list[list] = []
    size = tokens
    for one in passes:
        length = len(one[1]) + len(one[2])
        if size + length > tokens:
            groups.append([])
            size = 0
        groups[-1].append(one)
        size += length
    return groups
