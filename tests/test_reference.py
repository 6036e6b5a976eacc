"""REF: alignment, sacrebleu scores, reference and sibling comparison, ``auditor compare``."""

from __future__ import annotations

import csv
import io
import json

import pytest
import sacrebleu
from conftest import DEV_DATA, sample

from auditor.checks import Resources
from auditor.config import load_config
from auditor.document import Document
from auditor.ingest import read_paths
from auditor.pipeline import Auditor
from auditor.reference import provide_references, provide_siblings
from auditor.reference.align import align, load_calibration
from auditor.reference.compare import compare
from auditor.reference.metrics import document_scores, sentence_chrf, sentence_scores
from auditor.segment import segment

DROPPED = "The negotiators would now return to their respective capitals for consultation."
ADDED = "Officials in Minsk declined to say where the next meeting would take place."
AFTER = "Paris said that Putin had shown himself willing to work on the points."


def body(prefix: str) -> str:
    return next(read_paths([str(sample(prefix))])).text


def edited(text: str) -> str:
    """The article with one sentence dropped and another added elsewhere."""
    assert DROPPED in text and AFTER in text
    return text.replace(f" {DROPPED}", "").replace(AFTER, f"{AFTER} {ADDED}")


def doc(text: str, path: str = "doc.txt", **meta) -> Document:
    d = Document(path=path, id=path, text=text)
    d.meta = dict(meta)
    return segment(d)


def audit(docs, reference=None, corpus=False, select=("BOIL", "REF")):
    config = load_config({"select": list(select), "lm": False}, use_files=False)
    resources = Resources(config)
    if reference is not None:
        provide_references(resources, [reference])
    if corpus:
        provide_siblings(resources, lambda: list(docs))
    return list(Auditor(config, resources).audit(list(docs)))


def refs(result, code=None):
    return [f for f in result.findings if f.rule.startswith(code or "REF")]


# sacrebleu's own numbers ---------------------------------------------------------------


def test_sentence_scores_are_sacrebleus():
    original = doc(body("002"))
    paraphrase = "Before that, Ukraine's president had asked Moscow for an immediate truce."
    pairs = [(s.text, paraphrase) for s in original.sentences[:6]]
    pairs.append((original.sentences[3].text, original.sentences[3].text))
    for hyp, ref in pairs:
        ours = sentence_scores(hyp, ref)
        assert ours.chrf == sacrebleu.sentence_chrf(hyp, [ref]).score
        assert ours.bleu == sacrebleu.sentence_bleu(hyp, [ref]).score
        assert ours.ter == sacrebleu.sentence_ter(hyp, [ref]).score
        assert sentence_chrf(hyp, ref) == ours.chrf


def test_document_scores_are_sacrebleus_over_aligned_pairs():
    reference = doc(body("002"), "ref.txt")
    candidate = doc(edited(reference.text), "cand.txt")
    comparison = compare(candidate, reference, load_calibration())
    hyps = [comparison.text("candidate", p) for p in comparison.pairs]
    refs_ = [comparison.text("reference", p) for p in comparison.pairs]
    assert "" in hyps and "" in refs_  # the omission and the addition count
    scores = document_scores(hyps, refs_)
    assert comparison.document == scores
    assert scores.chrf == sacrebleu.corpus_chrf(hyps, [refs_]).score
    assert scores.bleu == sacrebleu.corpus_bleu(hyps, [refs_]).score
    assert scores.ter == sacrebleu.corpus_ter(hyps, [refs_]).score
    for pair in comparison.pairs:
        if pair.scores is not None:
            hyp, ref = comparison.text("candidate", pair), comparison.text("reference", pair)
            assert pair.scores.chrf == sacrebleu.sentence_chrf(hyp, [ref]).score
            assert pair.scores.bleu == sacrebleu.sentence_bleu(hyp, [ref]).score
            assert pair.scores.ter == sacrebleu.sentence_ter(hyp, [ref]).score


# alignment ------------------------------------------------------------------------------


def test_alignment_handles_merges_splits_and_gaps():
    costs = load_calibration().costs
    reference = [s.text for s in doc(body("003")).sentences]
    assert reference[13].startswith("The last round ended quickly at the beginning of June")
    # The candidate joins sentences 8 and 9, splits 13 in two, drops 24 and adds a sentence
    # of its own after 30.
    head, tail = reference[13].split(" after ", 1)
    candidate = (
        reference[:8]
        + [reference[8].rstrip(".") + " and " + reference[9]]
        + reference[10:13]
        + [head + ".", "After that " + tail]
        + reference[14:24]
        + reference[25:31]
        + [ADDED]
        + reference[31:]
    )
    beads = [(b.candidate, b.reference) for b in align(candidate, reference, costs)]
    assert ((8,), (8, 9)) in beads  # 1-2: the candidate merged two sentences
    assert ((12, 13), (13,)) in beads  # 2-1: the candidate split one
    assert ((), (24,)) in beads  # 0-1: missing from the candidate
    assert ((candidate.index(ADDED),), ()) in beads  # 1-0: only in the candidate
    assert sum(len(c) == len(r) == 1 for c, r in beads) == len(beads) - 4


