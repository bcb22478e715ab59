"""Generator help for hegui's own test spec (tests/data/minispec) — and the smallest example
of how to write help for a spec: one repair step per cross-field rule, each keeping its rule
only while the draft says it is active, each moving the dependent field.
"""

from __future__ import annotations

import datetime as dt

from hegui.generators._records import Draft, Help

#: amount x rate must stay inside CEL's 64-bit integers (MS-001).
MAX_AMOUNT_FEN = 10**13
MAX_RATE = 10**5


def repair(d: Draft) -> None:
    """MS-001 fee = amount x rate, MS-002 due date after placement, MS-004 quantity <= 5."""
    for path, high in (("order.amount", MAX_AMOUNT_FEN), ("order.rate", MAX_RATE)):
        value = d.minor(path)
        if value is not None and value > high:
            d.set_minor(path, high)
    amount, rate = d.minor("order.amount"), d.minor("order.rate")
    if d.active("MS-001") and amount is not None and rate is not None and d.has("order.fee"):
        d.set_minor("order.fee", (amount * rate + 500_000) // 1_000_000)
    placed, due = d.time("order.placedAt"), d.time("order.dueDate")
    if d.active("MS-002") and placed and due and due < placed - dt.timedelta(hours=24):
        d.set_time("order.dueDate", placed)
    for i, line in enumerate(d.get("lines") or []):
        if d.active("MS-004") and isinstance(line.get("qty"), int) and line["qty"] > 5:
            d.set(f"lines.{i}.qty", 5)


HELP = Help(repair=repair)
