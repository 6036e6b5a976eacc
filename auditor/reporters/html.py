"""HTML for editors: one self-contained page per article with the findings highlighted in the
text, and an index page over the run.

Article text is untrusted. Every piece of it is escaped, control and bidirectional-override
characters are shown as visible code points, and no link or attribute is ever built from it.
As a second wall, each page carries a Content-Security-Policy that allows no script at all and
only the page's own stylesheet (by hash): filters work in CSS alone (checkboxes and ``:has``),
and messages show on hover and on keyboard focus in CSS too.

``--output DIR`` writes ``DIR/index.html`` and one page per article, named after the input
file; without ``--output`` a single article's page goes to standard output. Pages are written
as articles arrive, so a corpus run keeps only one article's text in memory.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import PurePosixPath

from ..atomic import write_text
from ..document import Document, DocumentResult, Finding, clip
from ..registry import family_order
from ..rules import SEVERITIES, severity_rank
from ..scoring import REFERENCE_WORDS, CorpusSummary, basis_of, family, format_score
from ..version import __version__
from . import Reporter, read_first, relative_path
from .palette import VERDICT_COLORS, family_color, family_name

SEVERITY_ORDER = SEVERITIES[::-1]  # the worst first
VERDICT_ORDER = ("fail", "review", "pass")
# Shown as visible code points: C0/C1 controls and format characters other than the joiners
# that scripts and emoji need (a bidi override could reorder what the editor sees).
_KEEP_FORMAT = {"\u200c", "\u200d"}


class HtmlReporter(Reporter):
    name = "html"
    extension = "html"
    multi_file = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        out = ctx.output
        if out is not None and out.suffix.lower() in (".html", ".htm") and not out.is_dir():
            from ..errors import UsageError

            raise UsageError(f"--format html writes a folder of pages: --output DIR, not {out}")
        self.rows: list[IndexRow] = []
        self.names: set[str] = {"index"}
        self.pending: tuple[DocumentResult, str] | None = None
        self.previous: str | None = None
        self.single: DocumentResult | None = None

    def add(self, result: DocumentResult) -> None:
        path = relative_path(result.path, self.ctx.root)
        if self.ctx.output is None:
            if self.single is not None or self.rows:
                from ..errors import UsageError

                raise UsageError("an HTML report of several articles needs --output DIR")
            self.single = result
            self.rows.append(IndexRow.of(result, path, None))
            return
        page = None
        if result.status == "ok":
            page = self._page_name(path)
            if self.pending is not None:
                self._write_pending(next_page=page)
            self.pending = (result, page)
        self.rows.append(IndexRow.of(result, path, page))

    def _write_pending(self, next_page: str | None) -> None:
        assert self.pending is not None and self.ctx.output is not None
        result, page = self.pending
        nav = Nav(index="index.html", previous=self.previous, next=next_page)
        html = article_page(result, self.ctx, relative_path(result.path, self.ctx.root), nav)
        write_text(self.ctx.output / page, html)
        self.previous, self.pending = page, None

    def _page_name(self, path: str) -> str:
        plain, _, fragment = path.partition("#")
        stem = PurePosixPath(plain).stem + (f"-{fragment}" if fragment else "")
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:80] or "article"
        name, n = base, 1
        while name.lower() in self.names:
            n += 1
            name = f"{base}-{n}"
        self.names.add(name.lower())
        return f"{name}.html"

    def finish(self) -> None:
        if self.ctx.output is None:
            if self.single is not None:
                path = relative_path(self.single.path, self.ctx.root)
                write_text(None, article_page(self.single, self.ctx, path, None))
            return
        if self.pending is not None:
            self._write_pending(next_page=None)
        write_text(self.ctx.output / "index.html", index_page(self.rows, self.ctx))


# --- the article page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Nav:
    index: str
    previous: str | None
    next: str | None


def article_page(result: DocumentResult, ctx, path: str, nav: Nav | None) -> str:
    findings = sorted(result.findings, key=lambda f: (f.start, f.end, f.rule))
    title = result.title or result.id or path
    families = _families_of(findings)
    if result.text is not None:
        renderer = TextRenderer(result.text, findings)
        text_html = renderer.render()
        anchors = renderer.anchors
    else:
        text_html = (
            '<p class="note">The article text is not in these results; the findings are '
            "listed on their own.</p>"
        )
        anchors = {}
    body = [
        _nav(nav),
        article_header(result, path, title, ctx),
        _filters(findings, families),
        _read_first(result),
        '<main class="layout">',
        '<article class="text" aria-label="Article text with findings highlighted">',
        text_html,
        "</article>",
        _findings_list(findings, anchors),
        "</main>",
        _footer(ctx),
    ]
    verdict = (result.verdict or result.status).upper()
    head_title = f"{verdict} {format_score(result.score)} · {title}"
    return _page(head_title, "\n".join(body), "article", families)


def _nav(nav: Nav | None) -> str:
    if nav is None:
        return ""
    links = [f'<a href="{escape(nav.index)}">All articles</a>']
    if nav.previous:
        links.append(f'<a href="{escape(nav.previous)}" rel="prev">← Previous</a>')
    if nav.next:
        links.append(f'<a href="{escape(nav.next)}" rel="next">Next →</a>')
    return f'<nav class="top" aria-label="Report pages">{" ".join(links)}</nav>'


def article_header(result: DocumentResult, path: str, title: str, ctx) -> str:
    verdict = result.verdict or result.status
    facts = [
        ("Outlet", result.outlet),
        ("Source language", result.source_lang),
        ("Story", result.story),
        ("Target words", f"{result.words:,}"),
        ("Penalty", f"{result.penalty:.1f}"),
        (
            f"Per {REFERENCE_WORDS:,} words",
            f"{result.extra['penalty_per_1000_words']:.1f}"
            if "penalty_per_1000_words" in result.extra
            else None,
        ),
        ("Findings", _severity_counts(result.findings) or "none"),
    ]
    dl = "".join(f"<div><dt>{escape(k)}</dt><dd>{safe(str(v))}</dd></div>" for k, v in facts if v)
    reason = result.extra.get("verdict_reason")
    notes = "".join(f'<p class="note" role="note">{safe(n)}</p>' for n in result.notes)
    if result.status == "error":
        notes += f'<p class="note error" role="alert">{safe(result.error or "error")}</p>'
    return (
        '<header class="head">'
        f'<div class="verdict-box v-{_cls(verdict)}">'
        f'<span class="verdict">{escape(verdict.upper())}</span>'
        f'<span class="score">{format_score(result.score)}<small>/100</small></span>'
        f"{_meter(result.score, ctx)}"
        "</div>"
        '<div class="titles">'
        f'<p class="path">{safe(path)}</p>'
        f"<h1>{safe(title)}</h1>"
        + (f'<p class="why">{safe(reason)}.</p>' if reason else "")
        + f'<p class="basis">Score basis: {escape(basis_of(result))}.</p>'
        + notes
        + "</div>"
        f'<dl class="facts">{dl}</dl>'
        "</header>"
    )


def _meter(score: float | None, ctx) -> str:
    if score is None:
        return ""
    config = ctx.config
    return (
        f'<meter min="0" max="100" low="{config.review_score:g}" high="{config.pass_score:g}" '
        f'optimum="100" value="{score:.2f}" aria-label="score {format_score(score)} of 100">'
        f"{format_score(score)}</meter>"
    )


def _severity_counts(findings: list[Finding]) -> str:
    parts = []
    for sev in SEVERITY_ORDER:
        n = sum(f.severity == sev for f in findings)
        if n:
            parts.append(f"{n} {sev}")
    return ", ".join(parts)


def _filters(findings: list[Finding], families: list[str]) -> str:
    if not findings:
        return ""
    chips = []
    for fam in families:
        n = sum(family(f.rule) == fam for f in findings)
        chips.append(
            f'<label class="chip fam-{_cls(fam)}"><input type="checkbox" '
            f'id="show-fam-{_cls(fam)}" checked><span class="swatch"></span>'
            f'{escape(fam)} <span class="muted">{escape(family_name(fam))}</span> '
            f'<span class="count">{n}</span></label>'
        )
    severities = []
    for sev in SEVERITY_ORDER:
        n = sum(f.severity == sev for f in findings)
        if n:
            severities.append(
                f'<label class="chip sev-chip sev-{sev}"><input type="checkbox" '
                f'id="show-sev-{sev}" checked><span class="line-sample"></span>{sev} '
                f'<span class="count">{n}</span></label>'
            )
    return (
        '<section class="filters" aria-label="Show findings by family and severity">'
        f"<fieldset><legend>Family</legend>{''.join(chips)}</fieldset>"
        f"<fieldset><legend>Severity</legend>{''.join(severities)}</fieldset>"
        "</section>"
    )


def _read_first(result: DocumentResult) -> str:
    """The sentences the language model ranks most likely to hold an error: an editor's
    reading order, not findings."""
    entries = read_first(result)
    if not entries:
        return ""
    items = "".join(
        f'<li><span class="loc">line {line}</span> <q>{safe(clip(sentence, 200))}</q></li>'
        for line, sentence in entries
    )
    return (
        '<section class="read-first" aria-label="Sentences to read first">'
        "<h2>Read these first</h2>"
        '<p class="muted">The sentences most likely to hold an error of any kind, by the '
        "language model: not findings, they do not change the score.</p>"
        f"<ol>{items}</ol></section>"
    )


def _findings_list(findings: list[Finding], anchors: dict[int, str]) -> str:
    if not findings:
        return (
            '<aside class="findings" aria-label="Findings"><h2>Findings</h2>'
            '<p class="clean">No findings: nothing to fix in this article.</p></aside>'
        )
    items = []
    for i, f in enumerate(findings):
        fam = family(f.rule)
        location = f"line {f.line}, col {f.col}" if f.line else f.where
        loc = (
            f'<a class="loc" href="#{anchors[i]}" title="Show in the text">{location}</a>'
            if i in anchors
            else f'<span class="loc">{location}</span>'
        )
        items.append(
            f'<li class="finding fam-{_cls(fam)} sev-{_cls(f.severity)}">'
            f'<div class="finding-head"><span class="sev-badge sev-{_cls(f.severity)}">'
            f'{escape(f.severity)}</span> <code class="rule">{escape(f.rule)}</code> {loc}</div>'
            f'<p class="msg">{safe(f.message)}</p>'
            f'<p class="flag"><q>{safe(clip(f.text, 140))}</q>{_fix(f)}</p>'
            f'<p class="meta">{escape(f.mqm_category)}{_confidence(f)}</p>'
            "</li>"
        )
    return (
        '<aside class="findings" aria-label="Findings">'
        f'<h2>Findings <span class="muted">in reading order ({len(findings)})</span></h2>'
        f"<ol>{''.join(items)}</ol></aside>"
    )


def _fix(f: Finding) -> str:
    if not f.replacements:
        return ""
    first = f.replacements[0]
    if not first.strip():
        return ' <span class="arrow">→</span> <span class="fix del">delete</span>'
    shown = " or ".join(f"<ins>{safe(r)}</ins>" for r in f.replacements[:3] if r.strip())
    return f' <span class="arrow">→</span> <span class="fix">{shown}</span>'


def _confidence(f: Finding) -> str:
    return f" · confidence {f.confidence:.2f}" if round(f.confidence, 2) < 1.0 else ""


def _footer(ctx) -> str:
    config = ctx.config
    return (
        '<footer class="foot">'
        "<p>Score: MQM raw model. Each finding costs its severity (minor 1, major 5, critical "
        "25, neutral 0), findings of statistical checks weighted by their confidence, an "
        "error repeated with the same fix counted once; score = "
        f"100 × (1 − penalty ÷ target words). Verdict: pass at {config.pass_score:g} or more, "
        f"review at {config.review_score:g} or more, fail below or with any critical finding. "
        f"Under {config.small_sample_words} words an article is a small sample.</p>"
        f'<p class="signature">Signature: <code>{safe(ctx.signature)}</code></p>'
        f"<p>Made by auditor {escape(__version__)}. This page runs no scripts.</p>"
        "</footer>"
    )


# --- the article text with findings in place --------------------------------------------------


class TextRenderer:
    """The article as paragraphs, each elementary piece of text that findings cover wrapped in
    one flat ``<mark>``: overlapping findings split the text, so marks never nest. The first
    piece of each finding is focusable and has an id, which ``anchors`` records for links."""

    def __init__(self, text: str, findings: list[Finding]) -> None:
        self.text = text
        self.findings = findings
        self.anchors: dict[int, str] = {}
        self.tips = 0

    def render(self) -> str:
        text, findings = self.text, self.findings
        ends = [max(f.end, f.start + 1) for f in findings]
        by_start = sorted(range(len(findings)), key=lambda i: (findings[i].start, i))
        out = []
        started = 0
        running: list[int] = []  # findings begun before this paragraph's end, not yet over
        for p_start, p_end, headline in _paragraphs(text):
            while started < len(by_start) and findings[by_start[started]].start < p_end:
                running.append(by_start[started])
                started += 1
            inside = sorted(i for i in running if ends[i] > p_start)
            # Findings lying in no paragraph (whitespace between them) show at the next one.
            stray = sorted(i for i in running if ends[i] <= p_start and i not in self.anchors)
            running = [i for i in running if ends[i] > p_end]
            tag = '<p class="hl">' if headline else "<p>"
            out.append(f"{tag}{self._paragraph(p_start, p_end, inside, stray)}</p>")
        leftover = [i for i in range(len(findings)) if i not in self.anchors]
        if leftover:
            out.append(f"<p>{self._paragraph(len(text), len(text), [], leftover)}</p>")
        return "\n".join(out)

    def _paragraph(self, start: int, end: int, inside: list[int], stray: list[int]) -> str:
        findings = self.findings
        out = []
        if stray:
            out.append(self._mark("⁁", stray, empty=True))
        cuts = {start, end}
        for i in inside:
            cuts.update(c for c in (findings[i].start, findings[i].end) if start < c < end)
        points = sorted(cuts)
        for a, b in zip(points, points[1:], strict=False):
            # A zero-length finding (a missing word) shows as a caret where it points.
            points_here = [i for i in inside if findings[i].start == findings[i].end == a]
            if points_here:
                out.append(self._mark("⁁", points_here, empty=True))
            active = [i for i in inside if findings[i].start < b and findings[i].end > a]
            piece = self.text[a:b]
            out.append(self._mark(piece, active) if active else safe(piece))
        return "".join(out)

    def _mark(self, piece: str, active: list[int], empty: bool = False) -> str:
        findings = self.findings
        # The most severe finding colours the piece; the others are listed in its tooltip.
        ordered = sorted(
            active,
            key=lambda i: (
                -severity_rank(findings[i].severity),
                findings[i].end - findings[i].start,
                findings[i].rule,
                i,
            ),
        )
        main = findings[ordered[0]]
        classes = ["m", f"fam-{_cls(family(main.rule))}", f"sev-{_cls(main.severity)}"]
        if len(ordered) > 1:
            classes.append("multi")
        if empty:
            classes.append("empty")
        self.tips += 1
        tip_id = f"t{self.tips}"
        attrs = f'class="{" ".join(classes)}"'
        starting = [i for i in active if i not in self.anchors]
        if starting:
            mark_id = f"m{self.tips}"
            for i in starting:
                self.anchors[i] = mark_id
            attrs += f' id="{mark_id}" tabindex="0" aria-describedby="{tip_id}"'
        tip = "".join(_tip_item(findings[i]) for i in ordered)
        return (
            f"<mark {attrs}>{safe(piece)}"
            f'<span class="tip" role="tooltip" id="{tip_id}">{tip}</span></mark>'
        )


def _paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a headline) of each paragraph, as the segmenter sees them."""
    from ..segment import segment

    doc = segment(Document(path="", id="", text=text))
    headlines = {s.paragraph for s in doc.sentences if s.is_headline}
    spans = [(p.start, p.end, i in headlines) for i, p in enumerate(doc.paragraphs)]
    return spans or ([(0, len(text), False)] if text else [])


