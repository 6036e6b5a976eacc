"""NAME rules on the seed articles and on hard negatives; transliteration keys; gazetteer and
style data; clustering (library and CLI)."""

import csv
import io
from collections import Counter

import pytest
from conftest import DEV_DATA, ROOT, sample

from auditor.config import load_config
from auditor.document import Document
from auditor.errors import ConfigError
from auditor.ingest import read_paths
from auditor.names.cluster import cluster_names, cluster_rows
from auditor.names.compare import woman_form
from auditor.names.gazetteer import TYPES, load_gazetteer
from auditor.names.style import BUILTIN, StyleError, load_style
from auditor.names.translit import keys, similarity
from auditor.pipeline import Auditor


def audit(doc_or_prefix, style="ap", select=("NAME",)):
    config = load_config({"select": list(select), "style": style, "lm": False}, use_files=False)
    if isinstance(doc_or_prefix, str) and len(doc_or_prefix) == 3:
        doc = next(read_paths([str(sample(doc_or_prefix))]))
    elif isinstance(doc_or_prefix, str):
        doc = Document(path="test.txt", id="test", text=doc_or_prefix)
    else:
        doc = doc_or_prefix
    return Auditor(config).audit_document(doc)


def fixes(result, rule=None):
    """{flagged text: replacement} for the findings of ``rule`` (all fixable rules by default)."""
    rules = (rule,) if rule else ("NAME001", "NAME002")
    return {f.text: f.replacements[0] for f in result.findings if f.rule in rules}


# ------------------------------------------------------------------ the seed articles (AP)


def test_003_german_transliterations_become_ap_spellings():
    found = fixes(audit("003"))
    assert found == {
        "Selenskyj": "Zelenskyy",
        "Wolodymyr Selenskyj": "Volodymyr Zelenskyy",
        "Umjerow": "Umerov",
        "Peskow": "Peskov",
        "Dmitri Peskow": "Dmitry Peskov",  # the whole name as AP writes it
        "Lubinez": "Lubinets",
        "Lwowa-Belowa": "Lvova-Belova",
        "Kiev": "Kyiv",
        "Den Haag": "The Hague",
    }
    result = audit("003")
    rules = Counter(f.rule for f in result.findings)
    assert rules["NAME002"] == 2  # Kiev's, twice: an accepted spelling off AP style
    assert any(f.rule == "NAME003" and "Kiev (2), Kyiv (1)" in f.message for f in result.findings)


def test_000_zelenskyj_and_mixed_spellings():
    result = audit("000")
    assert fixes(result) == {"Zelenskyj": "Zelenskyy"}
    assert sum(f.rule == "NAME001" for f in result.findings) == 4
    mixed = [f for f in result.findings if f.rule == "NAME003"]
    assert len(mixed) == 1 and "Zelenskyj (4), Zelenskyy (1)" in mixed[0].message
    assert mixed[0].severity == "neutral"  # the NAME001 findings already carry the penalty


def test_001_scholz_baerbock_kyiv_and_zelenskyy():
    result = audit("001")
    assert fixes(result) == {
        "Schulz": "Scholz",
        "Schultz": "Scholz",
        "Annallina Barbock": "Annalena Baerbock",
        "Kiev": "Kyiv",
        "Zelensky": "Zelenskyy",
    }
    assert [f.rule for f in result.findings if f.text == "Zelensky"] == ["NAME002"]
    assert any(f.rule == "NAME003" for f in result.findings)
    # "Schultz" has no given name: the article's own "Olaf Scholz" is the evidence.
    schultz = next(f for f in result.findings if f.text == "Schultz")
    assert "named earlier in the article" in schultz.evidence["support"]


def test_004_italian_mt_spellings():
    result = audit("004")
    found = fixes(result)
    assert found["Voldemir Zhelensky"] == "Volodymyr Zelenskyy"
    assert found["Zhelensky"] == "Zelenskyy"
    assert found["Kiev"] == "Kyiv"
    assert "Dmitry Peskov" not in found and "Sergei Lavrov" not in found


