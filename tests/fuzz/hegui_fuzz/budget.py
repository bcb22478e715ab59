"""How many inputs each part of the tier runs, from ``HEGUI_FUZZ_EXAMPLES``, and the tally.

``HEGUI_FUZZ_EXAMPLES`` is the total for the whole tier (default 400: the short run of
``make test``; ``make fuzz`` sets 100,000). It is shared out: 85 % to the seeded bulk loop,
12 % to the Hypothesis tests (split evenly among them, at least 15 each), 3 % to files run
through the CLI (at least 24). ``HEGUI_FUZZ_SEED`` seeds the bulk loop and the CLI folder
(default 0, so ``make test`` is repeatable; ``make fuzz`` uses the time).
"""

from __future__ import annotations

import os
from collections import Counter

TOTAL = int(os.environ.get("HEGUI_FUZZ_EXAMPLES", "400"))
SEED = int(os.environ.get("HEGUI_FUZZ_SEED", "0"))
#: Number of Hypothesis tests sharing the Hypothesis part (tests/fuzz/test_fuzz_hypothesis.py).
HYPOTHESIS_TESTS = 8

BULK_CASES = max(100, TOTAL * 85 // 100)
HYPOTHESIS_EXAMPLES = max(15, TOTAL * 12 // 100 // HYPOTHESIS_TESTS)
CLI_FILES = max(24, TOTAL * 3 // 100)

#: Inputs run so far, by part ("bulk", "hypothesis", "cli"); printed at the end of the session.
TALLY: Counter[str] = Counter()
#: Lines to print at the end of the session (the bulk loop's report).
NOTES: list[str] = []
