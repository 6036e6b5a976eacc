"""Files written atomically: a file is either the old one or the complete new one, never
half-written, whatever stops the run (Ctrl-C, kill, a full disk). Reports, ``auditor fix``,
calibrations and caches all write through here."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import IO


def write_text(path: Path | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_bytes(path, text.encode("utf-8"))


def _file_mode(path: Path) -> int:
    """The mode the written file should have: the replaced file's (``auditor fix`` must not
    change an article's permissions), else what ``open`` would give under the umask; mkstemp's
    0600 would hide reports from a web server or a teammate."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, _file_mode(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def partial_path(path: Path) -> Path:
    """Where a resumable report grows until it is complete (``--resume`` reads it)."""
    return path.with_name(f".{path.name}.partial")


class AtomicTextFile:
    """A text stream that lands at ``path`` only when closed without error.

    A ``resumable`` file grows at ``partial_path(path)``, flushed after every write so that a
    killed run leaves whole records there, and is kept when the run is aborted."""

    def __init__(self, path: Path, resumable: bool = False) -> None:
        self.path = path
        self.resumable = resumable
        path.parent.mkdir(parents=True, exist_ok=True)
        if resumable:
            self.tmp = str(partial_path(path))
            self.stream: IO[str] = open(self.tmp, "w", encoding="utf-8", newline="\n")
        else:
            fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.chmod(self.tmp, _file_mode(path))
            self.stream = open(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.stream.write(text)
        if self.resumable:
            self.stream.flush()

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.stream.close()
        if not self.resumable and os.path.exists(self.tmp):
            os.unlink(self.tmp)
