"""Benchmarks: speed and memory figures, run by ``python -m benchmarks`` (``make bench``).

Each module here with a ``run() -> dict`` contributes named figures; modules marked
``SLOW = True`` run only with ``--slow`` (or AUDITOR_BENCH_SLOW=1).
"""
