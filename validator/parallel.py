"""Validating a run's payloads on several cores, in input order, at bounded memory.

Worker processes are forked from the runner that already compiled its spec (copy-on-write: no
worker compiles it again; lxml and jsonschema-rs validators cannot be pickled, so they are never
shipped). Payloads go out in chunks, at most a few chunks per worker ahead of the one being
written, so neither the inputs nor the results pile up however long the run is.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from hegui.validator.jsonl_ranges import Unit
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


def _many(units: list[Unit]) -> list[Result]:
    from hegui.validator.jsonl_ranges import payloads_of

    assert _RUNNER is not None
    limits = _RUNNER.config.options.limits
    return [_RUNNER.validate(p) for p in payloads_of(units, limits)]


def chunks(units: Iterable[Unit], chunk: int) -> Iterator[list[Unit]]:
    """``units`` in lists of about ``chunk`` payloads (a JSON Lines range counts as the
    payloads it holds, about a chunk's worth: it goes alone)."""
    from hegui.validator.jsonl_ranges import weight

    part: list[Unit] = []
    held = 0
    for unit in units:
        w = weight(unit)
        if part and held + w > chunk:
            yield part
            part, held = [], 0
        part.append(unit)
        held += w
    if part:
        yield part


def in_order(parts: Iterable[list[T]], ahead: int,
             start: Callable[[list[T]], Callable[[], list[R]]]) -> Iterator[R]:
    """The results of ``parts``, in order: each part handed to ``start`` (which begins the
    work and returns a call waiting for its results), at most ``ahead`` parts in flight, so
    neither the inputs nor the results pile up however many there are."""
    it = iter(parts)
    pending: deque[Callable[[], list[R]]] = deque()

    def submit() -> bool:
        part = next(it, None)
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


def parallel_results(runner: Runner, units: Iterable[Unit], jobs: int) -> Iterator[Result]:
    """The results of ``units`` (payloads, JSON Lines ranges) validated by ``jobs`` forked
    workers, in input order."""
    global _RUNNER
    _RUNNER = runner
    # What the workers inherit (compiled specs) is never garbage: kept out of the collector's
    # scans (measured: a worker spent a fifth of its time in them), whose reference-count
    # writes would also copy every inherited page.
    gc.freeze()
    ctx = multiprocessing.get_context("fork")
    try:
        with ctx.Pool(jobs, initializer=_worker_signals) as pool:
            yield from in_order(chunks(units, CHUNK), jobs * AHEAD,
                                lambda part: pool.apply_async(_many, (part,)).get)
            pool.close()
            pool.join()
    finally:
        gc.unfreeze()
        _RUNNER = None
