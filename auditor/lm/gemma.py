"""The Gemma 3 forward pass (Gemma 3 270M), beside the Llama one it shares its frame with.

What Gemma 3 does differently, each as transformers' Gemma3ForCausalLM does it:
- embeddings scaled by sqrt(hidden size), the factor rounded to the weights' precision;
- RMS norms computed in fp32 with a weight of (1 + w) (stored here with the 1 added, in fp32
  whatever the network's precision), before *and* after each attention and feed-forward, and
  on each head's queries and keys (QK-norm);
- GeGLU feed-forward (tanh-approximated GELU on the gate);
- local layers attend to a sliding window of the last ``sliding_window`` positions, global
  layers to everything, each kind with its own RoPE base (``rope_parameters`` by layer type);
- the output head is tied to the embeddings; logits are soft-capped when the config says so.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from . import network
from .llama import fuse_projections
from .network import Network, attend, rotate, split_heads


def norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    """Gemma's RMS norm: in fp32, times the (1 + w) weight, back in ``x``'s precision."""
    return F.rms_norm(x.float(), (x.shape[-1],), weight, eps).to(x.dtype)


class Block(network.Block):
    NORMS = (
        "input_layernorm",
        "post_attention_layernorm",
        "pre_feedforward_layernorm",
        "post_feedforward_layernorm",
    )

    def __init__(self, config: dict, index: int) -> None:
        super().__init__(config)
        self.rope = config["layer_types"][index]
        self.window = config["sliding_window"] if self.rope == "sliding_attention" else None
        self.scale = config["query_pre_attn_scalar"] ** -0.5
        for name in self.NORMS:
            setattr(self, name, nn.Parameter(torch.ones(config["hidden_size"])))
        self.q_norm = nn.Parameter(torch.ones(self.head_dim))
        self.k_norm = nn.Parameter(torch.ones(self.head_dim))

    def forward(
        self,
        xs: list[torch.Tensor],
        rope: list[tuple[torch.Tensor, torch.Tensor]],
        starts: list[int],
    ) -> list[torch.Tensor]:
        """Each pass's block output at its positions ``start`` on, from its input and its
        rotary (cos, sin); every step runs for all the passes in turn (see
        ``Network.hiddens``)."""
        fused = [self.qkv(norm(x, self.input_layernorm, self.eps)) for x in xs]
        attended = [
            self.attention(f, cos, sin)[:, start:]
            for f, (cos, sin), start in zip(fused, rope, starts, strict=True)
        ]
        projected = [self.o_proj(a) for a in attended]
        xs = [
            x[:, s:] + norm(p, self.post_attention_layernorm, self.eps)
            for x, s, p in zip(xs, starts, projected, strict=True)
        ]
        gates_ups = [
            self.gate_up(norm(x, self.pre_feedforward_layernorm, self.eps)).chunk(2, dim=-1)
            for x in xs
        ]
        fed = [F.gelu(gate, approximate="tanh") * up for gate, up in gates_ups]
        fed = [self.down_proj(f) for f in fed]
        return [
            x + norm(f, self.post_feedforward_layernorm, self.eps)
            for x, f in zip(xs, fed, strict=True)
        ]

    def attention(self, fused: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """Attention over one pass's fused q/k/v product, heads joined again."""
        batch, length, _ = fused.shape
        q, k, v = split_heads(fused, self.heads, self.kv_heads, self.head_dim)
        q = rotate(norm(q, self.q_norm, self.eps), cos, sin)
        k = rotate(norm(k, self.k_norm, self.eps), cos, sin)
        attended = attend(q, k, v, self.window, self.scale)
        return attended.transpose(1, 2).reshape(batch, length, -1)


class Gemma3(Network):
    block = Block
    fp32_vectors = True

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        scale = torch.tensor(self.config["hidden_size"] ** 0.5).to(self.dtype)
        return self.embed(ids) * scale

    def final_norm(self, x: torch.Tensor) -> torch.Tensor:
        return norm(x, self.norm, self.eps)


NETWORK = Gemma3


def fuse(state: dict[str, torch.Tensor], config: dict) -> dict[str, torch.Tensor]:
    """transformers' Gemma3ForCausalLM state dict -> this module's: q/k/v and gate/up fused,
    the output head tied to the embeddings, every norm weight as (1 + w) in fp32."""

    def plus_one(tensor: torch.Tensor) -> torch.Tensor:
        return 1.0 + tensor.float()

    embed = state.get("model.embed_tokens.weight", state.get("lm_head.weight"))
    fused = {"embed.weight": embed, "lm_head.weight": embed}
    fused["norm"] = plus_one(state["model.norm.weight"])
    for i in range(config["num_hidden_layers"]):
        p, a = f"model.layers.{i}.", f"model.layers.{i}.self_attn."
        fused |= {f"layers.{i}.{n}": plus_one(state[f"{p}{n}.weight"]) for n in Block.NORMS}
        fused[f"layers.{i}.q_norm"] = plus_one(state[a + "q_norm.weight"])
        fused[f"layers.{i}.k_norm"] = plus_one(state[a + "k_norm.weight"])
        fused |= fuse_projections(state, i)
    return fused
