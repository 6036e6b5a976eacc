"""Markdown for review threads and wikis: a summary table of the run, then each article with its
verdict, the basis of its score and its findings in reading order, each quoted in its context
with the flagged text in bold and the suggestion.

Article text is untrusted and only ever placed mid-line: every character that means something
inline (emphasis, code, links, images, HTML, entities, table cells, maths, GFM autolinks) is
backslash-escaped, so it can open no link, image, tag or cell.
"""

from __future__ import annotations

import unicodedata

from ..atomic import write_text
from ..document import DocumentResult, Finding
from ..scoring import REFERENCE_WORDS, basis_of, family, format_score, summarize
from . import Reporter, relative_path
from .palette import family_name

_INLINE_SYNTAX = set("\\`*_[]<>&|~!$:@")
CONTEXT_CHARS = 70
VERDICT_ORDER = ("fail", "review", "pass")


def md(text: str) -> str:
    """Untrusted text as inert inline Markdown on one line."""
    out = []
    for ch in text:
        if ch in _INLINE_SYNTAX:
            out.append("\\" + ch)
        elif ch in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d":
            out.append(f"`U+{ord(ch):04X}`")
        else:
            out.append(ch)
    # "www." starts a GFM autolink even without a colon.
    return "".join(out).replace("www.", "www\\.").replace("WWW.", "WWW\\.")


class MarkdownReporter(Reporter):
    name = "markdown"
    extension = "md"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.sections: list[str] = []

    def add(self, result: DocumentResult) -> None:
        path = relative_path(result.path, self.ctx.root)
        self.sections.append(self._article(result, path))
        # The summary table needs only the numbers; the text can go.
        result_light = DocumentResult(**{**_light_fields(result), "path": path})
        self.results.append(result_light)

    def finish(self) -> None:
        write_text(self.ctx.output, self.render(self.results))

    def render(self, results: list[DocumentResult]) -> str:
        summary = summarize(results, self.ctx.config.small_sample_words)
        verdicts = ", ".join(
            f"{summary.verdicts[v]} {v}" for v in VERDICT_ORDER if summary.verdicts[v]
        )
        lines = ["# Translation quality audit", ""]
        intro = f"{summary.articles} article{'s' if summary.articles != 1 else ''}"
        if verdicts:
            intro += f" ({verdicts})"
        intro += f", {summary.findings} findings, {summary.errors} errors"
        intro += f", {summary.empty} empty." if summary.empty else "."
        if summary.audited:
            intro += (
                f" Corpus score **{format_score(summary.score)}** over {summary.words:,} target "
                f"words ({summary.penalty_per_1000_words:.1f} penalty per "
                f"{REFERENCE_WORDS:,} words)."
            )
        lines += [intro, ""]
        if results:
            lines += [
                "| Verdict | Score | Article | Outlet | Source | Words | Findings "
                f"| Penalty per {REFERENCE_WORDS:,} words |",
                "|---|---:|---|---|---|---:|---:|---:|",
            ]
            for r in results:
                verdict = (r.verdict or r.status).upper()
                per_1000 = r.extra.get("penalty_per_1000_words")
                lines.append(
                    f"| {verdict} | {format_score(r.score)} | {md(r.path)} | {md(r.outlet or '')} "
                    f"| {md(r.source_lang or '')} | {r.words:,} | {len(r.findings)} "
                    f"| {'' if per_1000 is None else f'{per_1000:.1f}'} |"
                )
            lines.append("")
        lines += self.sections
        lines += [
            "---",
            "",
            f"Score: MQM raw model (minor 1, major 5, critical 25; statistical findings weighted "
            f"by confidence), score = 100 × (1 − penalty ÷ target words); pass at "
            f"{self.ctx.config.pass_score:g}, review at {self.ctx.config.review_score:g}, any "
            "critical finding fails.",
            "",
            f"Signature: `{self.ctx.signature}`",
            "",
        ]
        return "\n".join(lines)

    def _article(self, result: DocumentResult, path: str) -> str:
        title = result.title or result.id or path
        if result.status == "empty":
            return f"## {md(path)}\n\n**EMPTY:** {md(result.why_not_audited)}\n"
        if result.status != "ok":
            return f"## {md(path)}\n\n**ERROR:** {md(result.error or 'error')}\n"
        verdict = (result.verdict or "-").upper()
        lines = [f"## {verdict} {format_score(result.score)} · {md(title)}", ""]
        facts = [md(path)]
        if result.outlet:
            facts.append(f"outlet {md(result.outlet)}")
        if result.source_lang:
            facts.append(f"source language {md(result.source_lang)}")
        lines += [" · ".join(facts), ""]
        reason = result.extra.get("verdict_reason")
        if reason:
            lines += [f"**Verdict:** {md(reason)}. **Basis:** {md(basis_of(result))}.", ""]
        else:
            lines += [f"**Basis:** {md(basis_of(result))}.", ""]
        for note in result.notes:
            lines += [f"> **Note:** {md(note)}", ""]
        if not result.findings:
            lines += ["No findings.", ""]
            return "\n".join(lines)
        text = result.text or ""
        for n, f in enumerate(sorted(result.findings, key=lambda f: (f.start, f.end, f.rule)), 1):
            where = f"line {f.line}, col {f.col}" if f.line else f.where
            lines.append(
                f"{n}. **{f.rule}** {f.severity} ({family_name(family(f.rule))}), {where}: "
                f"{md(f.message)}"
            )
            lines.append(f"   > {_in_context(text, f)}")
            if f.replacements:
                first = f.replacements[0]
                fix = "delete it" if not first.strip() else f"replace with **{md(first)}**"
                lines.append(f"   >\n   > Suggestion: {fix}")
        lines.append("")
        return "\n".join(lines)


def _in_context(text: str, f: Finding) -> str:
    flagged = f.text if f.text.strip() else "⁁"
    if not text:
        return f"**{md(flagged)}**"
    before = text[max(0, f.start - CONTEXT_CHARS) : f.start]
    after = text[f.end : f.end + CONTEXT_CHARS]
    before = before.rsplit("\n", 1)[-1]
    after = after.split("\n", 1)[0]
    lead = "…" if f.start - len(before) > 0 and text[f.start - len(before) - 1] != "\n" else ""
    tail = "…" if f.end + len(after) < len(text) and text[f.end + len(after)] != "\n" else ""
    return f"{lead}{md(before)}**{md(flagged.strip())}**{md(after)}{tail}"


def _light_fields(r: DocumentResult) -> dict:
    return {
        "path": r.path,
        "id": r.id,
        "status": r.status,
        "error": r.error,
        "outlet": r.outlet,
        "source_lang": r.source_lang,
        "words": r.words,
        "penalty": r.penalty,
        "score": r.score,
        "verdict": r.verdict,
        "findings": r.findings,
        "extra": r.extra,
    }
