"""The bulk of the fuzz tier: a seeded plain-random loop over every case family.

Fast (no shrinking), so it carries most of the inputs of ``make fuzz``; each violation's first
case is written to ``HEGUI_FUZZ_OUT`` (when set) for reduction. Violations a known bug
explains (hegui_fuzz/known.py) are reported, not failed: each has its own strict xfail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hegui_fuzz import budget
from hegui_fuzz.driver import run
from hegui_fuzz.known import known

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]


def test_bulk_cases_break_no_invariant() -> None:
    out = os.environ.get("HEGUI_FUZZ_OUT")
    report = run(budget.BULK_CASES, budget.SEED, out=Path(out) if out else None, known=known)
    budget.TALLY["bulk"] += report.inputs
    budget.NOTES.extend(report.lines())
    assert report.cases == budget.BULK_CASES
    assert not report.new(), "\n".join(report.lines())
