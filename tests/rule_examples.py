"""Running a rule's examples (``auditor.rules.Example``) the way ``auditor check`` audits files:
the example and its sibling versions are written to a folder, the reference beside it, and the
folder is audited with every rule selected and the example's settings applied."""

from __future__ import annotations

from pathlib import Path

from auditor.config import load_config
from auditor.document import Finding
from auditor.pipeline import Auditor, corpus_resources, read_inputs
from auditor.rules import Example

# Models and data files every run would load again (gazetteer, word frequencies, langdetect):
# loaded once, as a long-running process would; what the REF check compares against is not.
_SHARED: dict[str, object] = {}


def findings_of(code: str, example: Example, folder: Path, lm: bool) -> list[Finding]:
    articles = folder / "articles"
    articles.mkdir(parents=True)
    (articles / "example.md").write_text(example.text, encoding="utf-8")
    for n, sibling in enumerate(example.siblings, 1):
        (articles / f"sibling-{n}.md").write_text(sibling, encoding="utf-8")
    reference = None
    if example.reference is not None:
        reference = folder / "reference.md"
        reference.write_text(example.reference, encoding="utf-8")
    config = load_config({"lm": lm, **example.settings}, use_files=False)
    paths = [str(articles)]
    # What ``auditor.audit_paths`` does, with the shared resources handed in.
    resources = corpus_resources(config, paths, None if reference is None else str(reference))
    resources.provide({k: v for k, v in _SHARED.items() if k not in resources.loaded()})
    results = list(Auditor(config, resources).audit(read_inputs(paths, config)))
    _SHARED.update((k, v) for k, v in resources.loaded().items() if not k.startswith("reference"))
    [result] = [r for r in results if r.path.endswith("example.md")]
    assert result.status == "ok", result.error
    return [f for f in result.findings if f.rule == code]