def test_alignment_of_empty_sides():
    costs = load_calibration().costs
    beads = align(["One sentence.", "Two."], [], costs)
    assert [(b.candidate, b.reference) for b in beads] == [((0,), ()), ((1,), ())]


# the check ------------------------------------------------------------------------------


def test_dropped_and_added_sentences_are_found_where_they_are():
    reference = doc(body("002"), "ref.txt")
    text = edited(reference.text)
    (result,) = audit([Document(path="cand.txt", id="cand", text=text)], reference=reference)
    (missing,) = refs(result, "REF002")
    (added,) = refs(result, "REF003")
    # The dropped sentence belongs after the one that preceded it in the reference.
    previous = "the content was not disclosed."
    assert missing.start == missing.end == text.index(previous) + len(previous)
    assert DROPPED in missing.message and missing.evidence["missing"] == DROPPED
    assert missing.mqm_category == "Accuracy/Omission" and missing.severity == "major"
    assert added.text == ADDED and added.mqm_category == "Accuracy/Addition"
    assert not refs(result, "REF001")
    summary = result.extra["reference"]
    assert summary["omitted"] == 1 and summary["added"] == 1
    assert summary["signatures"]["chrf"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")


def test_a_sentence_that_says_something_else_is_low_similarity():
    reference = doc(body("002"), "ref.txt")
    original = "Roads should also be secured, especially in the south of Kyiv."
    wrong = "Roads were also closed, mostly north of the capital, by the army."
    text = reference.text.replace(original, wrong)
    (result,) = audit([Document(path="cand.txt", id="cand", text=text)], reference=reference)
    (low,) = refs(result)
    assert low.rule == "REF001" and low.text == wrong
    assert low.evidence["chrf"] < load_calibration().low_chrf
    assert low.evidence["chrf"] == round(sacrebleu.sentence_chrf(wrong, [original]).score, 2)


def test_identical_text_and_no_reference_give_nothing():
    reference = doc(body("003"), "ref.txt")
    (same,) = audit([Document(path="c.txt", id="c", text=reference.text)], reference=reference)
    assert not refs(same) and same.extra["reference"]["chrf"] == 100.0
    (alone,) = audit([Document(path="c.txt", id="c", text=reference.text)])
    assert not refs(alone) and "reference" not in alone.extra


def test_debris_is_not_compared():
    # Sample 003 carries share-bar debris; a clean reference without it yields no REF003.
    text = body("003")
    clean = text.replace("Copy the current link\n", "").replace("Add to the memorial list\n", "")
    (result,) = audit([Document(path="c.txt", id="c", text=text)], reference=doc(clean, "r.txt"))
    assert not refs(result)


# siblings -------------------------------------------------------------------------------


def test_siblings_by_story_field_vote_and_agree():
    text = body("002")
    versions = [
        Document(path="a.md", id="a", text=text, meta={"story": "ceasefire"}),
        Document(path="b.md", id="b", text=text.replace("invasion", "incursion"),
                 meta={"story": "ceasefire"}),
        Document(path="c.md", id="c", text=text.replace(f" {DROPPED}", ""),
                 meta={"story": "ceasefire"}),
        Document(path="d.md", id="d", text=body("003")),
    ]  # fmt: skip
    results = {r.path: r for r in audit(versions, corpus=True)}
    (missing,) = refs(results["c.md"])
    assert missing.rule == "REF002" and missing.severity == "major"  # both others have it
    assert missing.confidence == pytest.approx(2 / 3)
    # The two complete versions each lose one vote of two: no finding.
    assert not refs(results["a.md"]) and not refs(results["b.md"])
    assert results["a.md"].extra["siblings"] == 2
    assert 90 < results["c.md"].extra["sibling_chrf"] < results["a.md"].extra["sibling_chrf"]
    assert "sibling_chrf" not in results["d.md"].extra


def test_siblings_by_near_duplicate_leads(tmp_path):
    for path in sorted(sample("").parent.glob("*.md")):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    variant = edited(body("002"))
    (tmp_path / "zz-variant.txt").write_text(variant, encoding="utf-8")
    docs = list(read_paths([str(tmp_path)]))
    results = {r.path.rsplit("/", 1)[-1]: r for r in audit(docs, corpus=True)}
    grouped = {name for name, r in results.items() if "sibling_chrf" in r.extra}
    assert grouped == {"002-russia-ceasefire-demands.md", "zz-variant.txt"}
    # With one sibling neither version can be called wrong: minor, half confidence.
    found = refs(results["zz-variant.txt"])
    assert {f.rule for f in found} == {"REF002", "REF003"}
    assert all(f.severity == "minor" and f.confidence == 0.5 for f in found)


# commands -------------------------------------------------------------------------------


@pytest.fixture
def pair_files(tmp_path):
    reference = tmp_path / "ref.txt"
    reference.write_text(body("002"), encoding="utf-8")
    candidate = tmp_path / "cand.txt"
    candidate.write_text(edited(body("002")), encoding="utf-8")
    return candidate, reference


def test_compare_command_formats(run_cli, pair_files):
    candidate, reference = pair_files
    code, out, err = run_cli("compare", candidate, reference, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    kinds = [p["kind"] for p in report["pairs"]]
    assert kinds.count("0-1") == 1 and kinds.count("1-0") == 1
    assert report["signatures"]["bleu_sentence"].startswith("nrefs:1|case:mixed|eff:yes|tok:13a")
    assert sorted(f["rule"] for f in report["findings"]) == ["REF002", "REF003"]
    code, out, _ = run_cli("compare", candidate, reference, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == len(kinds)
    assert {r["kind"] for r in rows if not r["chrf"]} == {"0-1", "1-0"}
    code, out, _ = run_cli("compare", candidate, reference)
    assert code == 0 and "REF002 [major]" in out and "chrF nrefs:1" in out
    code, _, err = run_cli("compare", candidate, reference.with_name("nope.txt"))
    assert code == 2 and "nope.txt: no such file or directory" in err


def test_check_with_reference_option(run_cli, pair_files, tmp_path):
    candidate, reference = pair_files
    code, out, err = run_cli(
        "check", candidate, "--reference", reference, "--no-lm", "--select", "REF",
        "--format", "json", "--quiet", "--isolated",
    )  # fmt: skip
    assert code == 1, err  # a missing sentence is a major finding
    (document,) = json.loads(out)["documents"]
    assert sorted(f["rule"] for f in document["findings"]) == ["REF002", "REF003"]
    code, _, err = run_cli("check", candidate, "--reference", tmp_path / "none.md", "--no-lm")
    assert code == 2 and "--reference" in err and "none.md" in err


def test_articles_csv_has_sibling_agreement(run_cli, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    text = body("002")
    rows = [
        {"id": "a", "story": "s1", "text": text},
        {"id": "b", "story": "s1", "text": text.replace(f" {DROPPED}", "")},
        {"id": "c", "text": body("004")},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    run_cli("check", corpus, "--no-lm", "--format", "csv", "--output", out, "--quiet",
            "--isolated")  # fmt: skip
    table = {r["id"]: r for r in csv.DictReader((out / "articles.csv").open(encoding="utf-8"))}
    assert float(table["a"]["sibling_chrf"]) > 90 and float(table["b"]["sibling_chrf"]) > 90
    assert table["c"]["sibling_chrf"] == ""


# development data -----------------------------------------------------------------------


@pytest.mark.skipif(not DEV_DATA.exists(), reason="development data not present")
def test_chrf_baseline_against_mqm():
    from research.reference import chrf_mqm_correlation, load_rows

    numbers = chrf_mqm_correlation(load_rows(DEV_DATA))
    assert numbers["rows"] == 16000
    assert numbers["kendall_tau_flat"] == pytest.approx(0.20, abs=0.01)
    assert numbers["kendall_tau_grouped"] == pytest.approx(0.14, abs=0.01)


def test_several_references_are_matched_by_id_then_story():
    from auditor.reference import ReferenceSet

    ref_a = Document(path="refs/a.md", id="a", text="One.", meta={"story": "s1"})
    ref_b = Document(path="refs/b.md", id="b", text="Two.", meta={"story": "s2"})
    references = ReferenceSet([ref_a, ref_b])
    assert references.for_document(Document(path="x/a.md", id="a", text="x")) is ref_a
    by_story = Document(path="x/z.md", id="z", text="x", meta={"story": "s2"})
    assert references.for_document(by_story) is ref_b
    assert references.for_document(Document(path="x/q.md", id="q", text="x")) is None
    assert ReferenceSet([ref_a]).for_document(by_story) is ref_a  # one serves all


def test_the_chrf_baseline_study(capsys, tmp_path):
    """The chrF baseline on rows of the dev-data layout (made up here): better chrF, lower MQM."""
    import gzip
    import json

    reference = "The minister said the talks in Berlin would continue next week."
    candidates = [
        (reference, 0.0),
        ("The minister said talks in Berlin would continue next week.", 1.0),
        ("Minister says the negotiations continue in Berlin.", 5.0),
        ("Snow fell over the quiet harbour at dawn.", 25.0),
    ]
    path = tmp_path / "rows.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for seg in (1, 2):
            for system, (target, mqm) in enumerate(candidates):
                row = {"seg_id": seg, "system": f"s{system}", "is_human": False,
                       "target": target, "reference": reference, "mqm": mqm}  # fmt: skip
                f.write(json.dumps(row) + "\n")
    from research.reference import main

    assert main([str(path), "--chrf"]) == 0
    out = capsys.readouterr().out
    assert "over 8 MT rows" in out
    assert "Kendall tau, flat:                 1.000" in out
    assert "grouped by seg_id:    1.000 (2 segments)" in out
