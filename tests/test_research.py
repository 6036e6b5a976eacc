"""The studies in ``research/`` keep their convention: a module per study, with a docstring and
``main(argv)``, registered in ``research.STUDIES``, run by ``python -m research NAME``."""

from __future__ import annotations

import importlib
import subprocess
import sys

from conftest import ROOT

from research import STUDIES

SUPPORT = {"__init__", "__main__", "data", "fluency_data"}  # entry point, what studies share


def test_every_study_module_is_registered_and_runnable():
    modules = {p.stem for p in (ROOT / "research").glob("*.py")} - SUPPORT
    assert sorted(modules) == sorted(m.removeprefix("research.") for m in STUDIES.values())
    for name, module in STUDIES.items():
        study = importlib.import_module(module)
        assert (study.__doc__ or "").strip(), f"{name}: no docstring"
        assert callable(getattr(study, "main", None)), f"{name}: no main(argv)"


def test_python_m_research_lists_the_studies():
    done = subprocess.run(
        [sys.executable, "-m", "research"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert [line.split()[0] for line in done.stdout.splitlines()[1:]] == list(STUDIES)


def test_an_unknown_study_is_one_line_and_exit_2():
    done = subprocess.run(
        [sys.executable, "-m", "research", "nosuch"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "nosuch" in done.stderr
