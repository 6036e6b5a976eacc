"""Configuration: defaults, then ``auditor.toml`` or ``[tool.auditor]`` in ``pyproject.toml``
(the nearest one walking up from the working directory), then command-line options."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError
from .lm import DEFAULT_LM, MODELS
from .rules import SEVERITIES

__all__ = ["Config", "ConfigError", "load_config", "parse_codes"]


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
    # The FLU check's language model: smollm2-135m | gemma3-270m (true: the default); false: none
    lm: str | bool = DEFAULT_LM
    lm_context_chars: int = 600
    # FLU findings from this share of clean sentences up (None: the calibration's, 0.98 / 0.998)
    fluency_flag_level: float | None = None
    fluency_major_level: float | None = None
    max_chars: int = 1_000_000  # longer articles are cut (LIM001)
    time_budget: float = 30.0  # seconds a check may spend on one article (LIM002); 0: none
    accept: list[str] = field(default_factory=list)  # extra accepted-words files (Vale-style)
    reject: list[str] = field(default_factory=list)
    language_detector: str = "lingua"  # UNT001: lingua | langdetect | py3langid (extra "langid")
    per_path: dict[str, dict[str, Any]] = field(default_factory=dict)  # glob -> overrides
    exclude: list[str] = field(default_factory=list)
    source: str | None = None  # the file the settings came from

    def hash(self) -> str:
        data = dataclasses.asdict(self)
        data.pop("source")
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:8]

    def is_selected(self, code: str, path: str | None = None) -> bool:
        overrides = self.overrides_for(path)
        select = overrides.get("select", self.select)
        ignore = overrides.get("ignore", self.ignore)
        return _match_length(code, select) > _match_length(code, ignore)

    def overrides_for(self, path: str | None) -> dict[str, Any]:
        """The merged ``per_path`` settings whose glob matches ``path``, in sorted pattern order
        (later patterns win; ``ignore`` lists add up). Globs match the path relative to the
        folder of the configuration file, or the path as given."""
        if path is None or not self.per_path:
            return {}
        names = _path_forms(path.partition("#")[0], self.source)
        merged: dict[str, Any] = {}
        for pattern, overrides in sorted(self.per_path.items()):
            if any(fnmatch.fnmatchcase(name, pattern) for name in names):
                for key, value in overrides.items():
                    if key == "ignore":
                        value = [*merged.get("ignore", self.ignore), *value]
                    merged[key] = value
        return merged

    def is_excluded(self, path: str) -> bool:
        """Whether an ``exclude`` glob leaves ``path`` out. As in .gitignore, a glob without a
        slash matches any one folder or file name; one with a slash matches the path (relative
        to the configuration's folder) or a folder above it."""
        if not self.exclude:
            return False
        # The path relative to the configuration's folder if it lies inside, else as given.
        parts = _path_forms(path.partition("#")[0], self.source)[-1].split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        for pattern in self.exclude:
            pattern = pattern.strip("/")
            names = prefixes if "/" in pattern else parts
            if any(fnmatch.fnmatchcase(name, pattern) for name in names):
                return True
        return False

    def for_path(self, path: str | None) -> Config:
        """This configuration as it applies to one file (per-path overrides applied)."""
        overrides = self.overrides_for(path)
        return dataclasses.replace(self, **overrides) if overrides else self

    def wants_prefix(self, prefix: str) -> bool:
        """Could any rule with this family prefix be selected anywhere? (Whether its check
        runs also depends on the language model: ``auditor.registry.runs``.)"""
        selects = [*self.select, *(s for o in self.per_path.values() for s in o.get("select", []))]
        if any(s == "ALL" or s.startswith(prefix) or prefix.startswith(s) for s in selects):
            return not any(prefix.startswith(i) and i != "" for i in self.ignore if i != "ALL")
        return False

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _path_forms(path: str, source: str | None) -> tuple[str, ...]:
    """``path`` as given and relative to the configuration's folder (or the working one)."""
    return _path_forms_from(path, source, os.getcwd())


@functools.lru_cache(maxsize=4096)
def _path_forms_from(path: str, source: str | None, cwd: str) -> tuple[str, ...]:
    forms = [path.replace(os.sep, "/")]
    base = Path(source).resolve().parent if source else Path(cwd).resolve()
    try:
        relative = Path(cwd, path).resolve().relative_to(base).as_posix()
    except ValueError:
        relative = None
    if relative and relative not in forms:
        forms.append(relative)
    return tuple(forms)


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
            if isinstance(values.get(name), list):
                values[name] = [str((base / p).resolve()) for p in values[name]]
        style = values.get("style")
        if isinstance(style, str) and style.endswith((".yaml", ".yml")):
            values["style"] = str((base / style).resolve())  # a house-style file beside the config
        if isinstance(values.get("per_path"), dict):
            values["per_path"] = _normalized_per_path(values["per_path"], path)
        _known_codes_only(values, path)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    if values.get("lm") is True:
        values["lm"] = DEFAULT_LM
    config = Config(**values, source=source)
    _validate(config)
    return config


def _known_codes_only(values: dict[str, Any], path: Path) -> None:
    """Rule codes in a configuration file must name rules (flags are checked by parse_codes)."""
    per_path = values.get("per_path")
    tables = [("", values)]
    if isinstance(per_path, dict):
        tables += [(f"per_path '{g}': ", o) for g, o in per_path.items() if isinstance(o, dict)]
    for where, table in tables:
        for name in ("select", "ignore"):
            codes = table.get(name)
            if isinstance(codes, list) and all(isinstance(c, str) for c in codes):
                problem = unknown_code([c.upper() for c in codes])
                if problem:
                    raise ConfigError(f"{path}: {where}{name}: {problem}")


# Settings a ``[tool.auditor.per_path."GLOB"]`` table may override.
PER_PATH_KEYS = ("select", "ignore", "fail_on", "min_score")


def _normalized_per_path(table: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    normalized = {}
    for pattern, overrides in table.items():
        if not isinstance(overrides, dict):
            raise ConfigError(f"{path}: per_path '{pattern}' must be a table of settings")
        entry = {}
        for key, value in overrides.items():
            name = key.replace("-", "_")
            if name not in PER_PATH_KEYS:
                raise ConfigError(
                    f"{path}: per_path '{pattern}': unknown setting '{key}' "
                    f"(allowed: {', '.join(PER_PATH_KEYS)})"
                )
            if name in ("select", "ignore") and isinstance(value, list):
                value = [v.upper() if isinstance(v, str) else v for v in value]
            entry[name] = value  # checked with the rest in _validate
        normalized[pattern] = entry
    return normalized


def _validate(config: Config) -> None:
    if config.fail_on not in (*SEVERITIES, "never"):
        raise ConfigError(
            f"fail_on must be minor, major, critical or never, not '{config.fail_on}'"
        )
    if type(config.max_chars) is not int or config.max_chars < 1:
        raise ConfigError("max_chars must be a whole number of characters, at least 1")
    if type(config.time_budget) not in (int, float) or config.time_budget < 0:
        raise ConfigError("time_budget must be a number of seconds (0: no budget)")
    for name in ("fluency_flag_level", "fluency_major_level"):
        level = getattr(config, name)
        if level is not None and (type(level) not in (int, float) or not 0.5 <= level < 1):
            raise ConfigError(f"{name} must be a share of clean sentences from 0.5 to below 1")
    if config.lm is not False and (not isinstance(config.lm, str) or config.lm not in MODELS):
        raise ConfigError(
            f"lm must be one of {', '.join(MODELS)}, or false for none, not {config.lm!r}"
        )
    if not config.review_score <= config.pass_score:
        raise ConfigError("review_score must not be above pass_score")
    if config.language_detector not in ("lingua", "langdetect", "py3langid"):
        raise ConfigError(
            "language_detector must be lingua, langdetect or py3langid, "
            f"not '{config.language_detector}'"
        )
    for name in ("select", "ignore", "accept", "reject", "exclude"):
        value = getattr(config, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name} must be a list of strings")
    for name in ("accept", "reject"):
        for file in getattr(config, name):
            if not Path(file).is_file():
                raise ConfigError(f"{name}: no such word list '{file}'")
    if not isinstance(config.per_path, dict):
        raise ConfigError("per_path must be a table of glob = {settings}")
    for pattern, overrides in config.per_path.items():
        for name in ("select", "ignore"):
            value = overrides.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"per_path '{pattern}': {name} must be a list of strings")
        if overrides.get("fail_on", "never") not in (*SEVERITIES, "never"):
            raise ConfigError(
                f"per_path '{pattern}': fail_on must be minor, major, critical or never"
            )
        min_score = overrides.get("min_score", 0)
        if isinstance(min_score, bool) or not isinstance(min_score, int | float):
            raise ConfigError(f"per_path '{pattern}': min_score must be a number")


def parse_codes(text: str | None, flag: str = "--select") -> list[str] | None:
    """Comma-separated rule codes or prefixes from a flag; an unknown one is a usage error."""
    if text is None:
        return None
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    problem = unknown_code(codes)
    if problem:
        raise UsageError(f"{flag}: {problem}")
    return codes


def unknown_code(codes: list[str]) -> str | None:
    """What is wrong with the first entry of ``codes`` that names no rule (``ALL``, a rule code
    or a prefix of one, as ruff takes them), with the nearest known ones; None if all name
    rules. A typo must not select nothing and pass the gate silently."""
    from . import registry

    families = [f.prefix for f in registry.families()]
    known: list[str] | None = None
    for code in codes:
        if code == "ALL" or any(f.startswith(code) for f in families):
            continue
        if known is None:  # a code or a prefix longer than a family's: the rules themselves
            known = sorted(registry.all_rules())
        if any(rule.startswith(code) for rule in known):
            continue
        import difflib

        near = difflib.get_close_matches(code, [*families, *known], n=2, cutoff=0.5)
        hint = " or ".join(near) if near else f"a family: {', '.join(families)}"
        return f"unknown rule code or prefix '{code}' (did you mean {hint}?)"
    return None
