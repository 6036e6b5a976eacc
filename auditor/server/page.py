"""The workspace page: its HTML shell (the script and stylesheets come from the server, none
inline) and what ``/api/v1/review`` hands the script: the article as the HTML report renders it
(header, text with findings highlighted, escaped the report's way) and the findings to act on."""

from __future__ import annotations

from html import escape

from ..document import clip
from ..registry import all_rules, family_order
from ..reporters import ReportContext
from ..reporters.html import TextRenderer, article_header, stylesheet
from ..reporters.palette import family_name
from ..scoring import family, format_score
from ..version import __version__

STYLES = ("ap", "reuters", "bbc")
ACCEPTED = ".md,.markdown,.mdx,.txt,.text,.html,.htm,.docx,.pdf,.jsonl,.csv"


def report_css() -> str:
    """The HTML report's stylesheet with every family's colours."""
    return stylesheet(family_order(["LIM"]))


def review_payload(audited, config, report: dict) -> dict:
    result = audited.results[0] if audited.results else None
    payload: dict = {"report": report, "source": audited.source, "document": None}
    if result is None:
        return payload
    ctx = ReportContext(signature=audited.signature, config=config, rules=all_rules())
    findings = sorted(result.findings, key=lambda f: (f.start, f.end, f.rule))
    text_html, anchors = "", {}
    if result.text is not None:
        renderer = TextRenderer(result.text, findings)
        text_html = renderer.render()
        anchors = renderer.anchors
    safe = set(audited.safe)
    title = result.title or result.id or result.path
    payload["document"] = {
        "path": result.path,
        "status": result.status,
        "score": result.score,
        "shown_score": format_score(result.score),
        "verdict": result.verdict,
        "header_html": article_header(result, result.path, title, ctx),
        "text_html": text_html,
        "findings": [
            {
                "fingerprint": f.fingerprint,
                "anchor": anchors.get(i),
                "rule": f.rule,
                "severity": f.severity,
                "family": family(f.rule),
                "family_name": family_name(family(f.rule)),
                "message": f.message,
                "text": clip(f.text, 140),
                "full_text": f.text,
                "replacements": f.replacements[:3],
                "place": f"line {f.line}, col {f.col}" if f.line else f.where,
                "safe": f.fingerprint in safe,
            }
            for i, f in enumerate(findings)
        ],
    }
    return payload


def page_html(root: bool, write: bool, lm: bool) -> str:
    styles = "".join(f'<option value="{s}">{s.upper()}</option>' for s in STYLES)
    opener = (
        '<div class="ws-open"><label for="ws-file-list">Article under the root</label>'
        '<select id="ws-file-list"></select>'
        '<button type="button" id="ws-open">Open</button></div>'
        if root
        else ""
    )
    model = (
        '<label class="ws-check"><input type="checkbox" id="ws-lm" checked> Language model</label>'
        if lm
        else '<label class="ws-check"><input type="checkbox" id="ws-lm" disabled> Language model '
        '<span class="muted">(off on this server)</span></label>'
    )
    save = '<button type="button" id="ws-save" disabled>Save</button>' if write else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="auditor {escape(__version__)}">
<title>auditor workspace</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/report.css">
<link rel="stylesheet" href="/static/workspace.css">
<script src="/static/workspace.js" defer></script>
</head>
<body class="article workspace" data-root="{int(root)}" data-write="{int(write)}">
<header class="ws-bar">
<h1>auditor <span class="muted">workspace</span></h1>
<div class="ws-options">
<label for="ws-style">Style</label><select id="ws-style">{styles}</select>
{model}
</div>
</header>
<section class="ws-input" aria-label="The article to check">
<div class="ws-sources">
{opener}
<div class="ws-upload"><label for="ws-upload">Or a file</label>
<input type="file" id="ws-upload" accept="{ACCEPTED}"></div>
<p class="ws-name">Checking <code id="ws-filename">&lt;stdin&gt;.txt</code></p>
</div>
<label for="ws-text" class="ws-label">Article text: paste it, drop a file here, or edit it
and check again</label>
<textarea id="ws-text" spellcheck="false" rows="12"></textarea>
<div class="ws-actions">
<button type="button" id="ws-check" class="primary">Check <kbd>Ctrl+Enter</kbd></button>
<button type="button" id="ws-safe" disabled>Apply all safe fixes</button>
<button type="button" id="ws-copy" disabled>Copy text</button>
<button type="button" id="ws-download" disabled>Download</button>
{save}
</div>
<p id="ws-status" role="status" aria-live="polite"></p>
</section>
<div id="ws-result" hidden>
<div id="ws-header"></div>
<main class="layout">
<article class="text" id="ws-article" aria-label="Article text with findings highlighted">
</article>
<aside class="findings" aria-label="Findings"><h2>Findings
<span class="muted" id="ws-count"></span></h2>
<p class="clean" id="ws-clean" hidden>No findings: nothing to fix in this article.</p>
<ol id="ws-findings"></ol>
<p class="muted" id="ws-dismissed-note" hidden></p>
</aside>
</main>
</div>
<footer class="foot"><p>auditor {escape(__version__)}: the text is checked on this server and not
kept after the answer. Highlights as in the HTML report; hover or focus one for its message.</p>
</footer>
</body>
</html>
"""
