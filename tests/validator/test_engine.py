"""The pipeline on the test-only minispec: verdicts, rule ids, locations, both encodings."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import ric, uscc

from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Options, Validator
from hegui.validator.spec import Spec, Text


def a_uscc() -> str:
    body = "91441900MA4UABCD1"
    return body + uscc.calc_check_digit(body)


def an_id() -> str:
    body = "44190019900101123"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants the full 18 characters


def valid_order() -> dict[str, Any]:
    return {
        "messageType": "order", "specVersion": "0.1",
        "order": {"orderNo": "A1", "kind": "1", "amount": "500000.00",
                  "amountInWords": "伍拾万元整", "rate": "0.005000", "fee": "2500.00",
                  "copies": 2, "urgent": False, "placedAt": "2025-03-01 09:30:00",
                  "dueDate": "2025-03-02",
                  "buyer": {"name": "示例公司", "uscc": a_uscc(), "idNo": an_id(),
                            "region": "441900"},
                  "tags": ["a", "b"]},
        "lines": [{"sku": "S1", "qty": 2}, {"sku": "S2", "qty": 5}],
    }


def both(spec: Spec, doc: dict[str, Any]) -> tuple[Any, Any]:
    v = Validator(spec)
    as_json = v.validate(json.dumps(doc, ensure_ascii=False, indent=2).encode(), "p.json")
    as_xml = v.validate(json_to_xml(doc, spec), "p.xml")
    return as_json, as_xml


def test_valid_payload_is_conformant_in_both_encodings(minispec: Spec) -> None:
    j, x = both(minispec, valid_order())
    assert (j.verdict, x.verdict) == ("conformant", "conformant"), (j.findings, x.findings)
    assert set(j.rules_evaluated) == {"MS-001", "MS-002", "MS-004"}
    assert j.spec is not None and j.spec.sha256 == minispec.content_sha256
    assert len(j.input_sha256) == 64


def mutate(path: str, value: Any) -> dict[str, Any]:
    doc = valid_order()
    *parents, last = path.split("/")
    node: Any = doc
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node[p]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return doc


CASES = [
    ("order/amount", "5x", "order.amount@pattern", "/order/amount"),
    ("order/amount", "1.234", "order.amount@pattern", "/order/amount"),
    ("order/kind", "9", "order.kind@enum", "/order/kind"),
    ("order/orderNo", "A" * 11, "order.orderNo@maxLength", "/order/orderNo"),
    ("order/placedAt", KeyError, "order.placedAt@required", "/order/placedAt"),
    ("order/copies", 100, "order.copies@maximum", "/order/copies"),
    ("order/dueDate", "2025-02-30", "order.dueDate@date", "/order/dueDate"),
    ("order/buyer/uscc", a_uscc()[:-1] + ("0" if a_uscc()[-1] != "0" else "1"),
     "order.buyer.uscc@check-digit", "/order/buyer/uscc"),
    ("order/buyer/idNo", an_id()[:-1] + ("0" if an_id()[-1] != "0" else "1"),
     "order.buyer.idNo@check-digit", "/order/buyer/idNo"),
    ("order/buyer/idNo", "441900199002301230", "order.buyer.idNo@birth-date",
     "/order/buyer/idNo"),
    ("order/buyer/region", "449999", "order.buyer.region@region", "/order/buyer/region"),
    ("order/amountInWords", "肆拾万元整", "order.amountInWords@uppercase",
     "/order/amountInWords"),
    ("order/fee", "2600.00", "MS-001", "/order/fee"),
    ("order/dueDate", "2025-01-01", "MS-002", "/order/dueDate"),
    ("order/kind", "2", "MS-003", "/order/reason"),
    ("lines/1/qty", 6, "MS-004", "/lines/1"),
    ("lines/0/sku", KeyError, "lines[].sku@required", "/lines/0/sku"),
    ("order/surprise", "x", "order.surprise@unexpected", "/order/surprise"),
]


@pytest.mark.parametrize(("path", "value", "rule_id", "pointer"), CASES)
def test_one_defect_one_rule_in_both_encodings(minispec: Spec, path: str, value: Any,
                                               rule_id: str, pointer: str) -> None:
    j, x = both(minispec, mutate(path, value))
    assert [f.rule_id for f in j.findings] == [rule_id], j.findings
    assert [f.rule_id for f in x.findings] == [rule_id], x.findings
    assert j.findings[0].location.pointer == pointer
    assert j.findings[0].location.line is not None
    assert x.findings[0].location.xpath is not None and x.findings[0].location.line
    expected = "conformant" if j.findings[0].severity != "error" else "nonconformant"
    assert j.verdict == x.verdict == expected


def test_warning_fails_only_with_fail_on_warning(minispec: Spec) -> None:
    data = json.dumps(mutate("order/dueDate", "2025-01-01")).encode()
    v = Validator(minispec)
    assert v.validate(data, "p.json").verdict == "conformant"
    assert v.validate(data, "p.json", Options(fail_on="warning")).verdict == "nonconformant"


def test_messages_carry_values(minispec: Spec) -> None:
    j, _ = both(minispec, mutate("order/fee", "2600.00"))
    f = j.findings[0]
    assert "2,600.00" in f.message.en and "500,000.00" in f.message.en
    assert "2,600.00" in f.message.zh
    assert f.basis is not None and "inferred" in f.basis


def test_json_position_is_exact(minispec: Spec) -> None:
    text = json.dumps(mutate("order/kind", "9"), indent=2)
    r = Validator(minispec).validate(text.encode(), "p.json")
    loc = r.findings[0].location
    line = text.splitlines()[loc.line - 1]  # type: ignore[operator]
    assert line[loc.column - 1:].startswith('"9"')  # type: ignore[operator]


def test_duplicate_key_is_a_finding(minispec: Spec) -> None:
    text = json.dumps(valid_order()).replace('"orderNo": "A1"', '"orderNo": "A1", "orderNo": "A2"')
    r = Validator(minispec).validate(text.encode(), "p.json")
    assert r.verdict == "nonconformant"
    assert "payload@duplicate-key" in r.rule_ids


@pytest.mark.parametrize(("data", "rule_id"), [
    (b"", "payload@empty"),
    (b" \r\n", "payload@empty"),
    (b"not json or xml", "payload@parse"),
    (b'{"messageType": "order", "x": NaN}', "payload@nan"),
    (b'{"messageType": "order",', "payload@parse"),
    (b"[1, 2]", "payload@type"),
    (b'{"messageType": "nope", "specVersion": "0.1"}', "messageType@enum"),
    (b'{"messageType": "order", "specVersion": "9.9"}', "specVersion@enum"),
    (b"<order xmlns='urn:other'><order/></order>", "payload@root"),
    (b"<!DOCTYPE x [<!ENTITY a 'b'>]><order/>", "payload@dtd"),
    (b"<order><unclosed></order>", "payload@parse"),
])
def test_unusable_input_gives_error_verdict(minispec: Spec, data: bytes, rule_id: str) -> None:
    r = Validator(minispec).validate(data, "in")
    assert r.verdict == "error"
    assert r.error
    assert [f.rule_id for f in r.findings] == [rule_id]


def test_hostile_xml_through_validator(minispec: Spec, tmp_path: Any) -> None:
    secret = tmp_path / "s.txt"
    secret.write_text("SECRET-42")
    data = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<order xmlns="urn:hegui:test:minispec:0.1"><order>&x;</order></order>').encode()
    r = Validator(minispec).validate(data, "x.xml")
    assert r.verdict == "error"
    assert "SECRET-42" not in repr(r)


def test_big_payload_is_error_promptly(minispec: Spec) -> None:
    data = b'{"messageType": "order", "pad": "' + b"x" * (50 * 1024 * 1024) + b'"}'
    r = Validator(minispec).validate(data, "big.json")
    assert r.verdict == "error" and r.rule_ids == {"payload@limit"}


def test_many_defects_same_ids_in_both_encodings(minispec: Spec) -> None:
    doc = copy.deepcopy(valid_order())
    doc["order"]["kind"] = "9"
    doc["order"]["extra"] = 1
    del doc["order"]["placedAt"]
    doc["order"]["dueDate"] = "2025-02-30"
    j, x = both(minispec, doc)
    assert j.rule_ids == x.rule_ids == {"order.kind@enum", "order.extra@unexpected",
                                        "order.placedAt@required", "order.dueDate@date"}


def test_optional_element_required_by_a_rule_gives_only_the_rule(minispec: Spec) -> None:
    doc = mutate("order/urgent", True)
    del doc["order"]["dueDate"]
    j, x = both(minispec, doc)
    assert [f.rule_id for f in j.findings] == ["MS-005"], j.findings
    assert [f.rule_id for f in x.findings] == ["MS-005"], x.findings
    assert j.findings[0].location.pointer == "/order/dueDate"


def test_every_stage_says_whether_it_ran(egspec: Spec) -> None:
    """The result lists each stage: ran, stopped the evaluation, or skipped and why."""
    folder = Path(egspec.folder) / "examples" / "valid"
    good = next(p for p in sorted(folder.rglob("*.json")))
    runs = Validator(egspec).validate(good.read_bytes(), str(good)).stages
    assert [(s.stage, s.status) for s in runs] == [
        ("encoding", "ran"), ("parse", "ran"), ("envelope", "skipped"), ("map", "skipped"),
        ("identify", "ran"), ("decode", "skipped"), ("schema", "ran"), ("datatypes", "ran"),
        ("rules", "ran"), ("locate", "skipped")]
    assert runs[3].reason is not None and runs[3].reason.en == "no platform profile"
    assert runs[5].reason is not None and runs[5].reason.en == "JSON payload: already canonical"
    bad = Validator(egspec).validate(b'{"messageType": "apply", ', "cut.json")
    statuses = {s.stage: (s.status, s.reason) for s in bad.stages}
    assert statuses["parse"][0] == "stopped" and bad.verdict == "error"
    parse_reason, rules_reason = statuses["parse"][1], statuses["rules"][1]
    assert parse_reason is not None and rules_reason is not None
    assert statuses["rules"][0] == "skipped"
    assert rules_reason.en == f"not reached: {parse_reason.en}"
    assert rules_reason.zh == f"未执行：{parse_reason.zh}"


def test_a_failing_stage_is_that_payload_s_error_only(egspec: Spec) -> None:
    """An exception escaping a stage becomes an error result naming the stage, not a crash."""
    from hegui.validator.pipeline import Work
    from hegui.validator.stages import STAGES

    class Broken:
        name = "broken"

        def skip_reason(self, work: Work) -> Text | None:
            return None

        def run(self, work: Work) -> None:
            raise ValueError("boom")

    folder = Path(egspec.folder) / "examples" / "valid"
    good = next(p for p in sorted(folder.rglob("*.json")))
    v = Validator(egspec, stages=(*STAGES[:5], Broken(), *STAGES[5:]))
    result = v.validate(good.read_bytes(), str(good))
    assert result.verdict == "error"
    assert [f.rule_id for f in result.findings] == ["payload@internal"]
    assert "broken" in result.findings[0].message.en
    assert result.error is not None and "ValueError: boom" in result.error.en
    assert Validator(egspec).validate(good.read_bytes(), str(good)).verdict == "conformant"


def test_rules_that_read_an_invalid_value_are_listed_as_unchecked(egspec: Spec) -> None:
    """A broken amount leaves EG-001 (amount = bid security) unchecked, and the result says so;
    a rule whose fields are simply absent is not listed (it does not apply)."""
    folder = Path(egspec.folder) / "examples" / "valid"
    doc = json.loads((folder / "apply.json").read_text(encoding="utf-8"))
    good = Validator(egspec).validate(json.dumps(doc).encode(), "apply.json")
    assert good.verdict == "conformant" and good.rules_unchecked == ()
    assert "EG-001" in good.rules_evaluated
    doc["guarantee"]["amount"] = "12x"
    bad = Validator(egspec).validate(json.dumps(doc).encode(), "apply.json")
    unchecked = {u.rule_id: u for u in bad.rules_unchecked}
    assert "EG-001" in unchecked and "EG-001" not in bad.rules_evaluated
    assert unchecked["EG-001"].paths == ("guarantee.amount",)
    assert "guarantee.amount" in unchecked["EG-001"].reason.en
    assert "guarantee.amount" in unchecked["EG-001"].reason.zh
    assert all("guarantee.amount" in u.paths for u in bad.rules_unchecked)


def _apply_with(egspec: Spec, **changes: tuple[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        (Path(egspec.folder) / "examples" / "valid" / "apply.json").read_text(encoding="utf-8"))
    for group, (name, value) in changes.items():
        doc[group][name] = value
    return doc


def test_one_finding_per_mistake_with_the_same_id_in_both_encodings(egspec: Spec) -> None:
    """A 10-digit mobile (`length: 11` and a pattern) is one mistake: `@length` in JSON and
    in XML, no second `@pattern` finding."""
    doc = _apply_with(egspec, bidder=("agentPhone", "1381234567"))
    as_json = Validator(egspec).validate(json.dumps(doc).encode(), "a.json")
    as_xml = Validator(egspec).validate(json_to_xml(doc, egspec), "a.xml")
    for r in (as_json, as_xml):
        assert [f.rule_id for f in r.findings] == ["bidder.agentPhone@length"]


def test_structural_findings_say_what_is_expected_and_cite_the_element_basis(egspec: Spec
                                                                             ) -> None:
    doc = _apply_with(egspec, guarantee=("currency", "RMB"), project=("bidDeadline", "2024-12-01"))
    r = Validator(egspec).validate(json.dumps(doc).encode(), "a.json")
    by_id = {f.rule_id: f for f in r.findings}
    currency = by_id["guarantee.currency@enum"]
    assert "expected one of CNY" in currency.message.en and "应为 CNY 之一" in currency.message.zh
    deadline = by_id["project.bidDeadline@pattern"]
    assert "expected yyyy-MM-dd HH:mm:ss" in deadline.message.en
    element = egspec.groups["project"].element("bidDeadline")
    assert element is not None and deadline.basis == element.basis.render("en")


def test_a_check_digit_finding_gives_the_right_check_character() -> None:
    from hegui.validator.datatypes import DatatypeError, _check_idcard, _check_uscc

    good = uscc.calc_check_digit("91440300MA5D8YQ11")
    wrong = "0" if good != "0" else "1"
    with pytest.raises(DatatypeError) as info:
        _check_uscc("91440300MA5D8YQ11" + wrong)
    assert f"it is {good}" in str(info.value) and f"应为 {good}" in info.value.message.zh
    body = "44190019900101123"
    right = ric.calc_check_digit(body + "0")
    other = "X" if right != "X" else "0"
    with pytest.raises(DatatypeError) as info:
        _check_idcard(body + other)
    assert f"it is {right}" in str(info.value)


def test_a_required_string_must_carry_a_value_in_both_encodings(egspec: Spec) -> None:
    """The issue's false pass: "" and white space only are not values (presence.blank)."""
    doc = _apply_with(egspec, bidder=("name", ""), tenderee=("name", "   "),
                      header=("messageId", ""))
    for data, name in ((json.dumps(doc).encode(), "a.json"), (json_to_xml(doc, egspec), "a.xml")):
        r = Validator(egspec).validate(data, name)
        assert r.verdict == "nonconformant"
        assert sorted(f.rule_id for f in r.findings) == [
            "bidder.name@required", "header.messageId@required", "tenderee.name@required"]
        assert all("empty or blank" in f.message.en for f in r.findings)
    doc = _apply_with(egspec, guarantee=("templateName", ""))  # an optional one may be empty
    assert Validator(egspec).validate(json.dumps(doc).encode(), "a.json").verdict == "conformant"


def test_a_huge_bad_value_is_shortened_in_findings(egspec: Spec) -> None:
    """A 2 MB base64 field with one bad character: the finding keeps the head, the length
    and the SHA-256 of the value, not 2 MB of text (twice)."""
    import base64
    import hashlib

    doc: dict[str, Any] = json.loads((Path(egspec.folder) / "examples" / "valid" /
                                      "issueNotice.json").read_text(encoding="utf-8"))
    content = base64.b64encode(b"x" * 1_500_000).decode()
    content = content[:1000] + "!" + content[1001:]
    doc["document"]["content"] = content
    r = Validator(egspec).validate(json.dumps(doc).encode(), "big.json")
    finding = next(f for f in r.findings if f.rule_id == "document.content@pattern")
    sha = hashlib.sha256(content.encode()).hexdigest()
    assert finding.value is not None and len(finding.value) < 400
    assert finding.value.endswith(f"…[{len(content)}] sha256={sha}")
    assert len(finding.message.en) < 700 and len(finding.message.zh) < 700
