"""Versions of one story must share text past their title and lead: articles under the same
generic title and standfirst ("Live updates") with unrelated bodies are no story, and get no
REF finding; true versions of a story still do. The unrelated bodies are Python's own
documentation, text the threshold was never fitted on."""

from __future__ import annotations

import importlib
import inspect
import itertools
import json

from conftest import sample

from auditor.config import load_config
from auditor.ingest import read_paths
from auditor.pipeline import Auditor
from auditor.reference import calibration
from auditor.reference.siblings import body_sketch, sketch_similarity

TITLES = ("Live updates", "News ticker", "Morning briefing")
STANDFIRSTS = 25  # each the lead of 8 of the 200 articles, as a live page repeats its intro
MODULES = (
    "argparse", "collections", "typing", "inspect", "pathlib", "subprocess", "datetime",
    "unittest", "re", "json", "logging", "email.message", "http.client", "socket",
    "threading", "decimal", "fractions", "statistics", "functools", "textwrap", "csv",
    "zipfile", "tarfile", "shutil", "tempfile", "pickle", "difflib", "random", "calendar",
    "codecs", "io", "contextlib", "dataclasses", "enum", "ftplib", "smtplib", "imaplib",
    "mailbox", "configparser", "optparse", "doctest", "timeit", "pstats", "pprint", "queue",
    "ssl", "hashlib", "struct", "ipaddress", "importlib", "ast", "traceback", "warnings",
    "sqlite3", "heapq", "string", "gettext", "locale", "selectors", "sched", "copy",
    "email.utils", "urllib.parse", "http.server", "xml.dom.minidom", "unittest.mock",
    "concurrent.futures", "multiprocessing", "asyncio", "sysconfig", "platform", "pydoc",
    "cmd", "shlex", "glob", "filecmp", "bisect", "operator", "types", "weakref", "abc",
    "base64", "gzip", "bz2", "lzma", "uuid", "secrets", "hmac", "mimetypes", "plistlib",
    "pkgutil", "tokenize", "dis", "trace", "cProfile", "tracemalloc", "reprlib", "numbers",
)  # fmt: skip


def docstrings() -> list[tuple[str, str]]:
    """Distinct English prose: (module, docstring) from the standard library. Not ``os``: its
    functions' docstrings share whole sentences ("If dir_fd is not None, ..."), as versions of
    one story do; and no two articles under one standfirst take theirs from one module."""
    seen: set[str] = set()
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for _, obj in sorted(vars(module).items()):
            doc = inspect.getdoc(obj)
            if doc and len(doc) >= 450 and doc not in seen:
                seen.add(doc)
                found.append((name, " ".join(doc.split())))
    return found


def _texts(count: int) -> tuple[list[str], list[str]]:
    """Standfirsts of about 400 characters, and ``count`` unrelated bodies: article ``i`` is
    under standfirst ``i % STANDFIRSTS``, and no two under one standfirst share a module."""
    pool = docstrings()
    picked = pool[:: len(pool) // STANDFIRSTS][:STANDFIRSTS]
    standfirsts = [text[:400] for _, text in picked]
    by_module: dict[str, list[tuple[str, str]]] = {}
    for item in pool:
        if item not in picked:
            by_module.setdefault(item[0], []).append(item)
    # Taken from the modules in turn, so none runs out while the others are left.
    remaining = [x for row in itertools.zip_longest(*by_module.values()) for x in row if x]
    modules_under: list[set[str]] = [set() for _ in range(STANDFIRSTS)]
    bodies = []
    for i in range(count):
        group = modules_under[i % STANDFIRSTS]
        k = next(k for k, (module, _) in enumerate(remaining) if module not in group)
        module, text = remaining.pop(k)
        group.add(module)
        bodies.append(text)
    return standfirsts, bodies


def _story_versions() -> dict[str, str]:
    """Four versions of one story under a generic title: two alike, one missing a sentence,
    one with a sentence of its own."""
    body = sample("002").read_text().split("---\n", 2)[2]
    sentences = body.split(". ")
    missing = sentences[4]
    added = "Observers in Geneva said the next round would take place within two weeks"
    return {
        "v1": body,
        "v2": body,
        "v3": body.replace(f"{missing}. ", ""),
        "v4": body.replace(f"{missing}. ", f"{missing}. {added}. "),
    }


def _corpus(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        standfirsts, bodies = _texts(200)
        for i, body in enumerate(bodies):
            title, standfirst = TITLES[i % 3], standfirsts[i % STANDFIRSTS]
            text = f"{title}\n\n{standfirst}\n\n{body}"
            f.write(json.dumps({"id": f"u{i:03d}", "title": title, "text": text}) + "\n")
        for key, text in _story_versions().items():
            f.write(json.dumps({"id": key, "title": TITLES[0], "text": text}) + "\n")
    return corpus


def test_generic_titles_with_unrelated_bodies_get_no_ref_finding(run_cli, tmp_path):
    corpus = _corpus(tmp_path)
    code, out, err = run_cli("check", corpus, "--no-lm", "--isolated", "--select", "REF",
                             "-f", "json")  # fmt: skip
    assert code in (0, 1), err
    docs = {d["id"]: d for d in json.loads(out)["documents"]}
    unrelated = [d for key, d in docs.items() if key.startswith("u")]
    assert len(unrelated) == 200
    assert [d["findings"] for d in unrelated if d["findings"]] == []
    assert not any("siblings" in d["extra"] for d in unrelated)
    # The true versions still find each other and what one left out or added.
    rules = {key: {f["rule"] for f in docs[key]["findings"]} for key in ("v3", "v4")}
    assert "REF002" in rules["v3"] and "REF003" in rules["v4"]
    assert docs["v1"]["extra"]["siblings"] == 3


def test_the_leads_alone_would_have_joined_them(tmp_path):
    """The bodies are what tells them apart: eight articles share each lead."""
    docs = list(read_paths([str(_corpus(tmp_path))]))
    least = calibration(Auditor(load_config({"lm": False}, use_files=False)).resources).sibling_body
    sketches = [body_sketch(d) for d in docs[:200]]
    same_lead = [sketches[i] for i in range(0, 200, STANDFIRSTS)]
    assert max(sketch_similarity(a, b) for a in same_lead for b in same_lead if a != b) < least
    versions = [body_sketch(d) for d in docs[200:]]
    assert min(sketch_similarity(a, b) for a in versions for b in versions) >= least
