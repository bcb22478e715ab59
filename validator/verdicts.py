"""The one place where severities become verdicts.

A payload is ``nonconformant`` when one of its findings is at least as severe as ``--fail-on``
(default ``error``); ``error`` when its evaluation did not finish (decided by the pipeline,
never from findings alone); else ``conformant``. Test-pack manifests, JUnit reports and the
engine all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Verdict = Literal["conformant", "nonconformant", "error"]
Severity = Literal["error", "warning", "info"]

#: Most severe first.
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


def fails(severity: str, fail_on: str = "error") -> bool:
    """Whether a finding of ``severity`` makes a payload nonconformant under ``fail_on``."""
    return SEVERITY_ORDER[severity] <= SEVERITY_ORDER[fail_on]


def verdict_of(severities: Iterable[str], fail_on: str = "error"
               ) -> Literal["conformant", "nonconformant"]:
    """The verdict of a payload whose evaluation finished, from its findings' severities."""
    return "nonconformant" if any(fails(s, fail_on) for s in severities) else "conformant"


def expected_verdict(severity: str | None, fail_on: str = "error"
                     ) -> Literal["conformant", "nonconformant"]:
    """What a payload made to break one rule of ``severity`` (None: no rule) must get."""
    return "conformant" if severity is None else verdict_of((severity,), fail_on)
