"""What the scoring networks share, in plain torch: token embeddings, a stack of decoder blocks
with rotary positions, a final norm, and an output head run only where it is asked for.

transformers is only needed once, to de-quantize a GGUF into the model cache. Scoring runs these
modules instead: importing them costs torch alone (transformers adds ~1 s to every start),
q/k/v and gate/up are fused into single matrix products, and ``hidden`` stops before the output
head so the caller computes logits only at the positions it scores. With fp32 weights the
logits equal transformers' (tests/test_lm_network.py); the scorer runs them in bf16, which this
CPU (AVX-512 BF16) multiplies about three times faster than fp32, and after its first passes
with every weight packed into the layout oneDNN's kernel reads (``Network.pack``: the same
numbers, 12-15% less time on one sentence).

An architecture (``auditor.lm.llama``, ``auditor.lm.gemma``) subclasses ``Network`` with its
block, how it scales embeddings and normalizes, and ``fuse``, which renames transformers'
state dict into this layout.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    """What every decoder block holds: fused q/k/v, the attention output, fused gate/up and the
    down projection; the architectures add their norms and ``forward``."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        hidden, self.head_dim = config["hidden_size"], config["head_dim"]
        self.heads, self.kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
        self.eps = config["rms_norm_eps"]
        self.qkv = nn.Linear(hidden, (self.heads + 2 * self.kv_heads) * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, hidden, bias=False)
        self.gate_up = nn.Linear(hidden, 2 * config["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(config["intermediate_size"], hidden, bias=False)


class PackedLinear(nn.Module):
    """A bf16 ``nn.Linear`` without bias, its weight laid out once in the blocked format that
    oneDNN's matrix-product kernel (brgemm, AVX-512 BF16) reads. ``F.linear`` runs that same
    kernel on a bf16 weight but first copies the whole weight into this format, on every call:
    for one sentence's pass that copy was 12-15% of the scorer's time. The kernel, its order of
    additions and so every result bit are the same (tests/test_lm_network.py)."""

    ROWS = 128  # the rows per product the layout is chosen for (any number of rows works)

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight = torch.ops.mkldnn._reorder_linear_weight(linear.weight.detach(), self.ROWS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.mkldnn._linear_pointwise(x, self.weight, None, "none", [], "")

    @staticmethod
    def available() -> bool:
        """Whether this torch multiplies bf16 with oneDNN here (the CPU has AVX-512)."""
        return torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()


class Network(nn.Module):
    block: type[nn.Module]
    # The output head runs this many positions at a time: the fp32 log-softmax over all of a
    # 512-token window would take 0.1 GB (SmolLM2) to 0.5 GB (Gemma) of fresh memory at once,
    # and faulting it in cost more than streaming the head's weights a few more times (the
    # head over 1,000 positions: 0.60 -> 0.42 s CPU). The chunks are part of the computation:
    # on a CPU with AMX, oneDNN picks its kernel by a product's row count, and a row's last
    # bits with it. They start at the pair's first scored position, so a score still depends
    # on its pair alone (tests/test_lm_network.py, tests/test_lm_cache.py).
    head_rows = 128
    fp32_vectors = False  # keep norm weights in fp32 when the matrices are bf16
    pack_after: int | None = None  # pass on which to ``pack`` (None: never)

    def __init__(self, config: dict) -> None:
        super().__init__()
        self.config = config
        self.eps = config["rms_norm_eps"]
        # An explicit weight skips the random init, which costs over a second even on the
        # meta device (torch's normal_ reference implementation).
        shape = (config["vocab_size"], config["hidden_size"])
        self.embed = nn.Embedding(*shape, _weight=torch.empty(shape))
        self.layers = nn.ModuleList(
            self.block(config, i) for i in range(config["num_hidden_layers"])
        )
        self.norm = nn.Parameter(torch.ones(config["hidden_size"]))
        self.lm_head = nn.Linear(config["hidden_size"], config["vocab_size"], bias=False)
        self.frequencies = rotary_frequencies(config)
        self.passes = 0

    @property
    def dtype(self) -> torch.dtype:
        return self.embed.weight.dtype

    def pack(self) -> Network:
        """Every matrix product's weight in oneDNN's layout (``PackedLinear``), when the weights
        are bf16 and this machine multiplies bf16 with oneDNN; otherwise unchanged. The output
        head gets its own packed copy: the embeddings it is tied to stay as they are.

        Packing costs about 0.3 s (fresh memory for every weight) and saves each later product
        the copy of its weight, which matters on short passes: a one-sentence pass 12-15%
        faster, a five-sentence block's hardly. So the scorer's network packs itself on its
        ``pack_after``-th pass: a one-article run from a cold start (about five passes) never
        pays for it, a corpus or a server soon does."""
        if self.dtype != torch.bfloat16 or not PackedLinear.available():
            return self
        for layer in self.layers:
            for name in ("qkv", "o_proj", "gate_up", "down_proj"):
                setattr(layer, name, PackedLinear(getattr(layer, name)))
        self.lm_head = PackedLinear(self.lm_head)
        return self

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        return self.embed(ids)

    def final_norm(self, x: torch.Tensor) -> torch.Tensor:
        return F.rms_norm(x, (x.shape[-1],), self.norm, self.eps)

    def hidden(self, ids: torch.Tensor, start: int = 0) -> torch.Tensor:
        """Final (normed) hidden states for token ids of shape (batch, length), at positions
        ``start`` on: ``hiddens`` of one pass."""
        return self.hiddens([ids], [start])[0]

    def hiddens(self, passes: Sequence[torch.Tensor], starts: Sequence[int]) -> list[torch.Tensor]:
        """Final (normed) hidden states of several independent passes (token ids of shape
        (batch, length) each), each at its positions ``start`` on. Positions before ``start``
        are context: every layer but the last needs them (their keys and values), the last
        computes its projections after attention only for the positions returned. No padding
        mask: attention is causal, so right padding never reaches a real token.

        The passes are not batched: each runs every operation alone, at its own length, so its
        numbers are exactly those of a pass run by itself. They only take turns: each layer runs
        one step (a matrix product, the attention...) for every pass before the next step, so
        that a weight is read from memory once for all of them and then from the core's cache
        (on one sentence's pass a third of the products' time was spent reading the weights)."""
        packs = self.pack_after is not None and self.passes < self.pack_after
        self.passes += len(passes)
        if packs and self.passes >= self.pack_after:
            self.pack()
        tables: dict[int, dict] = {}
        for ids in passes:
            if ids.shape[1] not in tables:
                tables[ids.shape[1]] = self.rotary_tables(ids.shape[1])
        xs = [self.embed_tokens(ids) for ids in passes]
        everything = [0] * len(passes)
        for i, layer in enumerate(self.layers):
            rope = [tables[ids.shape[1]][layer.rope] for ids in passes]
            xs = layer(xs, rope, starts if i == len(self.layers) - 1 else everything)
        return [self.final_norm(x) for x in xs]

    def rotary_tables(self, length: int) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
        """(cos, signed sin) of positions 0 .. length - 1, by kind of layer."""
        positions = torch.arange(length, dtype=torch.float32)
        tables = {}
        for kind, inverse in self.frequencies.items():
            angles = torch.outer(positions, inverse)
            angles = torch.cat((angles, angles), dim=-1)
            sin = angles.sin().to(self.dtype)
            # The sine with the sign ``rotate`` needs on its first half: one negation per pass
            # instead of one per layer (exact: only the sign bit changes).
            half = sin.shape[-1] // 2
            signed = torch.cat((-sin[:, :half], sin[:, half:]), dim=-1)
            tables[kind] = (angles.cos().to(self.dtype), signed)
        return tables

    def logprobs(self, hidden: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """log p(target) for each row of ``hidden`` (positions, width); fp32 softmax."""
        rows = self.head_rows
        parts = []
        for begin in range(0, len(hidden), rows):
            logits = self.lm_head(hidden[begin : begin + rows]).float()
            cap = self.config.get("final_logit_softcapping")
            if cap:
                logits = torch.tanh(logits / cap) * cap
            chosen = targets[begin : begin + rows, None]
            parts.append(torch.log_softmax(logits, dim=-1).gather(1, chosen)[:, 0])
        return torch.cat(parts) if parts else hidden.new_zeros(0, dtype=torch.float32)


def attend(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    window: int | None = None,
    scale: float | None = None,
) -> torch.Tensor:
    """Causal attention, grouped-query (fewer k/v heads than q heads); with a ``window``, each
    position sees only the last ``window`` positions (itself included), as local layers do."""
    length = q.shape[-2]
    if window is None or length <= window:
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scale, enable_gqa=True)
    here = torch.arange(length)
    distance = here[:, None] - here[None, :]
    allowed = (distance >= 0) & (distance < window)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=allowed, scale=scale, enable_gqa=True)


def split_heads(qkv: torch.Tensor, heads: int, kv_heads: int, head_dim: int):
    """A fused q/k/v product cut into q, k and v of shape (batch, heads, length, head_dim)."""
    batch, length, _ = qkv.shape
    counts = (heads, kv_heads, kv_heads)
    parts = qkv.split([n * head_dim for n in counts], dim=-1)
    return [
        part.view(batch, length, n, head_dim).transpose(1, 2)
        for part, n in zip(parts, counts, strict=True)
    ]


def rotate(x: torch.Tensor, cos: torch.Tensor, signed_sin: torch.Tensor) -> torch.Tensor:
    """Rotary position embedding, in the half-split layout transformers uses: its
    ``x * cos + cat(-second, first) * sin``, with the minus moved into ``signed_sin`` (the
    sine with its first half negated; see ``Network.hidden``). The products are the same to
    the last bit: a sign is exact."""
    first, second = x.chunk(2, dim=-1)
    return x * cos + torch.cat((second, first), dim=-1) * signed_sin


def rotary_frequencies(config: dict) -> dict[str, torch.Tensor]:
    """Inverse frequencies by kind of layer: one kind ("all") for a single RoPE base, or one per
    layer type when each has its own base (``rope_parameters`` keyed by layer type)."""
    rope = config.get("rope_parameters") or {}
    dim = config["head_dim"]
    steps = torch.arange(0, dim, 2, dtype=torch.float32, device="cpu") / dim
    if rope and all(isinstance(v, dict) for v in rope.values()):
        return {kind: 1.0 / p["rope_theta"] ** steps for kind, p in rope.items()}
    theta = rope.get("rope_theta") or config.get("rope_theta") or 10000.0
    return {"all": 1.0 / theta**steps}


def build(network: type[Network], config: dict, state: dict[str, torch.Tensor]) -> Network:
    """A ``network`` holding ``state`` (this layout's names; see each ``fuse``) without copying
    it; the output head is tied to the embeddings unless ``state`` has its own."""
    with torch.device("meta"):
        model = network(config)
    if "lm_head.weight" not in state:
        state = {**state, "lm_head.weight": state["embed.weight"]}
    model.load_state_dict(state, assign=True)
    model.frequencies = rotary_frequencies(config)  # built on the meta device above
    return model.eval()
