"""Findings pinned exactly through the public Runner: counts, severities, line and column.

Each test here was asked for by a mutation trial (issue 9): the suite compared only sets of
rule ids, so a bug reporting one finding instead of two, swapping warning and info, or moving a
location by a column went unnoticed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from hegui.validator.result import Finding


def dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()


def where(f: Finding) -> tuple[str, str | None, str | None, int | None, int | None]:
    loc = f.location
    return (f.rule_id, loc.pointer, loc.xpath, loc.line, loc.column)


# -- `each` rules: one finding per offending item ---------------------------------------------

def test_each_rule_reports_every_offending_item(minispec: Any, judge: Any,
                                                order: dict[str, Any]) -> None:
    order["lines"] = [{"sku": "S1", "qty": 6}, {"sku": "S2", "qty": 1}, {"sku": "S3", "qty": 9}]
    r = judge(minispec.folder, "p.json", dump(order))
    assert r.verdict == "nonconformant"
    assert [(f.rule_id, f.location.pointer) for f in r.findings] == [
        ("MS-004", "/lines/0"), ("MS-004", "/lines/2")]
    assert r.counts() == {"error": 2, "warning": 0, "info": 0}
    assert "S1" in r.findings[0].message.en and "6" in r.findings[0].message.en
    assert "S3" in r.findings[1].message.en and "9" in r.findings[1].message.en


def test_each_rule_in_xml_points_at_each_item(minispec: Any, judge: Any) -> None:
    xml = XML.replace("<qty>2</qty>", "<qty>7</qty>").replace("<qty>5</qty>", "<qty>8</qty>")
    r = judge(minispec.folder, "p.xml", xml.encode())
    assert [where(f) for f in r.findings] == [
        ("MS-004", None, "/order/lines/line[2]", 16, 3),
        ("MS-004", None, "/order/lines/line[3]", 18, 3)]


# -- severities: error, warning and info are three different things ---------------------------

def test_info_finding_never_fails_a_payload(plusspec: str, judge: Any,
                                            order: dict[str, Any]) -> None:
    order["order"]["copies"] = 3
    for fail_on in ("error", "warning"):
        r = judge(plusspec, "p.json", dump(order), fail_on=fail_on)
        assert [(f.rule_id, f.severity) for f in r.findings] == [("MS-090", "info")]
        assert r.verdict == "conformant", fail_on
        assert r.counts() == {"error": 0, "warning": 0, "info": 1}


def test_warning_fails_only_at_fail_on_warning(plusspec: str, judge: Any,
                                               order: dict[str, Any]) -> None:
    order["order"]["dueDate"] = "2025-01-01"
    r = judge(plusspec, "p.json", dump(order))
    assert [(f.rule_id, f.severity) for f in r.findings] == [("MS-002", "warning")]
    assert r.verdict == "conformant"
    assert r.counts() == {"error": 0, "warning": 1, "info": 0}
    assert judge(plusspec, "p.json", dump(order), fail_on="warning").verdict == "nonconformant"


def test_findings_at_one_place_sort_by_severity(plusspec: str, judge: Any,
                                                order: dict[str, Any]) -> None:
    order["order"]["copies"] = 4  # MS-090 (info) and MS-092 (warning), both at /order/copies
    r = judge(plusspec, "p.json", dump(order))
    assert [(f.rule_id, f.severity, f.location.line) for f in r.findings] == [
        ("MS-092", "warning", 11), ("MS-090", "info", 11)]
    assert r.verdict == "conformant"
    assert judge(plusspec, "p.json", dump(order), fail_on="warning").verdict == "nonconformant"


# -- exact locations --------------------------------------------------------------------------

XML = """<?xml version="1.0" encoding="UTF-8"?>
<order xmlns="urn:hegui:test:minispec:0.1">
  <order>
    <orderNo>A1</orderNo>
    <kind>1</kind>
    <amount>500000.00</amount>
    <amountInWords>伍拾万元整</amountInWords>
    <rate>0.005000</rate>
    <fee>2500.00</fee>
    <copies>2</copies>
    <placedAt>2025-03-01 09:30:00</placedAt>
    <dueDate>2025-03-02</dueDate>
  </order>
  <lines>
    <line><sku>S0</sku><qty>1</qty></line>
  <line>
      <sku>S1</sku><qty>2</qty></line>
  <line>
      <sku>S2</sku>
      <qty>5</qty>
  </line>
  </lines>