def _tip_item(f: Finding) -> str:
    fix = ""
    if f.replacements:
        first = f.replacements[0]
        fix = (
            '<span class="tip-fix">Suggestion: delete</span>'
            if not first.strip()
            else f'<span class="tip-fix">Suggestion: {safe(first)}</span>'
        )
    return (
        f'<span class="tip-item sev-{_cls(f.severity)}">'
        f'<span class="tip-head"><b>{escape(f.rule)}</b> {escape(f.severity)} · '
        f"{escape(family_name(family(f.rule)))}{_confidence(f)}</span>"
        f'<span class="tip-msg">{safe(f.message)}</span>{fix}</span>'
    )


# --- the index page ---------------------------------------------------------------------------


@dataclass
class IndexRow:
    path: str
    page: str | None
    title: str
    status: str
    error: str | None
    outlet: str
    source_lang: str
    words: int
    score: float | None
    verdict: str | None
    per_1000: float | None
    penalty: float = 0.0
    families: dict[str, int] = field(default_factory=dict)
    severities: dict[str, int] = field(default_factory=dict)
    small: bool = False

    @classmethod
    def of(cls, r: DocumentResult, path: str, page: str | None) -> IndexRow:
        families: dict[str, int] = {}
        for f in r.findings:
            families[family(f.rule)] = families.get(family(f.rule), 0) + 1
        return cls(
            path=path,
            page=page,
            title=r.title or r.id or path,
            status=r.status,
            error=r.error,
            outlet=r.outlet or "",
            source_lang=r.source_lang or "",
            words=r.words,
            score=r.score,
            verdict=r.verdict,
            per_1000=r.extra.get("penalty_per_1000_words"),
            penalty=r.penalty,
            families=families,
            severities={s: sum(f.severity == s for f in r.findings) for s in SEVERITIES},
            small=any(n.startswith("small sample") for n in r.notes),
        )

    def sort_key(self) -> tuple:
        rank = VERDICT_ORDER.index(self.verdict) if self.verdict in VERDICT_ORDER else -1
        return (rank, self.score if self.score is not None else -1.0, self.path)


