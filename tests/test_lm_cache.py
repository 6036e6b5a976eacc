"""The score cache and the model cache: exact round trips, damage detected and repaired with
one line on stderr, concurrent processes, and the scorer's guarantees the cache relies on
(a score depends only on its (context, text); bf16 stays close to fp32)."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.lm import model as lm_model
from auditor.lm import model_spec
from auditor.lm.cache import ScoreCache, make_key

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"


def _scored(n: int):
    offsets = tuple((i * 3, i * 3 + 2) for i in range(n))
    logprobs = tuple(float(-0.1 - i / 7) for i in range(n))
    return offsets, logprobs


def _float32(values):
    from array import array

    return tuple(array("f", values))


# --- the score cache -----------------------------------------------------------------------


def test_round_trip_is_exact_for_float32(tmp_path):
    cache = ScoreCache(tmp_path / "scores.sqlite3")
    offsets, logprobs = _scored(5)
    logprobs = _float32(logprobs)  # what the scorer produces
    key = make_key("model|settings", "Context.", "A sentence.")
    cache.put_many([(key, (offsets, logprobs))])
    assert cache.get_many([key, make_key("model|settings", "Context.", "Other.")]) == {
        key: (offsets, logprobs)
    }


def test_keys_separate_model_context_and_text():
    keys = {
        make_key("m1", "a", "b"), make_key("m2", "a", "b"),
        make_key("m1", "ab", ""), make_key("m1", "a", "c"),
    }  # fmt: skip
    assert len(keys) == 4


def test_keys_separate_cpus_whose_matrix_kernels_round_differently(monkeypatch):
    """A cache shared by a machine with AMX and one without (a network home, Dask workers)
    must not hand one the other's last bits: the kernels oneDNN may use are in the key."""
    from auditor.lm.scorer import Scorer

    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    free = Scorer(object(), None, cache=False).namespace
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_BF16")
    capped = Scorer(object(), None, cache=False).namespace
    assert "|cpu=" in free and free != capped


def test_garbage_file_is_replaced_with_one_line(tmp_path, capfd):
    path = tmp_path / "scores.sqlite3"
    path.write_bytes(b"this is not a database at all\n" * 200)
    cache = ScoreCache(path)
    key = make_key("m", "c", "t")
    assert cache.get_many([key]) == {}
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "score cache" in err[0] and "rebuilding" in err[0]
    cache.put_many([(key, _scored(2))])
    assert key in cache.get_many([key])


def test_truncated_file_is_detected_and_rebuilt(tmp_path, capfd):
    path = tmp_path / "scores.sqlite3"
    cache = ScoreCache(path)
    cache.put_many((make_key("m", "c", str(i)), _scored(40)) for i in range(2000))
    cache.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 2)
    cache = ScoreCache(path)
    assert cache.get_many([make_key("m", "c", "1")]) == {}
    err = capfd.readouterr().err
    assert "truncated" in err and err.count("\n") == 1
    cache.put_many([(make_key("m", "c", "new"), _scored(3))])
    assert len(cache) == 1


def test_overwritten_pages_are_detected_when_read(tmp_path, capfd):
    path = tmp_path / "scores.sqlite3"
    cache = ScoreCache(path)
    keys = [make_key("m", "c", str(i)) for i in range(3000)]
    cache.put_many((k, _scored(30)) for k in keys)
    cache.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with path.open("r+b") as f:  # scribble over the b-tree pages, header left intact
        f.seek(4096)
        f.write(os.urandom(path.stat().st_size - 8192))
    cache = ScoreCache(path)
    found = cache.get_many(keys)  # never raises; whatever survives is a valid row
    assert all(v == (_scored(30)[0], _float32(_scored(30)[1])) for v in found.values())
    cache.put_many([(keys[0], _scored(30))])
    assert keys[0] in cache.get_many([keys[0]])
    assert capfd.readouterr().err.count("\n") <= 1


def test_row_with_mismatched_blobs_is_a_miss(tmp_path):
    path = tmp_path / "scores.sqlite3"
    cache = ScoreCache(path)
    key = make_key("m", "c", "t")
    cache.put_many([(key, _scored(2))])
    cache.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE scores SET logprobs = x'00'")
    db.commit()
    db.close()
    assert ScoreCache(path).get_many([key]) == {}


def _writer(path: str, worker: int, count: int, queue) -> None:
    cache = ScoreCache(path)
    mine = [make_key("m", str(worker), str(i)) for i in range(count)]
    shared = [make_key("m", "shared", str(i)) for i in range(count)]
    for start in range(0, count, 25):
        batch = mine[start : start + 25] + shared[start : start + 25]
        cache.put_many((k, _scored(8)) for k in batch)
        cache.get_many(shared[: start + 25])
    queue.put((worker, len(cache.get_many(mine + shared))))


