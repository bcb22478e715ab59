"""Engine bugs found by the property tests (tests/property), each with its minimal example.

Every test states the behaviour the engine must have; each bug it records has been fixed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hegui.validator.codec import json_to_xml, xml_to_json
from hegui.validator.engine import Validator
from hegui.validator.result import Result
from hegui.validator.safe_xml import parse_xml
from hegui.validator.spec import Spec, Text

HERE = Path(__file__).parent


def data(name: str) -> bytes:
    return (HERE / name).read_bytes()


def twin(spec: Spec, name: str) -> tuple[Result, Result]:
    """The example and its other encoding, both validated."""
    raw = data(name)
    v = Validator(spec)
    if name.endswith(".json"):
        return v.validate(raw, name), v.validate(json_to_xml(json.loads(raw), spec), "twin.xml")
    root = parse_xml(raw).root
    doc, _ = xml_to_json(root, spec, spec.message_types[root.tag.split("}")[-1]])
    return v.validate(json.dumps(doc).encode(), "twin.json"), v.validate(raw, name)


def test_prefixed_root_is_validated(minispec: Spec) -> None:
    result = Validator(minispec).validate(data("prefixed-root.xml"), "prefixed-root.xml")
    assert "order@required" in result.rule_ids


def test_unicode_digit_key_is_unexpected(minispec: Spec) -> None:
    result = Validator(minispec).validate(data("unicode-digit-key.json"), "k.json")
    assert result.verdict == "nonconformant"


def test_integral_float_is_not_silently_conformant(minispec: Spec) -> None:
    as_json, as_xml = twin(minispec, "float-integer.json")
    assert as_json.verdict == as_xml.verdict == "nonconformant"
    assert as_json.rule_ids == as_xml.rule_ids == {"lines[].qty@type"}


def test_huge_integer_gets_one_verdict(egspec: Spec) -> None:
    as_json, as_xml = twin(egspec, "huge-integer.json")
    assert as_json.verdict == as_xml.verdict != "conformant"
    assert as_json.rule_ids == as_xml.rule_ids


def test_empty_list_wrapper_breaks_min_items(minispec: Spec) -> None:
    as_json, as_xml = twin(minispec, "empty-list-wrapper.xml")
    assert as_json.rule_ids == as_xml.rule_ids == {"lines@minItems"}


def test_too_many_items_is_max_items(minispec: Spec) -> None:
    as_json, as_xml = twin(minispec, "too-many-items.xml")
    assert as_json.rule_ids == as_xml.rule_ids == {"lines@maxItems"}


def test_integer_beyond_any_parser_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """A 5,000-digit integer (the standard library refuses over 4,300) with a duplicate key:
    one error result for that file, and the rest of the batch still judged."""
    from hegui.validator.runner import RunConfig, Runner

    huge = tmp_path / "huge.json"
    huge.write_bytes(b'{"messageType": "apply", "a": 1, "a": ' + b"9" * 5000 + b"}")
    dup = tmp_path / "dup.json"
    dup.write_bytes(b'{"messageType": "apply", "a": 1, "a": 2' + b"}")
    batch = Runner(RunConfig(spec="eguarantee")).run([str(huge), str(dup)])
    first, second = batch.results
    assert first.verdict == "error" and [f.rule_id for f in first.findings] == ["payload@limit"]
    assert (first.findings[0].location.line, first.findings[0].location.column) == (1, 39)
    assert second.verdict == "nonconformant" and "payload@duplicate-key" in second.rule_ids


def _ids(result: Result) -> list[str]:
    return [f.rule_id for f in result.findings]


def test_blank_required_value_is_one_required_finding(minispec: Spec) -> None:
    """A blank required value was also reported by its pattern (two findings, one mistake)."""
    for name, rule_id in (("blank-required-pattern.json", "order.orderNo@required"),
                          ("blank-required-amount.xml", "order.amount@required")):
        as_json, as_xml = twin(minispec, name)
        assert _ids(as_json) == _ids(as_xml) == [rule_id]


def test_null_required_value_is_one_required_finding(minispec: Spec) -> None:
    """JSON null was @type and @required; its XML twin (an empty element) @pattern and
    @required."""
    as_json, as_xml = twin(minispec, "null-required.json")
    assert _ids(as_json) == _ids(as_xml) == ["order.orderNo@required"]


def test_boolean_written_as_a_number_is_type_in_both_encodings(minispec: Spec) -> None:
    """JSON 1 for a boolean was @type, its XML twin ``<urgent>1</urgent>`` @pattern."""
    as_json, as_xml = twin(minispec, "boolean-as-number.json")
    assert _ids(as_json) == _ids(as_xml) == ["order.urgent@type"]


def test_white_space_around_an_amount_is_pattern_in_both_encodings(minispec: Spec) -> None:
    """XSD collapses the white space of xs:decimal: ``<amount> 1.00 </amount>`` passed in
    XML while its JSON twin " 1.00 " failed the pattern."""
    as_json, as_xml = twin(minispec, "padded-amount.xml")
    assert as_json.verdict == as_xml.verdict == "nonconformant"
    assert _ids(as_json) == _ids(as_xml) == ["order.amount@pattern"]


@pytest.mark.slow  # a 10 MB payload in both encodings
def test_text_past_a_ten_million_max_length_is_max_length_in_both_encodings(
        egspec: Spec) -> None:
    doc = json.loads((Path(egspec.folder) / "examples" / "valid" / "issueNotice.json")
                     .read_bytes())
    doc["document"]["content"] = "AAAA" * 2_500_001  # maxLength 10,000,000, + 4
    v = Validator(egspec)
    as_json = v.validate(json.dumps(doc).encode(), "big.json")
    as_xml = v.validate(json_to_xml(doc, egspec), "big.xml")
    assert _ids(as_json) == _ids(as_xml) == ["document.content@maxLength"]


def test_a_rule_reading_a_bad_list_item_field_is_unchecked_not_fired() -> None:
    """A material's `fileSha256` failing its pattern made WC-109 (which reads it) fire as if the
    digest were absent: two findings for one mistake. A rule reading an item field that failed
    a check in some item is now listed as not checked, in both encodings."""
    from hegui.validator.loader import load_spec

    spec = load_spec("window-checklist")
    doc = json.loads((Path(spec.folder) / "examples" / "valid" / "application.json").read_bytes())
    doc["materials"][0]["fileSha256"] = "xyz"
    v = Validator(spec)
    for result in (v.validate(json.dumps(doc).encode(), "app.json"),
                   v.validate(json_to_xml(doc, spec), "app.xml")):
        assert result.rule_ids == {"materials[].fileSha256@pattern"}
        unchecked = {u.rule_id: u.paths for u in result.rules_unchecked}
        assert unchecked.get("WC-109") == ("materials[].fileSha256",)


def test_a_list_longer_than_the_cel_iteration_budget_is_not_walked() -> None:
    """An application with 100,000 materials (found by the fuzz tier): every rule walking the
    list ran out of the CEL runtime's 10,000 iterations anyway, after converting the list (1.8
    GB, 4 s). Such rules are now not evaluated, with the reason, and the verdict is error."""
    from hegui.validator.cel_backend import ITERATION_BUDGET
    from hegui.validator.loader import load_spec

    spec = load_spec("window-checklist")
    doc = json.loads((Path(spec.folder) / "examples" / "valid" / "application.json").read_bytes())
    doc["materials"] = [doc["materials"][0]] * ITERATION_BUDGET
    result = Validator(spec).validate(json.dumps(doc).encode(), "app.json")
    assert result.verdict == "error" and result.error is not None
    assert f"materials has {ITERATION_BUDGET} items" in result.error.en
    assert "超过 CEL 运行时" in result.error.zh
    doc["materials"] = doc["materials"][:ITERATION_BUDGET - 1]  # one fewer: walked as before
    assert "materials has" not in (Validator(spec).validate(
        json.dumps(doc).encode(), "app.json").error or Text("", "")).en


def test_a_nested_list_longer_than_the_budget_is_not_walked() -> None:
    """A checklist whose one item has 10,000 situations (found by the fuzz tier: 1.4 GB inside
    the CEL runtime): rules walking items[].situations count the situations of all items."""
    from hegui.validator.cel_backend import ITERATION_BUDGET
    from hegui.validator.loader import load_spec

    spec = load_spec("window-checklist")
    doc = json.loads((Path(spec.folder) / "examples" / "valid" / "checklist.json").read_bytes())
    item = doc["items"][0]
    item["situations"] = [item["situations"][0]] * ITERATION_BUDGET
    result = Validator(spec).validate(json.dumps(doc).encode(), "list.json")
    assert result.verdict == "error" and result.error is not None
    assert "items[].situations has" in result.error.en