def index_page(rows: list[IndexRow], ctx) -> str:
    config = ctx.config
    families = [f for f in _all_families(rows) if any(r.families.get(f) for r in rows)]
    verdicts = {v: sum(r.verdict == v for r in rows) for v in VERDICT_ORDER}
    errors = sum(r.status == "error" for r in rows)
    empty = sum(r.status == "empty" for r in rows)
    ok = [r for r in rows if r.status == "ok"]
    words = sum(r.words for r in ok)
    total_findings = sum(sum(r.families.values()) for r in ok)
    corpus = CorpusSummary(
        articles=len(rows),
        errors=errors,
        empty=empty,
        words=words,
        penalty=sum(r.penalty for r in ok),
    )
    badges = "".join(
        f'<span class="badge v-{v}">{verdicts[v]} {v}</span>' for v in VERDICT_ORDER if verdicts[v]
    )
    if errors:
        badges += f'<span class="badge v-error">{errors} error{"s" if errors != 1 else ""}</span>'
    if empty:
        badges += f'<span class="badge v-empty">{empty} empty</span>'
    header = (
        '<header class="head index-head">'
        '<div class="titles"><p class="path">auditor report</p>'
        "<h1>Translation quality audit</h1>"
        f'<p class="basis">{len(rows)} article{"s" if len(rows) != 1 else ""}, '
        f"{words:,} target words, {total_findings} findings. Corpus score "
        f"<strong>{format_score(corpus.score)}</strong> "
        f"({corpus.penalty_per_1000_words:.1f} penalty per {REFERENCE_WORDS:,} words), "
        "worst articles first.</p>"
        f'<p class="badges">{badges}</p></div>'
        "</header>"
    )
    filters = _index_filters(families, verdicts, errors, config)
    table = _index_table(sorted(rows, key=IndexRow.sort_key), families, ctx)
    body = "\n".join([header, filters, f'<main class="index">{table}</main>', _footer(ctx)])
    return _page("Translation quality audit", body, "index", families)


