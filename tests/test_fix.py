"""``auditor fix``: NAME001/NAME002 replacements applied at the right file offsets, a diff by
default, atomic writes with --write, and a clear refusal where offsets cannot be mapped."""

import dataclasses
import shutil

import pytest
from conftest import sample

from auditor.commands.fix import Edit, apply_edits, plan_edits
from auditor.document import Document, Finding


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "003.md"
    shutil.copy(sample("003"), path)
    return path


def test_diff_by_default_writes_nothing(article, run_cli):
    before = article.read_bytes()
    code, out, err = run_cli("fix", article, "--isolated")
    assert code == 0, err
    assert "-The Ukrainian President Wolodymyr Selenskyj wants" in out
    assert "+The Ukrainian President Volodymyr Zelenskyy wants" in out
    assert "+Kremlin spokesman Dmitry Peskov welcomes that Zelenskyy wants" in out
    assert "would fix 18 finding(s) in 1 file(s)" in err
    assert article.read_bytes() == before
    code, out2, _ = run_cli("fix", article, "--diff", "--isolated")
    assert code == 0 and out2 == out and article.read_bytes() == before


def test_write_applies_every_fix_and_nothing_else(article, run_cli):
    before = article.read_text(encoding="utf-8")
    code, _, err = run_cli("fix", article, "--write", "--isolated")
    assert code == 0 and "fixed 18 finding(s)" in err
    after = article.read_text(encoding="utf-8")
    # The title in the front matter is text a reader sees: fixed like the headline.
    assert "title: Zelenskyy proposes Moscow new peace negotiations\n" in after
    assert "Selenskyj" not in after
    body = after[after.index("Russian attack war") :]
    for wrong in (
        "Selenskyj",
        "Wolodymyr",
        "Umjerow",
        "Peskow",
        "Lubinez",
        "Lwowa-Belowa",
        "Den Haag",
        "Kiev",
    ):
        assert wrong not in body
    assert "The International Criminal Court in The Hague issued" in body
    assert "Maria Lvova-Belova" in body and "Kyiv’s proposal" in body
    assert "demanded a ceasefire within 50 days" in body
    assert len(after) - len(before) == sum(
        len(new) - len(old)
        for old, new in [("Selenskyj", "Zelenskyy")] * 7
        + [("Wolodymyr", "Volodymyr")] * 2
        + [("Umjerow", "Umerov")] * 2
        + [("Peskow", "Peskov")] * 2
        + [
            ("Lubinez", "Lubinets"),
            ("Lwowa-Belowa", "Lvova-Belova"),
            ("Den Haag", "The Hague"),
            ("Kiev", "Kyiv"),
            ("Kiev", "Kyiv"),
            ("an ceasefire", "a ceasefire"),  # MECH001
        ]
    )
    # A second run finds nothing left to fix, and no temp files are left behind.
    code, out, err = run_cli("fix", article, "--isolated")
    assert code == 0 and out == "" and "would fix 0" in err
    assert sorted(p.name for p in article.parent.iterdir()) == ["003.md"]


def test_select_and_ignore_limit_the_fixes(article, run_cli):
    code, out, _ = run_cli("fix", article, "--select", "NAME002", "--isolated")
    assert code == 0
    changed = [line for line in out.splitlines() if line.startswith("+") and "+++" not in line]
    assert changed and all("Selenskyj" not in line or "Kyiv" in line for line in changed)
    assert "Kyiv’s proposal" in out
    code, out, err = run_cli("fix", article, "--ignore", "NAME", "--isolated")
    assert code == 0 and "would fix 1 finding(s)" in err
    assert "-At the beginning" in out and "demanded a ceasefire within 50 days" in out
    code, out, err = run_cli("fix", article, "--ignore", "NAME,MECH", "--isolated")
    assert code == 0 and out == "" and "would fix 0" in err


def test_text_keeps_crlf_and_bom(tmp_path, run_cli):
    path = tmp_path / "note.txt"
    path.write_bytes(b"\xef\xbb\xbfKremlin spokesman Peskow spoke.\r\nTalks in Kiev ended.\r\n")
    code, _, err = run_cli("fix", path, "--write", "--isolated")
    assert code == 0, err
    assert path.read_bytes() == (
        b"\xef\xbb\xbfKremlin spokesman Peskov spoke.\r\nTalks in Kyiv ended.\r\n"
    )


def test_formats_without_offsets_are_refused(tmp_path, article, run_cli):
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Selenskyj spoke in Kiew.</p></article></body></html>")
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text('{"id": "1", "text": "Selenskyj spoke."}\n')
    code, out, err = run_cli("fix", page, corpus, article, "--isolated")
    assert code == 2
    refusals = [line for line in err.splitlines() if "cannot fix" in line]
    assert len(refusals) == 2 and all(line.startswith("auditor: ") for line in refusals)
    assert "Zelenskyy" in out  # the Markdown file is still fixed
    assert page.read_text().count("Selenskyj") == 1


def test_usage_errors(run_cli, article):
    assert run_cli("fix", article, "--diff", "--write")[0] == 2
    assert run_cli("fix", "no/such/file.md")[0] == 2


def _finding(rule, start, end, text, replacement):
    return Finding(
        rule=rule,
        check="names",
        message="",
        start=start,
        end=end,
        text=text,
        mqm_category="",
        severity="minor",
        replacements=[replacement],
    )


