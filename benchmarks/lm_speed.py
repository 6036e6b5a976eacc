"""Language-model scoring: the auditor's scorer against a plain fp32 transformers loop, on the
same (context, text) pairs, in one run.

Every installed model is measured in turn (SmolLM2, and Gemma 3 when the ``gemma`` extra is
installed); each figure's key starts with the model's name. The pairs are the sample articles'
sentences, each with the 600 characters before it as context (what the FLU check asks for).
The plain loop is what anyone would write first: one forward pass of the transformers model
(LlamaForCausalLM, Gemma3ForCausalLM) per pair, fp32, log-softmax over the full logits.
Both compute exactly the same quantities; tokens/s counts the scored (text) tokens, and
``plain_fp32_forward_tokens_per_s`` all tokens through the network, context included.

Figures: tokens/s of both and their ratio; mean absolute difference and Pearson correlation of
the per-token log-probabilities (the scorer must stay at r >= 0.99 of fp32); the score cache's
speed-up on the same pairs (a second scorer over a warm cache); model load times.
Targets (issues 9 and 21): ratio >= 2.5 for each model, r >= 0.99.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"
CONTEXT_CHARS = 600
SLICE = 10  # pairs timed in turn by each contender
FORWARD_TOKENS = [0]  # tokens through the network, context included (the plain loop counts)


def sample_pairs() -> list[tuple[str, str]]:
    from auditor.ingest import read_paths
    from auditor.segment import segment

    pairs = []
    for doc in read_paths([str(SAMPLES)]):
        doc = segment(doc)
        for s in doc.sentences:
            pairs.append((doc.text[max(0, s.start - CONTEXT_CHARS) : s.start].strip(), s.text))
    limit = int(os.environ.get("AUDITOR_BENCH_PAIRS") or 0)
    return pairs[:limit] if limit else pairs


def plain_loop(model, tokenizer, pairs, context_tokens: int, start_token: str) -> list[float]:
    import torch

    start = tokenizer.convert_tokens_to_ids(start_token)
    logprobs: list[float] = []
    with torch.inference_mode():
        for context, text in pairs:
            prefix = [start]
            if context:
                prefix += tokenizer(context, add_special_tokens=False)["input_ids"][
                    -context_tokens:
                ]
                text = " " + text
            ids = prefix + tokenizer(text, add_special_tokens=False)["input_ids"]
            FORWARD_TOKENS[0] += len(ids)
            logits = model(input_ids=torch.tensor([ids])).logits[0]
            scores = torch.log_softmax(logits[len(prefix) - 1 : -1], dim=-1)
            logprobs += scores.gather(1, torch.tensor(ids[len(prefix) :])[:, None])[:, 0].tolist()
    return logprobs


def run() -> dict:
    """The figures of every installed model, each prefixed with its name."""
    from auditor.lm import MODELS, ModelMissing

    figures = {}
    for name in MODELS:
        try:
            measured = run_model(name)
        except ModelMissing as exc:
            measured = {"skipped": str(exc)}
        figures |= {f"{name}.{key}": value for key, value in measured.items()}
    return figures


def run_model(name: str) -> dict:
    import torch

    from auditor.lm.cache import ScoreCache
    from auditor.lm.model import load, load_transformers
    from auditor.lm.scorer import Scorer

    pairs = sample_pairs()
    FORWARD_TOKENS[0] = 0

    started = time.perf_counter()
    model, tokenizer = load(name)
    scorer = Scorer(model, tokenizer, cache=False)
    scorer.score(pairs[:1])  # loads the weights
    scorer_load = time.perf_counter() - started
    scorer = Scorer(model, tokenizer, cache=False)  # a fresh in-run memo

    started = time.perf_counter()
    reference, reference_tokenizer = load_transformers(name)
    plain_load = time.perf_counter() - started

    # Alternate the two over slices of the pairs, so that other load on the machine falls on
    # both alike.
    # CPU time is kept beside wall time: on a shared machine it shows the work each does.
    plain, scored = [], []
    plain_seconds = scorer_seconds = plain_cpu = scorer_cpu = 0.0
    load_before = os.getloadavg()[0]
    for begin in range(0, len(pairs), SLICE):
        part = pairs[begin : begin + SLICE]
        started, cpu = time.perf_counter(), time.process_time()
        plain += plain_loop(
            reference, reference_tokenizer, part, scorer.context_tokens, model.start_token
        )
        plain_seconds += time.perf_counter() - started
        plain_cpu += time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        scored += scorer.score(part)
        scorer_seconds += time.perf_counter() - started
        scorer_cpu += time.process_time() - cpu
    del reference
    fast = [x for s in scored for x in s.logprobs]
    tokens = len(fast)
    assert tokens == len(plain), "the scorer and the plain loop tokenized differently"

    a, b = torch.tensor(plain), torch.tensor(fast)
    pearson = torch.corrcoef(torch.stack([a, b]))[0, 1].item()

    with tempfile.TemporaryDirectory() as folder:
        cache = ScoreCache(Path(folder) / "scores.sqlite3")
        Scorer(model, tokenizer, cache=cache).score(pairs)  # fills the cache
        started = time.perf_counter()
        again = Scorer(model, tokenizer, cache=cache).score(pairs)
        cached_seconds = time.perf_counter() - started
        cache.close()
    assert [s.logprobs for s in again] == [s.logprobs for s in scored]

    return {
        "pairs": len(pairs),
        "scored_tokens": tokens,
        "torch_threads": torch.get_num_threads(),
        "plain_fp32_tokens_per_s": round(tokens / plain_seconds, 1),
        "plain_fp32_forward_tokens_per_s": round(FORWARD_TOKENS[0] / plain_seconds, 1),
        "scorer_tokens_per_s": round(tokens / scorer_seconds, 1),
        "scorer_speedup_vs_plain_fp32": round(plain_seconds / scorer_seconds, 2),
        "scorer_speedup_vs_plain_fp32_cpu_time": round(plain_cpu / scorer_cpu, 2),
        "load_average": round((load_before + os.getloadavg()[0]) / 2, 1),
        "logprob_mean_abs_diff": round(statistics.fmean(abs(a - b).tolist()), 4),
        "logprob_mean_diff": round(statistics.fmean((b - a).tolist()), 4),  # scorer - fp32
        "logprob_pearson": round(pearson, 5),
        "scorer_precision": model.precision,
        "cached_tokens_per_s": round(tokens / cached_seconds),
        "cache_speedup": round(scorer_seconds / cached_seconds, 1),
        "scorer_load_s": round(scorer_load, 2),
        "plain_load_s": round(plain_load, 2),
    }
