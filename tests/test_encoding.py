"""ENC rules on real copy: invisible characters, homoglyphs, mojibake, replacement characters."""

import pytest
from conftest import SAMPLES

from auditor.checks import Resources
from auditor.checks.encoding import EncodingCheck, load_data
from auditor.config import load_config
from auditor.document import Document
from auditor.segment import segment


@pytest.fixture(scope="module")
def check() -> EncodingCheck:
    config = load_config({"lm": False}, use_files=False)
    return EncodingCheck(config, Resources(config))


def findings(check, text: str):
    doc = segment(Document(path="article.txt", id="article", text=text))
    found = check.check(doc)
    for f in found:
        assert f.text == text[f.start : f.end]
    return [(f.rule, f.text, f.replacements, f.severity) for f in found]


def test_cyrillic_letter_in_a_latin_name(check):
    text = "Air-raid sirens sounded across Kyіv on Tuesday morning."
    assert findings(check, text) == [("ENC002", "Kyіv", ["Kyiv"], "major")]


def test_latin_letter_in_a_cyrillic_word(check):
    text = "The banner read «Москвa» in large letters."
    assert findings(check, text) == [("ENC002", "Москвa", ["Москва"], "major")]


def test_greek_capital_in_a_latin_word(check):
    text = "ΝATO ministers met in Brussels."  # Greek capital nu
    assert findings(check, text) == [("ENC002", "ΝATO", ["NATO"], "major")]


def test_visible_script_mixes_and_single_scripts_pass(check):
    text = (
        "The dose was 5 μg per kilogram. Residents of Київ and Αθήνα watched the α-particle "
        "experiment. Zürich, São Paulo and Łódź are fine."
    )
    assert findings(check, text) == []


def test_zero_width_space_inside_a_word(check):
    text = "Zelen\u200bskyy spoke in Kyiv."
    assert findings(check, text) == [("ENC001", "Zelen\u200bskyy", ["Zelenskyy"], "minor")]


def test_bidi_override_anywhere_is_major(check):
    text = "The ministry said \u202eyrtsinim\u202c nothing more."
    found = findings(check, text)
    assert [f[0] for f in found] == ["ENC001", "ENC001"]
    assert all(f[3] == "major" and f[2] == [""] for f in found)


def test_legitimate_joiners_and_marks_pass(check):
    text = (
        "The coder emoji \U0001f469\u200d\U0001f4bb is popular. The Persian word "
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 uses a non-joiner. "
        "The sign read \u200f\u05e9\u05dc\u05d5\u05dd\u200f in Hebrew."
    )
    assert findings(check, text) == []


def test_control_character_is_flagged(check):
    text = "The talks\x07 resumed on Monday."
    assert findings(check, text) == [("ENC001", "\x07", [""], "minor")]


def test_mojibake_is_repaired_by_ftfy(check):
    text = "Ukraineâ€™s president met Olaf Scholz at the CafÃ© Einstein in Berlin."
    assert findings(check, text) == [
        ("ENC003", "Ukraineâ€™s", ["Ukraine’s"], "major"),
        ("ENC003", "CafÃ©", ["Café"], "major"),
    ]


def test_mojibake_of_cyrillic(check):
    text = "The sign said Ð\x9aÐ¸Ñ\x97Ð² in Ukrainian."
    assert findings(check, text) == [("ENC003", "Ð\x9aÐ¸Ñ\x97Ð²", ["Київ"], "major")]


def test_replacement_character(check):
    text = "Chancellor Schr\ufffdder spoke on Monday."
    assert findings(check, text) == [("ENC004", "Schr\ufffdder", [], "major")]


def test_clean_samples_have_no_encoding_findings(check):
    from auditor.ingest import read_paths

    for doc in read_paths([str(SAMPLES)]):
        assert findings(check, segment(doc).text) == [], doc.path


def test_data_files_load():
    data = load_data()
    assert data.lookalike[("\u0456", "Latin")] == "i"
    assert data.lookalike[("a", "Cyrillic")] == "\u0430"
    assert data.invisible["\u200b"][0] == "zero-width"