def _index_filters(families: list[str], verdicts: dict[str, int], errors: int, config) -> str:
    verdict_boxes = "".join(
        f'<label class="chip v-chip v-{v}"><input type="checkbox" id="show-v-{v}" checked>'
        f'{v} <span class="count">{verdicts[v]}</span></label>'
        for v in VERDICT_ORDER
        if verdicts[v]
    )
    if errors:
        verdict_boxes += (
            '<label class="chip v-chip v-error"><input type="checkbox" id="show-v-error" checked>'
            f'error <span class="count">{errors}</span></label>'
        )
    score_radios = "".join(
        f'<label class="chip"><input type="radio" name="score" id="score-{key}"'
        f"{' checked' if key == 'all' else ''}>{label}</label>"
        for key, label in (
            ("all", "any score"),
            ("below-pass", f"below {config.pass_score:g}"),
            ("below-review", f"below {config.review_score:g}"),
        )
    )
    family_radios = (
        '<label class="chip"><input type="radio" name="family" id="fam-any" checked>any</label>'
    )
    family_radios += "".join(
        f'<label class="chip fam-{_cls(f)}"><input type="radio" name="family" '
        f'id="only-fam-{_cls(f)}"><span class="swatch"></span>{escape(f)} '
        f'<span class="muted">{escape(family_name(f))}</span></label>'
        for f in families
    )
    return (
        '<section class="filters" aria-label="Filter articles">'
        f"<fieldset><legend>Verdict</legend>{verdict_boxes}</fieldset>"
        f"<fieldset><legend>Score</legend>{score_radios}</fieldset>"
        f"<fieldset><legend>With findings of</legend>{family_radios}</fieldset>"
        "</section>"
    )