def test_002_german_compound_and_clean_names():
    # "Élyséepalast" is an untranslated compound (name + German noun): the language check's
    # UNT002, not a spelling of the name; the names in 002 are all clean.
    result = audit("002")
    assert fixes(result) == {}


def test_replacements_are_exact_strings_of_the_file():
    for prefix in ("000", "001", "002", "003", "004"):
        doc = next(read_paths([str(sample(prefix))]))
        source, base = doc.source, doc.base
        result = audit(doc)
        for f in result.findings:
            assert source[base + f.start : base + f.end] == f.text
            if f.rule in ("NAME001", "NAME002"):
                assert len(f.replacements) == 1 and f.replacements[0] != f.text
            line = source.splitlines()[f.line - 1]
            assert line[f.col - 1 :].startswith(f.text.split("\n")[0])


def test_same_input_same_findings():
    first = [f.to_dict() for f in audit("003").findings]
    assert first == [f.to_dict() for f in audit("003").findings]


# ------------------------------------------------------------------ precision: no merges

NEGATIVE = """Former European Parliament President Martin Schulz met Gerhard Schröder in Berlin.
Schulz said the former chancellor had been wrong about Russia. Schröder disagreed.
Later they flew to Kirov, a city east of Moscow, and then on to Kharkiv in Ukraine.
At dinner both ordered chicken Kiev. Chicken Kiev is popular in Kharkiv.
Historians of Kievan Rus joined them, and Dynamo Kyiv fans sang outside.
"""


def test_real_people_and_places_are_never_corrected():
    result = audit(NEGATIVE)
    assert [f for f in result.findings if f.rule.startswith("NAME")] == []


def test_given_name_decides_between_people():
    text = (
        "Olaf Schulz met Martin Schulz in Berlin. Schulz left early. "
        "Daniil Medwedew won the match and Medwedew thanked the crowd."
    )
    result = audit(text)
    by_text = {(f.text, f.rule): f for f in result.findings}
    assert by_text[("Schulz", "NAME001")].start == 5  # only Olaf's surname
    assert sum(f.rule == "NAME001" and f.text == "Schulz" for f in result.findings) == 1
    daniil = by_text[("Medwedew", "NAME001")]
    assert daniil.evidence["entity"] == "daniil-medvedev"
    assert daniil.replacements == ["Medvedev"]


def test_ambiguous_variant_without_support_is_left_alone():
    # "Schultz" alone could be anyone (Howard Schultz): no given name, no context, no finding.
    assert audit("Howard Schultz spoke. Schultz said coffee prices will rise.").findings == []
    # A cue word alone does not make someone else's name a variant of the chancellor's.
    assert audit("Schultz praised the German chancellor in Berlin.").findings == []


def test_unlisted_transliterations_by_key():
    result = audit("Defence Minister Sergej Schojgu met Wolodymyr Selenski in Kyiv.")
    found = fixes(result, "NAME001")
    assert found["Sergej Schojgu"] == "Sergei Shoigu"
    assert found["Wolodymyr Selenski"] == "Volodymyr Zelenskyy"
    assert all(f.evidence["match"] == "key" for f in result.findings if f.rule == "NAME001")


def test_fuzzy_lookalike_is_reported_without_a_fix():
    result = audit("NATO Secretary General Jens Stoltenbarg spoke in Brussels.")
    lookalike = [f for f in result.findings if f.rule == "NAME004"]
    assert len(lookalike) == 1 and lookalike[0].text == "Stoltenbarg"
    assert lookalike[0].replacements == [] and lookalike[0].confidence < 0.8


def test_den_haag_is_one_name_finding():
    result = audit("The court in Den Haag issued a warrant.")
    assert [(f.rule, f.text, f.replacements) for f in result.findings] == [
        ("NAME001", "Den Haag", ["The Hague"])
    ]


# ------------------------------------------------------------------ house styles


