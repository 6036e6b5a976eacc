"""The package's import graph: no cycles, and no module imports one of a higher layer.

Read from the source with ``ast`` (every import, at module level or inside a function; those
under ``if TYPE_CHECKING:`` are for annotations only and do not count). The layers, lowest
first; a module may import its own layer and the ones below:

1. core: ``version paths errors rules document spans atomic config handover registry lm``
   (the registry names the check modules and loads them by name when first asked, as a list
   of plug-ins: what a family is, not how it checks; ``lm`` holds the language models' specs,
   which the configuration names, and loads a model lazily, importing nothing above this layer)
2. reading: ``ingest segment limits changes stats``
3. the machinery behind the checks: ``lexicon language names fluency reference boilerplate
   debris``
4. ``checks``: one module per rule family
5. the pipeline: ``scoring pipeline parallel resume``
6. ``reporters``, which know nothing of checks
7. the command line: ``commands cli progress __main__``, the web server ``server`` and the
   package's API (``auditor/__init__``)

``research/`` and ``benchmarks/`` stand outside: they import the product, never the reverse.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = (
    "version paths errors rules document spans atomic config handover registry lm",
    "ingest segment limits changes stats",
    "lexicon language names fluency reference boilerplate debris",
    "checks",
    "scoring pipeline parallel resume",
    "reporters",
    "commands cli progress server __main__ __init__",
)
LAYER = {name: n for n, names in enumerate(LAYERS) for name in names.split()}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p) for p in (ROOT / "auditor").rglob("*.py")}


def imports(path: Path, name: str) -> set[str]:
    """The ``auditor`` modules ``path`` imports (a package's ``from . import x`` counts as x)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If)
        and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for stmt in node.body
        for n in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:  # a submodule, or a name from the module ``base``
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def graph() -> dict[str, set[str]]:
    return {
        module_name(p): imports(p, module_name(p)) for p in sorted((ROOT / "auditor").rglob("*.py"))
    }


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYER[parts[1] if len(parts) > 1 else "__init__"]


def test_every_module_has_a_layer():
    assert [m for m in graph() if (m.split(".") + ["__init__"])[1] not in LAYER] == []


def test_no_module_imports_a_higher_layer():
    wrong = sorted(
        f"{m} (layer {layer(m) + 1}) imports {i} (layer {layer(i) + 1})"
        for m, targets in graph().items()
        for i in targets
        if layer(i) > layer(m)
    )
    assert wrong == []


def test_no_import_cycles():
    edges = graph()
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []
