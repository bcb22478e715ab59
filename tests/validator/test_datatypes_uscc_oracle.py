"""The own GB 32100-2015 check character agrees with python-stdnum's (the oracle) on every
string the schema's uscc pattern admits (Hypothesis), and refuses characters outside it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from hegui.validator.datatypes import uscc_check_character

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_agrees_with_stdnum(first17: str) -> None:
    assert uscc_check_character(first17) == uscc.calc_check_digit(first17)


def test_known_code() -> None:
    # 91110000600037341L: the valid example of python-stdnum's module documentation.
    assert uscc_check_character("91110000600037341") == "L"


@pytest.mark.parametrize("bad", ["91350100M000100YI", "91350100M000100Y", "9135O100M000100Y4"])
def test_refuses_what_is_no_code(bad: str) -> None:
    with pytest.raises(ValueError):
        uscc_check_character(bad)
