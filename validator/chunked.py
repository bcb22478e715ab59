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
from dataclasses import dataclass, field
from typing import Any

from hegui.validator.cel_backend import ITERATION_BUDGET, Program

#: The runtime's words for a spent budget (cel_errors reads the same text for messages).
BUDGET = "Iteration budget exceeded"


@dataclass
class Slices:
    """Slices of a payload's lists converted for the runtime once and shared by every sliced
    rule of the payload: ``base`` holds the values the message type's rules read, ``prepare``
    converts a mapping (the runtime's activation), ``made`` keeps what was converted, by list,
    start and size (sizes are powers of two, so rules of like cost share their slices)."""

    base: Mapping[str, Any]
    prepare: Callable[[Mapping[str, Any]], Any]
    made: dict[tuple[str, int, int], Any] = field(default_factory=dict)

    def get(self, name: str, items: list[Any], start: int, size: int) -> Any:
        """The converted values with ``name`` bound to ``items[start:start + size]``."""
        key = (name, start, size)
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = self.prepare(
                {**self.base, name: items[start:start + size]})
        return found


def first_size(length: int, iterations: int) -> int:
    """The slice size to try first for a list of ``length`` items whose evaluation would take
    about ``iterations`` iterations: the largest power of two whose share stays under four
    fifths of the budget (at least 1)."""
    if iterations <= 0:
        return max(1, length)
    fits = max(1, int(length * 0.8 * ITERATION_BUDGET / iterations))
    return 1 << (fits.bit_length() - 1)


def evaluate_sliced(program: Program, name: str, values: Mapping[str, Any],
                    evaluate: Callable[[Program, Any], list[Any] | str | None],
                    too_long: Callable[[Mapping[str, Any]], str | None],
                    whole: Callable[[], list[Any] | str | None],
                    iterations: int = 0, slices: Slices | None = None
                    ) -> list[Any] | str | None:
    """``program`` over ``values[name]``: whole (``whole()``) when ``too_long`` allows it and
    the ``iterations`` it would take (an estimate) fit the budget, else in slices of
    :func:`first_size`, halved while a slice is too long or spends the budget; the
    concatenated items, or why not (or None: a variable is absent). ``too_long`` is asked
    before every evaluation: a list too long to walk is never handed to the runtime (its
    conversion alone can cost gigabytes). With ``slices``, slices are converted once for all
    the rules that share them."""
    items = values.get(name)
    if too_long(values) is None and (iterations < ITERATION_BUDGET or not isinstance(items, list)):
        first = whole()
        if not (isinstance(first, str) and BUDGET in first) or not isinstance(items, list):
            return first
        iterations = max(iterations, ITERATION_BUDGET * 2)
    elif not isinstance(items, list):
        return too_long(values)
    own = {k: values[k] for k in program.variables if k in values}
    size = min(first_size(len(items), iterations), max(1, len(items) // 2))
    while True:
        out: list[Any] = []
        failed: str | None = None
        for start in range(0, len(items), size):
            part = {**own, name: items[start:start + size]}
            why = too_long(part)
            if why is not None:
                got: list[Any] | str | None = why
            elif slices is not None:
                got = evaluate(program, slices.get(name, items, start, size))
            else:
                got = evaluate(program, part)
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
