"""Markdown with YAML front matter: the prose is kept in place, everything else is blanked.

Blanking (replacing characters by spaces, keeping newlines) rather than cutting keeps every
offset of the prose equal to its offset in the file, so line and column stay exact.
"""

from __future__ import annotations

import re

import yaml

from ..paths import parse_yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+")
_LIST_MARK = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE_MARK = re.compile(r"^[ ]{0,3}(?:>[ \t]?)+")
_RULE_LINE = re.compile(r"^[ ]{0,3}(?:[-*_][ \t]*){3,}$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Link text stops at the next "[" and targets are at most 2,048 characters, so a line of
# 100,000 brackets costs linear time, not a rescan to the end of the line per bracket.
_LINK_TARGET = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^)\n]{0,2048})\)")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)|(?<=\S)(\*{1,3}|_{1,3})(?![\w*])")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_DIRECTIVE = re.compile(
    r"<!--[ \t]*auditor-(disable-next-line|disable|enable)(?=\s|-->)((?:(?!-->).)*?)[ \t]*-->",
    re.S | re.I,
)
_CODE_SEP = re.compile(r"[\s,]+")


def _last_comment_end(text: str) -> int:
    """Where the last "-->" ends: comment patterns need not look further, and a "<!--" after
    it would otherwise rescan to the end of the text for every opener (quadratic)."""
    return text.rfind("-->") + 3 if "-->" in text else 0


def _blank(s: str) -> str:
    return re.sub(r"[^\n]", " ", s)


def split_front_matter(text: str) -> tuple[dict, int]:
    """Return (front matter mapping, offset where the body starts)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    try:
        meta = parse_yaml(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise ValueError(f"front matter is not valid YAML: {first}") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a YAML mapping")
    return meta, m.end()


def prose(body: str) -> str:
    """The body with code, markup and comments blanked; same length as ``body``."""
    text = _blank_blocks(body)
    closed = _last_comment_end(text)
    text = _HTML_COMMENT.sub(lambda m: _blank(m.group(0)), text[:closed]) + text[closed:]
    text = _INLINE_CODE.sub(lambda m: _blank(m.group(0)), text)
    text = _LINK_TARGET.sub(
        lambda m: " " * (len(m.group(1)) + 1) + m.group(2) + " " * (len(m.group(3)) + 3), text
    )
    text = _EMPHASIS.sub(lambda m: " " * len(m.group(0)), text)
    return text


def disabled_regions(body: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Spans of ``body`` where inline comments switch rules off, as (start, end, codes).

    ``<!-- auditor-disable NAME001, BOIL -->`` switches codes (or prefixes; none means all)
    off until ``<!-- auditor-enable -->`` (all) or ``<!-- auditor-enable NAME001 -->`` (those
    opened with that code), else to the end; ``<!-- auditor-disable-next-line CODES -->``
    covers the line after the comment. Comments inside code blocks do not count.
    """
    regions: list[tuple[int, int, tuple[str, ...]]] = []
    open_at: dict[str, int] = {}
    blanked = _blank_blocks(body)
    for m in _DIRECTIVE.finditer(blanked, 0, _last_comment_end(blanked)):
        kind = m.group(1).lower()
        codes = tuple(dict.fromkeys(c.upper() for c in _CODE_SEP.split(m.group(2)) if c))
        if kind == "disable-next-line":
            start = body.find("\n", m.end())
            if start != -1:
                end = body.find("\n", start + 1)
                regions.append((start + 1, len(body) if end == -1 else end, codes or ("ALL",)))
        elif kind == "disable":
            for code in codes or ("ALL",):
                open_at.setdefault(code, m.end())
        else:
            for code in codes or tuple(open_at):
                if code in open_at:
                    regions.append((open_at.pop(code), m.start(), (code,)))
    regions.extend((start, len(body), (code,)) for code, start in open_at.items())
    return sorted(regions)


def _blank_blocks(body: str) -> str:
    """``body`` with front-of-line markup and code blocks blanked; inline markup kept."""
    lines = body.split("\n")
    out: list[str] = []
    fence: str | None = None
    previous_blank = True
    in_indented_code = False
    for line in lines:
        if fence is not None:
            out.append(_blank(line))
            if line.strip().startswith(fence):
                fence = None
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)[0] * 3
            out.append(_blank(line))
            continue
        is_blank = not line.strip()
        if (line.startswith("    ") or line.startswith("\t")) and (
            previous_blank or in_indented_code
        ):
            if not is_blank:
                in_indented_code = True
                out.append(_blank(line))
                continue
        elif not is_blank:
            in_indented_code = False
        previous_blank = is_blank
        if _RULE_LINE.match(line):
            out.append(_blank(line))
            continue
        for pattern in (_HEADING, _QUOTE_MARK, _LIST_MARK):
            m = pattern.match(line)
            if m:
                line = " " * m.end() + line[m.end() :]
        out.append(line)
    return "\n".join(out)
