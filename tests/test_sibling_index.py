"""The sibling index keeps where articles are, not their texts: rows read again by location
are the rows first read, and a corpus audit with siblings read again reports what an audit
with every version in memory reports."""

from __future__ import annotations

import csv
import json

from conftest import sample

from auditor.checks import Resources
from auditor.config import load_config
from auditor.document import Document
from auditor.ingest import Location, read_at, read_located, read_paths
from auditor.pipeline import Auditor
from auditor.reference import SIBLINGS_KEY, provide_siblings
from auditor.reference.align import load_calibration
from auditor.reference.siblings import CACHED_SIBLINGS, build_index

DROPPED = "The negotiators would now return to their respective capitals for consultation."


def same(a: Document, b: Document) -> bool:
    return (a.path, a.id, a.text, a.meta, a.source, a.base) == (
        b.path, b.id, b.text, b.meta, b.source, b.base
    )  # fmt: skip


def body(prefix: str) -> str:
    return next(read_paths([str(sample(prefix))])).text


def test_rows_read_again_by_location_are_the_rows_first_read(tmp_path):
    rows = [
        {"id": f"r{i}", "text": f"Zeile {i}: Kyiv — Київ, 中文. " * (i % 5 + 1), "story": "s"}
        for i in range(40)
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines[3:3] = ["", "{not json", "[1, 2]"]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\r\n".join(lines) + "\r\n", encoding="utf-16")
    with (tmp_path / "c.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["id", "text", "story"])
        writer.writeheader()
        for r in rows:  # quoted fields across lines: a row's number is its last line
            writer.writerow({**r, "text": r["text"].replace(": ", ':\n"quoted"\n')})
    (tmp_path / "d.md").write_text("---\ntitle: T\n---\n\nA short article.\n", encoding="utf-8")

    plain = list(read_paths([str(tmp_path)]))
    located = list(read_located([str(tmp_path)]))
    assert [str(i) for i in plain if not isinstance(i, Document)] == [
        str(i) for i, where in located if not isinstance(i, Document) and where is None
    ]
    docs = [(d, where) for d, where in located if isinstance(d, Document)]
    assert len(docs) == 3 * 40 + 1
    first = [d for d in plain if isinstance(d, Document)]
    assert all(same(a, b) for a, (b, _) in zip(first, docs, strict=True))
    for doc, where in reversed(docs):  # any order: each row is found by its own location
        assert same(read_at(where), doc)
    assert read_at(Location(str(tmp_path / "gone.jsonl"), 0, 0, "utf-8")) is None


def test_corpus_index_keeps_locations_and_reads_siblings_again(tmp_path):
    text = body("002")
    versions = {
        "a": text,
        "b": text.replace("invasion", "incursion"),
        "c": text.replace(f" {DROPPED}", ""),
    }
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for key, version in versions.items():
            f.write(json.dumps({"id": key, "story": "ceasefire", "text": version}) + "\n")
        f.write(json.dumps({"id": "d", "text": body("003")}) + "\n")

    index = build_index(
        lambda: read_located([str(corpus)]), load_calibration().sibling_similarity, read_at
    )
    assert sorted(index.story_of) == [f"{corpus}#{k}" for k in "abc"]
    assert all(isinstance(where, Location) for where in index.location_of.values())
    docs = {d.id: d for d in read_paths([str(corpus)])}
    found = index.siblings(docs["b"])
    assert [d.id for d in found] == ["a", "c"] and same(found[1], docs["c"])
    assert [d.id for d in index.siblings(docs["b"], limit=1)] == ["a"]
    assert index.siblings(docs["d"]) == []

    # The same findings as when every version is held in memory.
    def audit(provide):
        config = load_config({"select": ["BOIL", "REF"], "lm": False}, use_files=False)
        resources = Resources(config)
        provide(resources)
        auditor = Auditor(config, resources)
        return [r.to_dict() for r in auditor.audit(list(read_paths([str(corpus)])))], resources

    located, resources = audit(
        lambda r: provide_siblings(r, lambda: read_located([str(corpus)]), read_at)
    )
    in_memory, _ = audit(lambda r: provide_siblings(r, lambda: list(read_paths([str(corpus)]))))
    assert located == in_memory
    assert any(f["rule"] == "REF002" for f in located[2]["findings"])
    assert len(resources.get(SIBLINGS_KEY, lambda: None)._cache) <= CACHED_SIBLINGS


def test_large_near_duplicate_stories_are_joined_through_windows_of_pairs():
    """Each lead is paired with a window of the leads sharing a word, not all of them: copies
    of a story many more than the window still join into one story, and apart stay apart."""
    from auditor.reference.siblings import PAIR_WINDOW, group_stories

    def word(story: int, n: int) -> str:
        return "".join(chr(ord("a") + int(d)) for d in f"{story:02d}{n:02d}") + "word"

    copies = 4 * PAIR_WINDOW
    body = {story: tuple(range(story * 100, story * 100 + 64)) for story in range(30)}
    entries = [
        (f"s{story:02d}-{copy:03d}", None,
         " ".join(word(story, n) for n in range(14)) + f" reported by outlet number {copy}",
         body[story])
        for story in range(30) for copy in range(copies)
    ]  # fmt: skip
    calibration = load_calibration()
    groups = group_stories(entries, calibration.sibling_similarity, calibration.sibling_body)
    assert len(groups) == len(entries)
    for story in range(30):
        keys = {groups[f"s{story:02d}-{copy:03d}"] for copy in range(copies)}
        assert len(keys) == 1
    assert len(set(groups.values())) == 30
