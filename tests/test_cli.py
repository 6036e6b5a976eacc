"""The check command end to end: formats, exit codes, determinism, bad inputs."""

import json

from conftest import SAMPLES, sample

FIELDS = {
    "rule", "check", "message", "span", "line", "col", "end_line", "end_col", "text",
    "replacements", "mqm_category", "severity", "confidence", "evidence", "fingerprint",
}  # fmt: skip


def test_json_report_of_samples(run_cli, tmp_path):
    out = tmp_path / "audit.json"
    code, _, err = run_cli("check", SAMPLES, "--no-lm", "--format", "json", "-o", out, "--quiet")
    assert code == 1, err  # the samples carry major debris: the default gate fails
    report = json.loads(out.read_text())
    assert report["signature"].startswith("auditor:")
    docs = report["documents"]
    assert len(docs) == 5 and all(d["status"] == "ok" for d in docs)
    for d in docs:
        source = open(d["path"], encoding="utf-8").read()
        lines = source.split("\n")
        for f in d["findings"]:
            assert set(f) == FIELDS
            # line/col index the file as given, front matter included.
            line = lines[f["line"] - 1]
            assert line[f["col"] - 1 :].startswith(f["text"].split("\n")[0])


def test_two_runs_are_byte_identical(run_cli, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run_cli("check", SAMPLES, "--no-lm", "-f", "json", "-o", a)
    run_cli("check", SAMPLES, "--no-lm", "-f", "json", "-o", b)
    assert a.read_bytes() == b.read_bytes()


def test_exit_codes(run_cli, tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text("The chancellor met the secretary general in Berlin on Tuesday.\n")
    boil = ("--no-lm", "--isolated", "--select", "BOIL")
    assert run_cli("check", clean, *boil)[0] == 0
    assert run_cli("check", sample("003"), *boil)[0] == 1
    assert run_cli("check", sample("003"), *boil, "--fail-on", "never")[0] == 0
    assert run_cli("check", sample("002"), *boil, "--fail-on", "major")[0] == 0
    assert run_cli("check", sample("002"), *boil, "--fail-on", "minor")[0] == 1


def test_usage_errors_are_one_line_exit_2(run_cli, tmp_path):
    for args in (
        ("check", tmp_path / "missing.md"),
        ("check", SAMPLES, "--bogus"),
        ("check", SAMPLES, "--format", "yaml"),
        ("check",),
        (),
    ):
        code, out, err = run_cli(*args)
        assert code == 2, args
        assert err.count("\n") == 1 and err.startswith("auditor: "), err


def test_bad_files_become_error_rows_and_the_rest_is_audited(run_cli, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(sample("002").read_text())
    (corpus / "empty.md").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (corpus / "gone.md").symlink_to(corpus / "nowhere.md")
    out = tmp_path / "r.json"
    code, _, err = run_cli("check", corpus, "--no-lm", "-f", "json", "-o", out)
    assert code == 2
    docs = {d["path"].rsplit("/", 1)[1]: d for d in json.loads(out.read_text())["documents"]}
    assert docs["a.md"]["status"] == "ok"
    # An empty file is not an error: it has its own status, and no error line.
    assert docs["empty.md"]["status"] == "empty" and docs["empty.md"]["error"] is None
    assert "binary" in docs["binary.txt"]["error"]
    assert "cannot read" in docs["gone.md"]["error"]
    lines = err.strip().splitlines()  # two errors, the run's summary, the gate (a.md: a major)
    assert len(lines) == 4 and lines[-1].startswith("auditor: gate failed: ")
    assert "report in" in lines[-2]
    assert all(line.startswith("auditor: ") for line in lines)
    # Nothing was written inside the input tree.
    assert sorted(p.name for p in corpus.iterdir()) == ["a.md", "binary.txt", "empty.md", "gone.md"]


def test_fifty_megabyte_file(run_cli, tmp_path):
    paragraph = (
        "Jens Stoltenberg met German Chancellor Olaf Scholz in Berlin on Tuesday. "
        "They talked about the crisis and how the conflict can be de-escalated.\n\n"
    )
    big = tmp_path / "big.txt"
    big.write_text(paragraph * (50_000_000 // len(paragraph) + 1))
    assert big.stat().st_size >= 50_000_000
    out = tmp_path / "big.json"
    code, _, err = run_cli("check", big, "--no-lm", "-f", "json", "-o", out)
    assert code in (0, 1), err
    doc = json.loads(out.read_text())["documents"][0]
    assert doc["status"] == "ok" and doc["words"] > 10_000
    # The article is cut at the size limit, and the report says so.
    assert any(f["rule"] == "LIM001" for f in doc["findings"])


def test_stdin(run_cli, monkeypatch, tmp_path):
    import io
    import sys

    data = sample("001").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run_cli(
        "check", "--stdin", "--stdin-filename", "piece.md", "--no-lm", "-f", "jsonl"
    )
    doc = json.loads(out.splitlines()[0])
    assert doc["path"] == "piece.md" and doc["outlet"] == "VG"
    assert code == 1


def test_select_and_ignore(run_cli, tmp_path):
    out = tmp_path / "s.json"
    run_cli(
        "check",
        sample("003"),
        "--no-lm",
        "--select",
        "BOIL",
        "--ignore",
        "BOIL006",
        "-f",
        "json",
        "-o",
        out,
    )
    rules = {f["rule"] for f in json.loads(out.read_text())["documents"][0]["findings"]}
    assert rules == {"BOIL002", "BOIL003"}


def test_csv_output_directory(run_cli, tmp_path):
    run_cli("check", SAMPLES, "--no-lm", "-f", "csv", "-o", tmp_path / "csv")
    articles = (tmp_path / "csv" / "articles.csv").read_text().splitlines()
    assert len(articles) == 6 and articles[0].startswith("path,")
    findings = (tmp_path / "csv" / "findings.csv").read_text().splitlines()
    assert len(findings) > 10


def test_output_with_trailing_slash_is_a_folder(run_cli, tmp_path):
    out = f"{tmp_path}/new-folder/"
    run_cli("check", sample("002"), "--no-lm", "--isolated", "-f", "json", "-o", out)
    assert (tmp_path / "new-folder" / "audit.json").is_file()
