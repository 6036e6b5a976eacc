"""Triage for editors: the sentences to read first. Chosen from the fluency score, carried in the
results (so ``auditor report`` rebuilds them), shown in the text and HTML reports, and never a
finding or a change to the score."""

from __future__ import annotations

import html
import json

import pytest
from conftest import sample
from report_helpers import article, context

from auditor.fluency.triage import MOST, read_first
from auditor.ingest import read_paths
from auditor.reporters.html import article_page
from auditor.reporters.text import TextReporter

STERN = next(iter(read_paths([str(sample("003"))]))).text


def test_a_tenth_of_the_sentences_most_likely_first_ties_in_reading_order():
    scored = [(float(i % 4), i * 10, i * 10 + 5) for i in range(12)]  # scores 0 1 2 3 0 1 2 3 ...
    assert read_first(scored) == [(3.0, 30, 35), (3.0, 70, 75)]  # ceil(1.2) = 2
    assert len(read_first([(1.0, i, i + 1) for i in range(200)])) == MOST
    assert read_first([(9.0, 0, 5)] * 4) == []  # a short article is read whole anyway


def _with_read_first(sentences: list[str]):
    result = article(STERN, [], path="desk/stern.md")
    entries = []
    for n, sentence in enumerate(sentences):
        start = STERN.index(sentence)
        line = STERN.count("\n", 0, start) + 1
        entries.append({"start": start, "end": start + len(sentence), "line": line, "col": 1,
                        "score": 5.0 - n})  # fmt: skip
    result.extra["read_first"] = entries
    return result


FIRST = "The Ukrainian President had asked Umjerow"
SECOND = "In spring, Ukraine and Russia resumed"


def _sentence_from(prefix: str) -> str:
    start = STERN.index(prefix)
    return STERN[start : STERN.index(".", start) + 1]


def test_text_report_lists_the_sentences_to_read_first_after_the_summary():
    result = _with_read_first([_sentence_from(FIRST), _sentence_from(SECOND)])
    reporter = TextReporter(context())
    text = reporter.render_article(result)
    lines = text.splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("desk/stern.md: "))
    shown = [line for line in lines if line.startswith("  read first: ")]
    assert len(shown) == 2 and lines.index(shown[0]) > summary
    line = STERN.count("\n", 0, STERN.index(FIRST)) + 1
    assert shown[0].startswith(f"  read first: line {line} “{FIRST}")
    assert "0 findings" in lines[summary] and result.findings == []


def test_html_report_shows_a_read_first_section_escaped():
    sentence = _sentence_from(FIRST)
    result = _with_read_first([sentence])
    page = article_page(result, context(), "desk/stern.md", None)
    assert '<section class="read-first"' in page and "<h2>Read these first</h2>" in page
    assert html.escape(sentence) in page
    assert "not findings" in page
    without = article_page(article(STERN, [], path="desk/stern.md"), context(), "x.md", None)
    assert "read-first" not in without.split("</style>")[-1]


def test_results_with_read_first_outside_the_text_are_refused(run_cli, tmp_path):
    result = _with_read_first([_sentence_from(FIRST)])
    good = {"signature": "auditor:test", **result.to_dict(with_text=True)}
    outside = json.loads(json.dumps(good))
    outside["extra"]["read_first"][0]["end"] = 10**9
    broken = json.loads(json.dumps(good))
    broken["extra"]["read_first"] = [{"start": "0"}]
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in (good, outside, broken)))
    code, out, err = run_cli("report", path, "--format", "text", "--color", "never")
    assert code == 2
    assert f"{path}:2: a read_first sentence lies outside the article text" in err
    assert f"{path}:3: read_first must be a list" in err
    assert out.count("read first: line") == 1


@pytest.mark.lm
def test_the_fluency_check_ranks_sentences_to_read_first(tmp_path, run_cli):
    """A real audit: the sentences come back in the results, inside the text, most likely
    first, and `auditor report` shows them again."""
    results = tmp_path / "results.jsonl"
    code, _, err = run_cli("check", sample("003"), "--isolated", "-q", "--select", "FLU",
                           "--format", "results", "--output", results)  # fmt: skip
    assert code in (0, 1), err
    (row,) = [json.loads(line) for line in results.read_text().splitlines()]
    entries = row["extra"]["read_first"]
    assert 1 <= len(entries) <= MOST
    assert [e["score"] for e in entries] == sorted((e["score"] for e in entries), reverse=True)
    assert all(0 <= e["start"] < e["end"] <= len(row["text"]) for e in entries)
    code, out, _ = run_cli("report", results, "--format", "text", "--color", "never")
    assert out.count("read first: line") == len(entries)


def test_triage_lift_counts_the_top_tenth_of_each_article():
    from auditor.fluency.mqm import triage_lift

    # two articles of 10 sentences: one Major error each, in the longest / the most surprising
    articles = ["a"] * 10 + ["b"] * 10
    major = [k in (3, 17) for k in range(20)]
    length = [10.0] * 20
    length[3] = length[12] = 99.0  # the longest sentence of b holds no error
    surprise = [float(k == 3 or k == 17) for k in range(20)]
    lift = triage_lift(articles, major, {"length": length, "score": surprise})
    assert lift == {"random order": 0.1, "length": 0.5, "score": 1.0}
