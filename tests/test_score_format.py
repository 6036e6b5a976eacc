"""One score formatting everywhere a person reads a score: rounded down to one decimal, so no
report shows 93.9 for an article (or corpus) another shows as 93.8, or a 97.0 that did not pass."""

from __future__ import annotations

import pytest
from report_helpers import NAME_RULE, article, context

from auditor.reporters import reporter_for
from auditor.reporters.charts import chart_title
from auditor.scoring import summarize

HUMAN_FORMATS = ("text", "markdown", "junit", "github")  # github: in the step summary


def _result_scoring(score: float):
    """An article whose score is ``score`` exactly: 100 words, one finding."""
    words = " ".join(["word"] * 99)
    result = article(f"Selenskyj {words}.", [(NAME_RULE, "Selenskyj", "off-style", ["Zelenskyy"])])
    result.words = 100
    result.penalty = round(100 - score, 2)  # the corpus score of this one article is ``score``
    result.score = score
    return result


@pytest.mark.parametrize("fmt", HUMAN_FORMATS)
def test_every_human_readable_format_floors_the_score(fmt, tmp_path, capsys, monkeypatch):
    summary_file = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    result = _result_scoring(93.86)
    reporter = reporter_for(fmt, context())
    reporter.add(result)
    reporter.finish()
    out = capsys.readouterr().out
    if fmt == "github":
        out = summary_file.read_text()
    assert "93.8" in out
    assert "93.9" not in out


def test_html_pages_floor_the_score(tmp_path):
    result = _result_scoring(96.97)
    reporter = reporter_for("html", context(output=tmp_path))
    reporter.add(result)
    reporter.finish()
    pages = "".join(p.read_text() for p in tmp_path.glob("**/*.html"))
    assert "96.9" in pages and "97.0" not in pages


def test_summary_chart_title_floors_the_corpus_score():
    results = [_result_scoring(93.86)]
    summary = summarize(results)
    assert summary.score == 93.86
    assert "corpus score 93.8," in chart_title(summary)


def test_gate_reason_floors_the_score():
    from auditor.config import load_config
    from auditor.scoring import gate_reasons

    result = _result_scoring(96.97)
    reasons = gate_reasons(result, load_config({"min_score": 97, "fail_on": "never"}, False))
    assert reasons == ["score 96.9 below the minimum 97 (min_score)"]
