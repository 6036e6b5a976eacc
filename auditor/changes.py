"""What changed in git: files changed since a revision and the lines changed in them.

CI on a content repo audits only the articles a pull request touches (``--changed-since``) and
can report only findings on the lines it touched (``--changed-lines``), as reviewdog does.
Paths from git are repo-relative; everything returned here is an absolute path, so callers can
present them relative to whatever root they like.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


class GitError(Exception):
    """git is missing, the folder is not a repository, or the revision is unknown (one line)."""


def repo_root(start: Path | None = None) -> Path | None:
    """The top folder of the git work tree holding ``start`` (no subprocess), or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
            errors="surrogateescape", check=False,
        )  # fmt: skip
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        raise GitError(f"git {args[0]}: {reason.removeprefix('fatal: ')}")
    return done.stdout


def _toplevel(cwd: Path) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip()).resolve()


def _verify(rev: str, top: Path) -> None:
    if rev.startswith("-"):
        raise GitError(f"'{rev}' is not a revision")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    except GitError as exc:
        raise GitError(f"unknown revision '{rev}'") from exc


def changed_files(rev: str, cwd: Path | None = None) -> list[Path]:
    """Files added, copied, modified or renamed since ``rev`` (committed, staged or in the work
    tree), plus untracked files git does not ignore; sorted absolute paths that exist."""
    top = _toplevel(cwd or Path.cwd())
    _verify(rev, top)
    diff = _git(["diff", "--name-only", "-z", "--diff-filter=ACMR", rev, "--"], top)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    names = {n for n in (*diff.split("\0"), *untracked.split("\0")) if n}
    return sorted(p for p in (top / n for n in names) if p.is_file())


def changed_lines(rev: str, files: list[Path], cwd: Path | None = None) -> dict[Path, set[int]]:
    """For each file, the 1-based line numbers added or changed since ``rev`` (``git diff -U0``).
    A file git does not track yet is all new; a file missing from the answer has no changes."""
    top = _toplevel(cwd or Path.cwd())
    _verify(rev, top)
    tracked = set(_git(["ls-files", "-z"], top).split("\0"))
    lines: dict[Path, set[int]] = {}
    for path in files:
        path = path.resolve()
        rel = os.path.relpath(path, top).replace(os.sep, "/")
        if rel not in tracked:
            count = path.read_bytes().count(b"\n") + 1
            lines[path] = set(range(1, count + 1))
            continue
        patch = _git(["diff", "-U0", "--no-color", "--no-ext-diff", rev, "--", rel], top)
        changed: set[int] = set()
        for m in _HUNK.finditer(patch):
            start, count = int(m.group(1)), int(m.group(2) or 1)
            changed.update(range(start, start + count))
        if changed:
            lines[path] = changed
    return lines


def changed_inputs(
    rev: str, paths: list[str], with_lines: bool, suffixes: set[str]
) -> tuple[list[str], dict[str, set[int]] | None]:
    """The files under ``paths`` (files or folders) with an auditable suffix that changed since
    ``rev``, named relative to the working directory where possible, and, with ``with_lines``,
    the changed line numbers of each."""
    cwd = Path.cwd().resolve()
    top = _toplevel(cwd)
    wanted = [Path(p).resolve() for p in paths]
    chosen = [
        path
        for path in changed_files(rev, cwd)
        if path.suffix.lower() in suffixes
        # hidden files and folders are skipped, as when a folder is expanded
        and not any(part.startswith(".") for part in path.relative_to(top).parts)
        and any(path == w or w in path.parents for w in wanted)
    ]
    names = {path: _display(path, cwd) for path in chosen}
    if not with_lines:
        return list(names.values()), None
    lines = changed_lines(rev, chosen, cwd)
    return list(names.values()), {names[p]: lines.get(p, set()) for p in chosen}


def _display(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def keep_changed_lines(result, lines: set[int] | None, rev: str) -> None:
    """Drop the findings of ``result`` that touch none of ``lines``; say how many went.
    ``None`` (a row of a corpus file, whose lines are not the file's) keeps them all."""
    if lines is None:
        return
    kept = [f for f in result.findings if any(n in lines for n in range(f.line, f.end_line + 1))]
    dropped = len(result.findings) - len(kept)
    if dropped:
        result.findings = kept
        result.notes.append(
            f"{dropped} finding(s) on lines unchanged since {rev} not reported; "
            "the score covers the whole article"
        )