def _index_table(rows: list[IndexRow], families: list[str], ctx) -> str:
    config = ctx.config
    head = "".join(
        f'<th scope="col" class="num fam-col fam-{_cls(f)}" title="{escape(family_name(f))}">'
        f'<span class="swatch"></span>{escape(f)}</th>'
        for f in families
    )
    body = []
    for r in rows:
        shown = r.verdict or ("empty" if r.status == "empty" else "error")
        classes = ["row", f"v-{_cls(shown)}"]
        if r.score is not None and r.score < config.pass_score:
            classes.append("below-pass")
        if r.score is not None and r.score < config.review_score:
            classes.append("below-review")
        classes.extend(f"has-{_cls(f)}" for f, n in sorted(r.families.items()) if n)
        title = safe(clip(r.title, 120))
        link = f'<a href="{escape(r.page)}">{title}</a>' if r.page else title
        detail = safe(r.error) if r.error else safe(r.path)
        if r.status == "empty":
            detail = f"{safe(r.path)}: empty, nothing to audit"
        small = ' <span class="small-tag" title="under the small-sample size">small</span>'
        cells = [
            f'<td><span class="badge v-{_cls(shown)}">{escape(shown)}</span></td>',
            f'<td class="num score-cell">{format_score(r.score)}{_meter(r.score, ctx)}</td>',
            f'<td class="art">{link}<span class="sub">{detail}</span></td>',
            f"<td>{safe(r.outlet)}</td>",
            f"<td>{safe(r.source_lang)}</td>",
            f'<td class="num">{r.words:,}{small if r.small else ""}</td>',
            *(
                f'<td class="num fam-col fam-{_cls(f)}">{r.families.get(f) or ""}</td>'
                for f in families
            ),
            f'<td class="num">{"" if r.per_1000 is None else f"{r.per_1000:.1f}"}</td>',
        ]
        body.append(f'<tr class="{" ".join(classes)}">{"".join(cells)}</tr>')
    return (
        '<table class="articles"><caption>Articles, worst first. Colour columns count '
        "findings per family.</caption><thead><tr>"
        '<th scope="col">Verdict</th><th scope="col" class="num">Score</th>'
        '<th scope="col">Article</th><th scope="col">Outlet</th><th scope="col">Source</th>'
        f'<th scope="col" class="num">Words</th>{head}'
        f'<th scope="col" class="num" title="penalty per {REFERENCE_WORDS:,} target words">'
        f"Penalty /{REFERENCE_WORDS // 1000}k</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


# --- shared page frame ------------------------------------------------------------------------


def _page(title: str, body: str, kind: str, families: list[str] | None = None) -> str:
    css = stylesheet(families or [])
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="auditor {escape(__version__)}">\n'
        f"<title>{safe(title)}</title>\n<style>{css}</style>\n</head>\n"
        f'<body class="{kind}">\n{body}\n</body>\n</html>\n'
    )


