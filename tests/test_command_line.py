"""A command line that never passes silently: every case with its exit code and its message."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, sample

from auditor.reporters import FORMATS

CLEAN = "The chancellor met the secretary general in Berlin on Tuesday.\n"


def auditor(cwd, *args, stdin: str | None = None):
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize(
    ("flag", "value", "hint"),
    [
        ("--select", "NAMEX", "did you mean NAME"),
        ("--select", "FOO999", "did you mean a family: BOIL, NAME"),
        ("--ignore", "BOL", "did you mean BOIL"),
        ("--select", "NAME,LX", "'LX' (did you mean LEX"),
    ],
)
def test_unknown_rule_codes_in_flags_are_usage_errors_with_a_suggestion(
    run_cli, tmp_path, flag, value, hint
):
    (tmp_path / "a.md").write_text(CLEAN)
    code, _, err = run_cli("check", tmp_path / "a.md", "--no-lm", "--isolated", flag, value)
    assert code == 2
    assert err.startswith(f"auditor: error: {flag}: unknown rule code or prefix")
    assert hint in err and err.count("\n") == 1


def test_known_codes_and_prefixes_pass(run_cli, tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    for value in ("ALL", "NAME", "NAME00", "FLU001", "B", "LIM"):
        code, _, err = run_cli(
            "check", tmp_path / "a.md", "--no-lm", "--isolated", "--select", value
        )
        assert code == 0, (value, err)


def test_unknown_rule_codes_in_the_configuration_name_the_file(tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.auditor]\nselect = ["NAMEX"]\n')
    code, _, err = auditor(tmp_path, "check", "a.md", "--no-lm")
    assert code == 2
    assert err.strip() == (
        f"auditor: config error: {config}: select: unknown rule code or prefix 'NAMEX' "
        "(did you mean NAME or NAME004?)"
    )
    config.write_text('[tool.auditor.per_path."drafts/*"]\nignore = ["BOL"]\n')
    code, _, err = auditor(tmp_path, "check", "a.md", "--no-lm")
    assert code == 2 and "per_path 'drafts/*': ignore: unknown rule code or prefix 'BOL'" in err


def test_a_missing_path_among_several_is_an_error_row_and_the_rest_is_audited(run_cli, tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    code, out, err = run_cli(
        "check", tmp_path / "a.md", tmp_path / "gone.md", "--no-lm", "--isolated", "-f", "json"
    )
    assert code == 2
    assert err.strip() == f"auditor: {tmp_path / 'gone.md'}: no such file or directory"
    statuses = [d["status"] for d in json.loads(out)["documents"]]
    assert statuses == ["ok", "error"]


def test_a_path_with_nothing_to_audit_names_the_extensions_looked_for(run_cli, tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "notes.rtf").write_text("{\\rtf1 x}")
    code, _, err = run_cli("check", folder, "--no-lm", "--isolated")
    assert code == 2
    assert err.startswith(f"auditor: {folder}: no auditable files (looked for ")
    for suffix in (".md", ".txt", ".html", ".jsonl", ".csv", ".docx", ".pdf"):
        assert suffix in err


def test_dash_reads_standard_input(tmp_path):
    code, out, err = auditor(
        tmp_path, "check", "-", "--no-lm", "--isolated", "--stdin-filename", "story.md",
        stdin="Leave a Reply\n\nThe minister spoke.\n",
    )  # fmt: skip
    assert code == 1 and "story.md:1:1: BOIL002" in out
    (tmp_path / "a.md").write_text(CLEAN)
    code, out, err = auditor(tmp_path, "check", "a.md", "-", "--no-lm", "--isolated", stdin=CLEAN)
    assert code == 0 and "2 articles (2 pass)" in out


def test_an_empty_file_is_reported_as_empty_in_every_format_and_passes_the_gate(tmp_path):
    (tmp_path / "a.md").write_text(CLEAN)
    (tmp_path / "placeholder.md").write_text("")
    for fmt in FORMATS:
        output = tmp_path / f"out-{fmt}"
        code, out, err = auditor(
            tmp_path, "check", "a.md", "placeholder.md", "--no-lm", "--isolated", "-f", fmt,
            "-o", f"{output}/",
        )  # fmt: skip
        assert code == 0, (fmt, err)
        written = "".join(
            p.read_text(errors="replace") for p in output.rglob("*") if p.suffix != ".png"
        )
        assert "placeholder.md" in written and "empty" in written.lower(), fmt
    code, out, _ = auditor(tmp_path, "check", "a.md", "placeholder.md", "--no-lm", "--isolated")
    assert "placeholder.md: empty: empty file" in out
    assert "2 articles (1 pass), 0 findings, 0 errors, 1 empty" in out


def test_a_failed_gate_says_why_on_the_last_line(tmp_path):
    major = tmp_path / "major.md"
    major.write_text(sample("003").read_text())
    code, out, err = auditor(tmp_path, "check", "major.md", "--no-lm", "--isolated")
    assert code == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith("auditor: gate failed: major.md: ")
    assert "of severity major or above (fail_on), first " in last
    code, out, err = auditor(
        tmp_path, "check", "major.md", "--no-lm", "--isolated", "--fail-on", "never",
        "--min-score", "99",
    )  # fmt: skip
    assert code == 1
    assert err.strip().splitlines()[-1].endswith("below the minimum 99 (min_score)")
