"""Feedback on long work: a bar with a total and an ETA on a terminal, plain lines for CI logs
(``--progress``), one line when a cache is built, one summary line when the report went to a
file."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

from conftest import ROOT

from auditor.progress import count_articles

ARTICLE = "The chancellor met the secretary general in Berlin on Tuesday.\n"


def _corpus(tmp_path, rows: int = 3):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": str(i), "text": ARTICLE}) + "\n" for i in range(rows))
    )
    (tmp_path / "a.md").write_text(ARTICLE)
    return corpus


def _run(cwd, *args, env=None, stderr=subprocess.PIPE):
    return subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def test_articles_are_counted_beforehand_for_the_total(tmp_path):
    corpus = _corpus(tmp_path, rows=5)
    assert count_articles([str(corpus), str(tmp_path / "a.md")]) == 6


def test_progress_lines_for_ci_logs_and_a_summary_line_when_the_report_goes_to_a_file(tmp_path):
    _corpus(tmp_path)
    done = _run(tmp_path, "check", "corpus.jsonl", "a.md", "--no-lm", "--isolated", "--progress",
                "-f", "json", "-o", "out.json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-2].startswith("auditor: 4/4 articles (100%), ") and "articles/min" in lines[-2]
    assert lines[-1] == (
        "auditor: 4 articles (4 pass), 0 findings, 0 errors, corpus score 100.0; report in out.json"
    )
    assert done.stdout == ""


def test_quiet_and_piped_runs_say_nothing(tmp_path):
    _corpus(tmp_path)
    done = _run(tmp_path, "check", "a.md", "--no-lm", "--isolated", "-q", "-o", "out.txt")
    assert done.returncode == 0 and done.stderr == ""


def test_a_terminal_gets_a_bar_with_a_total(tmp_path):
    _corpus(tmp_path)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    done = _run(tmp_path, "check", "corpus.jsonl", "a.md", "--no-lm", "--isolated", "-f", "json",
                stderr=follower)  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"auditing: 100%" in shown and b"4/4" in shown


def test_building_a_cache_says_so_once(tmp_path):
    (tmp_path / "a.md").write_text(ARTICLE)
    env = {"AUDITOR_CACHE_DIR": str(tmp_path / "cache")}
    first = _run(tmp_path, "check", "a.md", "--no-lm", "--isolated", "-q", env=env)
    assert first.stderr.count("auditor: building the word-frequency cache") == 1
    second = _run(tmp_path, "check", "a.md", "--no-lm", "--isolated", "-q", env=env)
    assert "building" not in second.stderr
