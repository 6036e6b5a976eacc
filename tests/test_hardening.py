"""Hardening: interrupted and resumed corpus runs, huge inputs, streaming, limits."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import ROOT

from auditor.checks import Check
from auditor.config import load_config
from auditor.document import Document
from auditor.ingest import read_bytes, read_paths
from auditor.pipeline import Auditor
from auditor.rules import Family, Rule
from benchmarks.corpus_memory import sample_paragraphs

FAST = ["--no-lm", "--isolated", "--select", "BOIL,ENC", "--quiet"]


def write_corpus(path: Path, articles: int, seed: int = 7) -> None:
    """Articles stitched from the samples' paragraphs, a few with broken characters, and two
    bad rows, so the results hold findings and error records."""
    rng = random.Random(seed)
    blocks = sample_paragraphs()
    with path.open("w", encoding="utf-8") as f:
        for i in range(articles):
            text = "\n\n".join(rng.sample(blocks, 5))
            if i % 7 == 0:
                text = text.replace("Kyiv", "Ky\u0456v").replace("Zelensky", "Zelen\u200bsky")
            f.write(json.dumps({"id": f"a{i:05d}", "text": text}, ensure_ascii=False) + "\n")
            if i == articles // 3:
                f.write("{not json\n")
            if i == articles // 2:
                f.write(json.dumps({"id": "empty", "text": ""}) + "\n")


def auditor_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "auditor", "check", *map(str, args)]


def run(*args, check_rc=(0, 1, 2)) -> subprocess.CompletedProcess:
    done = subprocess.run(auditor_cmd(*args), capture_output=True, text=True, cwd=ROOT)
    assert done.returncode in check_rc, done.stderr
    return done


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _ctrl_c_as_at_a_terminal() -> None:
    """A suite started as a background job (``make test &`` in a script) ignores SIGINT, the
    child inherits that, and Python then never turns SIGINT into KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_and_kill(args, partial: Path, after_lines: int, sig=signal.SIGKILL) -> int:
    """Start a run, kill it once ``partial`` holds ``after_lines`` records; its exit code."""
    proc = subprocess.Popen(
        auditor_cmd(*args),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )
    deadline = time.monotonic() + 120
    while lines_in(partial) < after_lines and proc.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)
    proc.send_signal(sig)
    return proc.wait()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    write_corpus(path, 1500)
    return path


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory) -> tuple[bytes, int]:
    out = tmp_path_factory.mktemp("full") / "results.jsonl"
    done = run(corpus, *FAST, "--format", "jsonl", "--output", out)
    return out.read_bytes(), done.returncode


def test_killed_run_resumed_equals_uninterrupted_run(corpus, uninterrupted, tmp_path):
    out = tmp_path / "results.jsonl"
    partial = tmp_path / ".results.jsonl.partial"
    args = [corpus, *FAST, "--format", "jsonl", "--output", out, "--batch-size", "8"]
    assert start_and_kill(args, partial, 300) == -signal.SIGKILL
    assert not out.exists(), "a killed run must not leave a report"
    finished = lines_in(partial)
    assert 300 <= finished < 1500

    # Killed again while resuming: the records of both attempts survive.
    assert start_and_kill([*args, "--resume"], partial, finished + 200) == -signal.SIGKILL
    assert not out.exists()

    done = run(*args, "--resume")
    full, code = uninterrupted
    assert out.read_bytes() == full
    assert done.returncode == code == 2  # the two bad rows are input errors in both runs
    reused = int(done.stderr.split("resumed: ")[1].split()[0])
    assert reused >= finished + 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl"]


def test_resume_of_a_complete_run_audits_nothing_new(corpus, uninterrupted, tmp_path):
    out = tmp_path / "results.jsonl"
    out.write_bytes(uninterrupted[0])
    done = run(corpus, *FAST, "--format", "jsonl", "--output", out, "--resume")
    assert out.read_bytes() == uninterrupted[0]
    assert "resumed: 1502 finished article(s)" in done.stderr  # 1500 articles, 2 bad rows


def test_resume_refuses_results_of_another_configuration(corpus, tmp_path):
    out = tmp_path / "results.jsonl"
    run(corpus, *FAST, "--format", "jsonl", "--output", out)
    done = run(
        corpus,
        *FAST,
        "--ignore",
        "BOIL001",
        "--format",
        "jsonl",
        "--output",
        out,
        "--resume",
        check_rc=(2,),
    )
    assert "another configuration" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_resume_needs_a_jsonl_results_file(corpus, tmp_path):
    done = run(
        corpus,
        *FAST,
        "--format",
        "json",
        "--output",
        tmp_path / "a.json",
        "--resume",
        check_rc=(2,),
    )
    assert "--resume needs --format jsonl (or results)" in done.stderr


