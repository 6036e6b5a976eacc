"""HTML input: a finding's line and column point into the page as given, found by looking for
each extracted paragraph in the page's visible text; where a paragraph cannot be found, the
finding says it locates in the extracted text. Never a wrong position."""

from __future__ import annotations

import json

from auditor.ingest.html_source import source_offsets

PAGE = """<!doctype html>
<html><head><title>Talks in Berlin</title><style>p { color: red }</style></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Selenskyj proposes new talks</h1>
<p>The President of Ukraine, <b>Wolodymyr Selenskyj</b>, wants to talk to Russia about a
possible ceasefire in the coming week. The last round ended quickly in early June &amp; July.</p>
<p>Kremlin spokesman Dmitri Peskow welcomed the proposal. "This is a positive signal," said
Peskow. Russia had declared the willingness to continue the talks started in the spring.</p>
<p>Meanwhile, Russia reported other Ukrainian drone attacks on the capital and other regions.</p>
</article>
</body></html>
"""


def test_findings_point_into_the_page_as_given(run_cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    code, out, _ = run_cli("check", page, "--no-lm", "--isolated", "-f", "json")
    findings = json.loads(out)["documents"][0]["findings"]
    lines = PAGE.split("\n")
    assert {f["text"] for f in findings} >= {"Selenskyj", "Wolodymyr Selenskyj", "Dmitri Peskow"}
    for f in findings:
        assert f["line"] > 0 and not f.get("where")
        at = lines[f["line"] - 1][f["col"] - 1 :]
        # Markup inside the span is skipped, so compare the first word.
        assert at.startswith(f["text"].split()[0]), (f["text"], at[:40])
    assert [(f["line"], f["col"]) for f in findings if f["text"].endswith("Peskow")] == [
        (9, 22),
        (10, 1),
    ]


def test_entities_and_markup_keep_later_positions_exact():
    text = "A & B met Peskow"
    page = "<p>A &amp; <i>B</i> met Peskow</p>"
    offsets = source_offsets(page, text)
    assert page[offsets[text.index("Peskow")] :].startswith("Peskow")
    assert page[offsets[text.index("&")] :].startswith("&amp;")


def test_text_not_found_in_the_page_says_it_locates_in_the_extracted_text(tmp_path, monkeypatch):
    """What the extractor wrote differently from the page keeps no line: its findings name the
    paragraph of the extracted text instead."""
    from auditor.config import load_config
    from auditor.ingest import html_source, read_paths
    from auditor.pipeline import Auditor

    page = tmp_path / "page.html"
    page.write_text(PAGE)
    real = html_source.source_offsets

    def losing_the_second_paragraph(source, body):
        offsets = real(source, body)
        second = body.split("\n")[1]
        start = body.index(second)
        return offsets[:start] + [-1] * len(second) + offsets[start + len(second) :]

    monkeypatch.setattr(html_source, "source_offsets", losing_the_second_paragraph)
    (doc,) = read_paths([str(page)])
    result = Auditor(load_config({"lm": False}, use_files=False)).audit_document(doc)
    by_text = {f.text: f for f in result.findings}
    lost = by_text["Wolodymyr Selenskyj"]
    assert lost.line == 0 and lost.where == "paragraph 2 of the text extracted from the page"
    assert by_text["Selenskyj"].line == 6
