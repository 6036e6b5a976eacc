"""``auditor config``: print the effective configuration and the file it came from.

The output is TOML in ``auditor.toml`` form (under ``[tool.auditor]`` in ``pyproject.toml`` the
same keys apply), so it can be copied into a repository as a starting point.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def register(sub) -> None:
    p = sub.add_parser("config", help="print the effective configuration and its source")
    p.add_argument("--format", "-f", choices=["toml", "json"], default="toml")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument(
        "--path",
        metavar="FILE",
        help="show the settings as they apply to FILE (per-path overrides applied)",
    )
    p.set_defaults(func=run)


def run(args) -> int:
    from ..config import load_config

    config = load_config(use_files=not args.isolated)
    if args.path:
        config = config.for_path(args.path)
    values = config.to_dict()
    source = values.pop("source")
    if args.format == "json":
        sys.stdout.write(json.dumps({"source": source, "config": values}, indent=2) + "\n")
        return 0
    sys.stdout.write(to_toml(values, source, args.path))
    return 0


def to_toml(values: dict[str, Any], source: str | None, path: str | None = None) -> str:
    lines = [f"# source: {source or 'defaults (no auditor.toml or [tool.auditor] found)'}"]
    if path:
        lines.append(f"# as applied to: {Path(path).as_posix()}")
    tables = {}
    for key, value in values.items():
        if isinstance(value, dict):
            tables[key] = value
        elif value is None:
            lines.append(f"# {key} is not set")
        else:
            lines.append(f"{key} = {_value(value)}")
    for key, table in tables.items():
        if not table:
            lines.append(f"{key} = {{}}")
            continue
        for name, settings in sorted(table.items()):
            lines.append("")
            lines.append(f"[{key}.{_string(name)}]")
            lines.extend(f"{k} = {_value(v)}" for k, v in settings.items())
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return repr(value)
