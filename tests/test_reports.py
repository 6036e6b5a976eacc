"""Scoring and the reports for editors and QA teams: text, Markdown, HTML, CSV, summary chart,
raw results and ``auditor report`` rebuilding them byte for byte."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLES, sample
from report_helpers import (
    BOIL_RULE,
    CRIT_RULE,
    FLU_RULE,
    LEX_RULE,
    NAME_RULE,
    article,
    audit_file,
    config,
    context,
)

from auditor.ingest import read_paths
from auditor.reporters.csv import CsvReporter, articles_frame, findings_frame, safe_cell
from auditor.reporters.html import HtmlReporter, article_page, safe
from auditor.reporters.markdown import MarkdownReporter, md
from auditor.reporters.text import TextReporter, cells, visible
from auditor.scoring import format_score, penalty_of, summarize

PAYLOAD = (
    "Officials said <script>document.body.setAttribute('data-xss','script')</script> nothing. "
    "See <img src=x onerror=\"document.body.setAttribute('data-xss','img')\"> and "
    "[the memo](javascript:document.body.setAttribute('data-xss','link')) or "
    '<a href="javascript:alert(1)">this link</a> & more.'
)


def sample_text(prefix: str) -> str:
    (doc,) = read_paths([str(sample(prefix))])
    return doc.text


STERN = sample_text("003")


def line_col(text: str, needle: str) -> str:
    at = text.index(needle)
    return f"{text.count(chr(10), 0, at) + 1}:{at - text.rfind(chr(10), 0, at)}"


# --- scoring -----------------------------------------------------------------------------------


def test_penalty_sums_severities_and_weighs_statistical_findings_by_confidence():
    result = article(
        STERN,
        [
            (NAME_RULE, "Selenskyj", "off-style spelling", ["Zelenskyy"]),  # major: 5
            (LEX_RULE, "Deforted", "not a word", ["Deported"]),  # major: 5
            (FLU_RULE, "Moscow War of Agency", "garbled span", [], 0.4),  # statistical: 5 x 0.4
        ],
    )
    assert penalty_of(result) == pytest.approx(12.0)
    assert result.penalty == pytest.approx(12.0)
    words = result.words
    assert result.score == pytest.approx(round(100 * (1 - 12.0 / words), 2))
    assert result.extra["penalty_per_1000_words"] == pytest.approx(round(12000 / words, 2))


def test_verdict_follows_the_configured_thresholds():
    marks = [(NAME_RULE, "Selenskyj", "off-style", ["Zelenskyy"])]  # 5 in 714 words: 99.30
    lenient = article(STERN, marks, cfg=config(pass_score=99.0, review_score=95.0))
    assert lenient.score > 99 and lenient.verdict == "pass"
    strict = article(STERN, marks, cfg=config(pass_score=99.9, review_score=99.0))
    assert strict.verdict == "review"
    assert "below the pass mark 99.9" in strict.extra["verdict_reason"]
    harsh = article(STERN, marks, cfg=config(pass_score=100.0, review_score=99.5))
    assert harsh.verdict == "fail" and "below the review mark 99.5" in harsh.extra["verdict_reason"]


def test_any_critical_finding_fails_a_long_clean_article():
    result = article(STERN, [(CRIT_RULE, "Juni", "untranslated month")])
    assert result.score > 95  # one critical in 700 words costs only 25 points of penalty
    assert result.verdict == "fail"
    assert (
        "critical" in result.extra["verdict_reason"] and "UNT009" in result.extra["verdict_reason"]
    )


def test_small_samples_are_stated():
    short = "Kremlin spokesman Dmitri Peskow welcomes the talks. Selenskyj said so on Monday."
    result = article(short, [(NAME_RULE, "Peskow", "variant", ["Peskov"])])
    assert result.words < 300 and result.score < 90  # one major in 12 words
    assert any(n.startswith("small sample: 12 target words") for n in result.notes)
    assert not article(STERN, []).notes
    custom = article(short, [], cfg=config(small_sample_words=5))
    assert not custom.notes


def test_shown_scores_never_round_up_past_a_threshold():
    assert format_score(96.97) == "96.9"
    assert format_score(97.0) == "97.0"
    assert format_score(100.0) == "100.0"
    assert format_score(None) == "-"


def test_corpus_summary_weighs_articles_by_words():
    a = article(STERN, [(NAME_RULE, "Selenskyj", "x")])
    b = article("Peskow spoke. " * 5, [(NAME_RULE, "Peskow", "x")])
    summary = summarize([a, b])
    assert summary.words == a.words + b.words and summary.penalty == 10
    assert summary.score == pytest.approx(round(100 * (1 - 10 / summary.words), 2))
    assert summary.verdicts["pass"] + summary.verdicts["fail"] == 2


# --- text --------------------------------------------------------------------------------------


def render_text(results, **ctx_args) -> str:
    out = io.StringIO()
    reporter = TextReporter(context(**ctx_args))
    reporter._write = out.write  # capture instead of stdout
    for r in results:
        reporter.add(r)
    reporter.finish()
    return out.getvalue()


def test_text_shows_findings_in_reading_order_in_their_sentence_with_carets():
    result = article(
        STERN,
        [
            (LEX_RULE, "Deforted", '"Deforted" is not an English word', ["Deported", "Deformed"]),
            (NAME_RULE, "Kiev", "AP style spells it Kyiv", ["Kyiv"]),
            (BOIL_RULE, "Copy the current link", "share control", [""]),
        ],
        path="desk/stern.md",
    )
    text = render_text([result])
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("desk/stern.md:")]
    assert [lines[i].split()[1] for i in heads[:3]] == ["BOIL002", "NAME001", "LEX001"]
    kiev = lines[heads[1] :]
    assert kiev[0].startswith(f"desk/stern.md:{line_col(STERN, 'Kiev')}: ")
    excerpt, carets = kiev[1], kiev[2]
    assert "had confirmed that he had received Kiev’s proposal for a meeting." in excerpt
    assert excerpt.index("Kiev") == carets.index("^") and carets.endswith(" ^^^^")
    assert kiev[3] == "    = suggestion: replace with 'Kyiv'"
    lex = lines[heads[2] :]
    assert lex[3] == "    = suggestion: replace with 'Deported' (or 'Deformed')"
    assert lines[heads[0] + 3] == "    = suggestion: delete it"
    summary = next(line for line in lines if line.startswith("desk/stern.md: "))
    assert summary.startswith("desk/stern.md: PASS score 97.9, 3 findings (3 major), ")
    assert "714 target words, penalty 15.0 (21.0 per 1,000 words)" in summary
    assert lines[-1].startswith("signature: auditor:test")
    assert "1 article (1 pass), 3 findings, 0 errors; corpus score 97.9" in text


def test_text_paints_the_span_only_when_asked():
    result = article(STERN, [(NAME_RULE, "Kiev", "style", ["Kyiv"])])
    assert "\033[" not in render_text([result])
    ctx_text = io.StringIO()
    reporter = TextReporter(context())
    reporter.ctx.color = True
    reporter._write = ctx_text.write
    reporter.add(result)
    assert "\033[4m\033[31mKiev\033[0m" in ctx_text.getvalue()


def test_text_neutralises_terminal_escapes_and_aligns_wide_characters():
    hostile = "Intro. 東京の記者 \x1b[2J\x1b[31mred\u202e Selenskyj said so."
    result = article(hostile, [(NAME_RULE, "Selenskyj", "variant \x1b]0;title\x07", ["Z"])])
    text = render_text([result])
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\u001b[2J" in text and "\\u202e" in text
    excerpt, carets = [line for line in text.splitlines() if line.startswith("    | ")][:2]
    # Carets sit under the span in terminal cells: each CJK character takes two.
    assert cells(excerpt[: excerpt.index("Selenskyj")]) == carets.index("^")
    assert visible("a\tb\nc") == "a b ⏎ c"


# --- markdown ----------------------------------------------------------------------------------


def render_markdown(results) -> str:
    out = io.StringIO()
    reporter = MarkdownReporter(context())
    for r in results:
        reporter.add(r)
    out.write(reporter.render(reporter.results))
    return out.getvalue()


def test_markdown_reports_verdict_basis_and_findings_in_context():
    result = article(STERN, [(NAME_RULE, "Kiev", "AP style spells it Kyiv", ["Kyiv"])],
                     title="Selenskyj proposes talks", outlet="Stern")  # fmt: skip
    text = render_markdown([result])
    assert "| PASS | 99.3 | desk/story.md | Stern |" in text
    assert "## PASS 99.3 · Selenskyj proposes talks" in text
    assert "**Basis:** 714 target words, penalty 5.0 (7.0 per 1,000 words)." in text
    line, col = line_col(STERN, "Kiev").split(":")
    assert f"1. **NAME001** major (names), line {line}, col {col}: AP style spells it Kyiv" in text
    assert "had received **Kiev**’s proposal" in text
    assert "Suggestion: replace with **Kyiv**" in text
    assert "Signature: `auditor:test|" in text


def test_markdown_escapes_untrusted_text():
    result = article(
        PAYLOAD,
        [
            (NAME_RULE, "<script>", "flagged | <b>x</b>", ["[x](javascript:y)"]),
            (LEX_RULE, "[the memo](javascript:", "odd", []),
        ],
    )
    text = render_markdown([result])
    assert not re.search(r"(?<!\\)[<\[]", text)  # every < and [ escaped
    assert "\\<script\\>" in text
    assert "\\[the memo\\](javascript\\:" in text
    assert "flagged \\| \\<b\\>x\\</b\\>" in text
    assert md("www.example.org a@b.c $x$") == "www\\.example.org a\\@b.c \\$x\\$"


# --- html --------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects tags, attributes and the article's visible text (tooltips left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.article_text: list[str] = []
        self._in_article = 0
        self._in_tip = 0
        self._stack: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        classes = (attrs.get("class") or "").split()
        if tag == "article":
            self._in_article += 1
        if tag == "style":
            self._in_style = True
        if self._in_article and tag == "p" and self.article_text:
            self.article_text.append("\n")
        if "tip" in classes or self._in_tip:
            self._in_tip += 1 if tag == "span" else 0
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1
        if tag == "style":
            self._in_style = False
        if self._in_tip and tag == "span":
            self._in_tip -= 1
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        elif self._in_article and not self._in_tip:
            self.article_text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_html_page_escapes_untrusted_text_and_allows_no_script():
    result = article(
        PAYLOAD,
        [
            (NAME_RULE, "<script>", "flagged: <script>alert(1)</script>", ["<img src=x>"]),
            (LEX_RULE, "javascript:document", "odd", []),
        ],
        title="<script>alert('title')</script>",
    )
    html = article_page(result, context(), "desk/<evil>.md", None)
    page = parse(html)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert not [a for t, a in page.tags if t == "a" and "javascript" in (a.get("href") or "")]
    assert not [a for _t, a in page.tags if any(k.startswith("on") for k in a)]
    assert "".join(page.article_text).strip() == PAYLOAD  # the text reads as it came in
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    (policy,) = [
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert "default-src 'none'" in policy and "script-src" not in policy
    digest = base64.b64encode(hashlib.sha256("".join(page.styles).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy  # the one stylesheet, by hash
    assert not [a for _t, a in page.tags if "style" in a]  # inline style attributes are blocked


def test_html_shows_control_and_bidi_characters_visibly():
    assert safe("a\u202eb\x00c") == (
        'a<span class="cp" title="invisible character">U+202E</span>b'
        '<span class="cp" title="invisible character">U+0000</span>c'
    )
    assert safe("\u200d") == "\u200d"  # joiners stay: scripts and emoji need them


def test_html_highlights_each_finding_in_place_with_message_on_hover_and_focus():
    result = article(
        STERN,
        [
            (BOIL_RULE, "Copy the current link", "share control from the page", [""]),
            (NAME_RULE, "Kiev", "AP style spells it Kyiv", ["Kyiv"]),
            (LEX_RULE, "Deforted", "not an English word", ["Deported"]),
            # A garbled span with a name inside it: the marks split, never nest.
            (FLU_RULE, "Moscow War of Agency", "garbled span", [], 0.7),
            (NAME_RULE, "War of Agency", "a name inside the span", ["war of aggression"]),
        ],
    )
    html = article_page(result, context(), "desk/stern.md", None)
    page = parse(html)
    assert "".join(page.article_text).replace("\n", "") == STERN.replace("\n", "")
    marks = [a for t, a in page.tags if t == "mark"]
    focusable = [a for a in marks if a.get("tabindex") == "0"]
    ids = {a["id"] for a in focusable}
    links = [a["href"][1:] for t, a in page.tags if t == "a" and a.get("class") == "loc"]
    assert len(links) == 5 and set(links) <= ids  # every listed finding links to its mark
    assert all(a.get("aria-describedby") for a in focusable)
    assert "m fam-name sev-major multi" in html  # "Moscow" carries both findings
    assert re.search(r"<mark [^>]*><mark", html) is None
    assert ".m:hover>.tip,.m:focus>.tip{display:block}" in html
    tip = re.search(r'<mark class="m fam-name sev-major"[^>]*>Kiev<span class="tip"[^>]*>(.*?)'
                    r"</span></mark>", html).group(1)  # fmt: skip
    assert "NAME001" in tip and "AP style spells it Kyiv" in tip and "Suggestion: Kyiv" in tip
    assert "confidence 0.70" in html
    assert 'id="show-fam-name" checked' in html and 'id="show-sev-major" checked' in html
    assert "body:has(#show-fam-name:not(:checked)) .m.fam-name{background:none;" in html


def test_html_header_states_verdict_score_basis_and_signature():
    short = "Kremlin spokesman Dmitri Peskow welcomes the talks. Selenskyj said so on Monday."
    result = article(short, [(NAME_RULE, "Peskow", "variant", ["Peskov"])], outlet="dpa")
    html = article_page(result, context(), "desk/short.md", None)
    assert '<span class="verdict">FAIL</span>' in html
    assert "Score basis: 12 target words, penalty 5.0 (416.7 per 1,000 words)." in html
    assert "small sample: 12 target words" in html
    assert "auditor:test|checks:test|lm:off|style:ap|cfg:0" in html
    assert '<meter min="0" max="100" low="90" high="97"' in html


def test_html_output_directory_gets_an_index_and_one_page_per_article(tmp_path):
    results = [
        article(STERN, [(NAME_RULE, "Kiev", "style", ["Kyiv"])], path="a/story.md"),
        article(STERN, [(CRIT_RULE, "Juni", "untranslated")], path="b/story.md"),
        article(STERN, [], path="index.md"),
        article(STERN, [], path="feed.jsonl#row 7"),
    ]
    reporter = HtmlReporter(context(output=tmp_path))
    for r in results:
        reporter.add(r)
    reporter.finish()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["feed-row-7.html", "index-2.html", "index.html", "story-2.html", "story.html"]
    index = (tmp_path / "index.html").read_text()
    rows = re.findall(r'<tr class="row v-(\w+)[^"]*">.*?<a href="([^"]+)"', index)
    assert rows[0] == ("fail", "story-2.html")  # worst first
    assert {href for _v, href in rows} == set(names) - {"index.html"}
    assert 'id="show-v-fail" checked' in index and 'id="score-below-pass"' in index
    assert 'id="only-fam-unt"' in index
    story = (tmp_path / "story.html").read_text()
    assert '<a href="index.html">All articles</a>' in story and 'rel="next"' in story


def test_html_without_output_writes_one_article_to_stdout(run_cli, tmp_path, capsys):
    code, out, _err = run_cli("check", sample("003"), "--no-lm", "--select", "BOIL", "-f", "html")
    assert code == 1 and out.startswith("<!DOCTYPE html>") and "<mark" in out
    code, out, err = run_cli("check", SAMPLES, "--no-lm", "--select", "BOIL", "-f", "html")
    assert code == 2 and "needs --output DIR" in err


def test_html_output_must_be_a_folder(run_cli, tmp_path):
    code, _out, err = run_cli(
        "check", sample("002"), "--no-lm", "-f", "html", "-o", tmp_path / "a.html"
    )
    assert code == 2 and "--output DIR" in err and err.count("\n") == 1
    assert not (tmp_path / "a.html").exists()


def test_html_of_a_real_audit(tmp_path):
    result = audit_file(sample("004"))
    reporter = HtmlReporter(context(output=tmp_path))
    reporter.add(result)
    reporter.finish()
    html = (tmp_path / "004-zhelensky-lavrov-negotiate.html").read_text()
    page = parse(html)
    assert len([a for t, a in page.tags if t == "mark" and a.get("tabindex")]) == len(
        result.findings
    )
    assert "related-story link" in html and "Leave a Reply" in html


# --- csv and the summary chart -----------------------------------------------------------------


def test_articles_and_findings_csv(tmp_path):
    results = [
        article(
            STERN,
            [
                (NAME_RULE, "Kiev", "AP style", ["Kyiv"]),
                (FLU_RULE, "Moscow War of Agency", "garbled", [], 0.5),
            ],
            path="desk/stern.md",
            outlet="Stern",
            source_lang="de",
        ),
        article(
            '=HYPERLINK("http://x") Peskow said. ' * 3,
            [(NAME_RULE, "Peskow", "variant")],
            path="desk/evil.md",
            title="=cmd|' /C calc'!A0",
        ),
    ]
    reporter = CsvReporter(context(output=tmp_path))
    for r in results:
        reporter.add(r)
    reporter.finish()
    articles = list(csv.DictReader((tmp_path / "articles.csv").open(encoding="utf-8")))
    stern = articles[0]
    assert stern["findings_name"] == "1" and stern["findings_flu"] == "1"
    assert stern["severity_major"] == "2" and stern["penalty"] == "7.5"
    assert stern["verdict"] == "pass" and stern["small_sample"] == "False"
    assert stern["outlet"] == "Stern" and stern["source_lang"] == "de" and stern["words"] == "714"
    assert articles[1]["title"] == "'=cmd|' /C calc'!A0"  # no formula from article text
    assert articles[1]["small_sample"] == "True"
    findings = list(csv.DictReader((tmp_path / "findings.csv").open(encoding="utf-8")))
    kiev = findings[0]
    assert f"{kiev['line']}:{kiev['col']}" == line_col(STERN, "Kiev")
    assert (kiev["rule"], kiev["family"]) == ("NAME001", "NAME")
    assert kiev["context_before"].endswith("confirmed that he had received ")
    assert kiev["context_after"].startswith("’s proposal for a meeting.")
    assert kiev["replacement"] == "Kyiv" and findings[1]["confidence"] == "0.5"
    assert findings[2]["context_before"] == '\'=HYPERLINK("http://x") '
    assert safe_cell("-1") == "'-1" and safe_cell("plain") == "plain"
    png = (tmp_path / "summary.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"Software" not in png


def test_csv_to_a_file_writes_the_findings_table(run_cli, tmp_path):
    target = tmp_path / "findings.csv"
    code, _out, err = run_cli("check", sample("004"), "--no-lm", "--select", "BOIL", "-f", "csv",
                              "-o", target)  # fmt: skip
    assert code == 1, err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows and {r["family"] for r in rows} == {"BOIL"} and "context_before" in rows[0]


def test_summary_png_is_deterministic_and_shows_the_data():
    from PIL import Image

    from auditor.reporters.charts import summary_png

    results = [audit_file(p) for p in sorted(SAMPLES.glob("*.md"))]
    first = summary_png(results, context())
    assert first == summary_png(results, context())
    image = Image.open(io.BytesIO(first)).convert("RGB")
    colours = {colour for _n, colour in image.getcolors(maxcolors=1 << 24)}
    assert (0x7A, 0x7A, 0x7A) in colours  # the debris bars
    assert (0xB0, 0x78, 0x00) in colours or (0x1A, 0x7F, 0x37) in colours  # verdict bars


def test_csv_frames_keep_one_row_per_article_and_finding():
    results = [audit_file(p) for p in sorted(SAMPLES.glob("*.md"))]
    root = Path.cwd()
    assert len(articles_frame(results, root)) == len(results)
    assert len(findings_frame(results, root)) == sum(len(r.findings) for r in results)


# --- raw results and auditor report ------------------------------------------------------------


@pytest.fixture
def saved(run_cli, tmp_path, monkeypatch):
    """An audit of the samples saved as raw results, run from the repository root."""
    monkeypatch.chdir(SAMPLES.parent.parent)
    results = tmp_path / "results.jsonl"
    code, _out, err = run_cli("check", "corpora/samples", "--no-lm", "--isolated", "-q",
                              "--format", "results", "--output", results)  # fmt: skip
    assert code in (0, 1), err
    return results


def test_results_keep_the_article_text(saved):
    rows = [json.loads(line) for line in saved.read_text().splitlines()]
    assert len(rows) == 5 and all(r["text"] and r["signature"].startswith("auditor:") for r in rows)


@pytest.mark.parametrize("fmt", ["csv", "html", "text", "markdown", "json"])
def test_report_rebuilds_byte_identical_reports(saved, run_cli, tmp_path, fmt):
    direct, rebuilt = tmp_path / "direct", tmp_path / "rebuilt"
    multi = fmt in ("csv", "html")
    target = (lambda d: d) if multi else (lambda d: d / f"report.{fmt}")
    code, _out, err = run_cli("check", "corpora/samples", "--no-lm", "--isolated", "-q",
                              "--format", fmt, "--output", target(direct))  # fmt: skip
    assert code in (0, 1), err
    code, _out, err = run_cli("report", saved, "--isolated", "--format", fmt, "--output",
                              target(rebuilt))  # fmt: skip
    assert code == 0, err
    files = sorted(p.relative_to(direct) for p in direct.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(rebuilt) for p in rebuilt.rglob("*"))
    for name in files:
        assert (direct / name).read_bytes() == (rebuilt / name).read_bytes(), name
    if fmt == "csv":
        assert {str(f) for f in files} == {"articles.csv", "findings.csv", "summary.png"}


def test_report_names_bad_lines_and_reports_the_rest(saved, run_cli, tmp_path):
    lines = saved.read_text().splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", '["a"]', '{"x": 1}', *lines[1:]]) + "\n")
    out = tmp_path / "csv"
    code, _out, err = run_cli("report", broken, "--format", "csv", "--output", out)
    assert code == 2
    assert f"{broken}:2: invalid JSON" in err and f"{broken}:3: not a JSON object" in err
    assert f"{broken}:4: not an auditor result" in err
    assert len((out / "articles.csv").read_text().splitlines()) == 6


def test_report_refuses_results_that_would_break_a_report(saved, run_cli, tmp_path):
    good = json.loads(saved.read_text().splitlines()[3])
    finding = good["findings"][0]
    crafted = [
        {**good, "score": "high"},
        {**good, "verdict": "<script>"},
        {**good, "findings": [{**finding, "severity": "apocalyptic"}]},
        {**good, "findings": [{**finding, "span": {"start": 5, "end": 10**9}}]},
        {**good, "findings": [{**finding, "line": "7"}]},
    ]
    bad = tmp_path / "crafted.jsonl"
    bad.write_text("".join(json.dumps(row) + "\n" for row in [good, *crafted]))
    code, _out, err = run_cli("report", bad, "--format", "html", "--output", tmp_path / "html")
    assert code == 2 and len(err.strip().splitlines()) == len(crafted)
    assert f"{bad}:2: score must be a number" in err
    assert f"{bad}:3: unknown verdict '<script>'" in err
    assert "unknown severity 'apocalyptic'" in err and "lies outside the article text" in err
    assert f"{bad}:6: {finding['rule']}: span, line and column must be whole numbers" in err
    assert len(list((tmp_path / "html").glob("*.html"))) == 2  # the good one and the index


def test_report_from_results_without_text(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent.parent)
    plain = tmp_path / "plain.jsonl"
    run_cli("check", "corpora/samples", "--no-lm", "--select", "BOIL", "-f", "jsonl", "-o", plain)
    code, _out, err = run_cli("report", plain, "--format", "html", "--output", tmp_path / "html")
    assert code == 0 and "5 result(s) without article text" in err
    page = (tmp_path / "html" / "004-zhelensky-lavrov-negotiate.html").read_text()
    assert "The article text is not in these results" in page and "Leave a Reply" in page


def test_index_lists_input_errors(tmp_path):
    from auditor.document import DocumentResult

    reporter = HtmlReporter(context(output=tmp_path))
    reporter.add(article(STERN, [], path="desk/ok.md"))
    reporter.add(DocumentResult(path="desk/<bad>.md", id="bad", status="error",
                                error="not UTF-8 <b>text</b>"))  # fmt: skip
    reporter.finish()
    index = (tmp_path / "index.html").read_text()
    assert '<tr class="row v-error">' in index and "not UTF-8 &lt;b&gt;text&lt;/b&gt;" in index
    assert 'id="show-v-error" checked' in index
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "ok.html"]


def test_report_usage_errors(saved, run_cli, tmp_path):
    code, _out, err = run_cli("report", tmp_path / "missing.jsonl")
    assert code == 2 and "missing.jsonl: no such file" in err
    code, _out, err = run_cli("report", saved, "--format", "nope")
    assert code == 2 and "unknown format 'nope'" in err
    code, _out, err = run_cli("report", saved, "--format", "results", "--output", saved)
    assert code == 2 and "overwrite its own results" in err
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    code, _out, err = run_cli("report", binary)
    assert code == 2 and "not UTF-8" in err and err.count("\n") == 1


def test_report_files_are_readable_by_others(tmp_path, run_cli):
    """Atomic writes go through mkstemp (0600); reports must land with the usual mode."""
    import os
    import stat

    from conftest import SAMPLES

    run_cli("check", SAMPLES, "--no-lm", "--isolated", "-f", "html", "-o", tmp_path / "html")
    umask = os.umask(0)
    os.umask(umask)
    for page in (tmp_path / "html").glob("*.html"):
        assert stat.S_IMODE(page.stat().st_mode) == 0o666 & ~umask
