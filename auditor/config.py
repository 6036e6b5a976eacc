"""Configuration: defaults, then ``auditor.toml`` or ``[tool.auditor]`` in ``pyproject.toml``
(the nearest one walking up from the working directory), then command-line options."""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEVERITY_ORDER = {"neutral": 0, "minor": 1, "major": 2, "critical": 3}


class ConfigError(Exception):
    """A configuration problem; the message is one line."""


@dataclass
class Config:
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    style: str = "ap"
    fail_on: str = "major"  # minor | major | critical | never
    min_score: float | None = None
    pass_score: float = 97.0
    review_score: float = 90.0
    small_sample_words: int = 300
    lm: bool = True
    lm_batch_size: int = 16
    lm_context_chars: int = 600
    max_chars: int = 1_000_000
    accept: list[str] = field(default_factory=list)  # extra accepted-words files (Vale-style)
    reject: list[str] = field(default_factory=list)
    per_path: dict[str, dict[str, Any]] = field(default_factory=dict)  # glob -> overrides
    exclude: list[str] = field(default_factory=list)
    source: str | None = None  # the file the settings came from

    def hash(self) -> str:
        data = dataclasses.asdict(self)
        data.pop("source")
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:8]

    def is_selected(self, code: str, path: str | None = None) -> bool:
        select, ignore = self.select, self.ignore
        if path is not None:
            for pattern, overrides in sorted(self.per_path.items()):
                if fnmatch.fnmatch(path, pattern):
                    select = overrides.get("select", select)
                    ignore = [*ignore, *overrides.get("ignore", [])]
        return _match_length(code, select) > _match_length(code, ignore)

    def wants_prefix(self, prefix: str) -> bool:
        """Could any rule with this family prefix be selected anywhere?"""
        if prefix == "FLU" and not self.lm:
            return False
        selects = [*self.select, *(s for o in self.per_path.values() for s in o.get("select", []))]
        if any(s == "ALL" or s.startswith(prefix) or prefix.startswith(s) for s in selects):
            return not any(prefix.startswith(i) and i != "" for i in self.ignore if i != "ALL")
        return False

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _match_length(code: str, prefixes: list[str]) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


def find_config_file(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "auditor.toml"
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _read_toml(candidate).get("tool", {}).get("auditor")
            if table is not None:
                return candidate, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}


def load_config(
    overrides: dict[str, Any] | None = None, start: Path | None = None, use_files: bool = True
) -> Config:
    values: dict[str, Any] = {}
    source = None
    found = find_config_file(start) if use_files else None
    if found:
        path, table = found
        source = str(path)
        for key, value in table.items():
            name = key.replace("-", "_")
            if name not in _FIELDS or name == "source":
                raise ConfigError(f"{path}: unknown setting '{key}'")
            values[name] = value
        base = path.parent
        for name in ("accept", "reject"):
            if name in values:
                values[name] = [str((base / p).resolve()) for p in values[name]]
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    config = Config(**values, source=source)
    _validate(config)
    return config


def _validate(config: Config) -> None:
    if config.fail_on not in (*SEVERITY_ORDER, "never"):
        raise ConfigError(f"fail_on must be minor, major, critical or never, not '{config.fail_on}'")
    if not config.review_score <= config.pass_score:
        raise ConfigError("review_score must not be above pass_score")
    for name in ("select", "ignore", "accept", "reject", "exclude"):
        value = getattr(config, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name} must be a list of strings")


def parse_codes(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c.strip().upper() for c in text.split(",") if c.strip()]
