"""A regular install carries the reviewed data: every file in corpora/ is listed in
pyproject.toml's data-files, and the package finds it where that install puts it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from auditor import paths

ROOT = Path(__file__).resolve().parent.parent


def test_every_corpora_file_is_installed_as_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["setuptools"]["data-files"]
    installed = {}
    for target, patterns in listed.items():
        for pattern in patterns:
            for path in ROOT.glob(pattern):
                if path.is_file():
                    installed[path.relative_to(ROOT)] = Path(target) / path.name
    files = {p.relative_to(ROOT) for p in (ROOT / "corpora").rglob("*") if p.is_file()}
    assert files - set(installed) == set(), "add these to [tool.setuptools.data-files]"
    for source, target in installed.items():
        assert target == Path("share/auditor") / source


def test_without_a_checkout_the_data_is_found_under_the_install_prefix(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "auditor"
    package.mkdir(parents=True)
    monkeypatch.delenv("AUDITOR_CORPORA", raising=False)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    monkeypatch.setattr(paths.sys, "prefix", str(tmp_path / "venv"))
    assert paths.corpora_dir() == tmp_path / "venv" / "share" / "auditor" / "corpora"
    monkeypatch.setenv("AUDITOR_CORPORA", str(tmp_path / "mine"))
    assert paths.corpora_dir() == tmp_path / "mine"


def test_a_checkout_uses_its_own_corpora(monkeypatch):
    monkeypatch.delenv("AUDITOR_CORPORA", raising=False)
    assert paths.corpora_dir() == ROOT / "corpora"
