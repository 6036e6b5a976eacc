"""Checks that do not depend on line breaks: each sample flattened onto one line, as a text file
and as a JSONL row, keeps at least 90% of the findings (same rule, same text) of the file with
its line breaks, with and without the language model."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from conftest import SAMPLES

from auditor.config import load_config
from auditor.debris import MAX_SENTENCES, MAX_WORDS
from auditor.document import Document
from auditor.ingest import read_paths
from auditor.ingest.markdown import split_front_matter
from auditor.pipeline import Auditor
from auditor.segment import segment

LINE_BREAKS = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
SAMPLE_PATHS = sorted(SAMPLES.glob("*.md"))


def flatten(text: str) -> str:
    """Lines joined by one space, as scrapers and copy-paste join them."""
    return LINE_BREAKS.sub(" ", text).strip()


def _key(finding) -> tuple[str, str]:
    return finding.rule, flatten(finding.text)


def _flattened_inputs(path, tmp_path):
    raw = path.read_text(encoding="utf-8")
    meta, body_start = split_front_matter(raw)
    flat = flatten(raw[body_start:])
    as_text = tmp_path / f"{path.stem}.txt"
    as_text.write_text(flat, encoding="utf-8")
    row = {"id": path.stem, "text": flat}
    row.update({k: str(meta[k]) for k in ("title", "source_lang", "outlet") if k in meta})
    as_row = tmp_path / f"{path.stem}.jsonl"
    as_row.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return as_text, as_row


def _kept_share(path, tmp_path, lm: bool) -> list[tuple[str, float, Counter]]:
    auditor = Auditor(load_config({"lm": None if lm else False}, use_files=False))
    as_text, as_row = _flattened_inputs(path, tmp_path)
    (original, text, row) = auditor.audit(read_paths([str(path), str(as_text), str(as_row)]))
    expected = Counter(_key(f) for f in original.findings)
    assert expected, f"{path.name} has no findings to keep"
    shares = []
    for name, result in (("txt", text), ("jsonl", row)):
        got = Counter(_key(f) for f in result.findings)
        shares.append(
            (name, sum((expected & got).values()) / sum(expected.values()), expected - got)
        )
    return shares


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name[:3])
def test_flattened_sample_keeps_its_findings(path, tmp_path):
    for name, share, lost in _kept_share(path, tmp_path, lm=False):
        assert share >= 0.9, f"{path.name} as one-line {name}: {share:.0%} kept, lost {lost}"


@pytest.mark.lm
@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name[:3])
def test_flattened_sample_keeps_its_findings_with_the_language_model(path, tmp_path):
    for name, share, lost in _kept_share(path, tmp_path, lm=True):
        assert share >= 0.9, f"{path.name} as one-line {name}: {share:.0%} kept, lost {lost}"


def test_debris_inside_a_line_is_found_piece_by_piece():
    text = (
        "Russian attack war Selenskyj proposes new talks Copy the current link Add to the "
        "memorial list The President of Ukraine wants to talk to Russia. Russia rejects the "
        "allegations. Dpa nik Source: Stern I have been working in the news industry for over "
        "6 years. My work has appeared in major newspapers."
    )
    config = load_config({"select": ["BOIL"], "lm": False}, use_files=False)
    result = Auditor(config).audit_document(Document("x.txt", "x", text))
    assert [(f.rule, f.text) for f in result.findings] == [
        ("BOIL002", "Copy the current link"),
        ("BOIL002", "Add to the memorial list"),
        ("BOIL006", "Dpa"),
        ("BOIL006", "nik"),
        ("BOIL006", "Source: Stern"),
        (
            "BOIL003",
            "I have been working in the news industry for over 6 years. My work has appeared "
            "in major newspapers.",
        ),
    ]


def test_no_boilerplate_finding_covers_more_than_a_few_sentences():
    """A biography pattern matching the opening sentence of a one-line article once covered
    all of it (sample 003 flattened: one BOIL003, PASS 99.3)."""
    body = " ".join(
        f"Officials met in Berlin on day {n} and said the talks would go on." for n in range(60)
    )
    text = f"He has worked as a reporter since 2001 and said the talks went well. {body}"
    config = load_config({"select": ["BOIL"], "lm": False}, use_files=False)
    result = Auditor(config).audit_document(Document("x.txt", "x", text))
    doc = segment(Document("x.txt", "x", text))
    for f in result.findings:
        inside = [s for s in doc.sentences if f.start <= s.start < f.end]
        assert len(inside) <= MAX_SENTENCES
        assert len(re.findall(r"\w+", f.text)) <= MAX_WORDS


def test_one_line_headlines_and_cut_fragments_become_their_own_blocks():
    text = (
        "Russia Makes Demands for Ceasefire in Ukraine The first round of talks has ended. "
        "Putin spoke. throws in front. : NATO chief calls on Putin to end the war. "
        "Read also VG reports from Ukraine: We are ready for war for the children Avoid "
        "conflict Stoltenberg said NATO wants to avoid a war."
    )
    doc = segment(Document("x.txt", "x", text))
    starts = [text[p.start : p.end][:25] for p in doc.paragraphs]
    assert starts == [
        "Russia Makes Demands for ",
        "The first round of talks ",
        "throws in front.",
        ": NATO chief calls on Put",
        "Avoid conflict Stoltenber",
    ]
    assert doc.sentences[0].is_headline


def test_names_and_title_case_do_not_split_sentences():
    for text in (
        "The ministry said former President Trump met Foreign Minister Lavrov in The Hague.",
        "Bono and The Edge visited the International Criminal Court on Monday.",
        "Biden Meets With Refugees In Poland",
    ):
        doc = segment(Document("x.txt", "x", text))
        assert len(doc.sentences) == 1, [s.text for s in doc.sentences]
