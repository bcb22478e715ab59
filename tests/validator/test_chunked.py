"""Each rules over long lists, evaluated in slices (validator.chunked): which expressions may be
sliced, the sliced value equals the whole one, and a checklist of 1,500 items (past the 400 at
which WC-008 used to stop evaluating) has every rule evaluated."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hegui.validator.catalogue import runtime_for
from hegui.validator.cel_ast import sliced_list
from hegui.validator.chunked import evaluate_sliced
from hegui.validator.engine import Validator
from hegui.validator.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent.parent
CHECKLIST = ROOT / "specs" / "window-checklist" / "1.0" / "examples" / "valid" / "checklist.json"


@pytest.fixture(scope="module")
def rt() -> Any:
    return runtime_for(load_spec("window-checklist@1.0"))


@pytest.mark.parametrize(("source", "sliced"), [
    ("items.filter(i, i.feeFlag)", "items"),
    ("items.filter(i, i.feeFlag).map(i, {'index': i._index})", "items"),
    ("cel.bind(d, duplicates(items.map(b, b.basicCode)), items.filter(a, a.basicCode in d))",
     None),  # the list is read twice: a slice would miss duplicates across slices
    ("items.filter(i, size(items) > 1)", None),  # reads the whole list inside
    # each bundle still reads every item: slicing the bundles is sound (it does not help
    # when the items alone spend the budget)
    ("bundles.filter(b, items.exists(i, i.basicCode == b.code))", "bundles"),
    ("items.exists(i, i.feeFlag) ? items : []", None),  # not built item by item
])
def test_which_expressions_are_sliced(rt: Any, source: str, sliced: str | None) -> None:
    assert sliced_list(rt.env.compile(source, "list").tree) == sliced


def _items(n: int) -> list[dict[str, Any]]:
    base = json.loads(CHECKLIST.read_text(encoding="utf-8"))["items"][0]
    out = []
    for i in range(n):
        item = copy.deepcopy(base)
        item["basicCode"] = f"9901{i:08d}"
        item["implementationCode"] = item["implementingBody"]["uscc"] + "3" + item["basicCode"]
        item["handlingItemCode"] = item["implementationCode"] + "01"
        item["feeFlag"] = i % 7 == 0
        item["_index"] = i
        out.append(item)
    return out


def test_the_sliced_value_is_the_whole_value(rt: Any) -> None:
    """Within the budget both can be computed: the same items, in the same order."""
    program = rt.env.compile("items.filter(i, i.feeFlag).map(i, i._index)", "list")
    values = {"items": _items(300)}

    def whole(p: Any, v: Any) -> Any:
        out = p.evaluate_raw(v)
        return out.error if out.error else list(out.items or [])

    assert evaluate_sliced(program, "items", values, whole, lambda v: None,
                           lambda: "Iteration budget exceeded") == whole(program, values) == [
        i for i in range(300) if i % 7 == 0]


def test_a_long_checklist_has_every_rule_evaluated() -> None:
    doc = json.loads(CHECKLIST.read_text(encoding="utf-8"))
    doc["items"] = [{k: v for k, v in it.items() if k != "_index"} for it in _items(1500)]
    v = Validator(load_spec("window-checklist@1.0"))
    result = v.validate(json.dumps(doc, ensure_ascii=False).encode())
    assert result.verdict != "error", result.error
    assert {"WC-006", "WC-007", "WC-008", "WC-009"} <= set(result.rules_evaluated)
    fees = {f.location.pointer for f in result.findings if f.rule_id == "WC-013"}
    assert all(int(p.split("/")[2]) % 7 == 0 for p in fees if p and p.startswith("/items/"))


def test_shared_slices_give_the_same_value(rt: Any) -> None:
    """Slices converted once (chunked.Slices) and shared by two rules: the same values as
    slices converted per rule, and the second rule converts nothing new."""
    from hegui.validator.chunked import Slices, first_size

    values = {"items": _items(600)}
    slices = Slices(values, rt.env.activation)

    def listed(p: Any, v: Any) -> Any:
        out = p.evaluate_raw(v)
        return out.error if out.error else list(out.items or [])

    fees = rt.env.compile("items.filter(i, i.feeFlag).map(i, i._index)", "list")
    odd = rt.env.compile("items.filter(i, i._index % 2 == 1).map(i, i._index)", "list")
    for program, want in ((fees, [i for i in range(600) if i % 7 == 0]),
                          (odd, list(range(1, 600, 2)))):
        got = evaluate_sliced(program, "items", values, listed, lambda v: None,
                              lambda: "Iteration budget exceeded", iterations=40_000,
                              slices=slices)
        assert got == want
    assert len(slices.made) == 600 // first_size(600, 40_000) + (600 % first_size(600, 40_000) > 0)


@pytest.mark.parametrize(("length", "iterations", "size"), [
    (10, 0, 10), (1000, 8000, 512), (1000, 20_000, 256), (5, 10**9, 1)])
def test_first_slice_size(length: int, iterations: int, size: int) -> None:
    from hegui.validator.chunked import first_size

    assert first_size(length, iterations) == size
