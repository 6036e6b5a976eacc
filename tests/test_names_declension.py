"""Slavic declension of foreign names, by paradigm (``corpora/names/declension.yaml``): every
declined form joins its base, the cluster is labelled with the base form, and names of two
people stay apart. The names are in neither data set (``test_names_are_not_from_the_data``)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from conftest import ROOT

from auditor.names.cluster import cluster_names, cluster_rows, representative
from auditor.names.compare import word_relation
from auditor.names.morphology import base_forms, declensions

# The base (nominative) first, then forms declined from it; comments say the paradigm.
DECLINED = [
    # Czech muž after a sibilant (Cháveze: genitive, only with a declined given name);
    # Polish and Czech pán; Czech and Polish masculine -o given names (Huga, Hugem, Hugowi).
    [
        "Hugo Chávez",
        "Huga Cháveze",
        "Huga Chaveza",
        "Hugem Chávezem",
        "Hugowi Chavezowi",
        "Hugovi Chávezovi",
    ],
    # Polish non-Slavic -o surnames decline as masculine nouns (Madura, Madurowi, Madurem);
    # the Slavic paradigm (Madury) is read too; Czech Nicoláse.
    [
        "Nicolás Maduro",
        "Nicolása Madura",
        "Nicoláse Madura",
        "Nicolasa Madury",
        "Nicolasowi Madurowi",
        "Nicolásem Madurem",
    ],
    # Czech instrumental -m after a written -e; genitive -a, dative -ovi.
    ["Joe Manchin", "Joem Manchinem", "Joea Manchina", "Joeovi Manchinovi"],
    # -ia given names before a surname that is never declined: Polish Giorgii, Giorgię,
    # Giorgią; Czech Giorgie, Giorgií.
    [
        "Giorgia Meloni",
        "Giorgii Meloni",
        "Giorgię Meloni",
        "Giorgią Meloni",
        "Giorgie Meloni",
        "Giorgií Meloni",
    ],
    # Czech feminine of a surname in -o (Turzo, Turzová).
    ["Benazir Bhutto", "Benazir Bhuttová", "Benazir Bhuttové", "Benazir Bhuttovou"],
    # A man's -o name declined looks like a woman's (Antonia): with the surname in the same
    # case (Costy, Costou: předseda) it is his; the spelling with accents joins too (the
    # label: neither is beyond Latin-1, so alphabetical).
    ["Antonio Costa", "António Costa", "Antonia Costy", "Antóniem Costou", "Antonia Costę"],
    # Names in -i: Czech Draghiho, Draghimu, Draghim; Polish Draghiego.
    ["Mario Draghi", "Maria Draghiho", "Mariem Draghim", "Mariovi Draghimu", "Maria Draghiego"],
    ["Silvio Berlusconi", "Silvia Berlusconiho", "Silviem Berlusconim"],
    ["Romano Prodi", "Romana Prodiho", "Romanem Prodim", "Romana Prodiego"],
    # Slovene stems in -r take -j- (Starmerja); Polish instrumental -iem after k (Markiem);
    # a given name left undeclined before a declined surname (Keir Starmerjem).
    [
        "Keir Starmer",
        "Keira Starmera",
        "Keirja Starmerja",
        "Keirem Starmerem",
        "Keirowi Starmerowi",
        "Keiru Starmerju",
        "Keir Starmerjem",
    ],
    ["Mark Rutte", "Marka Rutteho", "Markiem Ruttem", "Marku Ruttovi"],
    # Two forms declined in two cases are one name through the base written in the list
    # (Mariem Montim, Maria Montija: instrumental, genitive of Mario Monti).
    [
        "Mario Monti",
        "Maria Montija",
        "Mariu Montiju",
        "Mariom Montijem",
        "Maria Montiego",
        "Mario Montim",
        "Mariem Montim",
    ],
    # Polish Slavic -o surnames decline as feminine nouns; Czech Alexandr is Alexander.
    [
        "Alexander Lukashenko",
        "Alexandra Lukašenka",
        "Alexandrem Lukašenkem",
        "Aleksandra Łukaszenki",
        "Aleksandrowi Łukaszence",
        "Aleksandrem Łukaszenką",
    ],
    # A woman's name declined: a nasal ending is never a man's nominative (Urszulę).
    ["Ursula von der Leyen", "Urszuli von der Leyen", "Urszulę von der Leyen"],
    ["Karl Marx", "Karla Marxe", "Karlem Marxem", "Karlovi Marxovi"],
]
# Spellings of one name: the label is the one English copy writes.
ENGLISH = [
    ["Nawaz Sharif", "Naváz Šaríf"],
    ["Mikhail Khodorkovsky", "Michail Chodorkovskij"],
]
# Two people each: a man's and a woman's name (the surname not declined, or a woman's
# -ová), and two real surnames one letter apart.
APART = [
    ("Jan Novák", "Jana Nováková"),
    ("Giorgio Meloni", "Giorgia Meloni"),
    ("Paolo Conte", "Paola Conte"),
    ("Karl Marx", "Karla Marxová"),
    ("Karl Marx", "Karla Marx"),
    ("Peter Hansen", "Peter Jansen"),
]


@pytest.mark.parametrize("group", DECLINED, ids=lambda g: g[0])
def test_declined_forms_join_their_base_and_the_base_labels_the_cluster(group):
    rows = cluster_rows(list(reversed(group)))  # order given does not choose the label
    labels = {name: label for name, label, _ in rows}
    assert {labels[name] for name in group} == {group[0]}, labels


@pytest.mark.parametrize("group", ENGLISH, ids=lambda g: g[0])
def test_the_label_is_the_spelling_english_writes(group):
    rows = cluster_rows(list(reversed(group)))
    assert {label for _, label, _ in rows} == {group[0]}


def test_all_together_and_the_label_is_not_the_most_frequent_declined_form():
    names = [n for group in DECLINED for n in group]
    groups = cluster_names(names)
    for group in DECLINED:
        assert any(set(group) <= set(g) for g in groups), group
    # In a corpus the declined form may be the most frequent; the base still labels it.
    group = next(g for g in DECLINED if g[0] == "Mario Draghi")
    assert representative(group, Counter({"Maria Draghiho": 5, "Mario Draghi": 1})) == group[0]


@pytest.mark.parametrize("a, b", APART)
def test_two_people_stay_apart(a, b):
    groups = cluster_names([a, b])
    assert not any({a, b} <= set(g) for g in groups)


def test_apart_beside_the_declined_forms():
    names = [n for group in DECLINED for n in group] + [n for pair in APART for n in pair]
    groups = cluster_names(names)
    for a, b in APART:
        assert not any({a, b} <= set(g) for g in groups), (a, b)


def test_a_reading_that_needs_a_declined_given_name():
    # Czech "Marxe" is Marx's genitive only beside a declined given name ("Karla Marxe"); a
    # German surname may end in -e of its own (Busse is not Buss).
    assert "marx" not in base_forms("Marxe")
    reading = declensions("Marxe")["marx"]
    assert reading.agree and reading.cases == {"G", "A"}
    assert word_relation("Bhuttová", "Bhutto") == "feminine"
    assert word_relation("Madurowi", "Maduro") == "case"
    assert word_relation("Joem", "Joe") == "case"


def test_every_paradigm_is_sourced_and_well_formed():
    from auditor.paths import parse_yaml

    data = parse_yaml((ROOT / "corpora" / "names" / "declension.yaml").read_text("utf-8"))
    cases = set(data["cases"])
    for paradigm in data["paradigms"]:
        assert paradigm["name"] and paradigm["endings"]
        for value in paradigm["endings"].values():
            letters = value[0] if isinstance(value, list) else value
            assert set(letters) <= cases, paradigm["name"]


NAMES_DEV = ROOT.parent / "shared" / "data" / "names_dev"


@pytest.mark.skipif(not NAMES_DEV.is_dir(), reason="development data not present")
def test_names_are_not_from_the_data():
    """Fit on one set, report on another: no name here is a name of the development data."""
    seen = set()
    for path in NAMES_DEV.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                seen.update(cell.strip().casefold() for cell in row[:2])
    ours = {n for g in DECLINED + ENGLISH for n in g} | {n for pair in APART for n in pair}
    assert not {n.casefold() for n in ours} & seen
