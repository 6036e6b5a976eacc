"""The command line: ``auditor COMMAND ...``. Each command lives in ``auditor/commands/``.

Exit codes, as ruff's: 0 the gate passed, 1 the gate failed, 2 usage, configuration, input or
runtime error. Every error is one line on stderr naming the problem.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from .errors import ConfigError, UsageError

# Command modules, each with ``register(subparsers)`` setting ``func`` on its parser.
COMMANDS = (
    "check",
    "config",
    "compare",
    "report",
    "rule",
    "names",
    "fix",
    "fluency",
    "eval",
    "serve",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="auditor", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"auditor.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .lm import ModelMissing

    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "func", None):
            raise UsageError("a command is required (try 'auditor check PATH')")
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"auditor: error: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"auditor: config error: {exc}", file=sys.stderr)
        return 2
    except ModelMissing as exc:  # the language model checks were wanted but cannot run
        print(f"auditor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # an output that cannot be written, a disk that is full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"auditor: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never exit 1, the gate's code, on a crash
        print(f"auditor: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        return 2