def _all_families(rows: list[IndexRow]) -> list[str]:
    return family_order(f for r in rows for f in r.families)


def _families_of(findings: list[Finding]) -> list[str]:
    seen = {family(f.rule) for f in findings}
    return [f for f in family_order(seen) if f in seen]


def _cls(name: str) -> str:
    """A CSS class or id fragment; family codes and severities are letters already."""
    return re.sub(r"[^a-z0-9-]", "", name.lower()) or "x"


def safe(text: str) -> str:
    """Untrusted text as HTML: escaped, with control and bidi characters made visible."""
    if text.replace("\n", "").replace("\t", "").isprintable():  # the common case, fast
        return escape(text)
    out = []
    run: list[str] = []
    for ch in text:
        if ch in "\t\n" or ch in _KEEP_FORMAT or unicodedata.category(ch) not in ("Cc", "Cf"):
            run.append(ch)
            continue
        out.append(escape("".join(run)))
        run = []
        out.append(f'<span class="cp" title="invisible character">U+{ord(ch):04X}</span>')
    out.append(escape("".join(run)))
    return "".join(out)


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def stylesheet(extra_families: list[str]) -> str:
    """The page's CSS: the fixed sheet plus per-family colours and CSS-only filter rules."""
    families = family_order(extra_families)
    rules = [BASE_CSS]
    for fam in families:
        c = _cls(fam)
        color = family_color(fam)
        rules.append(
            f".fam-{c}{{--fam:{color};--fam-bg:{_rgba(color, 0.2)};--fam-bg-strong:"
            f"{_rgba(color, 0.38)}}}"
            f"body:has(#show-fam-{c}:not(:checked)) .m.fam-{c}{{background:none;"
            "border-bottom-color:transparent}"
            f"body:has(#show-fam-{c}:not(:checked)) .m.fam-{c} .tip,"
            f"body:has(#show-fam-{c}:not(:checked)) .finding.fam-{c}{{display:none}}"
            f"body:has(#only-fam-{c}:checked) tr.row:not(.has-{c}){{display:none}}"
        )
    for sev in SEVERITY_ORDER:
        rules.append(
            f"body:has(#show-sev-{sev}:not(:checked)) .m.sev-{sev}{{background:none;"
            "border-bottom-color:transparent}"
            f"body:has(#show-sev-{sev}:not(:checked)) .m.sev-{sev} .tip,"
            f"body:has(#show-sev-{sev}:not(:checked)) .finding.sev-{sev}{{display:none}}"
        )
    for v in (*VERDICT_ORDER, "error"):
        rules.append(f"body:has(#show-v-{v}:not(:checked)) tr.v-{v}{{display:none}}")
    rules.append(
        "body:has(#score-below-pass:checked) tr.row:not(.below-pass),"
        "body:has(#score-below-review:checked) tr.row:not(.below-review){display:none}"
    )
    for v, color in VERDICT_COLORS.items():
        rules.append(f".v-{v}{{--v:{color}}}")
    return "\n".join(rules)


