"""Word and PDF inputs, written by the tests: read into paragraphs (PDF: pages and lines),
findings located by place in every format that shows a location, scans and broken files one
line each while the rest of the run goes on, and ``fix`` refusing both."""

from __future__ import annotations

import json

import pytest
from office_files import docx_bytes, pdf_bytes

ARTICLE = [
    "Selenskyj proposes new talks",
    "Copy the current link",
    "The President of Ukraine, Wolodymyr Selenskyj, wants to talk to Russia.",
    "Kremlin spokesman Dmitri Peskow welcomed the proposal.",
]


@pytest.fixture
def desk(tmp_path):
    (tmp_path / "story.docx").write_bytes(docx_bytes(ARTICLE, title="Talks"))
    (tmp_path / "story.pdf").write_bytes(pdf_bytes([ARTICLE[:3], ARTICLE[3:]]))
    return tmp_path


def _documents(run_cli, *args):
    code, out, err = run_cli("check", *args, "--no-lm", "--isolated", "-f", "json")
    return code, {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(out)["documents"]}, err


def test_word_file_findings_name_their_paragraph(run_cli, desk):
    code, docs, _ = _documents(run_cli, desk / "story.docx")
    doc = docs["story.docx"]
    assert code == 1 and doc["status"] == "ok" and doc["title"] == "Talks"
    found = {(f["rule"], f["text"], f["where"], f["line"]) for f in doc["findings"]}
    assert ("BOIL002", "Copy the current link", "paragraph 2", 0) in found
    assert ("NAME001", "Wolodymyr Selenskyj", "paragraph 3", 0) in found
    assert ("NAME001", "Dmitri Peskow", "paragraph 4", 0) in found


def test_pdf_findings_name_their_page_and_line(run_cli, desk):
    code, docs, _ = _documents(run_cli, desk / "story.pdf")
    found = {(f["rule"], f["text"], f["where"]) for f in docs["story.pdf"]["findings"]}
    assert ("BOIL002", "Copy the current link", "page 1, line 2") in found
    assert ("NAME001", "Dmitri Peskow", "page 2, line 1") in found


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("text", "story.pdf:page 2, line 1: NAME001"),
        ("markdown", "page 2, line 1: 'Dmitri Peskow'"),
        ("junit", "story.pdf:page 2, line 1: NAME001"),
        ("github", "title=NAME001 [minor] at page 2%2C line 1::"),
        ("gitlab", "(at page 2, line 1)"),
        ("sarif", '"name": "page 2, line 1"'),
        ("rdjson", "(at page 2, line 1)"),
        ("csv", '"page 2, line 1"'),
    ],
)
def test_every_format_that_shows_a_location_shows_the_place(run_cli, desk, fmt, shown):
    code, out, _ = run_cli("check", desk / "story.pdf", "--no-lm", "--isolated", "-f", fmt)
    assert shown in out


def test_html_report_shows_the_place(run_cli, desk, tmp_path):
    site = tmp_path / "site"
    run_cli("check", desk / "story.docx", "--no-lm", "--isolated", "-f", "html", "-o", site)
    assert "paragraph 4" in "".join(p.read_text() for p in site.glob("*.html"))


def test_a_scan_and_a_broken_word_file_are_one_line_each_and_the_rest_is_audited(run_cli, desk):
    (desk / "scan.pdf").write_bytes(pdf_bytes([[], []]))
    (desk / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip archive")
    code, docs, err = _documents(run_cli, desk)
    assert code == 2
    assert docs["story.docx"]["status"] == docs["story.pdf"]["status"] == "ok"
    lines = err.strip().splitlines()
    assert f"auditor: {desk / 'broken.docx'}: not a readable Word (.docx) file: " in err
    assert f"auditor: {desk / 'scan.pdf'}: the PDF has no text layer (a scan?): " in err
    assert len(lines) == 3 and lines[-1].startswith("auditor: gate failed: ")


def test_fix_refuses_word_and_pdf_files_with_one_line(run_cli, desk):
    before = (desk / "story.docx").read_bytes(), (desk / "story.pdf").read_bytes()
    code, _, err = run_cli("fix", desk / "story.docx", desk / "story.pdf", "--write")
    assert code == 2
    assert err.count("cannot fix") == 2 and err.count(": cannot fix .") == 2
    assert ((desk / "story.docx").read_bytes(), (desk / "story.pdf").read_bytes()) == before
