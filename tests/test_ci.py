"""CI integration on a content repo: changed files and lines, SARIF, JUnit, GitHub, GitLab,
reviewdog outputs, exit codes, configuration, inline control, stdin, pre-commit, fast path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, sample

from auditor.ingest.markdown import disabled_regions
from auditor.reporters.github import escape_data, escape_property

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Desk",
    "GIT_AUTHOR_EMAIL": "desk@example.org",
    "GIT_COMMITTER_NAME": "Desk",
    "GIT_COMMITTER_EMAIL": "desk@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}
DEBRIS = "Read also\n"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def auditor(cwd: Path, *args: str, stdin: str | None = None, env: dict | None = None):
    """``auditor ARGS`` in a fresh process from ``cwd`` (config discovery and git need it)."""
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *map(str, args)],
        cwd=cwd, input=stdin, capture_output=True, text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})},
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def content_repo(tmp_path) -> Path:
    """A git repo with three articles; the second commit changes one line of b.md."""
    repo = tmp_path / "content"
    articles = repo / "articles"
    articles.mkdir(parents=True)
    for name, prefix in (("a.md", "002"), ("b.md", "004"), ("c.md", "003")):
        shutil.copy(sample(prefix), articles / name)
    # The repo's own configuration: the tests rely on the stable debris rules only.
    (repo / "auditor.toml").write_text('select = ["BOIL"]\n')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "three articles")
    text = (articles / "b.md").read_text(encoding="utf-8").split("\n")
    # Debris glued into the article body: a related-link label on a line of its own.
    text.insert(14, "See also Kremlin rejects the proposal")
    (articles / "b.md").write_text("\n".join(text), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit b")
    return repo


def changed_line_numbers(repo: Path) -> set[int]:
    patch = git(repo, "diff", "-U0", "HEAD~1", "--", "articles/b.md")
    lines = set()
    for m in re.finditer(r"^@@ -\S+ \+(\d+)(?:,(\d+))? @@", patch, re.M):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        lines.update(range(start, start + count))
    return lines


# --- SARIF --------------------------------------------------------------------------------


def test_sarif_of_changed_files_is_read_by_sarif_tools(content_repo, tmp_path):
    from sarif import loader

    out = tmp_path / "audit.sarif"
    code, _, err = auditor(
        content_repo, "check", "--changed-since", "HEAD~1", "--no-lm", "--format", "sarif",
        "--output", out,
    )  # fmt: skip
    assert code == 1, err  # b.md carries major debris
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == content_repo.resolve().as_uri() + "/"

    sarif_file = loader.load_sarif_file(str(out))
    results = sarif_file.get_results()
    assert results and sarif_file.get_distinct_tool_names() == ["auditor"]
    locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert locations == {"articles/b.md"}  # only the changed file, repo-relative
    for r in results:
        artifact = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        rule = sarif_file.get_rules_by_id(r["ruleId"])
        assert rule and rule[0]["help"]["text"] and rule[0]["shortDescription"]["text"]
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert re.fullmatch(r"[0-9a-f]{16}", r["partialFingerprints"]["auditorFingerprint/v1"])
    records = sarif_file.get_records()
    assert {rec["Location"] for rec in records} == {"articles/b.md"}
    assert set(sarif_file.get_severities()) <= {"error", "warning", "note"}

    # Regions land on the flagged text of the file as given (front matter included).
    lines = (content_repo / "articles" / "b.md").read_text(encoding="utf-8").split("\n")
    for r in results:
        region = r["locations"][0]["physicalLocation"]["region"]
        line = lines[region["startLine"] - 1]
        flagged = region["snippet"]["text"].split("\n")[0]
        assert line[region["startColumn"] - 1 :].startswith(flagged)
    assert any(r["ruleId"] == "BOIL001" and "Kremlin rejects" in r["message"]["text"]
               for r in results)  # fmt: skip


def test_sarif_fingerprints_survive_moved_lines(content_repo, tmp_path):
    def fingerprints() -> dict[str, int]:
        code, out, _ = auditor(content_repo, "check", "articles/c.md", "--no-lm", "-f", "sarif")
        results = json.loads(out)["runs"][0]["results"]
        return {
            r["partialFingerprints"]["auditorFingerprint/v1"]:
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in results
        }  # fmt: skip

    before = fingerprints()
    path = content_repo / "articles" / "c.md"
    text = path.read_text(encoding="utf-8").split("\n")
    end = text.index("---", 1)  # front matter closes here; add paragraphs after it
    text[end + 1 : end + 1] = ["An added opening paragraph about the talks.", ""]
    path.write_text("\n".join(text), encoding="utf-8")
    after = fingerprints()
    assert before and set(before) == set(after)
    assert all(after[k] == before[k] + 2 for k in before)


# --- changed lines ------------------------------------------------------------------------


def test_changed_lines_keeps_only_findings_on_changed_lines(content_repo):
    code, out, err = auditor(
        content_repo, "check", "--changed-since", "HEAD~1", "--no-lm", "-f", "json"
    )
    everything = json.loads(out)["documents"]
    assert [d["path"] for d in everything] == ["articles/b.md"]
    code, out, err = auditor(
        content_repo, "check", "--changed-since", "HEAD~1", "--changed-lines", "--no-lm",
        "-f", "json",
    )  # fmt: skip
    (doc,) = json.loads(out)["documents"]
    changed = changed_line_numbers(content_repo)
    assert changed == {15}  # the inserted line
    assert doc["findings"] and len(doc["findings"]) < len(everything[0]["findings"])
    assert all(f["line"] in changed for f in doc["findings"])
    assert any("not reported" in n for n in doc["notes"])
    assert doc["score"] == everything[0]["score"]  # the score still covers the article
    assert code == 1  # the gate counts the findings that are reported


def test_changed_since_sees_work_tree_and_untracked_files(content_repo):
    (content_repo / "articles" / "new.md").write_text("The minister spoke in Kyiv.\n")
    (content_repo / "notes.yaml").write_text("not: an article\n")
    (content_repo / "articles" / "a.md").write_text(sample("002").read_text() + "\nMore.\n")
    code, out, err = auditor(
        content_repo, "check", "--changed-since", "HEAD", "--no-lm", "-f", "json"
    )
    paths = [d["path"] for d in json.loads(out)["documents"]]
    assert paths == ["articles/a.md", "articles/new.md"]
    # Limited to the PATHs given.
    code, out, err = auditor(
        content_repo / "articles", "check", "--changed-since", "HEAD", "new.md", "--no-lm",
        "-f", "json",
    )  # fmt: skip
    assert [d["path"] for d in json.loads(out)["documents"]] == ["new.md"]


def test_nothing_changed_is_a_clean_pass(content_repo):
    code, out, err = auditor(content_repo, "check", "--changed-since", "HEAD", "--no-lm",
                             "-f", "junit")  # fmt: skip
    assert code == 0, err
    assert 'tests="0"' in out


@pytest.mark.parametrize(
    "args, message",
    [
        (("--changed-since", "no-such-rev"), "unknown revision 'no-such-rev'"),
        (("--changed-lines", "articles"), "--changed-lines needs --changed-since"),
        (("--changed-since", "HEAD", "--stdin"), "not both"),
        (("--changed-since", "--all"), "expected one argument"),
    ],
)
def test_changed_since_usage_errors(content_repo, args, message):
    code, out, err = auditor(content_repo, "check", "--no-lm", *args)
    assert code == 2 and message in err and err.count("\n") == 1, err


def test_changed_since_outside_a_repository(tmp_path):
    (tmp_path / "a.md").write_text("Some text.\n")
    code, out, err = auditor(tmp_path, "check", "--changed-since", "HEAD", "--no-lm",
                             env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})  # fmt: skip
    assert code == 2 and "--changed-since: git" in err and err.count("\n") == 1, err


# --- JUnit, GitHub, GitLab, reviewdog -----------------------------------------------------


def test_junit_one_case_per_article_failing_below_the_bar(content_repo, tmp_path):
    from junitparser import Error, Failure, JUnitXml

    out = tmp_path / "junit.xml"
    code, _, err = auditor(content_repo, "check", "articles", "--no-lm", "-f", "junit", "-o", out)
    xml = JUnitXml.fromfile(str(out))
    cases = {case.name: case for suite in xml for case in suite}
    assert set(cases) == {"articles/a.md", "articles/b.md", "articles/c.md"}
    failing = {name for name, case in cases.items()
               if any(isinstance(r, Failure) for r in case.result)}  # fmt: skip
    assert failing == {"articles/b.md", "articles/c.md"}  # major debris; a.md has a minor only
    assert code == 1
    failure = next(r for r in cases["articles/b.md"].result if isinstance(r, Failure))
    assert "severity major or above" in failure.message
    assert "BOIL" in cases["articles/a.md"].system_out
    assert xml.failures == 2 and xml.tests == 3

    # The bar moves with the gate options: a minimum score fails a.md too.
    code, _, _ = auditor(content_repo, "check", "articles", "--no-lm", "-f", "junit", "-o", out,
                         "--fail-on", "never", "--min-score", "99.9")  # fmt: skip
    xml = JUnitXml.fromfile(str(out))
    messages = [r.message for suite in xml for case in suite for r in case.result]
    assert code == 1 and len(messages) == 3 and all("below the minimum 99.9" in m for m in messages)

    # An unreadable article is an error case, and the run exits 2.
    (content_repo / "articles" / "d.md").write_bytes(bytes(range(256)))
    code, _, _ = auditor(content_repo, "check", "articles", "--no-lm", "-f", "junit", "-o", out)
    xml = JUnitXml.fromfile(str(out))
    errors = [r for suite in xml for case in suite for r in case.result if isinstance(r, Error)]
    assert code == 2 and len(errors) == 1 and "binary file" in errors[0].message


WORKFLOW_COMMAND = re.compile(
    r"::(?P<level>error|warning|notice)"
    r"(?: (?P<props>[A-Za-z]+=[^,:\r\n]*(?:,[A-Za-z]+=[^,:\r\n]*)*))?"
    r"::(?P<message>[^\r\n]*)"
)


def test_github_annotations_follow_the_workflow_command_grammar(content_repo, tmp_path):
    summary = tmp_path / "summary.md"
    for copy, original in (("d.md", "b.md"), ("e.md", "c.md")):  # past ten errors
        shutil.copy(content_repo / "articles" / original, content_repo / "articles" / copy)
    code, out, err = auditor(content_repo, "check", "articles", "--no-lm", "-f", "github",
                             env={"GITHUB_STEP_SUMMARY": str(summary)})  # fmt: skip
    assert code == 1
    commands = [line for line in out.splitlines() if line.startswith("::")]
    counts = {"error": 0, "warning": 0, "notice": 0}
    for line in commands:
        m = WORKFLOW_COMMAND.fullmatch(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        assert list(props) == ["file", "line", "col", "endLine", "endColumn", "title"][: len(props)]
        assert props["file"].startswith("articles/") and int(props["line"]) >= 1
        counts[m["level"]] += 1
    assert all(n <= 10 for n in counts.values()) and counts["error"] == 10

    # Past ten errors the rest goes to the log and to the step summary, not lost.
    code, jout, _ = auditor(content_repo, "check", "articles", "--no-lm", "-f", "json")
    findings = [f for d in json.loads(jout)["documents"] for f in d["findings"]]
    majors = [f for f in findings if f["severity"] in ("major", "critical")]
    assert len(majors) > 10
    text = summary.read_text(encoding="utf-8")
    assert f"{len(majors) - 10} finding(s) past GitHub's annotation limit" in text
    assert text.count("| BOIL") == len(majors) - 10
    assert "| articles/b.md | " in text


def test_github_escaping():
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    from auditor.reporters.github import command

    line = command("warning", "Kyiv: 100%\nok", file="a,b.md", line=3, title="NAME001 [minor]")
    assert line == "::warning file=a%2Cb.md,line=3,title=NAME001 [minor]::Kyiv: 100%25%0Aok"
    assert WORKFLOW_COMMAND.fullmatch(line)


def test_gitlab_code_quality(content_repo):
    code, out, _ = auditor(content_repo, "check", "articles", "--no-lm", "-f", "gitlab")
    issues = json.loads(out)
    assert issues and code == 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["check_name"].startswith("BOIL") and issue["description"]
        assert issue["location"]["path"].startswith("articles/")
        assert issue["location"]["lines"]["begin"] >= 1
    assert {i["severity"] for i in issues} == {"major", "minor"}


def test_rdjson_columns_count_utf8_bytes(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: t\n---\nNATO is demanding peace talks – Zürich emphasizes the contrast to "
        "Moscow on Tuesday. News ticker.\n\nThe chancellor met the secretary general in Berlin.\n",
        encoding="utf-8",
    )
    code, out, _ = auditor(
        tmp_path, "check", "a.md", "--no-lm", "--isolated", "--select=BOIL", "-f", "rdjson"
    )
    report = json.loads(out)
    (diag,) = report["diagnostics"]
    assert report["source"]["name"] == "auditor"
    assert diag["code"]["value"] == "BOIL002" and diag["severity"] == "ERROR"
    line = article.read_text(encoding="utf-8").split("\n")[3]
    start = diag["location"]["range"]["start"]
    assert start["line"] == 4
    assert start["column"] == len(line[: line.index("News")].encode()) + 1  # – and ü: 2 extra
    assert diag["location"]["range"]["end"]["column"] == len(line.encode()) + 1
    assert diag["suggestions"] == [{"range": diag["location"]["range"], "text": ""}]


# --- exit codes and configuration ---------------------------------------------------------


def test_exit_codes_are_the_gate(tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text("The chancellor met the secretary general in Berlin on Tuesday.\n")
    shutil.copy(sample("002"), tmp_path / "minor.md")  # one minor finding, score 99.7
    shutil.copy(sample("003"), tmp_path / "major.md")
    cases = [
        ((clean,), 0),
        ((clean, "--fail-on", "minor"), 0),
        (("minor.md",), 0),  # default bar: major
        (("minor.md", "--fail-on", "minor"), 1),
        (("major.md",), 1),
        (("major.md", "--fail-on", "critical"), 0),
        (("major.md", "--fail-on", "never"), 0),
        (("minor.md", "--min-score", "99"), 0),
        (("minor.md", "--min-score", "99.9"), 1),
        (("major.md", "--fail-on", "never", "--min-score", "99"), 1),
        ((clean, "major.md", "--fail-on", "never"), 0),
        ((clean, "major.md"), 1),  # one failing article fails the run
        ((clean, "missing.md"), 2),  # an error row; clean.md is still audited
        (("major.md", "--format", "nope"), 2),
        (("major.md", "--min-score", "high"), 2),
    ]
    for args, expected in cases:
        code, _, err = auditor(tmp_path, "check", *args, "--no-lm", "--isolated", "--select=BOIL")
        assert code == expected, (args, err)
    # An input error wins over a failed gate: exit 2, and the rest is still reported.
    (tmp_path / "binary.md").write_bytes(bytes(range(256)))
    code, out, err = auditor(tmp_path, "check", "major.md", "binary.md", "--no-lm", "-f", "json",
                             "--isolated", "--select", "BOIL")  # fmt: skip
    lines = err.strip().splitlines()
    assert (
        code == 2 and lines[0] == "auditor: binary.md: binary file (control bytes in the content)"
    )
    assert lines[-1].startswith("auditor: gate failed: major.md: ")
    assert [d["status"] for d in json.loads(out)["documents"]] == ["ok", "error"]


def test_config_is_found_walking_up_and_printed(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "desk"\n\n[tool.auditor]\nfail-on = "minor"\nignore = ["BOIL006"]\n'
        'accept = ["words/accept.txt"]\n\n[tool.auditor.per-path."drafts/*"]\nfail-on = "never"\n'
    )
    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "accept.txt").write_text("Umjerow\n")
    deep = tmp_path / "drafts" / "2025"
    deep.mkdir(parents=True)
    code, out, err = auditor(deep, "config")
    assert code == 0, err
    assert out.startswith(f"# source: {tmp_path / 'pyproject.toml'}")
    values = tomllib.loads(out)
    assert values["fail_on"] == "minor" and values["ignore"] == ["BOIL006"]
    assert values["accept"] == [str(tmp_path / "words" / "accept.txt")]  # relative to the file
    assert values["per_path"] == {"drafts/*": {"fail_on": "never"}}
    assert "min_score is not set" in out

    code, out, _ = auditor(deep, "config", "--path", "../../drafts/x.md", "--format", "json")
    assert json.loads(out)["config"]["fail_on"] == "never"

    # auditor.toml nearer the working directory wins; --isolated ignores both.
    (tmp_path / "drafts" / "auditor.toml").write_text('style = "bbc"\n')
    assert tomllib.loads(auditor(deep, "config")[1])["style"] == "bbc"
    assert tomllib.loads(auditor(deep, "config")[1])["fail_on"] == "major"
    code, out, _ = auditor(deep, "config", "--isolated")
    assert out.startswith("# source: defaults") and tomllib.loads(out)["style"] == "ap"


def test_per_path_overrides_select_and_gate(tmp_path):
    (tmp_path / "auditor.toml").write_text(
        'select = ["BOIL"]\nfail_on = "minor"\n\n[per_path."drafts/*"]\nfail_on = "never"\n\n'
        '[per_path."wire/*.md"]\nignore = ["BOIL001"]\n'
    )
    for folder in ("drafts", "wire", "desk"):
        (tmp_path / folder).mkdir()
        shutil.copy(sample("004"), tmp_path / folder / "story.md")
    code, out, _ = auditor(tmp_path, "check", ".", "--no-lm", "-f", "junit")
    assert code == 1
    assert 'name="drafts/story.md"' in out and out.count("<failure") == 2  # desk and wire
    code, out, _ = auditor(tmp_path, "check", ".", "--no-lm", "-f", "json")
    documents = json.loads(out)["documents"]
    docs = {os.path.normpath(d["path"]): {f["rule"] for f in d["findings"]} for d in documents}
    assert {"BOIL001", "BOIL002"} <= docs["desk/story.md"]
    assert docs["wire/story.md"] == docs["desk/story.md"] - {"BOIL001"}  # the rest applies
    # Patterns are relative to the configuration file, wherever the run starts.
    code, out, _ = auditor(tmp_path / "drafts", "check", "story.md", "--no-lm")
    assert code == 0
    code, out, _ = auditor(tmp_path / "wire", "check", "story.md", "--no-lm", "-f", "json")
    (doc,) = json.loads(out)["documents"]
    assert "BOIL001" not in {f["rule"] for f in doc["findings"]}


@pytest.mark.parametrize(
    "toml, message",
    [
        ('accept = ["missing.txt"]\n', "accept: no such word list"),
        ('reject = "words.txt"\n', "reject must be a list of strings"),
        ('[per_path."x/*"]\nstyle = "bbc"\n', "per_path 'x/*': unknown setting 'style'"),
        ('[per_path."x/*"]\nfail_on = "often"\n', "fail_on must be minor, major"),
        ('[per_path."x/*"]\nignore = "BOIL"\n', "ignore must be a list of strings"),
        ('[per_path."x/*"]\nmin_score = "high"\n', "min_score must be a number"),
        ("per_path = 3\n", "per_path must be a table"),
        ("fail_on = \n", "auditor.toml"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ("fluency_flag_level = 0.3\n", "fluency_flag_level must be a share"),
        ('fluency_major_level = "high"\n', "fluency_major_level must be a share"),
    ],
)
def test_bad_configuration_is_one_line_exit_2(tmp_path, toml, message):
    (tmp_path / "auditor.toml").write_text(toml)
    (tmp_path / "a.md").write_text("Some text.\n")
    for args in (("check", "a.md", "--no-lm"), ("config",)):
        code, out, err = auditor(tmp_path, *args)
        assert code == 2 and message in err and err.count("\n") == 1, err


@pytest.mark.parametrize(
    "toml, lm",
    [("", None), ("lm = true\n", None), ("lm = false\n", False),
     ('lm = "gemma3-270m"\n', "gemma3-270m"), ('lm = "smollm2-135m"\n', "smollm2-135m")],
)  # fmt: skip
def test_lm_setting_names_the_language_model(tmp_path, toml, lm):
    from auditor.config import load_config
    from auditor.lm import DEFAULT_LM

    (tmp_path / "auditor.toml").write_text(toml)
    assert load_config(start=tmp_path).lm == (DEFAULT_LM if lm is None else lm)
    assert load_config({"lm": "smollm2-135m"}, start=tmp_path).lm == "smollm2-135m"  # --lm


@pytest.mark.parametrize("value, shown", [('"gpt-9"', "'gpt-9'"), ("[1]", "[1]")])
def test_unknown_language_model_is_one_line_exit_2(tmp_path, value, shown):
    (tmp_path / "auditor.toml").write_text(f"lm = {value}\n")
    code, _, err = auditor(tmp_path, "config")
    assert code == 2 and err.count("\n") == 1
    assert f"lm must be one of smollm2-135m, gemma3-270m, or false for none, not {shown}" in err


def test_accept_and_reject_lists_resolve_against_the_config_file(tmp_path):
    from auditor.config import load_config

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "accept.txt").write_text("Umjerow\n")
    (tmp_path / "styles" / "reject.txt").write_text("Kiev\n")
    (tmp_path / "auditor.toml").write_text(
        'accept = ["styles/accept.txt"]\nreject = ["styles/reject.txt"]\n'
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    config = load_config(start=sub)
    assert config.accept == [str(tmp_path / "styles" / "accept.txt")]
    assert config.reject == [str(tmp_path / "styles" / "reject.txt")]
    assert config.source == str(tmp_path / "auditor.toml")


# --- inline control -----------------------------------------------------------------------

ARTICLE = """---
title: Inline control
---
The chancellor met the secretary general in Berlin on Tuesday to discuss the talks.