@pytest.mark.parametrize(
    "style, wanted", [("ap", "Zelenskyy"), ("reuters", "Zelenskiy"), ("bbc", "Zelensky")]
)
def test_styles_choose_the_spelling(style, wanted):
    text = "President Zelensky, Zelenskyy and Zelenskiy are one man; Selenskyj too. Nato met."
    found = [
        (f.text, f.replacements[0])
        for f in audit(text, style).findings
        if f.rule in ("NAME001", "NAME002")
    ]
    assert all(rep == wanted for t, rep in found if t != "Nato")
    assert {t for t, _ in found} == {"Zelensky", "Zelenskyy", "Zelenskiy", "Selenskyj", "Nato"} - {
        wanted
    } - ({"Nato"} if style == "bbc" else set())


def test_style_from_a_file(tmp_path):
    path = tmp_path / "house.yaml"
    path.write_text("style: house\ntitle: House style\nprefer:\n  kyiv: Kiev\n", encoding="utf-8")
    result = audit("Talks in Kyiv resumed.", style=str(path))
    assert fixes(result) == {"Kyiv": "Kiev"}
    assert "House style" in result.findings[0].message


def test_bad_style_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        audit("Kyiv.", style="nosuchstyle")
    bad = tmp_path / "bad.yaml"
    bad.write_text("prefer:\n  no-such-entity: X\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown entity"):
        audit("Kyiv.", style=str(bad))


def test_builtin_styles_prefer_accepted_spellings():
    gazetteer = load_gazetteer()
    for name in BUILTIN:
        style = load_style(name, gazetteer.entities)
        assert "chicken Kiev" in style.exceptions
        for entity_id, spelling in style.prefer.items():
            assert spelling in gazetteer.entity(entity_id).accepted_parts, (name, entity_id)
    with pytest.raises(StyleError):
        load_style("does-not-exist")


# ------------------------------------------------------------------ data and keys


def test_gazetteer_is_reviewed_data():
    gazetteer = load_gazetteer()
    entities = list(gazetteer.entities.values())
    assert len(entities) >= 150
    assert {e.type for e in entities} == set(TYPES)
    for e in entities:
        assert e.source and e.name and e.cues
        if e.type == "person":
            assert e.surname or e.aliases
    header = (ROOT / "corpora" / "names" / "gazetteer.yaml").read_text(encoding="utf-8")[:3000]
    assert "Sources:" in header


@pytest.mark.parametrize(
    "a, b",
    [
        ("Selenskyj", "Zelenskyy"),
        ("Zełenski", "Zelenskiy"),
        ("Umjerow", "Umerov"),
        ("Lubinez", "Lubinets"),
        ("Lwowa-Belowa", "Lvova-Belova"),
        ("Peskow", "Peskov"),
        ("Szojgu", "Shoigu"),
        ("Šojgu", "Shoigu"),
        ("Charkiw", "Kharkiv"),
        ("Saporischschja", "Zaporizhzhia"),
        ("Jermak", "Yermak"),
        ("Chodorkowski", "Khodorkovsky"),
        ("Tichanowskaja", "Tikhanovskaya"),
        ("Juschtschenko", "Yushchenko"),
        ("Gorbatschow", "Gorbachev"),
        ("Kharkov", "Kharkiv"),
        ("Douguine", "Dugin"),
    ],
)
def test_transliterations_share_a_key(a, b):
    assert keys(a) & keys(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Kirov", "Kyiv"),
        ("Schulz", "Scholz"),
        ("Martin", "Olaf"),
        ("Navalny", "Navalnaya"),
        ("Kharkiv", "Kherson"),
    ],
)
def test_different_names_do_not(a, b):
    assert not keys(a) & keys(b)
    assert similarity(a, b) < 100


# ------------------------------------------------------------------ clustering

NAMES = """Wolodymyr Selenskyj
Volodymyr Zelenskyy
Zelensky
Olaf Scholz
Martin Schulz
Vitali Klitschko
Wladimir Klitschko
Klitschko
Sergej Schojgu
Sergei Shoigu
Kiew
Kyiv
Kirov
"""


