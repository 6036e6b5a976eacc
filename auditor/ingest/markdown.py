"""Markdown with YAML front matter: the prose is kept in place, everything else is blanked.

Blanking (replacing characters by spaces, keeping newlines) rather than cutting keeps every
offset of the prose equal to its offset in the file, so line and column stay exact.
"""

from __future__ import annotations

import re

import yaml

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+")
_LIST_MARK = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_QUOTE_MARK = re.compile(r"^[ ]{0,3}(?:>[ \t]?)+")
_RULE_LINE = re.compile(r"^[ ]{0,3}(?:[-*_][ \t]*){3,}$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK_TARGET = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)|(?<=\S)(\*{1,3}|_{1,3})(?![\w*])")
_INLINE_CODE = re.compile(r"`[^`\n]+`")


def _blank(s: str) -> str:
    return re.sub(r"[^\n]", " ", s)


def split_front_matter(text: str) -> tuple[dict, int]:
    """Return (front matter mapping, offset where the body starts)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    try:
        meta = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise ValueError(f"front matter is not valid YAML: {first}") from exc
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a YAML mapping")
    return meta, m.end()


def prose(body: str) -> str:
    """The body with code, markup and comments blanked; same length as ``body``."""
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
        if (line.startswith("    ") or line.startswith("\t")) and (previous_blank or in_indented_code):
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
    text = "\n".join(out)
    text = _HTML_COMMENT.sub(lambda m: _blank(m.group(0)), text)
    text = _INLINE_CODE.sub(lambda m: _blank(m.group(0)), text)
    text = _LINK_TARGET.sub(
        lambda m: " " * (len(m.group(1)) + 1) + m.group(2) + " " * (len(m.group(3)) + 3), text
    )
    text = _EMPHASIS.sub(lambda m: " " * len(m.group(0)), text)
    return text
