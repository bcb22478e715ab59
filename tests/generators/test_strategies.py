"""The public strategies: argument checks at the edge, what values look like, how examples
shrink, structural targets, and the ``generate:`` recipes they read from the spec."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from stdnum.cn import ric, uscc

from hegui.generators._cel_values import from_cel, shape_at
from hegui.generators._recipes import recipes
from hegui.generators._values import idcards, region_codes, usccs, value_strategy
from hegui.generators.strategies import (
    invalid_payloads,
    invalid_records,
    payloads,
    records,
    structural_rule_ids,
    target_rule_ids,
)
from hegui.validator.datatypes import is_current_region, rmb_uppercase
from hegui.validator.errors import SpecError
from hegui.validator.loader import load_spec
from hegui.validator.spec import Spec

# No explain phase: it replays every shrink step, which is slow for records validated whole.
QUIET = settings(max_examples=10, database=None, phases=[Phase.generate, Phase.shrink])


@pytest.mark.parametrize(("call", "argument"), [
    (lambda s: records("minispec"), "spec="),  # type: ignore[arg-type]
    (lambda s: records(s, "nope"), "message_type='nope'"),
    (lambda s: payloads(s, "order", "yaml"), "encoding='yaml'"),  # type: ignore[arg-type]
    (lambda s: invalid_records(s, "MS-999"), "rule_id='MS-999'"),
    (lambda s: invalid_records(s, "MS-004", "cancel"), "rule_id='MS-004'"),
    (lambda s: invalid_records(s, 4), "rule_id=4"),  # type: ignore[arg-type]
])
def test_bad_arguments_are_refused_at_the_edge_naming_the_argument(
        minispec: Spec, call: Any, argument: str) -> None:
    with pytest.raises(InvalidArgument, match=re.escape(argument)):
        call(minispec)


def test_minimal_record_is_small_and_readable(minispec: Spec) -> None:
    doc = find(records(minispec, "order"), lambda d: True, settings=QUIET)
    assert doc == {  # plausible even at its smallest: no blank required string, no 0.00
        "messageType": "order", "specVersion": "0.1",
        "order": {"orderNo": "0", "kind": "1", "amount": "0.01",  # orderNo: [A-Z0-9]+
                  "placedAt": "2010-01-01 00:00:00"},
        "lines": [{"sku": "0", "qty": 1}],
    }


def test_shrinking_keeps_only_what_a_failure_needs(minispec: Spec) -> None:
    doc = find(records(minispec, "order"), lambda d: "buyer" in d["order"], settings=QUIET)
    assert doc["order"]["buyer"] == {"name": "0"}
    assert doc["lines"] == [{"sku": "0", "qty": 1}]


@given(code=usccs(), number=idcards())
def test_uscc_and_id_numbers_are_real(code: str, number: str) -> None:
    assert uscc.is_valid(code) and ric.is_valid(number)
    assert is_current_region(code[2:8]) and is_current_region(number[:6])
    org = code[8:17]  # GB 11714 organisation code with its own check character
    total = sum("0123456789ABCDEFGHJKLMNPQRTUWXY".index(c) * w
                for c, w in zip(org[:8], (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    assert org[8] == {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


def test_region_codes_are_current() -> None:
    codes = region_codes()
    assert len(codes) > 2500 and codes == tuple(sorted(codes))
    assert "441900" in codes and all(is_current_region(c) for c in codes[::97])


@given(data=st.data())
def test_values_meet_their_facets(minispec: Spec, data: st.DataObject) -> None:
    group = minispec.groups["order"]
    order_no = data.draw(value_strategy(minispec, group.element("orderNo")))  # type: ignore[arg-type]
    assert re.fullmatch(r"[A-Z0-9]+", order_no) and len(order_no) <= 10
    amount = data.draw(value_strategy(minispec, group.element("amount")))  # type: ignore[arg-type]
    assert re.fullmatch(r"[0-9]{1,16}(\.[0-9]{1,2})?", amount)
    placed = data.draw(value_strategy(minispec, group.element("placedAt")))  # type: ignore[arg-type]
    assert dt.datetime.strptime(placed, "%Y-%m-%d %H:%M:%S").year in range(2000, 2100)


@given(data=st.data())
def test_uppercase_amounts_follow_their_figure(minispec: Spec, data: st.DataObject) -> None:
    doc = data.draw(records(minispec, "order"))
    words = doc["order"].get("amountInWords")
    if words is not None:
        assert words == rmb_uppercase(doc["order"]["amount"])


def test_structural_targets_cover_every_facet_kind(minispec: Spec) -> None:
    ids = set(structural_rule_ids(minispec, "order"))
    assert {"order@required", "order.orderNo@pattern", "order.orderNo@maxLength",
            "order.kind@enum", "order.copies@type", "order.copies@maximum",
            "order.dueDate@date", "order.buyer.uscc@check-digit", "order.buyer.idNo@birth-date",
            "order.buyer.region@region", "order.amountInWords@uppercase", "lines@minItems",
            "lines[].qty@minimum", "order.tags[]@maxLength", "order.extra@unexpected"} <= ids
    assert "order.reason@required" not in ids  # conditional: MS-003 reports it
    assert "order.reason@required" in structural_rule_ids(minispec, "cancel")
    assert "order.buyer@unexpected" in structural_rule_ids(minispec, "cancel")  # excluded
    assert target_rule_ids(minispec, "cancel")[0] == "MS-003"


@given(data=st.data())
def test_invalid_payloads_in_both_encodings(minispec: Spec, data: st.DataObject) -> None:
    raw = data.draw(invalid_payloads(minispec, "order.kind@enum", "xml"))
    assert raw.startswith(b"<?xml") and b"<kind>" in raw
    doc = json.loads(data.draw(invalid_payloads(minispec, "MS-003", "json", "order")))
    assert doc["order"]["kind"] == "2" and "reason" not in doc["order"]


def test_recipe_values_go_back_through_the_dictionary(minispec: Spec) -> None:
    mt = minispec.message_types["order"]
    at = {p: shape_at(minispec, mt, p.split(".")) for p in ("order.amount", "order.placedAt",
                                                             "order.dueDate", "order.buyer")}
    assert from_cel(minispec, 12345, at["order.amount"]) == "123.45"  # fen -> money text
    when = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
    assert from_cel(minispec, when, at["order.placedAt"]) == "2025-03-01 09:30:00"
    assert from_cel(minispec, "2025-03-01T09:30:00Z", at["order.dueDate"]) == "2025-03-01"
    assert from_cel(minispec, {"name": "x", "_index": 0}, at["order.buyer"]) == {"name": "x"}
    assert shape_at(minispec, mt, ["lines", 0, "qty"]) is not None
    assert shape_at(minispec, mt, ["order", "nope"]) is None


def test_recipes_compile_on_the_runtime_and_report_cel_errors(minispec: Spec, tmp_path: Path
                                                              ) -> None:
    assert set(recipes(minispec)) == {"MS-001", "MS-002", "MS-004"}
    assert recipes(minispec) is recipes(minispec)  # memoised on the runtime
    folder = tmp_path / "broken"
    shutil.copytree(minispec.folder, folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        'set: {l.qty: "5"}', 'set: {l.qty: "l.nope +"}'), encoding="utf-8")
    with pytest.raises(SpecError, match=r"rule MS-004 generate repair\[0\]\.set\.l\.qty"):
        recipes(load_spec(str(folder)))


def _scalars(spec: Spec, mt_id: str, doc: Any) -> list[tuple[str, Any, str]]:
    """(datatype, value) of every scalar field of a record, list items included."""
    from hegui.validator.record import build_record

    rec = build_record(spec, spec.message_types[mt_id], doc)
    out = []
    for path, f in spec.message_types[mt_id].fields.items():
        value = rec.raw(path)
        if value is not None and f.element.datatype not in ("group", "list"):
            out.append((f.element.datatype, value, f.use))
    return out


@pytest.mark.parametrize("spec_id", ["eguarantee", "window-checklist"])
def test_valid_records_are_plausible(spec_id: str) -> None:
    """No required string empty or blank, no zero amount (edge cases belong to the invalid and
    fuzz strategies)."""
    spec = load_spec(spec_id)

    @settings(max_examples=10 * len(spec.message_types), deadline=None,
              phases=[Phase.generate], database=None)
    @given(records(spec))
    def check(doc: dict[str, Any]) -> None:
        mt = str(doc["messageType"])
        for datatype, value, use in _scalars(spec, mt, doc):
            if use == "required" and isinstance(value, str):
                assert value.strip(), (mt, datatype, value)
            if datatype == "money":
                assert float(value) > 0, (mt, value)
    check()