def test_cluster_without_gazetteer_respects_given_names():
    groups = cluster_names(NAMES.splitlines())
    together = {frozenset(g) for g in groups}
    assert frozenset({"Wolodymyr Selenskyj", "Volodymyr Zelenskyy", "Zelensky"}) in together
    assert frozenset({"Sergej Schojgu", "Sergei Shoigu"}) in together
    assert frozenset({"Klitschko"}) in together  # two Klitschkos: the bare name stays alone
    assert not any({"Olaf Scholz", "Martin Schulz"} <= g for g in together)
    assert not any({"Kirov", "Kyiv"} <= g for g in together)


def test_cluster_with_gazetteer_gives_canonical_names():
    gazetteer = load_gazetteer()
    rows = cluster_rows(NAMES.splitlines(), gazetteer, load_style("ap", gazetteer.entities))
    table = {name: (cluster, canonical) for name, cluster, canonical in rows}
    assert table["Wolodymyr Selenskyj"] == ("volodymyr-zelenskyy", "Volodymyr Zelenskyy")
    assert table["Kiew"] == ("kyiv", "Kyiv")
    assert table["Martin Schulz"][0] != table["Olaf Scholz"][0]
    # Kirov is a city and a Bolshevik: no single entity, and never Kyiv.
    assert table["Kirov"] == ("Kirov", "")


def test_names_cluster_cli(tmp_path, run_cli):
    path = tmp_path / "names.txt"
    path.write_text(NAMES, encoding="utf-8")
    code, out, err = run_cli("names", "cluster", path, "--isolated")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["name", "cluster", "canonical"]
    assert ["Selenskyj" in r[0] for r in rows].count(True) == 1
    code, out, _ = run_cli("names", "cluster", path, "--no-gazetteer", "--isolated")
    assert code == 0 and all(r[2] == "" for r in list(csv.reader(io.StringIO(out)))[1:])
    # A corpus: the mentions of the seed articles.
    code, out, _ = run_cli("names", "cluster", ROOT / "corpora" / "samples", "--isolated")
    table = {r[0]: r for r in csv.reader(io.StringIO(out))}
    assert table["Wolodymyr Selenskyj"][1] == table["Zhelensky"][1] == "volodymyr-zelenskyy"
    assert run_cli("names", "cluster", tmp_path / "missing.txt")[0] == 2
    assert run_cli("names")[0] == 2


def test_a_corpus_gives_a_place_no_given_name(tmp_path, run_cli):
    # Written for this test: a headline's first word before a place, a given name before a
    # person's bare surname.
    (tmp_path / "a.md").write_text(
        "# Stalled Ukraine talks resume\n\nMartin Scholz and Olaf Scholz met in Berlin.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "names", "cluster", tmp_path / "a.md", "--input", "corpus", "--isolated"
    )
    assert code == 0, err
    table = {r[0]: r[1] for r in list(csv.reader(io.StringIO(out)))[1:]}
    assert table["Ukraine"] == "ukraine" and not any("Stalled" in name for name in table)
    assert table["Olaf Scholz"] == "olaf-scholz" and "Martin Scholz" in table


def test_style_file_named_in_the_configuration(tmp_path):
    (tmp_path / "house.yaml").write_text("prefer:\n  kyiv: Kiev\n", encoding="utf-8")
    (tmp_path / "auditor.toml").write_text('style = "house.yaml"\n', encoding="utf-8")
    config = load_config({"lm": False, "select": ["NAME"]}, start=tmp_path)
    doc = Document(path="t.txt", id="t", text="Talks in Kyiv resumed.")
    result = Auditor(config).audit_document(doc)
    assert [(f.text, f.replacements) for f in result.findings] == [("Kyiv", ["Kiev"])]