def test_markdown_offsets_are_base_plus_start():
    source = "---\ntitle: x\n---\nTalks in Kiev.\n"
    doc = Document(path="a.md", id="a", text=source[17:], source=source, base=17)
    edits = plan_edits(doc, [_finding("NAME002", 9, 13, "Kiev", "Kyiv")], lambda rule: True)
    assert apply_edits(source, edits) == "---\ntitle: x\n---\nTalks in Kyiv.\n"


def test_a_finding_that_does_not_match_the_file_stops_the_file():
    doc = Document(path="a.md", id="a", text="Talks in Kiev.", source="xx Talks in Kiev.", base=0)
    with pytest.raises(ValueError, match="does not match"):
        plan_edits(doc, [_finding("NAME002", 9, 13, "Kiev", "Kyiv")], lambda rule: True)


def test_overlapping_and_unfixable_findings_are_skipped():
    doc = Document(path="a.txt", id="a", text="Wolodymyr Selenskyj spoke.")
    findings = [
        _finding("NAME001", 0, 19, "Wolodymyr Selenskyj", "Volodymyr Zelenskyy"),
        _finding("NAME001", 10, 19, "Selenskyj", "Zelenskyy"),
        _finding("NAME003", 10, 19, "Selenskyj", "Zelenskyy"),
    ]
    edits = plan_edits(doc, findings, lambda rule: True)
    assert edits == [Edit(0, 19, "Volodymyr Zelenskyy", "NAME001")]


def test_write_keeps_the_article_permissions(tmp_path, run_cli):
    import stat

    article = tmp_path / "a.md"
    article.write_text(sample("001").read_text(encoding="utf-8"), encoding="utf-8")
    article.chmod(0o640)
    code, _, _ = run_cli("fix", article, "--write", "--isolated")
    assert code == 0
    assert "Olaf Scholz" in article.read_text(encoding="utf-8")
    assert stat.S_IMODE(article.stat().st_mode) == 0o640


QUOTE = """---
title: "Selenskyj meets Kallas in Kiew"
---
Wolodymyr Selenskyj met the Estonian prime minister in Kiew on Monday, and the two spoke
for an hour about air defence, grain exports and the next round of sanctions.

Die Bundesregierung erklärte am Abend, Selenskyj habe in Kiew um weitere Unterstützung
gebeten und die Gespräche seien sehr offen gewesen.

Kremlin aide Yury Uschakow said the talks changed nothing.
"""

GERMAN = """---
title: Selenskyj in Kiew
---
Selenskyj bittet in Kiew um mehr Hilfe

Der ukrainische Präsident Wolodymyr Selenskyj hat am Montag in Kiew die Verbündeten um
weitere Unterstützung gebeten.

Kremlberater Juri Uschakow sagte, die Gespräche hätten nichts geändert. Die Lage an der
Front bleibe schwierig, hieß es in Kiew.
"""


def test_text_in_another_language_is_left_alone(tmp_path, run_cli):
    quote, german = tmp_path / "quote.md", tmp_path / "german.md"
    quote.write_text(QUOTE, encoding="utf-8")
    german.write_text(GERMAN, encoding="utf-8")
    code, _, err = run_cli("fix", quote, german, "--write", "--isolated")
    assert code == 0, err
    fixed = quote.read_text(encoding="utf-8")
    assert 'title: "Zelenskyy meets Kallas in Kyiv"' in fixed
    assert "Volodymyr Zelenskyy met the Estonian prime minister in Kyiv" in fixed
    assert "Kremlin aide Yuri Ushakov said" in fixed
    # The German paragraph (UNT001) keeps German spellings, names and all.
    assert "Die Bundesregierung erklärte am Abend, Selenskyj habe in Kiew um" in fixed
    # A whole article in German is not English copy at all: nothing is rewritten, title
    # included, and the run says so.
    assert german.read_text(encoding="utf-8") == GERMAN
    assert f"auditor: {german}: left as it is: not English" in err


def test_the_title_is_fixed_only_where_it_maps(tmp_path, run_cli):
    plain = tmp_path / "plain.md"
    plain.write_text("---\ntitle: Talks in Kiew # draft\n---\nTalks in Kyiv went on.\n")
    folded = tmp_path / "folded.md"
    folded.write_text("---\ntitle: >-\n  Talks in\n  Kiew\n---\nTalks in Kyiv went on.\n")
    code, _, err = run_cli("fix", plain, folded, "--write", "--isolated")
    assert code == 0, err
    assert plain.read_text() == "---\ntitle: Talks in Kyiv # draft\n---\nTalks in Kyiv went on.\n"
    assert "Kiew" in folded.read_text()  # a block scalar is not a slice of the file: left


def test_no_edit_inside_not_english_spans():
    from auditor.commands.fix import not_english

    doc = Document(path="a.txt", id="a", text="Talks in Kiew. Gespräche in Kiew.")
    findings = [
        _finding("NAME001", 9, 13, "Kiew", "Kyiv"),
        _finding("NAME001", 28, 32, "Kiew", "Kyiv"),
        dataclasses.replace(_finding("UNT001", 15, 33, "Gespräche in Kiew.", ""), replacements=[]),
    ]
    assert not_english(doc, findings) == [(15, 33)]
    assert plan_edits(doc, findings, lambda rule: True) == [Edit(9, 13, "Kyiv", "NAME001")]
