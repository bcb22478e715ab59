"""The plain-decimal fast path of ``datatypes._decimal`` gives what the Decimal path gives (the
oracle: the same function with the fast path's pattern never matching), for every plain
decimal string and scale, including values finer than the scale (refused alike)."""

from __future__ import annotations

from decimal import InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.validator import datatypes

_DIGITS = st.text("0123456789", min_size=1, max_size=20)


def _slow(text: str, scale: int) -> int | None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(datatypes, "_PLAIN_DECIMAL", datatypes.re.compile(r"(?!)"))
        try:
            return datatypes._decimal(text, scale)
        except InvalidOperation:
            return None


def _fast(text: str, scale: int) -> int | None:
    try:
        return datatypes._decimal(text, scale)
    except InvalidOperation:
        return None


@given(st.booleans(), _DIGITS, st.none() | _DIGITS, st.integers(min_value=0, max_value=6))
def test_fast_path_agrees_with_decimal(negative: bool, whole: str, fraction: str | None,
                                       scale: int) -> None:
    text = ("-" if negative else "") + whole + ("" if fraction is None else "." + fraction)
    assert _fast(text, scale) == _slow(text, scale)


def test_examples() -> None:
    assert datatypes._decimal("400000.00", 2) == 40000000
    assert datatypes._decimal("-0.5", 2) == -50
    assert datatypes._decimal("1.230", 2) == 123
    with pytest.raises(InvalidOperation):
        datatypes._decimal("1.235", 2)
