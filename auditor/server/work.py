"""Where the server's audits run: worker processes behind bounded lanes.

A lane is one worker process (spawned, as ``--jobs`` workers are: the web process holds no
torch threads or SQLite handles to fork) and a bound on the requests it holds, running or
waiting. A request that finds its lane full is refused at once (``Busy``: 503 with
Retry-After), so a burst never becomes an unbounded backlog. The slot is given back when the
worker is done with the job, not when the client stops waiting for it.

The jobs below run in the worker. Each builds its ``Auditor`` once per configuration and
keeps a few (models load once per process), runs the audit in the worker's main thread (so
the time budget interrupts a runaway check as on the command line: LIM002), and forgets the
text it scored before it returns.
"""

from __future__ import annotations

import asyncio
import difflib
import io
import math
import multiprocessing
import threading
import time
from collections import OrderedDict, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial

from ..config import Config
from ..document import DocumentResult

KEPT_AUDITORS = 4  # configurations a worker keeps an Auditor for (style, selection, model)
_auditors: OrderedDict[str, object] = OrderedDict()


class Busy(Exception):
    """The lane holds as many requests as it may."""

    def __init__(self, lane: str, retry_after: int) -> None:
        super().__init__(f"the {lane} queue is full: try again in {retry_after} s")
        self.retry_after = retry_after


class Refused(Exception):
    """A job that cannot be done with this input (a message for the client)."""


class Lane:
    def __init__(self, name: str, capacity: int, warm: Config | None = None) -> None:
        self.name = name
        self.capacity = max(1, capacity)
        self.warm = warm
        self.taken = 0
        self.done = 0
        self.seconds: deque[float] = deque(maxlen=32)  # recent jobs, for Retry-After
        self._last_done = 0.0
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=warm_worker,
            initargs=(self.warm,),
        )

    def enter(self) -> None:
        """Take a slot, or raise Busy."""
        with self._lock:
            if self.taken >= self.capacity:
                raise Busy(self.name, self.retry_after())
            self.taken += 1

    def leave(self) -> None:
        with self._lock:
            self.taken -= 1
            self.done += 1

    def retry_after(self) -> int:
        """Seconds until a slot is likely free: the jobs ahead times a recent job's time."""
        typical = sorted(self.seconds)[len(self.seconds) // 2] if self.seconds else 1.0
        return max(1, math.ceil(typical * max(1, self.taken)))

    async def run(self, job, *args):
        self.enter()
        started = time.monotonic()
        try:
            future = self._pool.submit(job, *args)
        except BrokenProcessPool:
            self._pool = self._start()  # the worker died (killed, out of memory): a new one
            future = self._pool.submit(job, *args)
        except BaseException:
            self.leave()
            raise

        def finished(_: Future) -> None:
            # The job's own time: from when the worker could take it (it was submitted, and
            # the job before it was done) to now; one worker, so jobs end in order.
            now = time.monotonic()
            self.seconds.append(now - max(started, self._last_done))
            self._last_done = now
            self.leave()

        future.add_done_callback(finished)
        return await asyncio.wrap_future(future)

    def state(self) -> dict:
        return {"in_queue": self.taken, "capacity": self.capacity, "answered": self.done}

    def start(self) -> None:
        """Start the worker and load its models now (the first request should not wait)."""
        self._pool.submit(int).result()

    def close(self) -> None:
        """Stop the worker: waiting jobs are cancelled, the running one is let finish."""
        self._pool.shutdown(wait=True, cancel_futures=True)


# --- in the worker process ---------------------------------------------------------------------


@dataclass
class Audited:
    signature: str
    results: list[DocumentResult]
    source: str | None = None  # the decoded text, when the page can edit it (Markdown, text)
    safe: list[str] = field(default_factory=list)  # fingerprints `auditor fix` would apply


@dataclass
class Fixed:
    text: str
    diff: str
    applied: list[dict]
    missing: list[str]  # fingerprints asked for that this text no longer has
    note: str | None = None


def warm_worker(config: Config | None) -> None:
    """Load what a first request needs: the checks' data and, for the language-model lane,
    the model's weights and tokenizer (one short pass, not cached)."""
    _exit_with_parent()
    if config is None:
        return
    auditor = _auditor(config)
    auditor.audit_document(_document("The minister spoke in Kyiv on Monday.", "<warm-up>.txt"))
    if config.lm:
        from ..checks.fluency import scorer_of

        scorer_of(auditor.resources).warm()
    _forget(auditor)


def _exit_with_parent() -> None:
    """End this worker when the server is gone, however it went (killed, crashed): a worker
    whose parent exited is adopted by another process, so its parent id changes."""
    import os

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def audit_job(config: Config, data: bytes, name: str, for_page: bool = False) -> Audited:
    """``auditor check --stdin --stdin-filename NAME`` on ``data``: the signature and the
    results (a corpus file gives one per row). ``for_page`` adds the editable text and the
    fingerprints of the safe fixes."""
    from ..ingest import read_stream
    from ..pipeline import without_excluded

    auditor = _auditor(config)
    try:
        items = without_excluded(read_stream(io.BytesIO(data), name), config)
        audited = Audited(auditor.signature, list(auditor.audit(items)))
        if for_page:
            audited.source, audited.safe = _editable(config, data, name, audited.results)
        return audited
    finally:
        _forget(auditor)


def fix_job(config: Config, text: str, name: str, fingerprints: list[str] | None) -> Fixed:
    """Apply findings' suggestions to ``text``: those with ``fingerprints`` (an editor's
    accepts, found by auditing the text with ``config``), or all safe fixes (None), chosen
    exactly as ``auditor fix`` chooses them."""
    from ..commands.fix import apply_edits, edits_for, fix_config, safe_edits

    doc = _fixable(text, name)
    note = None
    if fingerprints is None:
        auditor = _auditor(fix_config(config))
        missing: list[str] = []
        edits, foreign = _planned(safe_edits, auditor, doc, partial(config.is_selected, path=name))
        note = "left as it is: not English" if foreign else None
    else:
        auditor = _auditor(config)
        findings = auditor.audit_document(doc).findings
        wanted = set(fingerprints)
        chosen = [f for f in findings if f.fingerprint in wanted and f.replacements]
        found = {f.fingerprint for f in findings}
        missing = [fp for fp in fingerprints if fp not in found]
        edits = _planned(edits_for, doc, chosen)
    _forget(auditor)
    fixed = apply_edits(text, edits)
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            fixed.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
    )
    applied = [
        {"rule": e.rule, "start": e.start, "end": e.end, "replacement": e.replacement}
        for e in edits
    ]
    return Fixed(fixed, diff, applied, missing, note)


