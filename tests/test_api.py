"""The Python API gives what the command line gives: ``audit_paths`` for one configuration is
``auditor check`` for it, result for result (exclusions applied, siblings compared)."""

from __future__ import annotations

import json

from conftest import SAMPLES

from auditor import audit_paths
from auditor.config import load_config
from auditor.document import DocumentResult


def test_audit_paths_gives_what_check_gives(tmp_path, run_cli, monkeypatch):
    results = tmp_path / "run.jsonl"
    tmp_path = tmp_path / "repo"
    tmp_path.mkdir()
    (tmp_path / "auditor.toml").write_text(
        'lm = false\nexclude = ["drafts"]\nignore = ["BOIL006"]\n', encoding="utf-8"
    )
    (tmp_path / "drafts").mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.md"))]
    (tmp_path / "drafts" / "draft.md").write_text(texts[3], encoding="utf-8")
    (tmp_path / "story.md").write_text(texts[3], encoding="utf-8")
    body = texts[4].split("\n---\n", 1)[-1]
    trimmed = body.rsplit("\n\n", 2)[0]  # a syndicated copy, shorter: a sibling version
    rows = [
        {"id": "a", "story": "talks", "text": body},
        {"id": "b", "story": "talks", "text": trimmed},
        {"id": "c", "story": "talks", "text": trimmed.replace("Kyiv", "Kiev")},
    ]
    corpus = tmp_path / "wire.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    code, _, err = run_cli("check", ".", "--format", "results", "--output", results)
    assert code in (0, 1), err
    lines = results.read_text(encoding="utf-8").splitlines()
    by_check = [DocumentResult.from_dict(json.loads(line)).to_dict(True) for line in lines]

    by_api = [r.to_dict(True) for r in audit_paths(["."], load_config())]
    assert by_api == by_check
    paths = [r["path"] for r in by_api]
    assert not any("draft" in p for p in paths) and "./story.md" in paths
    assert any("sibling_chrf" in r["extra"] for r in by_api)  # the versions were compared