@pytest.mark.parametrize(
    ("fmt", "sig"), [("json", signal.SIGTERM), ("text", signal.SIGINT), ("jsonl", signal.SIGTERM)]
)
def test_interrupted_run_leaves_the_old_report_whole(corpus, tmp_path, fmt, sig):
    out = tmp_path / f"report.{fmt}"
    out.write_text("the previous report\n")
    partial = tmp_path / f".report.{fmt}.partial"
    # The corpus comes through a pipe that is never closed, so the run cannot finish before
    # the signal: it audits the first part and waits for more.
    proc = subprocess.Popen(
        auditor_cmd("--stdin", "--stdin-filename", "c.jsonl", *FAST, "--format", fmt, "-o", out),
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )
    proc.stdin.write(corpus.read_bytes()[: 3 * 2**20 // 2])
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        temporary = [p for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")]
        if fmt == "json" or (temporary and temporary[0].stat().st_size > 0):
            break  # json writes nothing before the end; text and jsonl stream
        time.sleep(0.01)
    time.sleep(1)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode in (130, 143, -sig), err
    assert out.read_text() == "the previous report\n"
    left = sorted(p.name for p in tmp_path.iterdir())
    # Only a jsonl run keeps its finished records, for --resume.
    assert left == sorted([out.name, partial.name] if fmt == "jsonl" else [out.name]), err
    if fmt == "jsonl":
        assert lines_in(partial) > 0


def test_streamed_corpus_memory_is_bounded_by_rows_not_size(tmp_path):
    path = tmp_path / "big.jsonl"
    row = json.dumps({"text": "The talks resumed in Kyiv on Monday. " * 100}) + "\n"
    with path.open("w") as f:
        for i in range(50 * 2**20 // len(row) + 1):
            f.write(row.replace('{"text"', f'{{"id": "{i}", "text"', 1))
    assert path.stat().st_size > 50 * 2**20
    tracemalloc.start()
    count = sum(1 for _ in read_paths([str(path)]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count > 10_000
    assert peak < 8 * 2**20, f"ingest held {peak / 2**20:.0f} MiB of a 50 MiB corpus"


def test_50_mb_article_is_cut_with_a_finding(tmp_path):
    path = tmp_path / "huge.txt"
    paragraph = "Officials in Kyiv said the talks would resume after the summit.\n\n"
    path.write_text(paragraph * (50 * 2**20 // len(paragraph) + 1))
    auditor = Auditor(load_config({"lm": False, "select": ["BOIL", "ENC", "LIM"]}, use_files=False))
    [result] = auditor.audit(read_paths([str(path)]))
    cut = [f for f in result.findings if f.rule == "LIM001"]
    assert len(cut) == 1 and cut[0].start == cut[0].end == len(result.text)
    assert len(result.text) <= 1_000_000
    assert cut[0].line == result.text.count("\n") + 1
    assert cut[0].evidence["original_chars"] == path.stat().st_size


def test_huge_tokens_and_lines_are_audited(tmp_path):
    text = (
        "Kyіv "
        + "x" * 300_000
        + " end.\n\n"
        + "The talks resumed in Berlin on Monday. " * 20_000
        + "\n\n"
        + "." * 100_000
        + "x\n\n"
        + "[" * 50_000
        + "\n"
    )
    path = tmp_path / "huge.md"
    path.write_text(text)
    # Every non-LM check runs; one too slow on this input loses its findings to the budget.
    config = load_config({"lm": False, "max_chars": 2_000_000, "time_budget": 3}, use_files=False)
    [result] = Auditor(config).audit(read_paths([str(path)]))
    assert result.status == "ok"
    for f in result.findings:
        assert f.text == result.text[f.start : f.end]
        if f.rule == "LIM002":
            assert f.start == f.end == 0 and f.evidence["budget_seconds"] == 3
    assert any(f.rule == "ENC002" and f.text == "Kyіv" for f in result.findings)


def test_max_chars_and_time_budget_are_configurable(tmp_path, run_cli):
    path = tmp_path / "a.txt"
    path.write_text("".join(f"The talks resumed in Berlin on day {i}.\n" for i in range(100)))
    out = tmp_path / "r.json"
    code, _, err = run_cli(
        "check",
        path,
        "--no-lm",
        "--isolated",
        "--select",
        "BOIL,ENC,LIM",
        "--max-chars",
        "200",
        "--time-budget",
        "5",
        "--format",
        "json",
        "--output",
        out,
    )
    assert code == 0, err  # LIM001 is a warning (minor): the gate holds
    [doc] = json.loads(out.read_text())["documents"]
    assert [f["rule"] for f in doc["findings"]] == ["LIM001"]
    assert "cut at 189 of 3,890 characters" in doc["findings"][0]["message"]
    code, _, err = run_cli("check", path, "--isolated", "--max-chars", "0")
    assert code == 2 and "max_chars" in err


class _Backtracking(Check):
    """A check with a regular expression that backtracks exponentially on some input, and
    that swallows every Exception, as careless checks do."""

    family = Family(
        "TST",
        "backtracking",
        "test",
        (Rule("TST001", "backtracking", "test", "Other", "minor", "test"),),
    )

    def check(self, doc, prior=()):
        import re

        try:
            if re.search(r"(\w+\s?)+$", doc.text):
                return [doc.finding(self.rules[0], 0, 1, "matched")]
        except Exception:
            pass
        return []


def test_time_budget_stops_a_pathological_check():
    config = load_config(
        {"lm": False, "select": ["ENC", "TST", "LIM"], "time_budget": 0.5}, use_files=False
    )
    auditor = Auditor(config)
    auditor.checks.append(_Backtracking(config, auditor.resources))
    docs = [
        Document(path="fine.txt", id="fine", text="Talks resumed in Kyіv"),
        Document(path="bad.txt", id="bad", text="Talks resumed in Kyіv " + "a" * 40 + "!"),
        Document(path="fine2.txt", id="fine2", text="Officials met"),
    ]
    fine, bad, fine2 = auditor.audit(docs)
    assert sorted(f.rule for f in fine.findings) == ["ENC002", "TST001"]
    assert [f.rule for f in fine2.findings] == ["TST001"]
    # The budget cut only the backtracking check, only on the bad article.
    assert sorted(f.rule for f in bad.findings) == ["ENC002", "LIM002"]
    [over] = [f for f in bad.findings if f.rule == "LIM002"]
    assert "backtracking check ran out of its time budget" in over.message
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


def test_lone_surrogates_in_json_become_replacement_characters():
    data = b'{"id": "x\\udc80", "text": "Schr\\ud800der met officials.", "title": "\\udfff"}\n'
    [doc] = read_bytes(data, "corpus.jsonl")
    assert doc.text == "Schr\ufffdder met officials." and doc.id == "x\ufffd"
    auditor = Auditor(load_config({"lm": False, "select": ["ENC"]}, use_files=False))
    [result] = auditor.audit([doc])
    assert [f.rule for f in result.findings] == ["ENC004"]


def test_corpus_rows_longer_than_a_line_limit_and_bad_bytes(tmp_path):
    path = tmp_path / "c.jsonl"
    good = json.dumps({"id": "ok", "text": "Talks resumed. " * 80_000}).encode()
    # The first MiB decides the encoding (UTF-8); bytes further on that are not UTF-8 become
    # U+FFFD (which ENC004 reports) rather than failing the corpus.
    path.write_bytes(
        good
        + b"\n"
        + b'{"id": "bad", "text": "Caf\xe9 \xed\xa0\x80"}\n'
        + b"[" * 100_000
        + b"\n"
        + good.replace(b'"ok"', b'"ok2"')
        + b"\n"
    )
    items = list(read_paths([str(path)]))
    assert [getattr(i, "id", None) or i.reason for i in items] == [
        "ok",
        "bad",
        "invalid JSON: nested too deeply",
        "ok2",
    ]
    assert items[1].text == "Caf\ufffd \ufffd\ufffd\ufffd"


def test_csv_corpus_with_an_article_longer_than_the_csv_field_limit(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('id,text\na,"' + "Talks resumed in Kyiv. " * 10_000 + '"\n')
    [doc] = read_paths([str(path)])
    assert len(doc.text) == 230_000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX")
def test_stdin_corpus_is_streamed(corpus):
    with corpus.open("rb") as f:
        done = subprocess.run(
            auditor_cmd("--stdin", "--stdin-filename", "c.jsonl", *FAST, "--format", "jsonl"),
            stdin=f,
            capture_output=True,
            cwd=ROOT,
        )
    assert done.returncode == 2  # two bad rows
    assert done.stdout.count(b"\n") == 1502


class _Fragile(Check):
    """A check with a bug that only some input reaches."""

    family = Family(
        "TST", "fragile", "test", (Rule("TST002", "fragile", "test", "Other", "minor", "test"),)
    )

    def check(self, doc, prior=()):
        if "\u202e" in doc.text:
            raise IndexError("string index out of range")
        return [doc.finding(self.rules[0], 0, 1, "seen")]


def test_a_check_failing_on_one_article_does_not_stop_the_run():
    config = load_config({"lm": False, "select": ["ENC", "TST", "LIM"]}, use_files=False)
    auditor = Auditor(config)
    auditor.checks.append(_Fragile(config, auditor.resources))
    docs = [
        Document(path=f"{i}.txt", id=str(i), text=t)
        for i, t in enumerate(["Talks resumed.", "Talks \u202eresumed.", "Officials met."])
    ]
    first, broken, last = auditor.audit(docs)
    assert [f.rule for f in first.findings] == [f.rule for f in last.findings] == ["TST002"]
    assert sorted(f.rule for f in broken.findings) == ["ENC001", "LIM003"]
    [failed] = [f for f in broken.findings if f.rule == "LIM003"]
    assert failed.severity == "major" and "IndexError: string index out of range" in failed.message
