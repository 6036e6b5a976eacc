"""The README's worked example of a new rule family: its module, as the README prints it, plus
one registry line is all it takes for the family to run, score, report, explain itself and have
its examples tested."""

from __future__ import annotations

import json
import re
import sys

import pytest
from conftest import ROOT
from rule_examples import findings_of

from auditor import registry


@pytest.fixture
def doubled(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Adding a rule family") :]
    source = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "toy_doubled.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "CHECKS", (*registry.CHECKS, "toy_doubled:DoubledWordCheck"))
    yield registry.family_of("DUP")
    sys.modules.pop("toy_doubled", None)


def test_a_new_family_is_one_module_plus_one_registry_line(doubled, run_cli, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("Read also: the the harbour\n\nThe minister said the the talks go on.\n")
    code, out, err = run_cli("check", article, "--no-lm", "--isolated", "-f", "json")
    [doc] = json.loads(out)["documents"]
    dup = [f for f in doc["findings"] if f["rule"] == "DUP001"]
    # Once, in the article text: the doubled word in the debris line is not reported.
    assert [(f["text"], f["replacements"]) for f in dup] == [("the the", ["the"])]
    assert code == 1  # a major finding fails the default gate
    assert "doubled" in json.loads(out)["signature"]
    code, out, _ = run_cli("rule", "DUP001")
    assert code == 0 and "doubled words" in out and 'flags "the the", suggests "the"' in out
    assert registry.family_order().index("DUP") == registry.family_order().index("LEX") + 1
    code, out, _ = run_cli("check", article, "--no-lm", "--isolated", "-f", "csv", "-o", tmp_path)
    assert "findings_dup" in (tmp_path / "articles.csv").read_text().splitlines()[0]


def test_the_new_familys_examples_hold(doubled, tmp_path):
    [rule] = doubled.rules
    for n, example in enumerate(rule.examples):
        found = findings_of(rule.code, example, tmp_path / str(n), lm=False)
        got = [(f.text, f.replacements[0]) for f in found]
        assert got == ([(example.flags, example.fix)] if example.fires else [])


def test_the_readme_rule_tables_are_the_generated_ones(run_cli):
    code, out, _ = run_cli("rule", "--all", "--format", "markdown")
    assert code == 0
    tables = re.findall(r"^## (\w+):.*?\n\n(\| rule \|.*?\n)\n", out, re.S | re.M)
    assert [family for family, _ in tables] == registry.family_order(
        f.prefix for f in registry.families()
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [family for family, table in tables if table not in readme] == []
