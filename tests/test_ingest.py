"""Reading inputs: formats, encodings and every kind of bad input."""

import json
import os

import pytest

from auditor.document import Document
from auditor.ingest import InputError, read_bytes, read_paths

ARTICLE = (
    "Berlin: Chancellor Olaf Scholz met NATO Secretary General Jens Stoltenberg on Tuesday.\n\n"
    "The two leaders discussed the war in Ukraine. They agreed to meet again in the spring.\n"
)


def one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def test_utf8_with_and_without_bom():
    plain = one(read_bytes(ARTICLE.encode("utf-8"), "a.txt"))
    bom = one(read_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "a.txt"))
    assert isinstance(plain, Document) and plain.text == ARTICLE
    assert bom.text == ARTICLE


def test_utf16_with_bom():
    doc = one(read_bytes(("Zürich café – " + ARTICLE).encode("utf-16"), "a.txt"))
    assert isinstance(doc, Document)
    assert doc.text.startswith("Zürich café – Berlin")


def test_latin1_is_detected():
    text = "Der Bundeskanzler äußerte sich am Dienstag in Zürich über die Lage in Österreich. " * 5
    doc = one(read_bytes(text.encode("latin-1"), "a.txt"))
    assert isinstance(doc, Document)
    assert "äußerte" in doc.text and "Österreich" in doc.text


def test_empty_and_whitespace_files_are_errors():
    for data in (b"", b"  \n\t\n"):
        err = one(read_bytes(data, "empty.txt"))
        assert isinstance(err, InputError)
        assert err.reason == "empty file"


def test_binary_file_is_rejected():
    data = bytes(range(256)) * 40
    err = one(read_bytes(data, "photo.txt"))
    assert isinstance(err, InputError)
    assert "binary" in err.reason


def test_markdown_front_matter_and_code_are_not_audited():
    md = (
        "---\ntitle: Talks in Berlin\nsource_lang: de\noutlet: Stern\n---\n"
        "# Talks in Berlin\n\nThe chancellor spoke.\n\n```\nSee also code\n```\n\n"
        "    indented code block\n\nThe end.\n"
    )
    doc = one(read_bytes(md.encode(), "a.md"))
    assert doc.meta == {"title": "Talks in Berlin", "source_lang": "de", "outlet": "Stern"}
    assert "See also code" not in doc.text and "indented code" not in doc.text
    assert "The chancellor spoke." in doc.text
    # Offsets of the prose are offsets in the file, shifted by the front matter.
    start = doc.text.index("The chancellor")
    assert md[doc.base + start :].startswith("The chancellor")
    assert doc.locate(start) == (8, 1)


def test_bad_front_matter_is_one_line_error():
    err = one(read_bytes(b"---\ntitle: [unclosed\n---\nText here.\n", "bad.md"))
    assert isinstance(err, InputError)
    assert "front matter" in err.reason and "\n" not in err.reason


def test_html_main_text_is_extracted():
    html = (
        "<html><head><title>Talks</title></head><body><nav>Home | World | Sports</nav>"
        "<article><h1>Scholz meets Stoltenberg</h1>"
        + "".join(f"<p>{s}</p>" for s in ARTICLE.split("\n") if s)
        + "</article><footer>Copyright 2024 Example Media</footer></body></html>"
    )
    doc = one(read_bytes(html.encode(), "page.html"))
    assert isinstance(doc, Document)
    assert "Chancellor Olaf Scholz" in doc.text
    assert "Home | World" not in doc.text


def test_jsonl_and_csv_corpora(tmp_path):
    rows = [
        {"id": "a1", "text": ARTICLE, "title": "T1", "source_lang": "de", "outlet": "Stern"},
        {"id": "a2", "text": "Second article. It is short."},
    ]
    jsonl = "\n".join(json.dumps(r) for r in rows) + "\n{broken\n" + json.dumps({"id": "x"}) + "\n"
    items = list(read_bytes(jsonl.encode(), "c.jsonl"))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [d.id for d in docs] == ["a1", "a2"]
    assert docs[0].meta["outlet"] == "Stern" and docs[0].path == "c.jsonl#a1"
    assert [e.path for e in errors] == ["c.jsonl:3", "c.jsonl:4"]
    csv_text = 'id,text,outlet\nb1,"One sentence here. And another, with a comma.",VG\n'
    doc = one(read_bytes(csv_text.encode(), "c.csv"))
    assert doc.id == "b1" and doc.meta["outlet"] == "VG"
    err = one(read_bytes(b"id,body\n1,hello\n", "c.csv"))
    assert isinstance(err, InputError) and "'text' column" in err.reason


def test_directory_with_unreadable_file(tmp_path):
    (tmp_path / "good.md").write_text(ARTICLE)
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing-target.md")
    locked = tmp_path / "locked.txt"
    locked.write_text(ARTICLE)
    locked.chmod(0)
    items = list(read_paths([str(tmp_path)]))
    by_path = {os.path.basename(i.path): i for i in items}
    assert isinstance(by_path["good.md"], Document)
    assert isinstance(by_path["dangling.md"], InputError)
    assert "cannot read" in by_path["dangling.md"].reason
    if os.geteuid() != 0:  # root reads anything
        assert isinstance(by_path["locked.txt"], InputError)


def test_missing_path_is_an_error_item():
    err = one(read_paths(["/nonexistent/article.md"]))
    assert isinstance(err, InputError) and "no such file" in err.reason


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_without_sentence_punctuation(suffix):
    text = "breaking news from kyiv\nmore to follow soon\nno punctuation at all here"
    doc = one(read_bytes(text.encode(), "x" + suffix))
    assert isinstance(doc, Document)
