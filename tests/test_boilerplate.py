"""BOIL on the seed articles: the debris the issue lists, and nothing in clean body text."""

from conftest import sample

from auditor.config import load_config
from auditor.document import Document
from auditor.ingest import read_paths
from auditor.pipeline import Auditor


def boil(prefix):
    config = load_config({"select": ["BOIL"]}, use_files=False)
    doc = next(read_paths([str(sample(prefix))]))
    result = Auditor(config).audit_document(doc)
    return [(f.rule, f.text) for f in result.findings], result


def flagged(findings, start):
    return [rule for rule, text in findings if text.startswith(start)]


def test_001_related_links_and_see_also():
    findings, _ = boil("001")
    assert flagged(findings, "See also\xa0 Movie review") == ["BOIL001"]
    assert flagged(findings, "Read also") == ["BOIL001", "BOIL001"]
    assert flagged(findings, "VG reports from Ukraine") == ["BOIL001"]
    assert flagged(findings, "Stoltenberg to VG") == ["BOIL001"]
    # Real subheads and body stay clean.
    assert not flagged(findings, "Avoid conflict")
    assert not flagged(findings, "Lavrov: Russia does not threaten anyone")
    assert not flagged(findings, "Stoltenberg mentioned")


def test_004_see_also_and_comment_form():
    findings, _ = boil("004")
    assert flagged(findings, "See also\xa0 Biden meets") == ["BOIL001"]
    assert flagged(findings, "See also\xa0 US bans") == ["BOIL001"]
    assert flagged(findings, "Leave a Reply") == ["BOIL002"]
    assert flagged(findings, "Your email address will not be published") == ["BOIL002"]
    assert not flagged(findings, "Lavrov’s words")


def test_003_chrome_and_author_bio():
    findings, _ = boil("003")
    assert flagged(findings, "Copy the current link") == ["BOIL002"]
    assert flagged(findings, "Add to the memorial list") == ["BOIL002"]
    bio = flagged(findings, "I have been working in the news industry")
    assert bio == ["BOIL003"]
    assert not flagged(findings, "Do everything to achieve ceasefire")
    assert not flagged(findings, "Kremlin spokesman")


def test_000_ticker_and_repeated_teaser_fragments():
    findings, _ = boil("000")
    assert flagged(findings, "News ticker.") == ["BOIL002"]
    assert flagged(findings, ": NATO chief Stoltenberg calls on Putin") == ["BOIL004"]
    assert flagged(findings, "throws in front.") == ["BOIL005"]
    assert flagged(findings, "This News ticker on Russia-Ukraine") == ["BOIL002"]
    # The subhead quoting the body is news style, not a repeat.
    assert not flagged(findings, "Ukraine-Russia negotiations: Zelenskyj works out")


def test_002_body_is_clean():
    findings, result = boil("002")
    body = [(rule, text) for rule, text in findings if not text.startswith("Image by")]
    assert body == []
    for f in result.findings:
        assert result.text[f.start : f.end] == f.text


def boil_text(text):
    config = load_config({"select": ["BOIL"]}, use_files=False)
    result = Auditor(config).audit_document(Document(path="t.md", id="t", text=text))
    return [(f.rule, f.text) for f in result.findings]


# Issue 18: news conventions that look like teasers glued in twice or cut (invented copy).
def test_a_headline_the_article_repeats_as_a_block_is_not_a_glued_teaser():
    assert (
        boil_text(
            "Flood defences hold as river peaks in the old town\n\n"
            "Flood defences hold as river peaks in the old town\n\n"
            "The river peaked at noon on Sunday, officials said."
        )
        == []
    )
    assert (
        boil_text(
            "Mayor opens the new bridge: traffic will use it from Monday\n\n"
            "Traffic will use it from Monday\n\n"
            "The mayor opened the bridge on Saturday."
        )
        == []
    )


def test_a_quotation_the_lead_reported_is_not_a_glued_teaser():
    assert (
        boil_text(
            "The minister spoke on Friday, saying the plan would cut emissions by half.\n\n"
            "The talks went on. The plan would cut emissions by half.\n\nMore later."
        )
        == []
    )


def test_a_sentence_glued_in_twice_is_still_found():
    repeated = "Traffic will use the bridge from Monday, the city said."
    assert boil_text(
        f"The mayor opened the bridge on Saturday. {repeated}\n\n{repeated} More later."
    ) == [("BOIL004", repeated)]


def test_a_block_continuing_a_sentence_or_a_quotation_is_not_a_cut_teaser():
    cut = "and the opposition called the project a waste of money."
    assert boil_text(
        "“We will rebuild the harbour within a year,”\n\nsaid the mayor, Anna Berg.\n\n"
        "“Will it hold? ”\n\nasked one resident.\n\n"
        "“It will, ”\n\nsaid the engineer.\n\n"
        "The works begin in May, the sale of the land in June...\n\n"
        "and the first ships dock in autumn.\n\n"
        f"The mayor opened the bridge.\n\n{cut}"
    ) == [("BOIL005", cut)]
