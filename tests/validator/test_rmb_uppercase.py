"""The RMB uppercase of a figure, written by hegui (no cn2an import on the common path) and
compared with cn2an, the library it replaced on that path: the same text, zeros included."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.validator.datatypes import normalise_uppercase, rmb_uppercase

# Figures shaped like money: up to 16 integer digits, runs of zeros, 0-2 decimals.
DIGITS = st.text(st.sampled_from("0000123456789"), min_size=1, max_size=16)
FIGURES = st.builds(lambda w, f: (w.lstrip("0") or "0") + (f".{f}" if f else ""),
                    DIGITS, st.sampled_from(["", "0", "00", "05", "5", "50", "10", "99"]))


@pytest.mark.parametrize(("figure", "words"), [
    ("500000.00", "伍拾万元整"), ("10.01", "壹拾元零壹分"), ("0.05", "伍分"),
    ("100.50", "壹佰元伍角"), ("1001", "壹仟零壹元整"), ("100000001", "壹亿零壹元整"),
    ("10000000000000", "壹拾万亿元整"), ("0", "零元整"),
    ("1000100010001", "壹万零壹亿零壹万零壹元整"), ("300008098", "叁亿捌仟零玖拾捌元整"),
])
def test_known_figures(figure: str, words: str) -> None:
    """Each as cn2an writes it (these strings were read from cn2an, not from a standard)."""
    assert rmb_uppercase(figure) == words == cn2an.an2cn(figure, "rmb")


@given(FIGURES)
def test_same_text_as_cn2an(figure: str) -> None:
    assert rmb_uppercase(figure) == cn2an.an2cn(figure, "rmb")


def test_rare_forms_still_go_through_cn2an() -> None:
    assert rmb_uppercase("-5") == cn2an.an2cn("-5", "rmb")
    with pytest.raises(ValueError):  # cn2an's own limit, as before (the caller catches it)
        rmb_uppercase("1" + "0" * 17)


def test_the_comparison_ignores_zeros_and_whole_marks() -> None:
    assert normalise_uppercase("人民币壹仟零壹圆整") == normalise_uppercase(rmb_uppercase("1001"))
