"""The platform-profile engine on a small synthetic profile (tests/data/platforms/synthetic):
renames, copies, list items, code translations, forms, placeholders, envelopes, and every
finding moved to the native field it came from."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from hegui.validator.engine import Options, Validator
from hegui.validator.loader import load_spec
from hegui.validator.mapping import map_native
from hegui.validator.platform_loader import load_platform
from hegui.validator.result import Result

PROFILE = str(Path(__file__).parent.parent / "data" / "platforms" / "synthetic")

BODY: dict[str, Any] = {
    "orderNo": "JX2025032500001", "productType": 2, "tenderDeposit": "456789.000000",
    "insureName": "东莞市示例建设工程有限公司", "insureCreditCode": "91441900315208746A",
    "depositEndDate": "20250318093000", "openBeginDate": "2025-03-18 09:30:00",
    "validDays": "90",
    "attachInfo": [{"attachType": "001", "attachUrl": "https://ggzy.example.gov.cn/n.pdf"}],
    "qyzzfile": "https://ggzy.example.gov.cn/licence.pdf", "sign": "ab12",
}
ENVELOPE: dict[str, Any] = {"appKey": "t_jy_elog", "timestamp": "1648027444262",
                            "requestId": "4d2ec9c4-702d-4b85-8633-be8ebd9df2c2",
                            "signature": "", "data": BODY}


@pytest.fixture(scope="module")
def validator() -> Validator:
    platform = load_platform(PROFILE)
    return Validator(load_spec(platform.spec, platform.layer), platform=platform)


def run(validator: Validator, doc: Any, message: str | None = None) -> tuple[Result, str]:
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return validator.validate(text.encode(), "native.json",
                              Options(native_message=message)), text


def ids(result: Result) -> list[str]:
    return sorted(f.rule_id for f in result.findings)


def test_canonical_document_renames_copies_restructures_and_translates() -> None:
    mapped = map_native(load_platform(PROFILE), ENVELOPE)
    assert mapped.stop is None and not mapped.issues and mapped.enveloped
    doc = mapped.doc
    assert doc is not None
    assert doc["messageType"] == "apply" and doc["specVersion"] == "1.1"
    assert doc["header"] == {"senderCode": "t_jy_elog", "sentAt": "2022-03-23 17:24:04",
                             "messageId": "4d2ec9c4-702d-4b85-8633-be8ebd9df2c2"}
    assert doc["guarantee"] == {"orderNo": "JX2025032500001", "issuanceMode": "SEPARATED",
                                "amount": "456789.00", "purpose": "BID"}
    assert doc["project"]["bidSecurityAmount"] == "456789.00"  # a copy of tenderDeposit
    assert doc["project"]["depositEnd"] == "2025-03-18 09:30:00"  # yyyyMMddHHmmss read
    assert doc["project"]["bidValidityDays"] == 90  # "90" as an integer
    # the native list first, then the item the single URL field makes
    assert doc["attachments"] == [
        {"type": "TENDER_NOTICE", "url": "https://ggzy.example.gov.cn/n.pdf"},
        {"url": "https://ggzy.example.gov.cn/licence.pdf", "type": "BUSINESS_LICENCE"}]
    assert "sign" not in json.dumps(doc)


def test_conformant_native_message(validator: Validator) -> None:
    result, _ = run(validator, ENVELOPE)
    assert result.verdict == "conformant", [f.message.en for f in result.findings]
    assert result.native_message == "/lg/apply"
    assert result.spec is not None and result.spec.platform == "synthetic-1.0"
    assert result.spec.platform_sha256 and len(result.spec.platform_sha256) == 64


def _position(text: str, key: str) -> tuple[int, int]:
    """Line and column (1-based) of the value of member ``key`` in ``text``."""
    at = text.index(f'"{key}": ') + len(f'"{key}": ')
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def test_findings_point_at_the_native_field_and_name_it(validator: Validator) -> None:
    doc = copy.deepcopy(ENVELOPE)
    doc["data"]["insureCreditCode"] = "91441900315208746B"  # wrong check character
    result, text = run(validator, doc)
    assert result.verdict == "nonconformant"
    [f] = result.findings
    assert f.rule_id == "bidder.uscc@check-digit"
    assert f.location.pointer == "/data/insureCreditCode"
    assert (f.location.line, f.location.column) == _position(text, "insureCreditCode")
    assert f.message.en.startswith("`insureCreditCode` (bidder.uscc): ")
    assert f.message.zh.startswith("`insureCreditCode`（bidder.uscc）：")


def test_a_missing_element_points_where_the_native_field_would_be(validator: Validator) -> None:
    doc = copy.deepcopy(ENVELOPE)
    del doc["data"]["insureCreditCode"]
    result, _ = run(validator, doc)
    assert ids(result) == ["bidder.uscc@required"]
    [f] = result.findings
    assert f.location.pointer == "/data/insureCreditCode"
    assert "`insureCreditCode` (bidder.uscc)" in f.message.en


def test_business_rule_on_native_values(validator: Validator) -> None:
    doc = copy.deepcopy(ENVELOPE)
    doc["data"]["depositEndDate"] = "20250319093000"  # after the bid opening
    result, _ = run(validator, doc)
    assert ids(result) == ["EG-008"]
    assert result.findings[0].location.pointer == "/data/depositEndDate"
    assert result.findings[0].layer == "core"


@pytest.mark.parametrize(("value", "rule"), [
    (7, "map.productType@code"),  # outside the table
    ("3", "map.productType@code"),
])
def test_a_code_outside_the_table_is_a_finding_not_a_pass(validator: Validator, value: Any,
                                                          rule: str) -> None:
    doc = copy.deepcopy(ENVELOPE)
    doc["data"]["productType"] = value
    result, _ = run(validator, doc)
    assert result.verdict == "nonconformant"
    assert ids(result) == [rule]  # and not guarantee.issuanceMode@required as well
    f = result.findings[0]
    assert f.stage == "map" and f.layer == "synthetic-1.0"
    assert f.location.pointer == "/data/productType"


def test_a_code_without_counterpart_is_untranslatable(validator: Validator) -> None:
    doc = copy.deepcopy(ENVELOPE)
    doc["data"]["attachInfo"][0]["attachType"] = "999"
    result, _ = run(validator, doc)
    assert ids(result) == ["map.attachInfo[].attachType@untranslatable"]
    assert result.findings[0].location.pointer == "/data/attachInfo/0/attachType"


def test_a_rejection_is_never_read_as_an_approval() -> None:
    platform = load_platform(PROFILE)
    for code, word in (("1", "APPROVED"), (2, "REJECTED"), ("2", "REJECTED")):
        mapped = map_native(platform, {"orderNo": "O1", "status": code})
        assert mapped.doc is not None and mapped.doc["result"]["code"] == word


@pytest.mark.parametrize(("field", "value"), [
    ("tenderDeposit", "456789.123"),  # digits beyond the scale that are not zeros
    ("tenderDeposit", "四十五万"),
    ("validDays", "90天"),
    ("depositEndDate", "2025/03/18 09:30"),
])
def test_a_value_its_form_cannot_read(validator: Validator, field: str, value: str) -> None:
    doc = copy.deepcopy(ENVELOPE)
    doc["data"][field] = value
    result, _ = run(validator, doc)
    assert ids(result) == [f"map.{field}@form"]
    assert result.findings[0].location.pointer == f"/data/{field}"
    assert value in result.findings[0].message.zh


def test_placeholders_and_unknown_members_are_findings(validator: Validator) -> None:
    doc = copy.deepcopy(ENVELOPE)
    doc["data"]["insureName"] = "xxx"
    doc["data"]["orderNo"] = "订单号（已SM4加密后的值）"
    doc["data"]["zbwjfile"] = "https://ggzy.example.gov.cn/t.zip"
    result, _ = run(validator, doc)
    assert ids(result) == ["map.insureName@placeholder", "map.orderNo@placeholder",
                           "map.zbwjfile@unexpected"]


def test_a_bare_body_says_its_header_was_not_checked(validator: Validator) -> None:
    result, _ = run(validator, BODY)
    assert result.verdict == "conformant"
    [f] = result.findings
    assert f.rule_id == "map.envelope@absent" and f.severity == "warning"
    assert "header.senderCode" in f.message.en and "未检查" in f.message.zh


def test_a_body_given_as_json_text_is_read(validator: Validator) -> None:
    doc = {**ENVELOPE, "data": json.dumps(BODY, ensure_ascii=False)}
    result, _ = run(validator, doc)
    assert result.verdict == "conformant"


def test_an_encrypted_body_is_never_conformant(validator: Validator) -> None:
    doc = {**ENVELOPE, "data": "5X8fJk2m9QzB0c3T+vW=="}
    result, _ = run(validator, doc)
    assert result.verdict == "error"
    assert ids(result) == ["map.envelope@encrypted"]
    assert result.error is not None and "nothing was checked" in result.error.en


def test_an_unknown_message_is_an_error(validator: Validator) -> None:
    result, _ = run(validator, {"foo": 1})
    assert result.verdict == "error" and ids(result) == ["map.message@unknown"]
    result, _ = run(validator, BODY, "/lg/nothing")
    assert result.verdict == "error" and "/lg/nothing" in result.findings[0].message.en


def test_the_native_message_can_be_named(validator: Validator) -> None:
    result, _ = run(validator, {"orderNo": "O1", "status": 1}, "/lg/auditPush")
    assert result.native_message == "/lg/auditPush"
    assert result.message_type == "applyResult"


def test_fields_of_one_item_fill_one_list_item(validator: Validator) -> None:
    doc = {"orderNo": "O1", "invoiceNo": "25440000000012345678",
           "invoiceUrl": "https://fp.example.com/25440000000012345678.pdf"}
    mapped = map_native(load_platform(PROFILE), doc)
    assert mapped.doc is not None
    assert mapped.doc["invoices"] == [{"invoiceNo": "25440000000012345678",
                                       "url": "https://fp.example.com/25440000000012345678.pdf"}]
    result, _ = run(validator, doc)
    assert result.native_message == "/lg/invoicePush"


def test_a_recogniser_can_require_a_key_to_be_absent() -> None:
    platform = load_platform(PROFILE)
    assert [m.name for m in platform.recognise({"invoiceNo": "1"})] == ["/lg/invoicePush"]
    assert "/lg/invoicePush" not in [m.name for m in platform.recognise(
        {"invoiceNo": "1", "status": 1, "orderNo": "O"})]


def test_elements_a_message_does_not_carry_are_one_warning(validator: Validator) -> None:
    result, _ = run(validator, {"orderNo": "O1", "invoiceNo": "1"})
    assert result.verdict == "conformant"
    [f] = result.findings
    assert f.rule_id == "map.message@not-carried" and f.severity == "warning"
    assert "header.senderCode" in f.message.en and "this message has no header" in f.message.en


def test_an_ambiguous_body_names_the_candidates() -> None:
    platform = load_platform(PROFILE)
    mapped = map_native(platform, {"orderNo": "O1", "tenderDeposit": "1", "status": 1})
    assert mapped.stop is not None and mapped.stop.rule_id == "map.message@unknown"
    assert "/lg/apply" in mapped.stop.text.en and "/lg/auditPush" in mapped.stop.text.en


def test_an_empty_envelope_body_is_an_error(validator: Validator) -> None:
    result, _ = run(validator, {**ENVELOPE, "data": ""})
    assert result.verdict == "error" and ids(result) == ["map.envelope@empty"]


def test_a_claimed_value_leaves_the_other_members_of_its_object_judged(
        validator: Validator) -> None:
    result, _ = run(validator, {"orderNo": "O1", "status": 9}, "/lg/auditPush")
    # result.code is reported by the mapping; the rest of the message is still checked
    assert "map.status@code" in ids(result)
    assert all(not r.endswith("@required") or not r.startswith("result") for r in ids(result))


def test_each_item_of_a_batch_is_one_message(validator: Validator) -> None:
    platform = load_platform(PROFILE)
    doc = {"batchNo": "B1", "note": "审核完成",
           "results": [{"orderNo": "O1", "status": 1}, {"orderNo": "O2", "status": 9},
                       {"orderNo": "O3", "status": "2"}]}
    docs = [map_native(platform, doc, item=i) for i in range(3)]
    assert [d.doc["guarantee"]["orderNo"] for d in docs if d.doc] == ["O1", "O2", "O3"]
    assert docs[0].batch == 3 and docs[2].doc is not None
    assert docs[2].doc["result"] == {"reason": "审核完成", "code": "REJECTED"}
    result, _ = run(validator, doc)
    assert result.native_message == "/lg/batchAudit"
    assert ids(result) == ["map.results[].status@code"]
    assert result.findings[0].location.pointer == "/results/1/status"
    doc["results"][1]["status"] = 2
    result, _ = run(validator, doc)
    assert result.verdict == "conformant"


def test_an_empty_batch_is_a_finding(validator: Validator) -> None:
    result, _ = run(validator, {"batchNo": "B1", "results": []}, "/lg/batchAudit")
    assert ids(result) == ["map.results@empty"]
    assert result.verdict == "nonconformant"


def test_a_message_written_as_a_batch_of_one() -> None:
    from hegui.validator.unmapping import to_native

    platform = load_platform(PROFILE)
    canonical = {"messageType": "applyResult", "specVersion": "1.1",
                 "guarantee": {"orderNo": "O1"}, "result": {"code": "REJECTED", "reason": "x"}}
    native = to_native(platform, canonical, platform.messages["/lg/batchAudit"])
    assert native.doc == {"note": "x", "results": [{"orderNo": "O1", "status": "2"}]}
    assert not native.lost
    back = map_native(platform, native.doc, "/lg/batchAudit")
    assert back.doc is not None and back.doc["result"]["code"] == "REJECTED"


def test_a_delimited_string_makes_one_item_per_part_and_json_text_is_read() -> None:
    from hegui.validator.unmapping import to_native

    platform = load_platform(PROFILE)
    doc = {"claimNo": "C1", "filelist": "https://a.example/1.pdf,https://a.example/2.pdf",
           "extra": '[{"url": "https://a.example/3.pdf", "name": "证明"}]'}
    mapped = map_native(platform, doc)
    assert mapped.doc is not None and not mapped.issues
    assert mapped.doc["attachments"] == [
        {"url": "https://a.example/3.pdf", "name": "证明"},
        {"url": "https://a.example/1.pdf"}, {"url": "https://a.example/2.pdf"}]
    native = to_native(platform, mapped.doc, platform.messages["/lg/claimPush"])
    assert native.doc["filelist"] == doc["filelist"] and not native.lost
    assert json.loads(native.doc["extra"]) == json.loads(doc["extra"])
    bad = map_native(platform, {**doc, "extra": "[{"})
    assert [i.rule_id for i in bad.issues] == ["map.extra@form"]


def test_one_native_code_through_two_tables(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "p"
    shutil.copytree(PROFILE, folder)
    codes = folder / "codes.yaml"
    codes.write_text(codes.read_text(encoding="utf-8") + """  statusWord:
    zh: 结果
    en: Result as a guarantee status
    basis: test fixture
    codelist: status
    values: {"1": ACCEPTED, "2": REJECTED}
