"""The fuzz tier (tests/fuzz/README.md): puts ``hegui_fuzz`` on the path, prints the tally.

Its size comes from ``HEGUI_FUZZ_EXAMPLES`` (hegui_fuzz/budget.py): a few hundred inputs in
``make test``, 100,000 in ``make fuzz``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from hegui_fuzz import budget  # found through the path above

_STARTED = time.perf_counter()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The number of fuzz inputs run, by part, and the time the session took."""
    if not budget.TALLY:
        return
    parts = ", ".join(f"{k} {v}" for k, v in sorted(budget.TALLY.items()))
    terminalreporter.write_line(
        f"fuzz tier: {sum(budget.TALLY.values())} inputs ({parts}) in "
        f"{time.perf_counter() - _STARTED:.0f} s; HEGUI_FUZZ_EXAMPLES={budget.TOTAL}, "
        f"HEGUI_FUZZ_SEED={budget.SEED}")
    for line in budget.NOTES:
        terminalreporter.write_line(line)
