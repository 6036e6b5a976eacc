"""Tokens no reader would call words (links, data URIs, base64 runs, megabyte-long letter runs)
are blanked like code blocks: offsets kept, no finding on them, and no check's work or memory
grows with their length. Speed figures live in ``make bench`` (benchmarks/long_tokens.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import ROOT

from auditor.config import load_config
from auditor.document import Document
from auditor.ingest import read_paths
from auditor.pipeline import Auditor
from auditor.segment import blank_non_words
from benchmarks.long_tokens import base64_markdown, long_token_text


def test_links_data_uris_base64_and_overlong_runs_are_blanked_in_place():
    text = (
        "See https://example.com/a?b=1. Then www.vg.no/nyheter, and "
        "![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB=) and "
        + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx "
        + "x" * 70
        + " end."
    )
    blanked = blank_non_words(text)
    assert len(blanked) == len(text)
    for gone in ("https", "vg.no", "iVBOR", "QUJD", "xxx"):
        assert gone not in blanked
    # What ends the link is kept: the full stop, the comma, the bracket.
    assert re.search(r"See +\. Then +, and !\[x\]\( +\) and +end\.", blanked)


def test_real_words_compounds_slashes_and_cjk_are_kept():
    text = (
        "Donaudampfschifffahrtsgesellschaftskapitän, A/B tests, 1/2/3, Kyiv/Moscow, "
        "state-of-the-art, e-mail, 7,500.25 and 俄罗斯总统普京周二表示" * 3
    )
    assert blank_non_words(text) == text


def _audit(text: str, name: str = "x.txt"):
    config = load_config({"lm": False}, use_files=False)
    return Auditor(config).audit_document(Document(path=name, id="x", text=text))


def test_a_long_token_inside_a_sentence_is_no_word_and_no_finding():
    with_token = _audit(long_token_text(length=50_000))
    plain = _audit(long_token_text(length=5))
    assert with_token.words == plain.words - 1  # the token was one "word" in the plain text
    assert not [f for f in with_token.findings if len(f.text) > 200]


def test_markdown_base64_image_is_not_audited_as_words(tmp_path):
    path = tmp_path / "image.md"
    path.write_text(base64_markdown(image_bytes=60_000), encoding="utf-8")
    (doc,) = read_paths([str(path)])
    result = Auditor(load_config({"lm": False}, use_files=False)).audit_document(doc)
    assert result.words < 60
    assert not [f for f in result.findings if f.rule.startswith(("LEX", "UNT"))]
    assert result.source_lang in (None, "")


# Generous bound: the whole process, imports included, stays far under what one 30,000-character
# token took before (1.8 GB); a megabyte-long token must not move it.
PEAK_RSS_MB = 600


def test_peak_memory_does_not_grow_with_token_length():
    # A launcher runs the audit and reads its peak from wait4: a process started straight from
    # this test would carry the test process's own peak (Linux keeps it across fork and exec).
    script = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-m', 'auditor', *sys.argv[1:], '--no-lm',\n"
        "    '--isolated', '--quiet', '--format', 'json'], stdout=subprocess.DEVNULL)\n"
        "_, status, usage = os.wait4(child.pid, 0)\n"
        "assert os.waitstatus_to_exitcode(status) in (0, 1)\n"
        "print(usage.ru_maxrss // 1024)\n"
    )
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        for length in (1_000, 999_000):
            path = Path(tmp, f"t{length}.txt")
            path.write_text(long_token_text(length=length), encoding="utf-8")
            done = subprocess.run(
                [sys.executable, "-c", script, "check", str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            assert done.returncode in (0, 1), done.stderr
            peaks.append(int(done.stdout.strip().splitlines()[-1]))
    assert max(peaks) < PEAK_RSS_MB
    assert peaks[1] < peaks[0] + 100  # a megabyte of token: a few copies of its text at most