""", encoding="utf-8")
    messages = folder / "messages.yaml"
    text = messages.read_text(encoding="utf-8").replace(
        "status: {to: result.code, codes: status}",
        "status: {to: [result.code, guarantee.status], codes: [status, statusWord]}", 1)
    messages.write_text(text, encoding="utf-8")
    mapped = map_native(load_platform(str(folder)), {"orderNo": "O1", "status": 1})
    assert mapped.doc is not None
    assert mapped.doc["result"]["code"] == "APPROVED"
    assert mapped.doc["guarantee"]["status"] == "ACCEPTED"


def test_items_made_inside_a_native_list_are_one_per_native_item(tmp_path: Path) -> None:
    import shutil

    from hegui.validator.unmapping import to_native

    folder = tmp_path / "p"
    shutil.copytree(PROFILE, folder)
    messages = folder / "messages.yaml"
    messages.write_text(messages.read_text(encoding="utf-8") + """  /lg/files:
    messageType: claimRequest
    zh: 文件
    en: Files
    envelope: none
    recognise: {keys: [files]}
    fields:
      files[].url: {to: "attachments[].url", with: {"attachments[].type": CLAIM_DOCUMENTS}}
""", encoding="utf-8")
    platform = load_platform(str(folder))
    doc = {"files": [{"url": "https://a.example/1.pdf"}, {"url": "https://a.example/2.pdf"}]}
    mapped = map_native(platform, doc)
    assert mapped.doc is not None
    assert mapped.doc["attachments"] == [
        {"url": "https://a.example/1.pdf", "type": "CLAIM_DOCUMENTS"},
        {"url": "https://a.example/2.pdf", "type": "CLAIM_DOCUMENTS"}]
    back = to_native(platform, mapped.doc, platform.messages["/lg/files"])
    assert set(back.lost) == {"/attachments/0/url", "/attachments/0/type",
                              "/attachments/1/url", "/attachments/1/type"}
