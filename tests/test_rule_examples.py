"""Every rule carries examples, as ruff's and proselint's do: an article it fires on, with the
fix it offers, and one it leaves alone. Each is audited here as ``auditor check`` would audit
it; a rule without both kinds fails the suite. Rules of a family that needs the language model
run under the ``lm`` marker."""

from __future__ import annotations

import pytest
from rule_examples import findings_of

from auditor import registry


def _cases():
    for family in registry.families():
        marks = [pytest.mark.lm] if family.uses_lm else []
        for rule in family.rules:
            for n, example in enumerate(rule.examples):
                kind = "fires" if example.fires else "clean"
                yield pytest.param(family, rule, example, id=f"{rule.code}-{n}-{kind}", marks=marks)


def test_every_rule_has_an_example_that_fires_and_one_that_stays_clean():
    missing = [
        rule.code
        for family in registry.families()
        for rule in family.rules
        if not any(e.fires for e in rule.examples) or all(e.fires for e in rule.examples)
    ]
    assert missing == []


@pytest.mark.parametrize(("family", "rule", "example"), list(_cases()))
def test_rule_example(family, rule, example, tmp_path, monkeypatch):
    if example.fault:  # LIM003: a check with a bug, which no input should reproduce
        [broken] = [c for c in registry.check_classes() if c.family.check == example.fault]

        def fail(self, doc, earlier=None):
            raise RuntimeError("a bug in the example")

        monkeypatch.setattr(broken, "check", fail)
    found = findings_of(rule.code, example, tmp_path, lm=family.uses_lm)
    got = [(f.text, f.replacements[0] if f.replacements else None) for f in found]
    if example.fires:
        assert (example.flags, example.fix) in got
    else:
        assert got == []