<!-- auditor-disable BOIL001 -->
Read also
<!-- auditor-enable -->

See also The next round of talks in Istanbul

<!-- auditor-disable-next-line BOIL002 -->
Leave a Reply

Leave a Reply

<!-- auditor-disable-next-line BOIL001 -->
Copy the current link

```
<!-- auditor-disable -->
```
Read more
"""


def test_inline_comments_switch_rules_off(tmp_path):
    (tmp_path / "a.md").write_text(ARTICLE)
    code, out, err = auditor(tmp_path, "check", "a.md", "--no-lm", "--isolated", "-f", "json")
    found = sorted((f["line"], f["rule"]) for f in json.loads(out)["documents"][0]["findings"])
    plain = ARTICLE.replace("auditor-", "nothing-")
    (tmp_path / "b.md").write_text(plain)
    code, out, err = auditor(tmp_path, "check", "b.md", "--no-lm", "--isolated", "-f", "json")
    without = sorted((f["line"], f["rule"]) for f in json.loads(out)["documents"][0]["findings"])
    lines = ARTICLE.split("\n")
    at = {text: i + 1 for i, text in reversed(list(enumerate(lines)))}
    expected_gone = {(at["Read also"], "BOIL001"), (at["Leave a Reply"], "BOIL002")}
    assert expected_gone <= set(without)
    assert set(found) == set(without) - expected_gone
    # A next-line comment for another rule, and a comment inside a code block, change nothing.
    assert (at["Copy the current link"], "BOIL002") in found
    assert (len(lines) - 1, "BOIL001") in found  # "Read more" after the fenced block


def test_disabled_regions():
    body = (
        "a\n<!-- auditor-disable NAME001, lex -->\nb\n<!-- auditor-enable NAME001 -->\nc\n"
        "<!-- auditor-disable-next-line -->\nd\ne\n<!--auditor-disable-->\nf"
    )
    first = body.index("-->") + 3
    enable = body.index("<!-- auditor-enable")
    d = body.index("\nd\n") + 1
    last = body.rindex("-->") + 3
    assert disabled_regions(body) == [
        (first, enable, ("NAME001",)),
        (first, len(body), ("LEX",)),
        (d, d + 1, ("ALL",)),
        (last, len(body), ("ALL",)),
    ]
    # Not directives: other words, or comments in code.
    assert disabled_regions("<!-- auditor-disabled X -->\n<!-- auditors -->\n") == []
    assert disabled_regions("```\n<!-- auditor-disable -->\n```\ntext\n") == []
    assert disabled_regions("    <!-- auditor-disable -->\n") == []


# --- stdin --------------------------------------------------------------------------------


def test_stdin_with_filename(tmp_path):
    text = sample("003").read_text(encoding="utf-8")
    code, out, err = auditor(
        tmp_path, "check", "--stdin", "--stdin-filename", "desk/selenskyj.md", "--no-lm",
        "--isolated", "-f", "json", stdin=text,
    )  # fmt: skip
    assert code == 1, err
    (doc,) = json.loads(out)["documents"]
    assert doc["path"] == "desk/selenskyj.md" and doc["source_lang"] == "de"  # front matter read
    lines = text.split("\n")
    for f in doc["findings"]:
        assert lines[f["line"] - 1][f["col"] - 1 :].startswith(f["text"].split("\n")[0])
    debris = "Leave a Reply\n\nThe minister spoke.\n"
    code, out, err = auditor(
        tmp_path, "check", "--stdin", "--no-lm", "--isolated", "-f", "github", stdin=debris
    )
    assert code == 1 and "::error file=<stdin>.txt,line=1" in out
    code, out, err = auditor(tmp_path, "check", "--stdin", "a.md", "--no-lm")
    assert code == 2 and "not both" in err
    code, out, err = auditor(tmp_path, "check", "--stdin", "--no-lm", stdin="")
    assert code == 0 and "<stdin>.txt: empty: empty file" in out


# --- fast path ----------------------------------------------------------------------------

PROBE = """
import sys
from auditor.cli import main
code = main(sys.argv[1:])
print(sorted(m for m in ("torch", "transformers") if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("flags", [("--no-lm",), ("--select", "BOIL"), ("--ignore", "FLU")])
def test_fast_path_never_imports_torch(flags):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", str(sample("003")), *flags, "--isolated",
         "-f", "sarif"],
        capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


# --- pre-commit ---------------------------------------------------------------------------


def test_pre_commit_hook_runs_the_auditor(content_repo, tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "auditor")
    assert hook["entry"].startswith("auditor check") and "--no-lm" in hook["entry"]
    # The published hook installs the package (language: python); here the auditor is already
    # installed, so the same hook runs as a local one: no network, no new environment.
    local = {**hook, "language": "unsupported"}
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (content_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (content_repo / "notes.yaml").write_text("not: an article\n")
    git(content_repo, "add", ".")
    git(content_repo, "commit", "-q", "-m", "hooks")
    env = {
        **os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HF_HUB_OFFLINE": "1",
    }  # fmt: skip
    run = ["pre-commit", "run", "--all-files", "--color", "never"]
    pre_commit = shutil.which("pre-commit", path=env["PATH"])
    assert pre_commit, "pre-commit is a dev dependency"
    done = subprocess.run(run, cwd=content_repo, env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout and "BOIL" in done.stdout
    assert "articles/b.md:" in done.stdout and "notes.yaml" not in done.stdout

    # The repo's configuration is the bar the hook applies.
    (content_repo / "auditor.toml").write_text('select = ["BOIL"]\nfail_on = "never"\n')
    git(content_repo, "add", ".")
    git(content_repo, "commit", "-q", "-m", "lower the bar")
    done = subprocess.run(run, cwd=content_repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "gitlab", "rdjson"])
def test_ci_formats_are_byte_identical_across_runs(content_repo, fmt):
    first = auditor(content_repo, "check", "articles", "--no-lm", "-f", fmt)
    second = auditor(content_repo, "check", "articles", "--no-lm", "-f", fmt)
    assert first[1] and first == second


def test_exclude_leaves_files_out_even_when_named(tmp_path):
    (tmp_path / "auditor.toml").write_text('exclude = ["README.md", "drafts", "wire/2024/*"]\n')
    names = ["README.md", "a.md", "drafts/x.md", "sub/README.md", "wire/2024/y.md", "wire/z.md"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("The minister spoke in Berlin on Tuesday.\n")
    code, out, err = auditor(tmp_path, "check", *names, "--no-lm", "-f", "json")
    assert code == 0, err
    assert [d["path"] for d in json.loads(out)["documents"]] == ["a.md", "wire/z.md"]
    code, out, err = auditor(tmp_path / "wire", "check", ".", "--no-lm", "-f", "json")
    assert [os.path.normpath(d["path"]) for d in json.loads(out)["documents"]] == ["z.md"]


def test_ci_paths_are_relative_to_the_repository_root(content_repo):
    articles = content_repo / "articles"
    code, out, _ = auditor(articles, "check", "b.md", "--no-lm", "-f", "sarif")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]}  # fmt: skip
    assert uris == {"articles/b.md"}
    code, out, _ = auditor(articles, "check", "b.md", "--no-lm", "-f", "github")
    assert out.startswith("::error file=articles/b.md,")
    code, out, _ = auditor(articles, "check", "b.md", "--no-lm", "-f", "gitlab")
    assert {i["location"]["path"] for i in json.loads(out)} == {"articles/b.md"}