BASE_CSS = """
:root{--ink:#1d2430;--muted:#5b6472;--paper:#fbfaf7;--card:#fff;--line:#dcd8cf;
--accent:#2f5d8a;--v:#5b6472;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--ink:#e6e6e3;--muted:#a2a8b3;--paper:#15181d;
--card:#1d2128;--line:#363b45;--accent:#8fb8e6}}
*{box-sizing:border-box}
body{margin:0;background:var(--paper);color:var(--ink);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent)}
a:focus-visible,mark:focus-visible,input:focus-visible{outline:3px solid var(--accent);
outline-offset:2px}
.v-error{--v:#6b4fa0}
nav.top{display:flex;gap:1.2rem;padding:.6rem 2rem;border-bottom:1px solid var(--line);
font-size:.9rem}
.head{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1.6rem;padding:1.4rem 2rem 1rem;
align-items:start}
.index-head{grid-template-columns:1fr}
.verdict-box{grid-row:span 2;display:flex;flex-direction:column;align-items:center;
min-width:8.5rem;padding:.8rem 1rem;border-radius:12px;background:var(--card);
border:2px solid var(--v);box-shadow:0 1px 3px rgba(0,0,0,.08)}
.verdict{font-weight:800;letter-spacing:.08em;color:var(--v);font-size:1.05rem}
.score{font-size:2.4rem;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums}
.score small{font-size:.9rem;font-weight:400;color:var(--muted)}
.verdict-box meter{width:100%;margin-top:.3rem}
.titles h1{margin:.1rem 0 .3rem;font:700 1.7rem/1.25 Georgia,"Times New Roman",serif}
.path{margin:0;color:var(--muted);font:.85rem ui-monospace,SFMono-Regular,Menlo,monospace;
word-break:break-all}
.why{margin:.2rem 0;font-weight:600}
.basis{margin:.2rem 0;color:var(--muted)}
.note{margin:.4rem 0;padding:.35rem .7rem;border-left:4px solid #b07800;
background:rgba(176,120,0,.1);border-radius:4px;font-size:.92rem}
.note.error{border-color:#c62828;background:rgba(198,40,40,.1)}
.facts{grid-column:2;display:flex;flex-wrap:wrap;gap:.4rem 1.6rem;margin:.3rem 0 0}
.facts div{display:flex;flex-direction:column}
.facts dt{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.facts dd{margin:0;font-weight:600}
.read-first{padding:.5rem 2rem;border-bottom:1px solid var(--line)}
.read-first h2{margin:0;font-size:1rem}
.read-first p{margin:.1rem 0 .3rem;font-size:.88rem}
.read-first ol{margin:0;padding-left:1.4rem}
.read-first li{margin:.15rem 0}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1.4rem;padding:.6rem 2rem;
border-top:1px solid var(--line);border-bottom:1px solid var(--line);background:var(--card)}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.4rem;
align-items:center}
.filters legend{float:left;margin-right:.4rem;font-size:.75rem;text-transform:uppercase;
letter-spacing:.06em;color:var(--muted)}
.chip{display:inline-flex;align-items:center;gap:.35rem;padding:.15rem .6rem;
border:1px solid var(--line);border-radius:999px;font-size:.88rem;cursor:pointer;
background:var(--paper)}
.chip:has(input:checked){border-color:var(--fam,var(--v,var(--accent)))}
.chip input{margin:0;accent-color:var(--fam,var(--accent))}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:3px;background:var(--fam)}
.count{font-variant-numeric:tabular-nums;font-weight:700}
.muted{color:var(--muted);font-weight:400}
.line-sample{display:inline-block;width:1.4rem;height:0;border-bottom:2px solid var(--ink)}
.sev-chip.sev-minor .line-sample{border-bottom-style:dotted}
.sev-chip.sev-neutral .line-sample{border-bottom:1px dashed var(--ink)}
.sev-chip.sev-critical .line-sample{border-bottom:4px double var(--ink)}
.layout{display:grid;grid-template-columns:minmax(0,44rem) minmax(18rem,1fr);gap:2.4rem;
padding:1.6rem 2rem 2rem;align-items:start}
@media (max-width:62rem){.layout{grid-template-columns:1fr}.head{grid-template-columns:1fr}
.facts{grid-column:1}.verdict-box{grid-row:auto;flex-direction:row;gap:1rem}}
.text{font:1.12rem/1.75 Georgia,"Times New Roman",serif;background:var(--card);
padding:1.6rem 2rem;border-radius:10px;border:1px solid var(--line)}
.text p{margin:0 0 .9rem;white-space:pre-wrap;overflow-wrap:anywhere}
.text p:last-child{margin-bottom:0}
.text p.hl{font:700 1.05rem/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
margin-top:1.3rem}
.text p.hl:first-child{font:700 1.35rem/1.3 Georgia,"Times New Roman",serif;margin-top:0}
.m{position:relative;color:inherit;background:var(--fam-bg);border-bottom:2px solid var(--fam);
border-radius:2px;padding:0 1px;cursor:help}
.m.sev-minor{border-bottom-style:dotted}
.m.sev-neutral{border-bottom:1px dashed var(--fam);background:none}
.m.sev-critical{background:var(--fam-bg-strong);border-bottom:4px double #c62828}
.m.multi{box-shadow:inset 0 -1px 0 var(--ink)}
.m.empty{padding:0 2px;font-weight:700;color:var(--fam)}
.m:target{outline:3px solid var(--accent);outline-offset:2px}
.tip{display:none;position:absolute;left:0;top:calc(100% + 6px);z-index:30;width:max-content;
max-width:min(26rem,80vw);padding:.5rem .7rem;background:#1d2430;color:#f4f4f2;
border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.25);
font:.88rem/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;white-space:normal;
text-align:left}
.m:hover>.tip,.m:focus>.tip{display:block}
.tip-item{display:block}
.tip-item+.tip-item{margin-top:.45rem;padding-top:.45rem;border-top:1px solid #4a5260}
.tip-head{display:block;font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;
color:#c9ced6}
.tip-msg{display:block}
.tip-fix{display:block;color:#9be29b;font-weight:600}
.cp{font:600 .7em ui-monospace,monospace;padding:0 .2em;border:1px solid currentColor;
border-radius:3px;color:#b00020}
.findings{font-size:.95rem;position:sticky;top:1rem;max-height:calc(100vh - 2rem);
overflow:auto}
.findings h2{margin:0 0 .6rem;font-size:1.1rem}
.findings ol{list-style:none;margin:0;padding:0}
.finding{margin:0 0 .6rem;padding:.55rem .75rem;background:var(--card);
border:1px solid var(--line);border-left:5px solid var(--fam);border-radius:6px}
.finding-head{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap;font-size:.85rem}
.finding p{margin:.2rem 0}
.rule{font-weight:700}
.loc{margin-left:auto;font-size:.82rem}
.msg{font-weight:600}
.flag q{font-family:Georgia,serif;background:var(--fam-bg);padding:0 2px}
.fix ins{text-decoration:none;font-weight:700;color:#1a7f37;background:rgba(26,127,55,.12);
padding:0 2px}
.fix.del{font-weight:700;color:#c62828}
.meta{color:var(--muted);font-size:.8rem}
.sev-badge{font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;
padding:.05rem .45rem;border-radius:4px;color:#fff;background:#5b6472}
.sev-badge.sev-major{background:#c62828}
.sev-badge.sev-critical{background:#7b0000}
.sev-badge.sev-minor{background:#a86a00}
.sev-badge.sev-neutral{background:#3b6e8f}
.clean{padding:.8rem;border-radius:6px;background:rgba(26,127,55,.12)}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.82rem;
font-weight:700;color:#fff;background:var(--v);text-transform:uppercase;letter-spacing:.04em}
.badges{display:flex;gap:.4rem;flex-wrap:wrap}
main.index{padding:1rem 2rem 2rem;overflow-x:auto}
table.articles{border-collapse:collapse;width:100%;background:var(--card);
border:1px solid var(--line);border-radius:8px;font-size:.93rem}
table.articles caption{text-align:left;color:var(--muted);padding:.3rem 0;font-size:.85rem}
.articles th,.articles td{padding:.5rem .6rem;border-bottom:1px solid var(--line);
text-align:left;vertical-align:top}
.articles th{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.articles .num{text-align:right;font-variant-numeric:tabular-nums}
.articles tbody tr:hover{background:rgba(47,93,138,.06)}
.score-cell{font-weight:700;white-space:nowrap}
.score-cell meter{display:block;width:5rem;margin-left:auto}
.art a{font-weight:600}
.sub{display:block;color:var(--muted);font:.78rem ui-monospace,monospace;word-break:break-all}
td.fam-col{font-weight:700;color:var(--fam)}
.small-tag{display:inline-block;margin-left:.3rem;font-size:.7rem;padding:0 .3rem;
border:1px solid #b07800;border-radius:3px;color:#b07800}
.foot{padding:1rem 2rem 2rem;color:var(--muted);font-size:.85rem;
border-top:1px solid var(--line);margin-top:1rem}
.foot p{max-width:60rem}
.signature code{word-break:break-all}
@media print{.filters,nav.top{display:none}.tip{display:none!important}
.findings{position:static;max-height:none}}
""".strip()