def _planned(plan, *args):
    try:
        return plan(*args)
    except ValueError as exc:
        raise Refused(f"cannot fix: {exc}") from exc


def _editable(config, data: bytes, name: str, results) -> tuple[str | None, list[str]]:
    """The decoded text and the safe fixes' fingerprints, for a Markdown or text input."""
    from ..commands.fix import fix_config, safe_edits
    from ..ingest.decode import InputProblem, decode

    if len(results) != 1 or results[0].status != "ok":
        return None, []
    try:
        text, _ = decode(data)
        doc = _fixable(text, name)
    except (InputProblem, Refused):
        return None, []
    auditor = _auditor(fix_config(config))
    try:
        edits, _ = safe_edits(auditor, doc, partial(config.is_selected, path=name))
    except ValueError:
        edits = []
    at = {(e.start, e.end, e.rule) for e in edits}
    base = doc.base
    safe = [
        f.fingerprint for f in results[0].findings if (base + f.start, base + f.end, f.rule) in at
    ]
    return text, safe


def _fixable(text: str, name: str):
    """The one document of ``text`` read as file ``name``, whose audited text is a slice of
    it (Markdown or text), or Refused."""
    from pathlib import Path

    from ..commands.fix import FIXABLE_SUFFIXES
    from ..document import Document
    from ..ingest import read_bytes

    suffix = Path(name).suffix.lower()
    if suffix not in FIXABLE_SUFFIXES:
        raise Refused(
            f"{name}: cannot fix {suffix or 'this'} input: its audited text is not a slice of "
            "the file (fix Markdown or text)"
        )
    docs = list(read_bytes(text.encode("utf-8"), name))
    if len(docs) != 1 or not isinstance(docs[0], Document) or docs[0].source != text:
        raise Refused(f"{name}: nothing to fix (no text, or the reader changed it)")
    return docs[0]


def _document(text: str, name: str):
    from ..document import Document

    return Document(path=name, id=name, text=text)


def _auditor(config: Config):
    from ..pipeline import Auditor

    key = repr(config)
    if key not in _auditors:
        _auditors[key] = Auditor(config)
        while len(_auditors) > KEPT_AUDITORS:
            _auditors.popitem(last=False)
    _auditors.move_to_end(key)
    return _auditors[key]


def _forget(auditor) -> None:
    """No article text stays in the worker: the scorer's memo of scored text is dropped."""
    for key, value in auditor.resources.loaded().items():
        if key.startswith("lm.scorer.") and hasattr(value, "forget"):
            value.forget()
