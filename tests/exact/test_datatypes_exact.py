"""Datatype checks at their edges: abolished region codes, ID check digits (X), 64-bit
integers, real dates, RMB uppercase spelling, through hegui.validator.datatypes and the Runner."""

from __future__ import annotations

import json
from typing import Any

import pytest
from stdnum.cn import ric

from hegui.validator import datatypes

from .conftest import an_id


def findings(judge: Any, spec: str, order: dict[str, Any]) -> list[tuple[str, str | None]]:
    r = judge(spec, "p.json", json.dumps(order, ensure_ascii=False).encode())
    return [(f.rule_id, f.location.pointer) for f in r.findings]


# -- GB/T 2260 region codes --------------------------------------------------------------------

@pytest.mark.parametrize(("code", "current", "existed"), [
    ("441900", True, True),    # 东莞市
    ("110101", True, True),    # 北京市东城区
    ("110103", False, True),   # 北京市崇文区, abolished 2010
    ("449999", False, False),  # never assigned
    ("44190", False, False),   # five digits
    ("4419000", False, False),
])
def test_region_code_tables(code: str, current: bool, existed: bool) -> None:
    assert datatypes.is_current_region(code) is current
    assert datatypes.region_ever_existed(code) is existed


def test_abolished_region_is_a_finding(minispec: Any, judge: Any, order: dict[str, Any]) -> None:
    order["order"]["buyer"]["region"] = "110103"
    assert findings(judge, minispec.folder, order) == [
        ("order.buyer.region@region", "/order/buyer/region")]


def test_abolished_area_code_still_valid_in_an_id_number(minispec: Any, judge: Any,
                                                         order: dict[str, Any]) -> None:
    order["order"]["buyer"]["idNo"] = an_id("11010319800101123")  # issued in 崇文区
    assert findings(judge, minispec.folder, order) == []


def test_id_number_with_unknown_area_code(minispec: Any, judge: Any,
                                          order: dict[str, Any]) -> None:
    order["order"]["buyer"]["idNo"] = an_id("44999919900101123")
    assert findings(judge, minispec.folder, order) == [
        ("order.buyer.idNo@region", "/order/buyer/idNo")]


# -- GB 11643-1999 check digit -----------------------------------------------------------------

WITH_X = "44190019900101108X"  # its check digit really is X


def test_fixture_ids() -> None:
    assert ric.calc_check_digit(WITH_X) == "X"
    assert an_id()[-1] != "X"


@pytest.mark.parametrize("value", [WITH_X, an_id()])
def test_right_check_digit_passes(minispec: Any, judge: Any, order: dict[str, Any],
                                  value: str) -> None:
    order["order"]["buyer"]["idNo"] = value
    assert findings(judge, minispec.folder, order) == []


@pytest.mark.parametrize("value", [an_id()[:-1] + "X", WITH_X[:-1] + "0", WITH_X[:-1] + "9"])
def test_wrong_check_digit_fails_even_when_it_is_x(minispec: Any, judge: Any,
                                                   order: dict[str, Any], value: str) -> None:
    order["order"]["buyer"]["idNo"] = value
    assert findings(judge, minispec.folder, order) == [
        ("order.buyer.idNo@check-digit", "/order/buyer/idNo")]


@pytest.mark.parametrize("birth", ["19900230", "19901301", "19900100", "19000229"])
def test_birth_date_must_exist(minispec: Any, judge: Any, order: dict[str, Any],
                               birth: str) -> None:
    order["order"]["buyer"]["idNo"] = an_id("441900" + birth + "123")
    assert findings(judge, minispec.folder, order) == [
        ("order.buyer.idNo@birth-date", "/order/buyer/idNo")]


def test_leap_day_birth_date_passes(minispec: Any, judge: Any, order: dict[str, Any]) -> None:
    order["order"]["buyer"]["idNo"] = an_id("44190020000229123")
    assert findings(judge, minispec.folder, order) == []


# -- datatype values at their edges ------------------------------------------------------------

@pytest.mark.parametrize(("qty", "expected"), [
    (2**63 - 1, []),
    (2**63, [("lines[].qty@maximum", "/lines/0/qty")]),
])
def test_64_bit_integer_edge(minispec: Any, judge: Any, order: dict[str, Any], qty: int,
                             expected: list[tuple[str, str]]) -> None:
    order["lines"] = [{"sku": "S1", "qty": qty}]
    got = findings(judge, minispec.folder, order)
    # A valid quantity over 5 breaks MS-004; one out of range is not judged by rules at all.
    assert got == (expected or [("MS-004", "/lines/0")])


@pytest.mark.parametrize(("value", "ok"), [
    ("2024-02-29", True), ("2025-02-29", False), ("2025-04-31", False), ("2025-12-31", True),
])
def test_due_date_must_exist(minispec: Any, judge: Any, order: dict[str, Any], value: str,
                             ok: bool) -> None:
    order["order"]["dueDate"] = value
    order["order"]["placedAt"] = "2024-01-01 00:00:00"
    got = findings(judge, minispec.folder, order)
    assert got == ([] if ok else [("order.dueDate@date", "/order/dueDate")])


def test_placed_at_must_exist(minispec: Any, judge: Any, order: dict[str, Any]) -> None:
    order["order"]["placedAt"] = "2025-03-01 24:00:00"
    assert findings(judge, minispec.folder, order) == [
        ("order.placedAt@date", "/order/placedAt")]


@pytest.mark.parametrize(("words", "ok"), [
    ("伍拾万元整", True), ("人民币伍拾万圆整", True), ("伍拾万元正", True), ("伍拾万元", True),
    ("伍拾万零元整", True), ("肆拾万元整", False), ("伍拾万元整整", False),
])
def test_amount_in_words_spellings(minispec: Any, judge: Any, order: dict[str, Any],
                                   words: str, ok: bool) -> None:
    order["order"]["amountInWords"] = words
    got = findings(judge, minispec.folder, order)
    assert got == ([] if ok else [("order.amountInWords@uppercase", "/order/amountInWords")])


def test_money_is_exact_minor_units(minispec: Any, judge: Any, order: dict[str, Any]) -> None:
    # fee = amount × rate rounded: 500000.00 × 0.005001 = 2500.50 exactly, 2500.49 is wrong.
    order["order"]["rate"] = "0.005001"
    order["order"]["fee"] = "2500.50"
    assert findings(judge, minispec.folder, order) == []
    order["order"]["fee"] = "2500.49"
    assert findings(judge, minispec.folder, order) == [("MS-001", "/order/fee")]


def test_fee_message_shows_thousands_separators(minispec: Any, judge: Any,
                                                order: dict[str, Any]) -> None:
    order["order"]["fee"] = "1234567.80"
    r = judge(minispec.folder, "p.json", json.dumps(order).encode())
    assert [f.rule_id for f in r.findings] == ["MS-001"]
    assert "1,234,567.80" in r.findings[0].message.en
    assert "500,000.00" in r.findings[0].message.en
    assert r.findings[0].value == "1,234,567.80"
