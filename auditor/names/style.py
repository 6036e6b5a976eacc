"""House styles for names: which accepted spelling an outlet uses (AP: Zelenskyy, Reuters:
Zelenskiy, BBC: Zelensky) and the fixed phrases it leaves alone (chicken Kiev, Kievan Rus).

A style is ``corpora/styles/<name>.yaml`` or any YAML file given by path. Entities a style does
not mention keep every accepted spelling: a style only narrows what it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..paths import corpora_dir, parse_yaml

BUILTIN = ("ap", "reuters", "bbc")


class StyleError(ValueError):
    pass


@dataclass(frozen=True)
class Style:
    name: str
    title: str
    prefer: dict[str, str] = field(default_factory=dict)  # entity id -> spelling of the part
    prefer_given: dict[str, str] = field(default_factory=dict)
    exceptions: tuple[str, ...] = ()

    def exception_spans(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for phrase in self.exceptions:
            pattern = r"(?<!\w)" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?!\w)"
            spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
        return sorted(spans)


def style_path(name_or_path: str) -> Path:
    """A built-in style by name (any case), else the path of a style file."""
    if re.fullmatch(r"[\w-]+", name_or_path or ""):
        candidate = corpora_dir() / "styles" / f"{name_or_path.lower()}.yaml"
        if candidate.is_file():
            return candidate
    return Path(name_or_path)


def load_style(name_or_path: str, known_entities=None) -> Style:
    path = style_path(name_or_path)
    if not path.is_file():
        raise StyleError(
            f"unknown style '{name_or_path}' (choose {', '.join(BUILTIN)} or give a YAML file)"
        )
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "unreadable"
        raise StyleError(f"{path}: cannot read style: {first}") from exc
    if not isinstance(data, dict):
        raise StyleError(f"{path}: a style file is a YAML mapping")
    prefer = data.get("prefer") or {}
    prefer_given = data.get("prefer_given") or {}
    exceptions = data.get("exceptions") or []
    for label, table in (("prefer", prefer), ("prefer_given", prefer_given)):
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in table.items()
        ):
            raise StyleError(f"{path}: '{label}' maps entity ids to spellings")
        if known_entities is not None:
            unknown = sorted(set(table) - set(known_entities))
            if unknown:
                raise StyleError(f"{path}: '{label}' names unknown entity '{unknown[0]}'")
    if not isinstance(exceptions, list) or not all(isinstance(e, str) for e in exceptions):
        raise StyleError(f"{path}: 'exceptions' is a list of phrases")
    return Style(
        name=str(data.get("style") or path.stem),
        title=str(data.get("title") or path.stem),
        prefer=dict(prefer),
        prefer_given=dict(prefer_given),
        exceptions=tuple(exceptions),
    )