def test_with_debris_removal_names_in_related_links_are_skipped():
    result = audit("000", select=("BOIL", "NAME"))
    assert any(f.rule == "NAME003" for f in result.findings)  # the caption still counts
    text = (
        "Selenskyj spoke in Kyiv on Monday about the talks.\n\nRead also\n\n"
        "Selenskyj visits Berlin\n\nThe talks went on for hours and ended late.\n"
    )
    result = audit(text, select=("BOIL", "NAME"))
    assert [(f.rule, f.start) for f in result.findings if f.rule.startswith("NAME")] == [
        ("NAME001", 0)
    ]
    assert any(f.rule == "BOIL001" and f.text == "Selenskyj visits Berlin" for f in result.findings)


def test_clustering_meets_the_precision_and_recall_bar():
    from research.names import evaluate

    report = evaluate(ROOT / "corpora" / "names" / "eval" / "variants.tsv")
    for run in ("no_gazetteer", "gazetteer"):
        person = report[run]["person"]
        assert person["precision"] >= 0.97 and person["recall"] >= 0.90, (run, person)
        assert report[run]["place"]["precision"] >= 0.97
    # Spellings alone cannot tell Andriy Kostin from Andrei Kostin; nothing else may merge.
    merged = {frozenset(p) for p in report["no_gazetteer"]["false_merges"]}
    assert all(all("Kostin" in n for n in pair) for pair in merged)


def test_severity_follows_what_the_reader_loses():
    severity = {f.text: f.severity for f in audit("001").findings if f.rule == "NAME001"}
    assert severity == {"Schulz": "major", "Schultz": "major", "Annallina Barbock": "major"}
    severity = {f.text: f.severity for f in audit("003").findings if f.rule == "NAME001"}
    assert set(severity.values()) == {"minor"}  # German transliterations: still recognizable


def test_all_capitals_headline():
    result = audit("SELENSKYJ VISITS KIEV\n\nSelenskyj visited Kyiv on Monday.\n")
    found = [(f.rule, f.text, f.replacements) for f in result.findings]
    assert ("NAME001", "SELENSKYJ", ["ZELENSKYY"]) in found
    assert ("NAME002", "KIEV", ["KYIV"]) in found
    # SELENSKYJ and Selenskyj are one spelling; KIEV and Kyiv are two.
    assert [f.evidence["entity"] for f in result.findings if f.rule == "NAME003"] == ["kyiv"]


def test_given_names_spelled_two_ways():
    result = audit("Dmitry Peskov spoke first. Later Dmitri Peskov spoke again.")
    mixed = [f for f in result.findings if f.rule == "NAME003"]
    assert len(mixed) == 1 and mixed[0].text == "Dmitri" and mixed[0].replacements == ["Dmitry"]
    assert mixed[0].severity == "minor"


# ------------------------------------------------------------------ names that generalize
# Each class of issue 17 with names that are in neither names_dev nor the gazetteer's
# evaluation set: the rules, not the data, must carry them.


def _together(groups, *names) -> bool:
    return any(set(names) <= set(g) for g in groups)


def test_every_name_of_a_list_comes_out_exactly_once(tmp_path, run_cli):
    names = [
        "Conan O’Brien",
        "Conan O‘Brien",
        "Conan O´Brien",
        "Mark T. Esper",
        "Joseph R. Doe Jr.",
        "Kenneth Doe, Jr",
        "van der Bellen",
        "de Gaulle",
        "Annegret Kramp-Karrenbauer",
        "Anna K.",
        "Pius XII.",
        "św. Wojciech",
        "AT&T",  # one odd line keeps a list a list
    ]
    path = tmp_path / "names.txt"
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    for extra in ((), ("--no-gazetteer",)):
        code, out, err = run_cli("names", "cluster", path, "--isolated", *extra)
        assert code == 0, err
        written = [r[0] for r in list(csv.reader(io.StringIO(out)))[1:]]
        assert sorted(written) == sorted(names)


