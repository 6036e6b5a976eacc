"""The Llama forward pass (SmolLM2): pre-norm blocks of grouped-query attention and a SwiGLU
feed-forward, RMS norms in the network's own precision. With fp32 weights its logits are
bit-identical to transformers' LlamaForCausalLM."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from . import network
from .network import Network, attend, rotate


class Block(network.Block):
    rope = "all"  # one RoPE base for every layer

    def __init__(self, config: dict, index: int) -> None:
        super().__init__(config)
        self.input_layernorm = nn.Parameter(torch.ones(config["hidden_size"]))
        self.post_attention_layernorm = nn.Parameter(torch.ones(config["hidden_size"]))

    def forward(
        self,
        xs: list[torch.Tensor],
        rope: list[tuple[torch.Tensor, torch.Tensor]],
        starts: list[int],
    ) -> list[torch.Tensor]:
        """Each pass's block output at its positions ``start`` on, from its input and its
        rotary (cos, sin); every step runs for all the passes in turn (see
        ``Network.hiddens``)."""
        width = xs[0].shape[-1]
        normed = [F.rms_norm(x, (width,), self.input_layernorm, self.eps) for x in xs]
        fused = [self.qkv(n) for n in normed]
        attended = [
            self.attention(f, cos, sin)[:, start:]
            for f, (cos, sin), start in zip(fused, rope, starts, strict=True)
        ]
        projected = [self.o_proj(a) for a in attended]
        xs = [x[:, s:] + p for x, s, p in zip(xs, starts, projected, strict=True)]
        normed = [F.rms_norm(x, (width,), self.post_attention_layernorm, self.eps) for x in xs]
        gates_ups = [self.gate_up(n).chunk(2, dim=-1) for n in normed]
        fed = [F.silu(gate) * up for gate, up in gates_ups]
        fed = [self.down_proj(f) for f in fed]
        return [x + f for x, f in zip(xs, fed, strict=True)]

    def attention(self, fused: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """Attention over one pass's fused q/k/v product, heads joined again."""
        batch, length, _ = fused.shape
        heads = fused.view(batch, length, -1, self.head_dim)
        # Queries and keys sit side by side in the fused product: rotated in one go (the same
        # numbers as one by one, in fewer operations), then cut into heads as views.
        rotated = rotate(heads[:, :, : self.heads + self.kv_heads], cos[:, None], sin[:, None])
        q, k = rotated.split([self.heads, self.kv_heads], dim=2)
        v = heads[:, :, self.heads + self.kv_heads :]
        attended = attend(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return attended.transpose(1, 2).reshape(batch, length, -1)


class Llama(Network):
    block = Block


NETWORK = Llama


def fuse(state: dict[str, torch.Tensor], config: dict) -> dict[str, torch.Tensor]:
    """transformers' LlamaForCausalLM state dict -> this module's (q/k/v and gate/up fused;
    embeddings tied to the output head, as SmolLM2's are)."""
    head = state.get("lm_head.weight", state.get("model.embed_tokens.weight"))
    fused = {"embed.weight": head, "lm_head.weight": head, "norm": state["model.norm.weight"]}
    for i in range(config["num_hidden_layers"]):
        p = f"model.layers.{i}."
        fused |= {
            f"layers.{i}.input_layernorm": state[p + "input_layernorm.weight"],
            f"layers.{i}.post_attention_layernorm": state[p + "post_attention_layernorm.weight"],
            **fuse_projections(state, i),
        }
    return fused


def fuse_projections(state: dict[str, torch.Tensor], i: int) -> dict[str, torch.Tensor]:
    """The matrices of layer ``i`` with q/k/v and gate/up each stacked into one."""
    p, a = f"model.layers.{i}.", f"model.layers.{i}.self_attn."
    return {
        f"layers.{i}.qkv.weight": torch.cat(
            [state[a + "q_proj.weight"], state[a + "k_proj.weight"], state[a + "v_proj.weight"]]
        ),
        f"layers.{i}.o_proj.weight": state[a + "o_proj.weight"],
        f"layers.{i}.gate_up.weight": torch.cat(
            [state[p + "mlp.gate_proj.weight"], state[p + "mlp.up_proj.weight"]]
        ),
        f"layers.{i}.down_proj.weight": state[p + "mlp.down_proj.weight"],
    }
