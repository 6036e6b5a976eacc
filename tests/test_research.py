"""The studies in ``research/`` keep their convention: a module per study, with a docstring and
``main(argv)``, registered in ``research.STUDIES``, run by ``python -m research NAME``."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

import pytest
from conftest import DEV_DATA, ROOT

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


def test_clean_copy_halves_and_rates_follow_their_written_rules():
    import hashlib

    from research.clean_copy import half, rates, split, table

    # The rule, written down: tune when sha256(doc)'s first byte is even; stable across runs.
    for doc in ("a.1", "b.2", "story-17", "talk.3"):
        even = hashlib.sha256(doc.encode()).digest()[0] % 2 == 0
        assert half(doc) == ("tune" if even else "check")
    results = [
        {"id": "newstest:a.1|H", "words": 1000, "findings": [
            {"rule": "LEX001", "severity": "major", "text": "x"},
            {"rule": "FLU002", "severity": "minor", "text": "y"}]},
        {"id": "newstest:b.2|H", "words": 1000, "findings": [
            {"rule": "BOIL004", "severity": "major", "text": "z"}]},
        {"id": "ted:talk.3|ref-A", "words": 500, "findings": []},
    ]  # fmt: skip
    sets = split(results)
    assert [len(sets[k]) for k in ("newstest", "ted")] == [2, 1]
    assert len(sets["tune"]) + len(sets["check"]) == 2
    all_rows = rates(sets["newstest"])
    assert all_rows["major_all"] * all_rows["scale"] == 2.0  # 2 major in 2,000 words
    assert all_rows["minor_all"] * all_rows["scale"] == 1.0
    printed = table({"all": all_rows, "ted": rates(sets["ted"])})
    assert "major LEX" in printed and "major BOIL" in printed and "minor, all" in printed
    assert "minor FLU" in printed and all_rows["minor"]["FLU"] == 1
    assert (
        rates(
            [
                {
                    "id": "x",
                    "words": 2000,
                    "findings": [{"rule": "LEX001", "severity": "major", "text": "kmkm"}],
                }
            ]
        )["major_doubled"]
        == 1
    )


def test_clean_copy_counts_agreed_segments_alone_and_sets_artifacts_apart():
    from research.clean_copy import AGREED, agreed_only, rates, table

    # Two invented segments: the first agreed by every rater, the second a post-edit mix.
    first, second = "The mayor opened the bridge.", "Traffic managementmanagement is slow."
    text = first + "\n\n" + second
    at = len(first) + 2
    texts = {
        "newstest:d|H": {
            "text": text,
            "segments": [(0, len(first), AGREED), (at, len(text), "majority_of_raters")],
        }
    }
    results = [{"id": "newstest:d|H", "words": 9, "findings": [
        {"rule": "FLU002", "severity": "major", "text": first, "span": {"start": 0, "end": 5}},
        {"rule": "LEX001", "severity": "major", "text": "managementmanagement",
         "span": {"start": at + 8, "end": at + 28}}]}]  # fmt: skip
    agreed = agreed_only(results, texts)
    assert agreed[0]["words"] == 5 and [f["rule"] for f in agreed[0]["findings"]] == ["FLU002"]
    every = rates(results)
    assert every["major_all"] == 2 and every["major_doubled"] == 1
    printed = table({"all": every, "agreed": rates(agreed)})
    assert "  artifacts" in printed and "  without" in printed


def test_every_planted_source_has_sentences_of_every_language_in_both_halves():
    # The catalogs `make setup` installs (Django's, django-allauth's, Weblate's): read, not
    # imported; a sentence falls in one half only.
    from research.planted import LANGUAGES, SOURCES, foreign_sentences

    assert sorted(SOURCES) == ["allauth", "django", "weblate"]
    for source in SOURCES:
        for lang in LANGUAGES:
            tune, check = (set(foreign_sentences(lang, h, source)) for h in ("tune", "check"))
            assert len(tune) >= 20 and len(check) >= 20, (source, lang)
            assert not tune & check
    assert "Kan ikke gå tilbake til en tom oversettelse!" in foreign_sentences(
        "nb", "tune", "weblate"
    )


@pytest.mark.skipif(not DEV_DATA.is_file(), reason="development data not present")
def test_planted_says_when_a_language_has_fewer_sentences_than_draws(capsys):
    from research.planted import foreign_sentences, main

    have = len(foreign_sentences("lv", "check", "weblate"))
    assert main(["--source", "weblate", "--kinds", "foreign_lv", "--per-kind", str(have + 2)]) == 0
    out = capsys.readouterr().out
    assert re.search(rf"^foreign_lv +{have + 2} ", out, re.M)  # planted all the same
    assert f"foreign_lv: {have} sentences in this half for {have + 2} draws" in out
