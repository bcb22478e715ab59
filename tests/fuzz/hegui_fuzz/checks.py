"""The invariants every fuzz input is held to, and the measured call that feeds them.

Per input: no exception escapes (``hegui.validate``, ``Validator.validate``, nor rendering the
result as JSON in both languages); the verdict is one of the three; ``conformant`` never
carries an error-severity finding and ``nonconformant`` always carries one at ``fail_on``;
``error`` always has a reason in both languages; no ``payload@internal`` finding (an
exception the pipeline caught: a crash all the same); the call stays under the time budget
(``HEGUI_FUZZ_TIME_BUDGET`` seconds, default 5) and the memory budget (300 MiB of growth of
the process's RSS high-water mark; the tracemalloc peak may reach twice that, because it
counts capacity that is reserved but never touched — orjson reserves about fifteen times a
payload's size and gives most of it back unused: a 20 MB payload peaked at 306 MiB traced
while the resident size grew by 72 MiB).
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hegui.validator.result import Result
from hegui.validator.verdicts import fails

TIME_BUDGET_S = float(os.environ.get("HEGUI_FUZZ_TIME_BUDGET", "5"))
MEMORY_BUDGET = 300 * 1024 * 1024
#: A call still running after this long is stopped (and reported as over the budget).
HARD_STOP_S = max(60.0, 4 * TIME_BUDGET_S)
VERDICTS = ("conformant", "nonconformant", "error")


class HardStop(BaseException):
    """Raised by the alarm inside a call that ran past :data:`HARD_STOP_S` (a BaseException,
    so that the pipeline's ``except Exception`` cannot swallow it)."""


@dataclass
class Measured:
    """One measured call: its result or the exception that escaped, time and memory."""

    result: Any = None
    exception: BaseException | None = None
    seconds: float = 0.0  # wall time
    cpu: float = 0.0  # CPU time of this process
    peak: int = 0  # tracemalloc peak, bytes
    rss_growth: int = 0  # growth of ru_maxrss during the call, bytes
    extra: list[str] = field(default_factory=list)


def _maxrss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise HardStop(f"still running after {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def measured(call: Callable[[], Any], memory: bool = True) -> Measured:
    """Run ``call`` under the hard stop, timing it and (``memory``) tracing its allocations.

    Tracing slows a call down two to five times; a traced call over the time budget is run
    again untraced, and that run's times count."""
    out = _measured(call, memory)
    if memory and out.cpu > TIME_BUDGET_S and out.exception is None:
        again = _measured(call, False)
        out.cpu, out.seconds, out.exception = again.cpu, again.seconds, again.exception
    return out


def _measured(call: Callable[[], Any], memory: bool) -> Measured:
    out = Measured()
    rss = _maxrss()
    if memory:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with _alarm(HARD_STOP_S):
            out.result = call()
            if isinstance(out.result, Result):  # rendering is part of the API too
                out.result.to_json("zh")
                out.result.to_json("en")
    except HardStop as exc:
        out.exception = exc
    except Exception as exc:
        out.exception = exc
    finally:
        out.seconds = time.perf_counter() - started
        out.cpu = time.process_time() - cpu
        if memory:
            out.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        out.rss_growth = _maxrss() - rss
    return out


def violations(m: Measured, fail_on: str = "error") -> list[str]:
    """The invariants (module doc) ``m`` breaks, each as a short signature line."""
    out: list[str] = []
    if m.exception is not None:
        kind = "over-time" if isinstance(m.exception, HardStop) else "exception"
        out.append(f"{kind}: {type(m.exception).__name__}: {str(m.exception)[:120]}")
    if m.cpu > TIME_BUDGET_S:
        out.append(f"over-time: {m.cpu:.1f} s of CPU > {TIME_BUDGET_S:.0f} s")
    if m.peak > 2 * MEMORY_BUDGET or m.rss_growth > MEMORY_BUDGET:
        out.append(f"over-memory: peak {m.peak >> 20} MiB, rss +{m.rss_growth >> 20} MiB")
    r = m.result
    if m.exception is None and not isinstance(r, Result):
        out.append(f"not-a-result: {type(r).__name__}")
    if isinstance(r, Result):
        out.extend(result_violations(r, fail_on))
    return out + m.extra


def result_violations(r: Result, fail_on: str = "error") -> list[str]:
    """The invariants one Result breaks on its own."""
    out = []
    if r.verdict not in VERDICTS:
        out.append(f"bad-verdict: {r.verdict!r}")
    errors = [f.rule_id for f in r.findings if f.severity == "error"]
    if r.verdict == "conformant" and errors:
        out.append(f"conformant-with-error: {sorted(set(errors))}")
    if r.verdict == "nonconformant" and not any(fails(f.severity, fail_on) for f in r.findings):
        out.append("nonconformant-without-finding")
    if r.verdict == "error" and (r.error is None or not r.error.zh.strip()
                                 or not r.error.en.strip()):
        out.append("error-without-reason")
    internal = [f for f in r.findings if f.rule_id == "payload@internal"]
    if internal:
        out.append(f"internal-error: {internal[0].message.en[:160]}")
    return out


def twin_violations(as_json: Result, as_xml: Result) -> list[str]:
    """XML and JSON twins must agree on verdict and rule ids."""
    if as_json.verdict != as_xml.verdict or as_json.rule_ids != as_xml.rule_ids:
        only_json = sorted(as_json.rule_ids - as_xml.rule_ids)
        only_xml = sorted(as_xml.rule_ids - as_json.rule_ids)
        return [f"twins-disagree: json {as_json.verdict} {only_json}, "
                f"xml {as_xml.verdict} {only_xml}"]
    return []
