"""Validating a run's payloads on several cores, in input order, at bounded memory.

Worker processes are forked from the runner that already compiled its spec (copy-on-write: no
worker compiles it again; lxml and jsonschema-rs validators cannot be pickled, so they are never
shipped). Payloads go out in chunks, at most a few chunks per worker ahead of the one being
written, so neither the inputs nor the results pile up however long the run is.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hegui.validator.inputs import Payload
    from hegui.validator.result import Result
    from hegui.validator.runner import Runner

#: Payloads per task, and tasks in flight per worker.
CHUNK = 64
AHEAD = 3

_RUNNER: Runner | None = None  # the forked workers' runner (set before the pool forks)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _worker_signals() -> None:
    """Workers leave interrupts to the parent (which stops the pool) and end quietly when
    terminated (not through the CLI's handlers they inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _many(payloads: list[Payload]) -> list[Result]:
    assert _RUNNER is not None
    return [_RUNNER.validate(p) for p in payloads]


def parallel_results(runner: Runner, payloads: Iterable[Payload], jobs: int) -> Iterator[Result]:
    """The results of ``payloads`` validated by ``jobs`` forked workers, in input order."""
    global _RUNNER
    _RUNNER = runner
    it = iter(payloads)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_worker_signals) as pool:
        pending: deque[multiprocessing.pool.AsyncResult[list[Result]]] = deque()

        def submit() -> bool:
            chunk = list(islice(it, CHUNK))
            if chunk:
                pending.append(pool.apply_async(_many, (chunk,)))
            return bool(chunk)

        for _ in range(jobs * AHEAD):
            if not submit():
                break
        while pending:
            done = pending.popleft().get()
            submit()
            yield from done
        pool.close()
        pool.join()
    _RUNNER = None
