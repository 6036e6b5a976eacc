"""Segmentation of news copy: offsets, headlines, abbreviations, quotes and dashes."""

from auditor.document import Document
from auditor.segment import segment, tokenize


def sentences(text):
    doc = segment(Document("t", "t", text))
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
        for t in s.tokens:
            assert doc.text[t.start : t.end] == t.text
    return [s.text for s in doc.sentences], doc


def test_abbreviations_do_not_end_sentences():
    got, _ = sentences(
        "U.S. officials met Dr. Smith at No. 10 Downing Street on Monday. "
        "Gen. Milley spoke at 9 a.m. in Washington. The talks ended."
    )
    assert got == [
        "U.S. officials met Dr. Smith at No. 10 Downing Street on Monday.",
        "Gen. Milley spoke at 9 a.m. in Washington.",
        "The talks ended.",
    ]


def test_a_full_stop_before_a_lowercase_word_ends_no_sentence():
    # Abbreviations no list holds, in any language: Lithuanian "el. paštas" (e-mail), a
    # company's "Ltd." before its verb.
    got, _ = sentences(
        "The firm wrote to its clients. Jūsų el. pašto adresas buvo patvirtintas. "
        "Sinopec Ltd. is the largest refiner. It said so!"
    )
    assert got == [
        "The firm wrote to its clients.",
        "Jūsų el. pašto adresas buvo patvirtintas.",
        "Sinopec Ltd. is the largest refiner.",
        "It said so!",
    ]


def test_quotes_stay_with_their_sentence():
    got, _ = sentences(
        "“We stand firmly by Ukraine’s side,” Stoltenberg said. “We will help.” Then he left."
    )
    assert got == [
        "“We stand firmly by Ukraine’s side,” Stoltenberg said.",
        "“We will help.”",
        "Then he left.",
    ]


def test_headlines_are_their_own_sentences():
    text = (
        "Russian attack war\nSelenskyj proposes new talks\nThe President of Ukraine wants to "
        "talk to Russia about a possible ceasefire in the coming week. The last round ended "
        "quickly."
    )
    got, doc = sentences(text)
    assert got[:2] == ["Russian attack war", "Selenskyj proposes new talks"]
    assert doc.sentences[0].is_headline and not doc.sentences[2].is_headline
    assert len(got) == 4


def test_hard_wrapped_markdown_paragraph_is_one_block():
    text = (
        "The chancellor met the secretary general in Berlin on Tuesday to talk\n"
        "about the crisis and how the conflict could be de-escalated before the\n"
        "summit. Both sides said they were ready to continue the talks.\n"
    )
    got, doc = sentences(text)
    assert len(doc.paragraphs) == 1
    assert len(got) == 2


def test_dashes_and_initials():
    got, _ = sentences(
        "Kyiv/Moscow – On May 9th, many eyes are on J. R. Smith. He spoke – briefly."
    )
    assert got == ["Kyiv/Moscow – On May 9th, many eyes are on J. R. Smith.", "He spoke – briefly."]


def test_tokens_keep_offsets_and_kinds():
    tokens = tokenize("Zelenskyy's U.S. visit cost $1,500.50 in 2024.", 10)
    words = [(t.text, t.kind) for t in tokens]
    assert ("Zelenskyy's", "word") in words
    assert ("U.S.", "word") in words
    assert ("1,500.50", "number") in words
    assert tokens[0].start == 10


def test_no_punctuation_text_still_segments():
    got, doc = sentences("breaking news from kyiv\nmore to follow")
    assert got == ["breaking news from kyiv", "more to follow"]
    assert doc.words == 7