</order>
"""


def test_valid_xml_fixture_is_conformant(minispec: Any, judge: Any) -> None:
    r = judge(minispec.folder, "p.xml", XML.encode())
    assert (r.verdict, r.findings) == ("conformant", ())


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("<kind>1</kind>", "<kind>9</kind>", ("order.kind@enum", None, "/order/order/kind", 5, 5)),
    ("    <fee>2500.00</fee>", "      <fee>1.00</fee>",
     ("MS-001", None, "/order/order/fee", 9, 7)),
    ("<dueDate>2025-03-02</dueDate>", "<dueDate>2025-02-30</dueDate>",
     ("order.dueDate@date", None, "/order/order/dueDate", 12, 5)),
    # Columns count characters, not bytes: five Chinese characters precede <x> on line 7.
    ("</amountInWords>", "</amountInWords><x>1</x>",
     ("order.x@unexpected", None, "/order/order/x", 7, 41)),
])
def test_xml_finding_has_exact_line_and_column(minispec: Any, judge: Any, old: str, new: str,
                                               expected: tuple[Any, ...]) -> None:
    assert XML.count(old) == 1
    r = judge(minispec.folder, "p.xml", XML.replace(old, new).encode())
    assert [where(f) for f in r.findings] == [expected]


def test_json_finding_has_exact_line_and_column(minispec: Any, judge: Any,
                                                order: dict[str, Any]) -> None:
    order["order"]["kind"] = "9"
    order["lines"][1]["qty"] = 6
    r = judge(minispec.folder, "p.json", dump(order))
    # indent=2: "kind" is line 6 (its value at column 13); lines[1] opens on line 31, column 5.
    assert [where(f) for f in r.findings] == [
        ("order.kind@enum", "/order/kind", None, 6, 13),
        ("MS-004", "/lines/1", None, 31, 5)]


# -- a rule that cannot be evaluated is an error, never a pass ---------------------------------

def test_rule_that_fails_to_evaluate_gives_verdict_error(plusspec: str, judge: Any,
                                                         order: dict[str, Any]) -> None:
    order["order"]["copies"] = 7  # schema-valid (0..99); the rule's product overflows 64 bits
    for name, data in (("p.json", dump(order)), ("p.xml", _as_xml(plusspec, order))):
        r = judge(plusspec, name, data)
        assert r.verdict == "error", name
        assert r.error is not None and "MS-091" in r.error.en and "MS-091" in r.error.zh
        assert [(f.rule_id, f.severity) for f in r.findings] == [("MS-091", "error")]
        assert "MS-091" in r.rules_evaluated


def test_rule_evaluation_error_is_exit_2(plusspec: str, tmp_path: Any,
                                         order: dict[str, Any]) -> None:
    from click.testing import CliRunner

    from hegui.cli import cli

    order["order"]["copies"] = 7
    p = tmp_path / "p.json"
    p.write_bytes(dump(order))
    r = CliRunner().invoke(cli, ["validate", "--spec", plusspec, str(p), "--format", "json"])
    assert r.exit_code == 2, r.output
    assert json.loads(r.output)["summary"]["error"] == 1


def test_the_same_rule_passes_when_it_can_be_evaluated(plusspec: str, judge: Any,
                                                       order: dict[str, Any]) -> None:
    r = judge(plusspec, "p.json", dump(order))
    assert (r.verdict, r.findings) == ("conformant", ())
    assert {"MS-090", "MS-091"} <= set(r.rules_evaluated)


def _as_xml(spec_folder: str, doc: dict[str, Any]) -> bytes:
    from hegui.validator.codec import json_to_xml
    from hegui.validator.loader import load_spec

    return json_to_xml(doc, load_spec(spec_folder))


# -- list sizes at their edges (checked after a schema error elsewhere) ------------------------

@pytest.mark.parametrize("n", [1, 10])
def test_list_of_exactly_min_or_max_items_is_fine(minispec: Any, judge: Any,
                                                  order: dict[str, Any], n: int) -> None:
    order["order"]["kind"] = "9"  # a schema error, so the presence pass runs too
    order["lines"] = [{"sku": f"S{i}", "qty": 1} for i in range(n)]
    for name, data in (("p.json", dump(order)), ("p.xml", _as_xml(minispec.folder, order))):
        r = judge(minispec.folder, name, data)
        assert [f.rule_id for f in r.findings] == ["order.kind@enum"], name


@pytest.mark.parametrize(("n", "rule_id"), [(0, "lines@minItems"), (11, "lines@maxItems")])
def test_list_one_past_its_size_is_a_finding(minispec: Any, judge: Any, order: dict[str, Any],
                                             n: int, rule_id: str) -> None:
    order["lines"] = [{"sku": f"S{i}", "qty": 1} for i in range(n)]
    r = judge(minispec.folder, "p.json", dump(order))
    assert [f.rule_id for f in r.findings] == [rule_id]