def test_punctuation_does_not_split_a_person():
    groups = cluster_names(
        [
            "Annegret Kramp-Karrenbauer",
            "Annegret Kramp Karrenbauer",
            "Jean-Luc Mélenchon",
            "Jean Luc Mélenchon",
            "Conan O'Brien",
            "Conan OBrien",
            "Conan O’Brien's",
            "Mark T. Esper",
            "Mark T Esper",
        ]
    )
    assert _together(groups, "Annegret Kramp-Karrenbauer", "Annegret Kramp Karrenbauer")
    assert _together(groups, "Jean-Luc Mélenchon", "Jean Luc Mélenchon")
    assert _together(groups, "Conan O'Brien", "Conan OBrien", "Conan O’Brien's")
    assert _together(groups, "Mark T. Esper", "Mark T Esper")


def test_slavic_and_german_morphology():
    groups = cluster_names(
        [
            "Katarina Barley",
            "Katarina Barleyová",  # Czech feminine surname
            "Katariny Barleyové",  # ... declined
            "Ulf Kristersson",
            "Ulfa Kristerssona",  # Polish genitive, given name and surname
            "Mark Rutte",
            "Marka Ruttego",  # Polish genitive of a name ending in -e
            "Wopke Hoekstra",
            "Wopkego Hoekstry",
            "Jan Novák",
            "Jana Nováková",  # a man and a woman: never one cluster
        ]
    )
    assert _together(groups, "Katarina Barley", "Katarina Barleyová", "Katariny Barleyové")
    assert _together(groups, "Ulf Kristersson", "Ulfa Kristerssona")
    assert _together(groups, "Mark Rutte", "Marka Ruttego")
    assert _together(groups, "Wopke Hoekstra", "Wopkego Hoekstry")
    assert not _together(groups, "Jan Novák", "Jana Nováková")


@pytest.mark.parametrize(
    "declined, base",
    [
        ("Baerbocková", "Baerbock"),
        ("Kallasovou", "Kallas"),
        ("Zełenskiego", "Zełenski"),
        ("Putinem", "Putin"),
        ("Selenskyjs", "Selenskyj"),
        ("Navalného", "Navalnyj"),
        ("Kristerssonowi", "Kristersson"),
    ],
)
def test_declined_forms_meet_their_base(declined, base):
    from auditor.names.compare import word_relation

    assert word_relation(declined, base) in ("case", "feminine")
    assert word_relation("Scholz", "Schulz") is None


def test_given_names_in_other_transliterations():
    groups = cluster_names(
        [
            "Sergei Ryabkov",
            "Sergej Rjabkow",
            "Siergiej Riabkow",
            "Сергей Рябков",
            "Volodymyr Yelchenko",
            "Wolodymyr Jeltschenko",
            "Wołodymyr Jelczenko",
            "Joseph R. Doe Jr.",
            "Joe Doe",
        ]
    )
    assert _together(
        groups, "Sergei Ryabkov", "Sergej Rjabkow", "Siergiej Riabkow", "Сергей Рябков"
    )
    assert _together(groups, "Volodymyr Yelchenko", "Wolodymyr Jeltschenko", "Wołodymyr Jelczenko")
    assert _together(groups, "Joseph R. Doe Jr.", "Joe Doe")  # a short form, a suffix
    from auditor.names.compare import given_relation

    for a, b in [("Dmitrij", "Dmitry"), ("Dymitr", "Dmitry"), ("Fjodor", "Fyodor")]:
        assert given_relation(a, b) == "", (a, b)
    assert given_relation("Olaf", "Martin") is None


def test_part_and_whole():
    groups = cluster_names(
        [
            "Alexander Van der Bellen",
            "Van der Bellen",
            "Annegret Kramp-Karrenbauer",
            "Kramp Karrenbauer",
            "Charles de Gaulle",
            "De Gaulle",
            "Ulf Kristersson",
            "Kristersson Ulf",  # family name first
            "Vitali Klitschko",
            "Wladimir Klitschko",
            "Klitschko",
        ]
    )
    assert _together(groups, "Alexander Van der Bellen", "Van der Bellen")
    assert _together(groups, "Annegret Kramp-Karrenbauer", "Kramp Karrenbauer")
    assert _together(groups, "Charles de Gaulle", "De Gaulle")
    assert _together(groups, "Ulf Kristersson", "Kristersson Ulf")
    assert ["Klitschko"] in groups  # two Klitschkos: the part stays alone


