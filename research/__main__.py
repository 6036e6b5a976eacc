"""``python -m research [NAME [ARGS...]]``: run one study, or list them."""

from __future__ import annotations

import importlib
import sys

from research import STUDIES


def summary(module: str) -> str:
    doc = importlib.import_module(module).__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m research NAME [ARGS...]; the studies:")
        width = max(map(len, STUDIES))
        for name, module in STUDIES.items():
            print(f"  {name:<{width}}  {summary(module)}")
        return 0
    name, *rest = argv
    if name not in STUDIES:
        print(f"research: no study {name!r} (choose from {', '.join(STUDIES)})", file=sys.stderr)
        return 2
    return int(importlib.import_module(STUDIES[name]).main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