def test_two_processes_share_the_cache(tmp_path):
    path = str(tmp_path / "scores.sqlite3")
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_writer, args=(path, w, 400, queue)) for w in (1, 2)]
    for w in workers:
        w.start()
    results = dict(queue.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    assert results == {1: 800, 2: 800}
    assert len(ScoreCache(path)) == 1200


# --- the model cache -----------------------------------------------------------------------


def _fake_build(folder: Path) -> None:
    """A stand-in for de-quantizing the GGUF: a tiny cache with the real layout."""
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    for name in (lm_model.REFERENCE_WEIGHTS, lm_model.SCORING_WEIGHTS):
        save_file({"w": torch.arange(64, dtype=torch.float32)}, str(folder / name))
    (folder / "config.json").write_text("{}")
    sizes = {p.name: p.stat().st_size for p in folder.iterdir() if p.name != "manifest.json"}
    manifest = {"format": lm_model.FORMAT, "sizes": sizes}
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture
def fake_models(tmp_path, monkeypatch):
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    builds = []

    def build(folder, spec):
        builds.append(folder)
        _fake_build(folder)

    monkeypatch.setattr(lm_model, "_build_cache", build)
    monkeypatch.setattr(lm_model, "model_dir", lambda spec: tmp_path / "models" / "test-model")
    return builds


def test_model_cache_built_once_with_one_line(fake_models, capfd):
    """The first run is not silent while it builds (about 15 s): one line says so, once."""
    folder = lm_model.ensure_cache()
    assert lm_model.ensure_cache() == folder
    assert fake_models == [folder]
    assert capfd.readouterr().err == (
        f"auditor: building the language-model cache {folder} (once, about 15 s)\n"
    )


@pytest.mark.parametrize("damage", ["truncate", "header", "manifest", "missing"])
def test_damaged_model_cache_is_rebuilt_with_one_line(fake_models, capfd, damage):
    folder = lm_model.ensure_cache()
    capfd.readouterr()  # the line saying it is built
    weights = folder / lm_model.SCORING_WEIGHTS
    if damage == "truncate":
        weights.write_bytes(weights.read_bytes()[:-10])
    elif damage == "header":
        data = bytearray(weights.read_bytes())
        data[8:20] = b"\x00" * 12
        weights.write_bytes(bytes(data))
    elif damage == "manifest":
        (folder / "manifest.json").write_text("{not json")
    else:
        weights.unlink()
    assert lm_model._damage(folder) is not None
    assert lm_model.ensure_cache() == folder
    assert len(fake_models) == 2 and lm_model._damage(folder) is None
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "model cache" in err[0] and "rebuilding" in err[0]


def test_unloadable_weights_are_rebuilt_on_first_use(fake_models, monkeypatch, capfd):
    folder = lm_model.ensure_cache()
    model = lm_model.LanguageModel(folder)
    reads = []

    def read():
        reads.append(1)
        if len(reads) == 1:
            raise ValueError("bad tensor data")
        return "network"

    monkeypatch.setattr(model, "_read", read)
    assert model.network == "network" and model.network == "network"
    assert len(fake_models) == 2 and len(reads) == 2
    assert capfd.readouterr().err.count("rebuilding") == 1


# --- the scorer, with the real model ------------------------------------------------------


def _pairs(n: int) -> list[tuple[str, str]]:
    from auditor.ingest import read_paths
    from auditor.segment import segment

    pairs = []
    for doc in read_paths([str(SAMPLES)]):
        doc = segment(doc)
        for s in doc.sentences[3:]:
            pairs.append((doc.text[max(0, s.start - 300) : s.start].strip(), s.text))
    return pairs[:: max(1, len(pairs) // n)][:n]


@pytest.fixture(scope="module")
def loaded():
    model, tokenizer = lm_model.load()
    return model, tokenizer


@pytest.mark.lm
def test_bf16_scores_track_fp32(loaded):
    import statistics

    from auditor.lm.scorer import Scorer

    pairs = _pairs(6)
    fast = Scorer(*loaded, cache=False).score(pairs)
    exact = Scorer(*lm_model.load(precision="fp32"), cache=False).score(pairs)
    a = [x for s in fast for x in s.logprobs]
    b = [x for s in exact for x in s.logprobs]
    assert [s.offsets for s in fast] == [s.offsets for s in exact]
    assert statistics.correlation(a, b) >= 0.99
    assert statistics.fmean(abs(x - y) for x, y in zip(a, b, strict=True)) < 0.15


@pytest.mark.lm
def test_scores_depend_only_on_the_pair_and_come_back_from_cache(loaded, tmp_path):
    from auditor.lm.scorer import Scorer

    pairs = _pairs(4)
    cache = ScoreCache(tmp_path / "scores.sqlite3")
    scorer = Scorer(*loaded, cache=cache)
    together = scorer.score([pairs[0], pairs[1], pairs[0], pairs[2], pairs[1]])
    assert scorer.stats["computed"] == 3  # duplicates scored once
    alone = Scorer(*loaded, cache=False).score([pairs[2]])
    assert alone == [together[3]]  # batch mates change nothing, to the last bit
    again = Scorer(*loaded, cache=cache)
    assert again.score(pairs[:3]) == [together[0], together[1], together[3]]
    assert again.stats["computed"] == 0 and again.stats["cached"] == 3
    text = pairs[0][1]
    for tokens in together[0].offsets:
        assert 0 <= tokens[0] <= tokens[1] <= len(text)


@pytest.mark.lm
def test_long_text_is_scored_in_windows(loaded):
    from auditor.lm.scorer import Scorer

    context, text = _pairs(1)[0]
    whole = Scorer(*loaded, cache=False).score([(context, text)])[0]
    windowed = Scorer(*loaded, cache=False, window_tokens=8).score([(context, text)])[0]
    assert windowed.offsets == whole.offsets
    assert len(windowed.logprobs) == len(whole.logprobs) > 8
    # The same tokens before each position (the window's context reaches back 96 tokens);
    # only the matrix shapes differ, so the numbers agree to bf16 precision.
    assert max(abs(a - b) for a, b in zip(windowed.logprobs, whole.logprobs, strict=True)) < 0.5
    empty = Scorer(*loaded, cache=False).score([(context, "")])[0]
    assert empty.logprobs == () and empty.offsets == ()


@pytest.mark.lm
def test_two_concurrent_runs_on_one_cache_agree_with_a_single_run(tmp_path):
    """Two `auditor check` processes start together on an empty score cache (the model cache
    shared); both finish, and both reports equal a run that had the cache to itself."""
    lm_model.ensure_cache()
    real = lm_model.cache_root()
    shared, alone = tmp_path / "shared", tmp_path / "alone"
    for folder in (shared, alone):
        folder.mkdir()
        (folder / "models").symlink_to(real / "models")
    article = next(SAMPLES.glob("001-*.md"))

    def start(cache: Path, report: Path):
        env = {**os.environ, "AUDITOR_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
        return subprocess.Popen(
            [sys.executable, "-m", "auditor", "check", str(article), "--isolated", "--quiet",
             "--format", "json", "--output", str(report)],
            cwd=ROOT, env=env, stderr=subprocess.PIPE,
        )  # fmt: skip

    runs = [start(shared, tmp_path / f"r{i}.json") for i in (1, 2)]
    single = start(alone, tmp_path / "single.json")
    for run in [*runs, single]:
        _, err = run.communicate(timeout=900)
        assert run.returncode in (0, 1), err.decode()
    expected = (tmp_path / "single.json").read_bytes()
    assert (tmp_path / "r1.json").read_bytes() == expected
    assert (tmp_path / "r2.json").read_bytes() == expected
    assert len(ScoreCache(shared / "scores.sqlite3")) > 0


@pytest.mark.lm
def test_truncated_real_model_cache_is_rebuilt_and_scores_again(tmp_path, monkeypatch):
    """End to end, on a copy of the real cache: cut the scoring weights short; the next load
    says so in one line, rebuilds from the GGUF, and scores exactly as before."""
    import shutil

    from auditor.lm.scorer import Scorer

    pair = _pairs(1)[0]
    expected = Scorer(*lm_model.load(), cache=False).score([pair])
    real = lm_model.ensure_cache()
    copy = tmp_path / "models" / real.name
    shutil.copytree(real, copy)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    assert lm_model.model_dir(model_spec()) == copy
    weights = copy / lm_model.SCORING_WEIGHTS
    with weights.open("r+b") as f:
        f.truncate(weights.stat().st_size // 3)
    done = subprocess.run(
        [sys.executable, "-c",
         "from auditor.lm.model import load\n"
         "from auditor.lm.scorer import Scorer\n"
         "import sys, json\n"
         "pair = json.loads(sys.argv[1])\n"
         "print(json.dumps(Scorer(*load(), cache=False).score([pair])[0].logprobs))",
         json.dumps(pair)],
        cwd=ROOT, env={**os.environ, "AUDITOR_CACHE_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "model cache" in lines[0] and "rebuilding" in lines[0]
    assert tuple(json.loads(done.stdout)) == expected[0].logprobs
    assert lm_model._damage(copy) is None


def test_a_gguf_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    """The pinned SHA256 is checked before a GGUF file is used: other weights in the package
    are refused with one line naming the file."""
    import dataclasses

    from auditor.lm import SMOLLM2, ModelMissing

    with lm_model.gguf_file(SMOLLM2, tmp_path) as path:
        assert path.name == SMOLLM2.gguf  # the installed file matches its pin
    wrong = dataclasses.replace(SMOLLM2, sha256="0" * 64)
    with pytest.raises(ModelMissing, match=r"SHA256 b179c9523d0e6a0f\.\.\. is not the pinned"):
        with lm_model.gguf_file(wrong, tmp_path):
            pass
    missing = dataclasses.replace(SMOLLM2, package="no_such_model_package_here")
    with pytest.raises(ModelMissing, match="not installed"):
        with lm_model.gguf_file(missing, tmp_path):
            pass


def test_gemma_says_its_licence_when_first_set_up(fake_models, capfd):
    from auditor.lm import GEMMA3

    lm_model.ensure_cache(GEMMA3.name)
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Gemma Terms of Use" in err[0]
    lm_model.ensure_cache(GEMMA3.name)  # set up already: quiet
    assert capfd.readouterr().err == ""
