"""Validating a run's payloads on several cores, in input order, at bounded memory.

Worker processes are forked from the runner that already compiled its spec (copy-on-write: no
worker compiles it again; lxml and jsonschema-rs validators cannot be pickled, so they are never
shipped). Payloads go out in chunks, at most a few chunks per worker ahead of the one being
written, so neither the inputs nor the results pile up however long the run is.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from hegui.validator.inputs import Payload
    from hegui.validator.result import Result
    from hegui.validator.runner import Runner

T = TypeVar("T")
R = TypeVar("R")

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


def in_order(items: Iterable[T], chunk: int, ahead: int,
             start: Callable[[list[T]], Callable[[], list[R]]]) -> Iterator[R]:
    """The results of ``items``, in order: chunks of ``chunk`` handed to ``start`` (which
    begins the work and returns a call waiting for its results), at most ``ahead`` chunks in
    flight, so neither the items nor the results pile up however many there are."""
    it = iter(items)
    pending: deque[Callable[[], list[R]]] = deque()

    def submit() -> bool:
        part = list(islice(it, chunk))
        if part:
            pending.append(start(part))
        return bool(part)

    for _ in range(ahead):
        if not submit():
            break
    while pending:
        done = pending.popleft()()
        submit()
        yield from done


def parallel_results(runner: Runner, payloads: Iterable[Payload], jobs: int) -> Iterator[Result]:
    """The results of ``payloads`` validated by ``jobs`` forked workers, in input order."""
    global _RUNNER
    _RUNNER = runner
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_worker_signals) as pool:
        yield from in_order(payloads, CHUNK, jobs * AHEAD,
                            lambda part: pool.apply_async(_many, (part,)).get)
        pool.close()
        pool.join()
    _RUNNER = None
