"""A content-addressed, on-disk cache of sentence scores, shared by every process of the user.

Syndicated news repeats itself: the same wire sentences reach a desk from many outlets, and a
corpus is audited again after every change to the checks. A score depends only on the model,
the scorer's settings, the context and the text (the scorer computes each pair on its own, so
batching never changes a number), and, in its last bits, on torch and the CPU's matrix kernels
(AVX-512 BF16, AMX): the key is a hash of exactly those.

The store is SQLite in WAL mode: readers never block, writers queue for a moment, and a killed
process cannot leave a half-written row. Log-probabilities are computed in float32 and stored as
float32, so a cached score is bit-identical to a fresh one. A damaged file (truncated,
overwritten, not a database) is detected when opened or when a query fails, moved out of the
way and started afresh, with one line on stderr; a cache problem never stops an audit.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scores (
    key BLOB PRIMARY KEY,
    offsets BLOB NOT NULL,   -- uint32 start, end per token
    logprobs BLOB NOT NULL   -- float32 per token
) WITHOUT ROWID
"""
_HEADER = b"SQLite format 3\x00"
_CHUNK = 500  # keys per query, under SQLite's variable limit

Scored = tuple[tuple[tuple[int, int], ...], tuple[float, ...]]  # offsets, logprobs


def default_path() -> Path:
    from .model import cache_root

    return cache_root() / "scores.sqlite3"


def enabled_by_default() -> bool:
    return os.environ.get("AUDITOR_SCORE_CACHE", "on").lower() not in ("0", "off", "no", "false")


def make_key(namespace: str, context: str, text: str) -> bytes:
    blob = "\x00".join((namespace, context, text)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(blob).digest()


class ScoreCache:
    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self._db: sqlite3.Connection | None = None

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, Scored]:
        found: dict[bytes, Scored] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            query = f"SELECT key, offsets, logprobs FROM scores WHERE key IN ({_marks(chunk)})"
            rows = self._run(lambda db, q=query, c=chunk: db.execute(q, c).fetchall()) or []
            for key, offsets, logprobs in rows:
                decoded = _decode(offsets, logprobs)
                if decoded is not None:
                    found[key] = decoded
        return found

    def put_many(self, items: Iterable[tuple[bytes, Scored]]) -> None:
        rows = [(key, *_encode(scored)) for key, scored in items]
        if not rows:
            return

        def write(db: sqlite3.Connection) -> None:
            # BEGIN IMMEDIATE takes the write lock up front, so a busy database makes this
            # wait (up to the connection timeout) instead of failing half-way.
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR IGNORE INTO scores VALUES (?, ?, ?)", rows)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

        self._run(write)

    def __len__(self) -> int:
        return self._run(lambda db: db.execute("SELECT count(*) FROM scores").fetchone()[0]) or 0

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _run(self, action):
        """``action(db)``; a damaged file is replaced and the action tried once more."""
        for attempt in (1, 2):
            try:
                return action(self._connect())
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    return None  # busy past the timeout: treat as a miss, never fail the audit
                if attempt == 2:
                    print(
                        f"auditor: score cache {self.path} unusable ({exc}); continuing without it",
                        file=sys.stderr,
                    )
                    return None
                self._replace(f"{type(exc).__name__}: {exc}")
        return None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            why = _damage(self.path)
            if why:
                self._replace(why)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                _retry_while_locked(lambda: db.execute("PRAGMA journal_mode=WAL"))
                db.execute("PRAGMA synchronous=NORMAL")
                _retry_while_locked(lambda: db.execute(_SCHEMA))
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _replace(self, why: str) -> None:
        """Move a damaged file aside and start afresh, under a lock so that two processes
        finding the same damage replace it once."""
        from filelock import FileLock

        self.close()
        with FileLock(str(self.path) + ".lock"):
            if _damage(self.path) is None and _opens(self.path):
                return  # another process has already replaced it
            print(
                f"auditor: score cache {self.path} is damaged ({why}); rebuilding it",
                file=sys.stderr,
            )
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.remove(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass


def _retry_while_locked(action, attempts: int = 100, pause: float = 0.05):
    """Switching to WAL and creating the table need an exclusive lock that SQLite's busy
    timeout does not wait for when two processes open a new cache at the same moment."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(pause)
    return None


def _damage(path: Path) -> str | None:
    """Why the file is not a usable database (None: it looks fine or does not exist yet). The
    header states the page size and count, so truncation shows without reading the file."""
    try:
        size = path.stat().st_size
        if size == 0:
            return None  # a fresh file a concurrent process is just creating
        with path.open("rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    if len(header) < 100 or not header.startswith(_HEADER):
        return "not a SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid when the change counter matches "version-valid-for".
    if header[24:28] == header[92:96] and size < pages * page_size:
        return f"truncated to {size} of {pages * page_size} bytes"
    return None


def _opens(path: Path) -> bool:
    try:
        db = sqlite3.connect(path, timeout=30)
        try:
            return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False


def _marks(items: Sequence) -> str:
    return ",".join("?" * len(items))


def _encode(scored: Scored) -> tuple[bytes, bytes]:
    offsets, logprobs = scored
    return array("I", [x for pair in offsets for x in pair]).tobytes(), array(
        "f", logprobs
    ).tobytes()


def _decode(offsets: bytes, logprobs: bytes) -> Scored | None:
    """The stored row, or None when its blobs do not fit together (treated as a miss)."""
    try:
        flat, values = array("I"), array("f")
        flat.frombytes(offsets)
        values.frombytes(logprobs)
    except (ValueError, TypeError):
        return None
    if len(flat) != 2 * len(values):
        return None
    return tuple(zip(flat[::2], flat[1::2], strict=True)), tuple(values)
