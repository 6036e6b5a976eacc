"""Property-based tests: hostile input never crashes ingest, segmentation, the checks or any
reporter, and every finding's span lies inside its document and matches its ``text``.

Example counts come from a hypothesis profile: ``quick`` (the default, for ``make test``) or
``fuzz`` (``make fuzz``; set AUDITOR_HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import codecs
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.config import load_config
from auditor.document import Document, DocumentResult
from auditor.ingest import InputError, read_bytes, read_stream
from auditor.pipeline import Auditor
from auditor.reporters import FORMATS, ReportContext, reporter_for
from auditor.segment import segment

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
# `make test` runs a fixed set of examples, so CI is reproducible; `make fuzz` explores.
settings.register_profile(
    "quick", max_examples=25, deadline=None, suppress_health_check=_SLOW_OK, derandomize=True
)
settings.register_profile("fuzz", max_examples=1000, deadline=None, suppress_health_check=_SLOW_OK)
PROFILE = settings.get_profile(os.environ.get("AUDITOR_HYPOTHESIS_PROFILE", "quick"))

# Pieces that hostile copy is made of: controls, bidi and zero-width characters, combining
# marks, homoglyphs, mojibake, line and paragraph separators, Markdown and HTML syntax.
NASTY = [
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9d", "\r", "\r\n", "\t", "\v", "\f",
    "\u2028", "\u2029", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u061c",
    "\u0301", "\u0308\u0308\u0308", "e\u0301", "\ufffd", "\U0001f469\u200d\U0001f4bb",
    "Ky\u0456v", "\u041c\u043e\u0441\u043a\u0432a", "Caf\u00c3\u00a9", "don\u00e2\u20ac\u2122t",
    "\u00c2", "\u03bcg", "\uffff", "\U0010ffff",
    "---\n", "---\ntitle: [\n---\n", "```\n", "    ", "# ", "> ", "* ", "[", "](", "`", "**",
    "_", "<!-- ", " -->", "<!-- auditor-disable NAME001 -->", "<script>", "&amp;", "\\",
    "U.S.", "Dr.", "No. 10", "...", "\u2026", "!?", '"', "\u201c", "\u00bb", "(", ")",
    "\n", "\n\n", " ", ". ", "Zelenskyy", "Kyiv", "See also", "Read also", "Copy the link",
]  # fmt: skip
WORDS = (
    "The president said on Monday that talks would resume in Berlin after the summit "
    "ended without agreement between the two delegations"
).split()

pieces = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(WORDS).map(lambda w: w + " "),
    st.text(max_size=12),
    st.builds(
        lambda ch, n: ch * n,
        st.sampled_from(["a", ".", "[", "\u0456", " ", "-", "\n"]),
        st.integers(200, 5000),
    ),
)
hostile_text = st.lists(pieces, max_size=40).map("".join)
SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".csv"]


def _encodings(text: str) -> st.SearchStrategy[bytes]:
    utf8 = text.encode("utf-8", "surrogatepass")
    return st.sampled_from([
        utf8,
        codecs.BOM_UTF8 + utf8,
        codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass"),
        text.encode("latin-1", "replace"),
        text.encode("cp1251", "replace"),
    ])  # fmt: skip


def _corpus_bytes(texts: list[str], kind: str) -> bytes:
    import csv
    import json

    if kind == "jsonl":
        rows = (json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts))
        return "".join(rows).encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "text"])
    writer.writerows([i, t] for i, t in enumerate(texts))
    return out.getvalue().encode("utf-8", "surrogatepass")


hostile_bytes = st.one_of(
    st.binary(max_size=2000),
    hostile_text.flatmap(_encodings),
    # Lone surrogates encoded as (invalid) UTF-8, as WTF-8 and CESU-8 producers write them.
    st.lists(
        st.sampled_from(
            [
                b"\xed\xa0\x80",
                b"\xed\xbf\xbf",
                b"abc ",
                b"\xff",
                b"\xc3",
                b"\n",
                b"\x00",
                codecs.BOM_UTF8,
                b'{"text": "x"}\n',
            ]
        ),
        max_size=30,
    ).map(b"".join),
)
hostile_corpus = st.one_of(
    st.tuples(
        st.lists(hostile_text, min_size=1, max_size=4), st.sampled_from(["jsonl", "csv"])
    ).map(lambda a: (_corpus_bytes(*a), a[1])),
    st.tuples(
        st.lists(
            st.sampled_from(
                [
                    '{"text": "\\ud800 lone"}',
                    '{"id": {"a": 1}, "text": "x"}',
                    "[[[[[[[[[[[[",
                    "[" * 5000 + "]" * 5000,
                    "{}",
                    '"just a string"',
                    '{"text": 5}',
                    '{"text": "\\u202e"}',
                ]
            ),
            max_size=8,
        ).map(lambda rows: "\n".join(rows).encode()),
        st.just("jsonl"),
    ),
)


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor(load_config({"lm": False}, use_files=False))


def _assert_sound(result: DocumentResult, text: str) -> None:
    assert result.status == "ok"
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        assert f.text == text[f.start : f.end], f
        assert f.line >= 1 and f.col >= 1 and f.end_line >= f.line
        f.to_dict()["text"].encode("utf-8")  # reportable: no lone surrogates


def _assert_item(item) -> None:
    assert isinstance(item, Document | InputError)
    if isinstance(item, InputError):
        assert item.reason and "\n" not in item.reason
    else:
        item.text.encode("utf-8")
        item.path.encode("utf-8")


@PROFILE
@given(data=hostile_bytes, suffix=st.sampled_from(SUFFIXES))
def test_ingest_never_crashes(data, suffix):
    for item in read_bytes(data, f"input{suffix}"):
        _assert_item(item)
    for item in read_stream(io.BytesIO(data), f"stdin{suffix}"):
        _assert_item(item)


@PROFILE
@given(corpus=hostile_corpus)
def test_corpus_rows_never_crash_the_run(corpus, auditor):
    data, kind = corpus
    items = list(read_bytes(data, f"corpus.{kind}"))
    for item in items:
        _assert_item(item)
    for item, result in zip(items, auditor.audit(items), strict=True):
        if isinstance(item, Document):
            _assert_sound(result, result.text)


@PROFILE
@given(text=hostile_text)
def test_segmentation_keeps_offsets(text):
    doc = segment(Document(path="x.txt", id="x", text=text))
    # Tokens that are not words are blanked, every offset kept.
    assert len(doc.text) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, doc.text, strict=True))
    text = doc.text
    previous_end = 0
    for sentence in doc.sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end]
        for token in sentence.tokens:
            assert sentence.start <= token.start < token.end <= sentence.end
            assert token.text == text[token.start : token.end]
        previous_end = sentence.end
    for paragraph in doc.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(text)


@PROFILE
@given(text=hostile_text, suffix=st.sampled_from([".txt", ".md"]))
def test_every_check_keeps_spans_inside_the_document(text, suffix, auditor):
    items = list(read_bytes(text.encode("utf-8", "surrogatepass"), f"article{suffix}"))
    for item, result in zip(items, auditor.audit(items), strict=True):
        if isinstance(item, Document):
            assert result.text == item.text
            _assert_sound(result, item.text)
        else:
            assert result.status == ("empty" if item.empty else "error")


@PROFILE
@given(texts=st.lists(hostile_text, min_size=1, max_size=3), error=st.text(max_size=40))
def test_every_reporter_takes_any_result(texts, error, auditor):
    items: list = [
        Document(path=f"dir/{i}\u202e.md", id=str(i), text=t or " ") for i, t in enumerate(texts)
    ]
    items.append(InputError("bad\u200b.txt", error.replace("\n", " ") or "empty file"))
    results = list(auditor.audit(items))
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "report"
            ctx = ReportContext(
                signature=auditor.signature, config=auditor.config, output=out, root=Path(folder)
            )
            reporter = reporter_for(fmt, ctx)
            for result in results:
                reporter.add(result)
            reporter.finish()
            written = [p for p in Path(folder).rglob("*") if p.is_file()]
            assert written, fmt
            assert not [p for p in written if p.name.endswith((".tmp", ".partial"))], fmt