def test_near_names_of_different_people_stay_apart():
    groups = cluster_names(
        [
            "Hans Jansen",
            "Hans Hansen",
            "Peter Lind",
            "Peter Lund",
            "George H. W. Bush",
            "George W. Bush",
            "Pius XI",
            "Pius XII",
            "Papież Pius XII",
            "Giorgio Rossetti",
            "Giorgia Rossetti",
        ]
    )
    for a, b in [
        ("Hans Jansen", "Hans Hansen"),
        ("Peter Lind", "Peter Lund"),
        ("George H. W. Bush", "George W. Bush"),
        ("Pius XI", "Pius XII"),
        ("Giorgio Rossetti", "Giorgia Rossetti"),
    ]:
        assert not _together(groups, a, b), (a, b)
    assert _together(groups, "Pius XII", "Papież Pius XII")  # a title in another language


# Round 2 of issue 17: classes found on a second development set, each with names in neither
# data set.


def test_long_vowels_and_j_of_arabic_and_urdu_names_in_czech_and_polish():
    # English writes long i and u as ee and oo, Czech as í and ú; English j is Czech dž,
    # Polish dż, German dsch.
    groups = cluster_names(
        ["Jameel Rasheed", "Džamíl Rašíd", "Dżamil Raszid", "Dschamil Raschid", "Mahmood Naveed"]
    )
    assert _together(groups, "Jameel Rasheed", "Džamíl Rašíd", "Dżamil Raszid", "Dschamil Raschid")
    assert ["Mahmood Naveed"] in groups


def test_a_particle_surname_alone_is_part_of_the_whole_name():
    groups = cluster_names(["Dries Van Agt", "Van Agt", "Van Halen"])
    assert _together(groups, "Dries Van Agt", "Van Agt")
    assert ["Van Halen"] in groups
    # A particle alone ("Van", "De": a headline's fragment in a corpus) is still a name given.
    groups = cluster_names(["Van", "De", "Dries Van Agt"])
    assert ["Van"] in groups and ["De"] in groups


def test_double_surnames_in_either_order():
    groups = cluster_names(
        ["Jana Malá Nováková", "Jana Nováková Malá", "Jana Novakova Mala", "Hedvika Malá Nováková"]
    )
    assert _together(groups, "Jana Malá Nováková", "Jana Nováková Malá", "Jana Novakova Mala")
    assert ["Hedvika Malá Nováková"] in groups


def test_a_given_name_before_a_womans_surname_is_a_womans_name():
    # "Miriam Hendersonová" says Miriam is a woman's name: Miriama is a spelling of it, not
    # a man's name beside a woman's (as Jan and Jana are).
    groups = cluster_names(["Miriam Henderson", "Miriam Hendersonová", "Miriama Hendersonová"])
    assert _together(groups, "Miriam Henderson", "Miriam Hendersonová", "Miriama Hendersonová")
    groups = cluster_names(["Daniel Henderson", "Daniela Hendersonová"])
    assert not _together(groups, "Daniel Henderson", "Daniela Hendersonová")


def test_a_slip_between_transliteration_keys():
    # yy and zz read alike in no orthography, but y is i and z is s in the keys: one letter
    # apart there, and the misspelling is no word of any language wordfreq has.
    groups = cluster_names(["Ravi Ayyampillai", "Ravi Azzampillai", "Ravi Ayyampillay"])
    assert _together(groups, "Ravi Ayyampillai", "Ravi Azzampillai", "Ravi Ayyampillay")


