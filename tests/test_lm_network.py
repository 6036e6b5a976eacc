"""The scorer's own forward passes (auditor.lm.llama, auditor.lm.gemma) against transformers in
fp32: exactly the same numbers. Small random networks of each architecture cover every branch
(sliding-window layers on text longer than their window, soft-capped logits, norms whose
weights are far from 1); the real models are checked on sample sentences."""

from __future__ import annotations

import json

import pytest
import torch
import transformers

from auditor.lm import MODELS, gemma, llama
from auditor.lm.network import build

VOCAB = 300


def _randomized_norms(model) -> None:
    """Norm weights start at 0 (Gemma: a weight of 1 + 0) or 1: spread them, so that a norm
    applied the wrong way round shows."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "norm" in name:
                parameter.normal_(0.5, 0.5)


def tiny_gemma(**overrides):
    config = transformers.Gemma3TextConfig(
        vocab_size=VOCAB,
        hidden_size=64,
        intermediate_size=96,
        num_hidden_layers=6,
        num_attention_heads=4,
        num_key_value_heads=1,
        head_dim=32,
        query_pre_attn_scalar=24,  # not head_dim: the attention scale must come from here
        sliding_window=8,
        layer_types=["sliding_attention"] * 5 + ["full_attention"],
        rope_parameters={
            "full_attention": {"rope_type": "default", "rope_theta": 1_000_000.0},
            "sliding_attention": {"rope_type": "default", "rope_theta": 10_000.0},
        },
        **overrides,
    )
    return transformers.Gemma3ForCausalLM(config), gemma.Gemma3, gemma.fuse


def tiny_llama():
    config = transformers.LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=64,
        intermediate_size=96,
        num_hidden_layers=3,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        tie_word_embeddings=True,
    )
    return transformers.LlamaForCausalLM(config), llama.Llama, llama.fuse


def _ours_and_theirs(made, ids):
    reference, network, fuse = made
    _randomized_norms(reference)
    reference.eval()
    config = json.loads(reference.config.to_json_string())
    ours = build(network, config, fuse(reference.state_dict(), config))
    with torch.inference_mode():
        logits = reference(input_ids=ids).logits[0]
        targets = ids[0, 1:]
        theirs = torch.log_softmax(logits[:-1].float(), -1).gather(1, targets[:, None])[:, 0]
        hidden = ours.hidden(ids)[0]
        mine = ours.logprobs(hidden[:-1], targets)
        head = ours.lm_head(hidden)
    return logits, head, theirs, mine


@pytest.mark.parametrize("length", [6, 30])  # within the sliding window, and past it
@pytest.mark.parametrize(
    "made",
    [tiny_llama, tiny_gemma, lambda: tiny_gemma(final_logit_softcapping=3.0)],
    ids=["llama", "gemma", "gemma-softcap"],
)
def test_forward_pass_equals_transformers_in_fp32(made, length):
    torch.manual_seed(1)
    ids = torch.randint(0, VOCAB, (1, length))
    logits, head, theirs, mine = _ours_and_theirs(made(), ids)
    if made is tiny_llama or made is tiny_gemma:  # no soft-capping: raw logits are equal
        assert torch.equal(logits, head)
    assert torch.equal(theirs, mine)


def test_sliding_window_matters_past_the_window():
    """Guard against a test that passes whatever the window does: with the window the same as
    a global layer's, logits past the window would differ."""
    torch.manual_seed(1)
    ids = torch.randint(0, VOCAB, (1, 30))
    reference, network, fuse = tiny_gemma()
    config = json.loads(reference.config.to_json_string())
    state = fuse(reference.state_dict(), config)
    windowed = build(network, config, state)
    unwindowed = build(network, {**config, "sliding_window": 1000}, state)
    with torch.inference_mode():
        a, b = windowed.hidden(ids)[0], unwindowed.hidden(ids)[0]
    assert torch.equal(a[:8], b[:8]) and not torch.equal(a[8:], b[8:])


@pytest.mark.lm
@pytest.mark.parametrize("name", list(MODELS))
def test_real_model_scores_equal_transformers_in_fp32(name):
    """The scorer in fp32 against transformers' own model in fp32, on sample sentences in
    context: the same log-probabilities to fp32 rounding. Not to the last bit on every CPU:
    the scorer runs its last layer and its output head only on the scored positions, fewer
    rows than transformers' products, and on a CPU with AMX (2026-12 development machine) the
    BLAS picks its kernel by the number of rows; there a few tokens differ by up to 1e-5 nats
    (on an AVX-512 machine without AMX all were equal)."""
    from auditor.lm.model import load, load_transformers
    from auditor.lm.scorer import Scorer
    from benchmarks.lm_speed import plain_loop, sample_pairs

    try:
        model, tokenizer = load(name, precision="fp32")
    except Exception as exc:  # the optional model not installed
        pytest.skip(str(exc))
    pairs = sample_pairs()[5:8]
    scorer = Scorer(model, tokenizer, cache=False)
    ours = [x for s in scorer.score(pairs) for x in s.logprobs]
    reference, reference_tokenizer = load_transformers(name)
    theirs = plain_loop(
        reference, reference_tokenizer, pairs, scorer.context_tokens, model.start_token
    )
    assert len(ours) == len(theirs) > 30
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-4


@pytest.mark.lm
@pytest.mark.parametrize("name", list(MODELS))
def test_speed_measures_change_no_bit(name):
    """What the scorer does for speed (bf16 weights packed into oneDNN's layout after its
    first passes, the passes of one call taking turns layer by layer) gives the plain bf16
    network's numbers, one pass at a time, to the last bit: on sample sentences in context, on
    five-sentence blocks (the FLU check's), and on a text longer than a window (several
    passes, heads of several chunks). Both run the output head ``head_rows`` positions at a
    time: on a CPU with AMX oneDNN picks its kernel by the number of rows, so the whole head at
    once would change the last bits of the text longer than ``head_rows``."""
    from safetensors.torch import load_file

    from auditor.lm.model import SCORING_WEIGHTS, architecture, load
    from auditor.lm.network import PackedLinear
    from auditor.lm.scorer import Scorer
    from benchmarks.lm_speed import sample_pairs

    try:
        model, tokenizer = load(name)
        fast = model.network
    except Exception as exc:  # the optional model not installed
        pytest.skip(str(exc))
    network, _ = architecture(model.spec)
    plain = build(network, fast.config, load_file(model.folder / SCORING_WEIGHTS))
    pairs = sample_pairs()
    texts = [t for _, t in pairs]
    pairs = pairs[::12] + [(pairs[i][0], " ".join(texts[i : i + 5])) for i in (10, 40)]
    pairs.append(("", " ".join(texts[:40])))  # over 512 tokens
    scorer = Scorer(model, tokenizer, cache=False)
    # Four passes unpacked; the next call's passes take turns, packed from its start.
    ours = scorer.score(pairs[:4]) + scorer.score(pairs[4:])
    if PackedLinear.available():
        assert fast.passes > fast.pack_after
        assert isinstance(fast.layers[0].qkv, PackedLinear)
        assert isinstance(fast.lm_head, PackedLinear)
    model._network = plain
    theirs = [Scorer(model, tokenizer, cache=False).score([pair])[0] for pair in pairs]
    assert sum(len(s.logprobs) for s in ours) > 1000
    assert [s.logprobs for s in ours] == [s.logprobs for s in theirs]
