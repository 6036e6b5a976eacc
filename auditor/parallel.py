"""Audits spread over the cores of one machine (``--jobs N``) or over a Dask cluster
(``--distributed ADDRESS|local``), with results identical to a single-process run.

The unit of work is the pipeline's batch, cut exactly as ``Auditor.audit`` cuts it, so checks
that look across the articles of a batch see the same neighbours; every language-model score
depends only on its (context, text) (see ``auditor.lm.scorer``). Results come back in input
order, and at most a few batches per worker are in flight, so memory stays bounded on corpora
of any size. Each worker process builds its Auditor once and keeps it (models load once).

Why Dask rather than Ray: the work is embarrassingly parallel batches of plain Python, which
Dask's futures express directly; ``dask[distributed]`` is pure Python and pip-installable on
any worker, and the same code runs on a LocalCluster, over SSH, on Kubernetes or under HPC
schedulers (dask-jobqueue). Ray would add a large binary runtime and object store for no gain.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from .config import Config
from .document import Document, DocumentResult
from .ingest import InputError

Item = Document | InputError | DocumentResult
LM_THREADS = "AUDITOR_LM_THREADS"  # torch threads per worker, so workers share the cores

_auditors: dict[str, object] = {}  # per worker process: run id -> Auditor


def audit_batch(
    run: str, config: Config, provided: dict, batch: list[Item]
) -> list[DocumentResult]:
    """Audit one batch in a worker. ``provided``: the resources the command built before the
    audit (e.g. the REF sibling index over the whole corpus); the rest loads in the worker."""
    from .checks import Resources
    from .pipeline import Auditor

    if run not in _auditors:
        resources = Resources(config)
        resources.provide(provided)
        _auditors.clear()  # one run at a time per worker; drop the last run's models
        _auditors[run] = Auditor(config, resources)
    return list(_auditors[run].audit(batch, batch_size=len(batch) or 1))


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _ordered(
    submit: Callable[[list[Item]], object],
    result: Callable[[object], list[DocumentResult]],
    items: Iterable[Item],
    batch_size: int,
    in_flight: int,
) -> Iterator[DocumentResult]:
    pending: deque = deque()
    for batch in batches(items, batch_size):
        pending.append(submit(batch))
        if len(pending) >= in_flight:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def _share_cores(workers: int) -> None:
    os.environ.setdefault(LM_THREADS, str(max(1, (os.cpu_count() or 1) // workers)))


def _run_id() -> str:
    return f"{os.getpid()}-{uuid.uuid4().hex}"


def _init_worker(run: str, config: Config, provided: dict) -> None:
    audit_batch(run, config, provided, [])


def audit_jobs(
    config: Config, provided: dict, items: Iterable[Item], batch_size: int, jobs: int
) -> Iterator[DocumentResult]:
    """Audit over ``jobs`` worker processes on this machine."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _share_cores(jobs)
    run = _run_id()
    # spawn, not fork: the parent may hold torch threads or open SQLite handles.
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(run, config, provided),
    ) as pool:
        yield from _ordered(
            lambda batch: pool.submit(audit_batch, run, config, {}, batch),
            lambda future: future.result(),
            items,
            batch_size,
            2 * jobs,
        )


def audit_distributed(
    config: Config,
    provided: dict,
    items: Iterable[Item],
    batch_size: int,
    address: str,
    workers: int = 2,
) -> Iterator[DocumentResult]:
    """Audit on a Dask cluster: ``address`` of a running scheduler (``tcp://host:8786``) or
    ``local`` for a LocalCluster of ``workers`` processes on this machine."""
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    if address == "local":
        _share_cores(workers)
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        run = _run_id()
        shared = client.scatter(provided, broadcast=True) if provided else {}
        slots = max(1, sum(client.nthreads().values()))
        yield from _ordered(
            lambda batch: client.submit(audit_batch, run, config, shared, batch, pure=False),
            lambda future: future.result(),
            items,
            batch_size,
            2 * slots,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