@pytest.mark.parametrize(
    "pinyin, other",
    [
        ("Mao Zedong", "Mao Ce-tung"),  # Czech transcription
        ("Mao Zedong", "Mao Tse-tung"),  # Wade-Giles
        ("Deng Xiaoping", "Teng Siao-pching"),
        ("Lu Xun", "Lu Sün"),
        ("Zhou Enlai", "Čou En-laj"),
    ],
)
def test_chinese_names_in_czech_transcription_and_wade_giles(pinyin, other):
    groups = cluster_names([pinyin, other, "Mao Dun", "Deng Yingchao"])
    assert _together(groups, pinyin, other)
    assert ["Mao Dun"] in groups and ["Deng Yingchao"] in groups  # other people


# Round 3 of issue 17: a guard made to hold across spellings (names in neither data set).


@pytest.mark.parametrize(
    "man, woman",
    [
        ("Carl Brandt", "Karla Brandt"),  # keys: c is k
        ("Bogdan Kowalczyk", "Bohdana Kowalczyk"),  # keys: g is h
        ("Oleksandr Kowalczyk", "Aleksandra Kowalczyk"),
        ("Eugen Lindqvist", "Eugenia Lindqvist"),  # Latin -ia
        ("Evgeny Markov", "Yevgenia Markov"),  # a soft ending: -y, -ia
    ],
)
def test_a_womans_form_of_a_given_name_in_another_spelling_is_someone_else(man, woman):
    # As Jan and Jana, but the keys (or a slip) make the two given names one name.
    assert not _together(cluster_names([man, woman]), man, woman)


def test_a_womans_form_in_another_spelling_may_still_be_a_declined_mans_name():
    # Polish declines both names: "Karla Brandta" is Carl Brandt's genitive.
    assert _together(
        cluster_names(["Carl Brandt", "Karla Brandta"]), "Carl Brandt", "Karla Brandta"
    )
    # An English short form is no woman's form; a soft ending pairs with -ia.
    assert woman_form("Joshua", "Josh") is None
    assert woman_form("Valeri", "Valeria") == "valeri"


def test_declined_names_in_copy_are_fixed():
    result = audit("Foreign Minister Annalena Baerbocková met Kaja Kallasová. Talks with Putinem.")
    assert fixes(result) == {"Baerbocková": "Baerbock", "Kallasová": "Kallas", "Putinem": "Putin"}


def test_the_whole_house_style_name_is_written():
    # Yury is an accepted spelling, Yuri the canonical one: once the surname is respelled,
    # the whole name is written as the house writes it; an initial stays an initial.
    result = audit("Kremlin aide Yury Uschakow spoke. Later Y. Uschakow spoke again.")
    assert fixes(result) == {"Yury Uschakow": "Yuri Ushakov", "Uschakow": "Ushakov"}
    result = audit("Kremlin aide Jurij Uszakow spoke.")  # Polish given name and surname
    assert fixes(result) == {"Jurij Uszakow": "Yuri Ushakov"}


@pytest.mark.skipif(not DEV_DATA.is_file(), reason="development data not present")
@pytest.mark.parametrize("name", ["newstest2020_zhen_mqm.jsonl.gz", "ted2021_zhen_mqm.jsonl.gz"])
def test_human_translations_get_no_name_findings(name):
    """Professional translations have no variants to find (newstest2020 is the development
    file; TED 2021 was never looked at while writing the rules)."""
    import gzip
    import json
    from collections import defaultdict

    articles = defaultdict(list)
    with gzip.open(DEV_DATA.parent / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["is_human"]:
                articles[(row["doc"], row["system"])].append((row["doc_seg"], row["target"]))
    config = load_config({"select": ["NAME"], "lm": False}, use_files=False)
    auditor = Auditor(config)
    found = []
    for key, rows in sorted(articles.items()):
        text = "\n\n".join(t for _, t in sorted(rows))
        found += auditor.audit_document(Document(path=str(key), id=str(key), text=text)).findings
    # newstest2020 has one real slip in a human translation (a city misspelt, NAME001 and
    # its NAME003); nothing else.
    assert len(found) <= 2, [(f.rule, f.text) for f in found]
