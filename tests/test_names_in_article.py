"""Declined forms in an article (issue 17): what the NAME check tells an editor when MT copies
a Czech, Polish, Slovene or German declined name into English copy. The texts are invented;
the people are gazetteer entries, and no spelling here is a name of the development data."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT
from test_names import audit, fixes


def named(result, rule=None):
    return [f for f in result.findings if rule is None or f.rule == rule]


def test_a_declined_form_is_called_one_with_what_its_ending_says():
    result = audit("The office said talks with Putinem would not happen.")
    (finding,) = named(result)
    assert finding.rule == "NAME001" and finding.replacements == ["Putin"]
    assert "is a declined form (Slavic instrumental ending) of Vladimir Putin" in finding.message
    assert "transliteration" not in finding.message
    assert finding.evidence["declined"] == "Slavic instrumental ending"


def test_given_name_and_surname_declined_in_one_case():
    # Czech genitive: -e after a sibilant is an ending only beside a given name declined the
    # same way, and only Czech writes it so.
    result = audit("Pedro Sánchez arrived. The talks with Pedra Sáncheze lasted three hours.")
    assert fixes(result) == {"Pedra Sáncheze": "Pedro Sánchez"}
    (finding,) = named(result)
    assert "declined form (Czech genitive or accusative ending) of Pedro Sánchez" in (
        finding.message
    )
    # A woman's given name before the surname as written is someone else, as before.
    assert named(audit("Pedra Sánchez spoke on Monday.")) == []


def test_a_german_genitive_becomes_the_english_possessive():
    result = audit("Olaf Scholz backed Selenskyjs plan on Monday.")
    assert fixes(result) == {"Selenskyjs": "Zelenskyy's"}
    (finding,) = named(result)
    assert "German genitive" in finding.message
    shouted = audit("SELENSKYJS PLAN\n\nOlaf Scholz backed it on Monday.")
    assert fixes(shouted) == {"SELENSKYJS": "ZELENSKYY'S"}
    # An English spelling with -s is a plural, not a genitive: "the Putins" is a family.
    assert named(audit("The Putins arrived on Monday.")) == []


def test_a_declined_given_name_before_the_surname():
    result = audit("Giorgia Meloni spoke first. Later, Giorgii Meloni thanked the guests.")
    assert fixes(result) == {"Giorgii Meloni": "Giorgia Meloni"}
    (finding,) = named(result)
    assert "has a declined given name (Slavic genitive, dative or locative ending)" in (
        finding.message
    )
    # Another person's given name stays what it was: no finding, no fix.
    assert named(audit("Giorgio Meloni spoke.")) == []


def test_no_second_finding_on_a_declined_form_but_a_real_mix_still_counts():
    result = audit("Pedro Sánchez arrived. She had invited Pedrem Sánchezem to a summit.")
    assert [(f.rule, f.text) for f in named(result)] == [("NAME001", "Pedrem Sánchezem")]
    result = audit(
        "Zelenskyj spoke first. Later Zelenskyy met the press. The office of Zełenskiego agreed."
    )
    mixed = named(result, "NAME003")
    assert len(mixed) == 1 and "Zelenskyj (1), Zelenskyy (1)" in mixed[0].message
    assert fixes(result) == {"Zelenskyj": "Zelenskyy", "Zełenskiego": "Zelenskyy"}


def test_fix_writes_base_forms_and_the_possessive(tmp_path):
    from auditor.cli import main

    path = tmp_path / "talks.md"
    path.write_text(
        "# Talks\n\nPresident Volodymyr Zelenskyy spoke. The office of Wołodymyra "
        "Zełenskiego said talks with Putinem would not happen. Olaf Scholz backed "
        "Selenskyjs plan.\n",
        encoding="utf-8",
    )
    assert main(["fix", "--write", str(path)]) in (0, 1)
    assert path.read_text(encoding="utf-8") == (
        "# Talks\n\nPresident Volodymyr Zelenskyy spoke. The office of Volodymyr Zelenskyy "
        "said talks with Putin would not happen. Olaf Scholz backed Zelenskyy's plan.\n"
    )


NAMES_DEV = ROOT.parent / "shared" / "data" / "names_dev"
OURS = (
    "Putinem Sáncheze Pedra Sánchezem Pedrem Selenskyjs Giorgii Zełenskiego Wołodymyra Zelenskyj"
).split()


@pytest.mark.skipif(not NAMES_DEV.is_dir(), reason="development data not present")
def test_spellings_are_not_from_the_data():
    """Fit on one set, report on another: no declined spelling here is a word of the
    development data's names (counted, never printed)."""
    seen = set()
    for path in NAMES_DEV.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row[:2]:
                    seen.update(w.casefold() for w in cell.split())
    assert len({w.casefold() for w in OURS} & seen) == 0
