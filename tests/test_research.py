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
