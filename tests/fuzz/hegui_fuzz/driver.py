"""Run fuzz cases against hegui and collect the invariants they break.

``run(n, seed)`` is the bulk of ``make fuzz``: a seeded plain-random loop (fast: no shrinking)
whose every case is checked by :mod:`hegui_fuzz.checks`. The first case of each violation
signature is kept (and written to ``out`` when given) so that it can be reduced and replayed.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hegui
from hegui.validator.engine import Validator
from hegui.validator.runner import RunConfig, Runner
from hegui_fuzz.cases import Case, make_case
from hegui_fuzz.checks import Measured, measured, twin_violations, violations
from hegui_fuzz.corpus import specs

_VALIDATORS: dict[str, Validator] = {}


def validator(spec_id: str) -> Validator:
    """The Validator of a bundled spec with its context documents, as the CLI builds it."""
    if spec_id not in _VALIDATORS:
        spec = specs()[spec_id]
        _VALIDATORS[spec_id] = Runner(RunConfig(spec=spec)).validator(spec)
    return _VALIDATORS[spec_id]


def call_for(case: Case, data: bytes, source: str) -> Callable[[], Any]:
    """The call that validates ``data`` through the case's entry point."""
    spec = specs()[case.spec_id] if case.spec_id else None
    if case.entry == "validator" and spec is not None:
        return lambda: validator(spec.name).validate(data, source)
    if case.entry == "api-options" and spec is not None:
        kw = dict(case.options or {})
        return lambda: hegui.validate(data, spec, source=source, **kw)
    if case.entry == "api" and spec is not None:
        return lambda: hegui.validate(data, spec, source=source)
    return lambda: hegui.validate(data, None, source=source)


def _relinking(m: Measured) -> bool:
    """Whether an exception came from the editable install being re-linked under us (another
    process ran ``make install``: for a moment the link tree lacks files), not from hegui."""
    return m.exception is not None and "__editable__" in str(m.exception)


def measured_call(case: Case, data: bytes, source: str, memory: bool) -> Measured:
    """:func:`measured` on the case's entry point, retried while the install is re-linked."""
    for _ in range(5):
        m = measured(call_for(case, data, source), memory)
        if not _relinking(m):
            break
        time.sleep(2)
    return m


def check(case: Case, memory: bool = True) -> tuple[int, list[str], Measured]:
    """Validate a case (and its twin); the number of payloads validated and the violations.

    ``memory``: trace allocations (tracemalloc: two to three times slower); the growth of the
    RSS high-water mark is checked either way."""
    fail_on = (case.options or {}).get("fail_on", "error")
    m = measured_call(case, case.data, case.source, memory)
    found = violations(m, fail_on)
    inputs = 1
    r = m.result
    if case.twin is not None and m.exception is None:
        t = measured_call(case, case.twin, "p.xml", memory)
        inputs += 1
        found += [f"{v} (xml twin)" for v in violations(t, fail_on)]
        if t.exception is None:
            found += twin_violations(r, t.result)
            if case.expect_verdict and t.result.verdict != case.expect_verdict:
                found.append(f"extreme-rejected: xml {t.result.verdict} "
                             f"{sorted(t.result.rule_ids)}")
            if case.expect_rule and case.expect_rule not in t.result.rule_ids:
                found.append(f"extreme-unreported: xml lacks {case.expect_rule}")
    if m.exception is None:
        if case.expect_verdict and r.verdict != case.expect_verdict:
            found.append(f"extreme-rejected: json {r.verdict} {sorted(r.rule_ids)}")
        if case.expect_rule and case.expect_rule not in r.rule_ids:
            found.append(f"extreme-unreported: json lacks {case.expect_rule}")
    return inputs, found, m


_VOLATILE = re.compile(r"\d+(\.\d+)? (s|MiB)|line \d+|column \d+|\(line \d+, column \d+\)|"
                       r"'[^']*'|\"[^\"]*\"|\d{3,}")


def signature(violation: str) -> str:
    """A violation without its volatile parts (times, sizes, positions, quoted values)."""
    return _VOLATILE.sub("…", violation)[:200]


@dataclass
class Report:
    """What a fuzz run did and found."""

    seed: int
    cases: int = 0
    inputs: int = 0
    seconds: float = 0.0
    families: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    twins: int = 0
    slowest: tuple[float, str] = (0.0, "")
    #: signature -> (count, first case, the full violation text)
    found: dict[str, tuple[int, Case, str]] = field(default_factory=dict)

    def new(self) -> dict[str, tuple[int, Case, str]]:
        """The violations no known bug explains."""
        return {k: v for k, v in self.found.items() if not k.startswith("known: ")}

    def lines(self) -> list[str]:
        """A human summary."""
        out = [f"fuzz seed {self.seed}: {self.cases} cases, {self.inputs} payloads validated "
               f"in {self.seconds:.0f} s ({self.twins} with an XML twin)",
               "  families: " + ", ".join(f"{k} {v}" for k, v in sorted(self.families.items())),
               "  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(self.verdicts.items())),
               f"  slowest: {self.slowest[0]:.2f} s of CPU ({self.slowest[1]})"]
        for sig, (count, case, text) in sorted(self.found.items()):
            label = "known" if sig.startswith("known: ") else "VIOLATION"
            out.append(f"  {label} x{count}: {text}  [{case.family} {case.spec_id} {case.how} "
                       f"via {case.entry}]")
        return out


def save(case: Case, text: str, out: Path) -> Path:
    """Write a case's bytes (and its twin) and a note of what it triggered under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    stem = hashlib.sha256(signature(text).encode()).hexdigest()[:10]
    ext = ".xml" if case.family == "xml" else ".json"
    (out / f"{stem}{ext}").write_bytes(case.data)
    if case.twin is not None:
        (out / f"{stem}.twin.xml").write_bytes(case.twin)
    (out / f"{stem}.txt").write_text(
        f"{text}\nfamily={case.family} how={case.how} spec={case.spec_id} entry={case.entry} "
        f"options={case.options} source={case.source}\n", encoding="utf-8")
    return out / f"{stem}{ext}"


#: Without ``memory=True``, every case of at least this many bytes, and every tenth, is traced.
TRACE_FROM_BYTES = 64 * 1024


def run(n: int, seed: int, out: Path | None = None, memory: bool = False,
        known: Callable[[str, Case], object] = lambda v, c: None,
        progress: Callable[[Report], None] | None = None) -> Report:
    """Run ``n`` cases from ``seed``; violations that ``known(violation, case)`` explains are
    counted apart (under a ``known:`` prefix). ``memory``: trace every case (else only those
    :data:`TRACE_FROM_BYTES` describes)."""
    rng = random.Random(seed)
    report = Report(seed)
    started = time.perf_counter()
    for i in range(n):
        case = make_case(rng)
        traced = memory or i % 10 == 0 or len(case.data) >= TRACE_FROM_BYTES
        inputs, found, m = check(case, traced)
        report.cases += 1
        report.inputs += inputs
        report.twins += case.twin is not None
        report.families[case.family] += 1
        if m.result is not None:
            report.verdicts[m.result.verdict] += 1
        if m.cpu > report.slowest[0]:
            report.slowest = (m.cpu, f"{case.family} {case.how}")
        for v in found:
            sig = ("known: " if known(v, case) else "") + signature(v)
            count, first, text = report.found.get(sig, (0, case, v))
            if count == 0 and out is not None:
                save(case, v, out)
            report.found[sig] = (count + 1, first, text)
        if progress is not None and (i + 1) % 5000 == 0:
            report.seconds = time.perf_counter() - started
            progress(report)
    report.seconds = time.perf_counter() - started
    return report

