"""Evaluating an ``each`` rule over a long list in slices, so the CEL runtime's fixed iteration
budget (10,000 per evaluation, not configurable in cel-expr-python) bounds the work per slice,
not per list.

Only expressions whose value is built item by item from one list can be sliced: a chain of
``filter``/``map`` comprehensions over a declared list variable that the expression reads
nowhere else (``items.filter(i, …)``, ``items.filter(i, …).map(i, …)``). Then the value over
the whole list is the concatenation of the values over its slices, in order; the items keep
their ``_index``, so findings point where they did. Anything else is evaluated whole, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hegui.validator.cel_backend import Program

#: The runtime's words for a spent budget (cel_errors reads the same text for messages).
BUDGET = "Iteration budget exceeded"


def evaluate_sliced(program: Program, name: str, values: Mapping[str, Any],
                    evaluate: Callable[[Program, Mapping[str, Any]], list[Any] | str | None],
                    too_long: Callable[[Mapping[str, Any]], str | None],
                    whole: Callable[[], list[Any] | str | None]) -> list[Any] | str | None:
    """``program`` over ``values[name]``: whole (``whole()``) when ``too_long`` allows it and
    the budget lasts, else in slices, halved while a slice is too long or spends the budget;
    the concatenated items, or why not (or None: a variable is absent). ``too_long`` is asked
    before every evaluation: a list too long to walk is never handed to the runtime (its
    conversion alone can cost gigabytes)."""
    items = values.get(name)
    if too_long(values) is None:
        got = whole()
        if not (isinstance(got, str) and BUDGET in got) or not isinstance(items, list):
            return got
    elif not isinstance(items, list):
        return too_long(values)
    own = {k: values[k] for k in program.variables if k in values}
    size = max(1, len(items) // 2)
    while True:
        out: list[Any] = []
        failed: str | None = None
        for start in range(0, len(items), size):
            part = {**own, name: items[start:start + size]}
            why = too_long(part)
            got = why if why is not None else evaluate(program, part)
            if got is None:
                return None
            if isinstance(got, str):
                failed = got
                break
            out += got
        if failed is None:
            return out
        if size == 1 or not (BUDGET in failed or too_long({**own, name: items[:size]})):
            return failed
        size = max(1, size // 2)
