"""MECH rules: a/an, spacing around punctuation, doubled words, unbalanced marks, and their fixes
applied by ``auditor fix``."""

from __future__ import annotations

import pytest

from auditor.checks import Resources
from auditor.checks.mechanics import MechanicsCheck
from auditor.config import load_config
from auditor.document import Document
from auditor.segment import segment


@pytest.fixture(scope="module")
def check() -> MechanicsCheck:
    config = load_config({"lm": False}, use_files=False)
    return MechanicsCheck(config, Resources(config))


def found(check, text: str) -> list[tuple[str, str, list[str]]]:
    doc = segment(Document(path="t.md", id="t", text=text))
    return [(f.rule, f.text, f.replacements) for f in check.check(doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels agreed to an truce that would last a hour.",
         [("MECH001", "an", ["a"]), ("MECH001", "a", ["an"])]),
        ("An union spokesman said a honest answer was owed.",
         [("MECH001", "An", ["A"]), ("MECH001", "a", ["an"])]),
        ("Police found the car.Officers then searched the house.",
         [("MECH002", "car.Officers", ["car. Officers"])]),
        ("The mayor resigned,citing ill health.", [("MECH002", "resigned,citing",
                                                    ["resigned, citing"])]),
        ("The vote was close , officials said .",
         [("MECH003", "close ,", ["close,"]), ("MECH003", "said .", ["said."])]),
        ("Officials said that the the bridge would reopen.",
         [("MECH004", "the the", ["the"])]),
        ("The senator (a Democrat from Ohio said nothing.", [("MECH005", "(", [""])]),
        ("She called it “a betrayal of voters and left.", [("MECH005", "“", [""])]),
    ],
)  # fmt: skip
def test_slips_are_found_with_their_fix(check, text, expected):
    assert found(check, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It took an hour to reach a university hospital, a one-way trip of a European scale.",
        "An FBI agent and a NATO envoy met an SUV driver near a URL shortener office.",
        "Plan A is an honest option, an historic one, said a U.S. official on Tuesday.",
        "The U.S. economy grew 2.5 percent, the report on www.example.gov.Uk said.",
        "He had had enough; she said that that was all. Dr.Watson is a name in a title.",
        "The ratio was 3:1 in 2024, and 1,250 people voted... for now.",
        "Items: 1) roads, 2) bridges; the rest (schools) later :) he wrote.",
        "He is 5'11\" tall.",
        "Sirhan Sirhan was named in the report on New York.",
    ],
)
def test_english_that_is_right_stays_clean(check, text):
    assert found(check, text) == []


def test_a_quotation_running_over_paragraphs_is_not_unbalanced(check):
    text = (
        "“We will rebuild every school,” she said. “It will take years.\n\n"
        "“But we have begun, and nobody will stop us.”\n\n"
        "The ministry gave no figures."
    )
    assert found(check, text) == []


def test_markup_left_blank_is_not_a_space_before_punctuation(tmp_path, run_cli):
    article = tmp_path / "a.md"
    article.write_text("The minister said **no**. See [the report](http://x.org/a).\n")
    code, out, _ = run_cli("check", article, "--no-lm", "--isolated", "--select", "MECH")
    assert code == 0 and "MECH" not in out


def test_fix_applies_the_mechanical_fixes(tmp_path, run_cli):
    article = tmp_path / "a.md"
    article.write_text(
        "# Storm hits coast\n\nThe storm caused an huge wave.Residents fled , police said.\n"
        "Officials said the the coast road was closed.\n",
        encoding="utf-8",
    )
    code, _, err = run_cli("fix", article, "--write", "--isolated")
    assert code == 0 and "fixed 4 finding(s)" in err
    assert article.read_text(encoding="utf-8") == (
        "# Storm hits coast\n\nThe storm caused a huge wave. Residents fled, police said.\n"
        "Officials said the coast road was closed.\n"
    )


def test_fix_leaves_an_article_in_german_alone(tmp_path, run_cli):
    article = tmp_path / "de.md"
    text = (
        "Der ukrainische Präsident Wolodymyr Selenskyj hat Moskau neue Verhandlungen "
        "angeboten. Das teilte sein Büro am Samstag in Kiew mit.\n\n"
        "Kremlsprecher Dmitri Peskow sagte, man werde das Angebot prüfen. Eine Antwort "
        "werde es aber erst in einigen Tagen geben.\n"
    )
    article.write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", article, "--no-lm", "--isolated")
    assert code == 1 and "UNT003 [critical]" in out and "NAME001" not in out
    code, _, err = run_cli("fix", article, "--write", "--isolated")
    assert code == 0 and "left as it is: not English" in err
    assert article.read_text(encoding="utf-8") == text


def test_removing_an_unpartnered_quotation_mark_is_an_unsafe_fix(tmp_path, run_cli):
    article = tmp_path / "a.md"
    article.write_text("The envoy called the plan “a dead end and left.\n", encoding="utf-8")
    code, out, err = run_cli("fix", article, "--isolated")
    assert code == 0 and out == "" and "would fix 0" in err
    code, out, err = run_cli("fix", article, "--isolated", "--unsafe-fixes")
    assert code == 0 and "+The envoy called the plan a dead end and left." in out
