"""Inputs with tokens no reader would call words: a file holding a 1,000,000-character token and
a Markdown article with a 500 KB base64 image. Each is audited by the real command line in a
fresh process, without and with the language model (score cache off), beside the same article
with a plain word for the token; wall time and peak memory of that process.

Target (issue 16): each under 10 s and under 400 MB peak RSS. Before tokens that are not words
were blanked, a 30,000-character token inside a sentence took 1.8 GB and 5.7 s (LEX alone).
"""

from __future__ import annotations

import base64
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROSE = (
    "Chancellor Olaf Scholz met Secretary General Jens Stoltenberg in Berlin on Tuesday. "
    "They spoke about the talks with Russia and the support for Ukraine. "
)


def long_token_text(length: int = 1_000_000, seed: int = 0) -> str:
    """Prose, then a letter run of ``length`` characters inside a sentence, then prose."""
    rng = random.Random(seed)
    token = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=length))
    return f"{PROSE}\n\nThe file said {token} and nothing else.\n\n{PROSE}\n"


def base64_markdown(image_bytes: int = 375_000, seed: int = 0) -> str:
    """A Markdown article with an embedded PNG-like image of ``image_bytes`` (base64: 500 KB)."""
    blob = base64.b64encode(random.Random(seed).randbytes(image_bytes)).decode("ascii")
    return (
        f"---\ntitle: Talks in Berlin\n---\n# Talks in Berlin\n\n{PROSE}\n\n"
        f"![chart](data:image/png;base64,{blob})\n\nA second paragraph follows the chart.\n"
    )


def measure(path: Path, *flags: str) -> dict:
    """Wall time and peak RSS of ``auditor check PATH`` in its own process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [sys.executable, "-m", "auditor", "check", str(path), "--isolated", "--quiet",
               "--format", "json", *flags]  # fmt: skip
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{path.name}: exit {code}: {err.read().decode()[-300:]}")
    return {"wall_s": round(seconds, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def run() -> dict:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        token = Path(tmp, "token.txt")
        token.write_text(long_token_text(), encoding="utf-8")
        image = Path(tmp, "image.md")
        image.write_text(base64_markdown(), encoding="utf-8")
        plain = Path(tmp, "plain.txt")  # the same article with a word for the token
        plain.write_text(long_token_text(length=5), encoding="utf-8")
        cases = (("token_1m", token), ("base64_500k", image), ("plain", plain))
        for name, path in cases:
            for mode, flags in (("no_lm", ("--no-lm",)), ("lm", ("--no-cache",))):
                for key, value in measure(path, *flags).items():
                    figures[f"{name}_{mode}_{key}"] = value
    figures["target"] = (
        "each under 10 s and 400 MB peak RSS without the language model; with it, no more "
        "than the plain article (the model alone takes about 600 MB)"
    )
    return figures
