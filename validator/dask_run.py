"""Validating a run's payloads on a Dask cluster (``hegui validate --dask ADDRESS|local``).

The inputs are read and split here (JSON Lines files only into byte ranges of whole lines,
which the workers read: such files must lie where the workers can read them at the same path,
as on a shared file system); each task is a chunk of payloads or ranges and the run's
:class:`RunConfig` (plain data: spec ids and paths, options, keys). A worker builds its own
:class:`Runner` from that config once and keeps it (compiled specs, lxml and jsonschema-rs
validators cannot be pickled, so they are never shipped) and returns plain results. Results
come back in input order, a bounded number of chunks in flight, so a long run stays at flat
memory on this side. ``local`` starts a LocalCluster of worker processes on this machine.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from hegui.validator.errors import UsageError
from hegui.validator.parallel import chunks, in_order

if TYPE_CHECKING:
    from hegui.validator.jsonl_ranges import Unit
    from hegui.validator.result import Result
    from hegui.validator.runner import RunConfig, Runner

CHUNK = 256
AHEAD = 4
#: Bytes of JSON Lines per range a Dask task reads (about 280 apply messages).
DASK_RANGE_BYTES = 1 << 20

_RUNNERS: dict[str, Runner] = {}  # per worker process: config digest -> its runner


def _runner(config: RunConfig) -> Runner:
    from hegui.validator.runner import Runner

    key = hashlib.sha256(pickle.dumps(config)).hexdigest()
    runner = _RUNNERS.get(key)
    if runner is None:
        runner = _RUNNERS[key] = Runner(config)
    return runner


def validate_chunk(config: RunConfig, units: list[Unit]) -> list[Result]:
    """The task a worker runs: a chunk of payloads (or JSON Lines ranges, which the worker
    reads itself: the files must be where the workers can read them) validated by the run's
    runner."""
    from hegui.validator.jsonl_ranges import payloads_of

    runner = _runner(config)
    return [runner.validate(p) for p in payloads_of(units, config.options.limits)]


def client_for(address: str) -> Any:
    """A Dask client: ``local`` starts a LocalCluster (one single-threaded worker process per
    core); anything else is a scheduler address (``tcp://host:8786``)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask 需要 distributed 包：pip install 'hegui[dask]' / --dask needs "
                         "the distributed package: pip install 'hegui[dask]'") from None
    if address == "local":
        from hegui.validator.parallel import default_jobs

        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=default_jobs(), threads_per_worker=1, processes=True,
            dashboard_address=None, host="127.0.0.1")
        return Client(cluster)  # type: ignore[no-untyped-call]
    try:
        return Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise UsageError(f"无法连接 Dask 调度器 {address} / cannot reach the Dask scheduler "
                         f"{address}: {exc}") from None


def dask_results(runner: Runner, units: Iterable[Unit], address: str) -> Iterator[Result]:
    """The results of ``units`` validated on the cluster at ``address``, in input order."""
    client = client_for(address)
    try:
        config = runner.config_as_given
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        yield from in_order(chunks(units, CHUNK), workers * AHEAD, lambda part: client.submit(
            validate_chunk, config, part, pure=False).result)
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
