"""The JSON result contract: schema, content, round trip, and clear errors on bad documents."""

from __future__ import annotations

import json

import jsonschema
import pytest

from hegui.reports import ResultFileError, batch_from_json, load_result
from hegui.reports.json_load import result_schema
from hegui.reports.json_result import render_json
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec


def test_schema_is_valid_2020_12() -> None:
    schema = result_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_output_validates_against_its_schema(lang: Lang, report_batch: Batch,
                                              report_specs: dict[str, Spec]) -> None:
    doc = json.loads(render_json(report_batch, report_specs, lang=lang))
    jsonschema.Draft202012Validator(result_schema()).validate(doc)
    jsonschema.Draft202012Validator(result_schema()).validate(
        json.loads(render_json(report_batch, {}, lang=lang)))


def test_content(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    doc = json.loads(render_json(report_batch, report_specs, lang="en"))
    assert doc["format"] == "hegui-result"
    assert doc["format_version"] == "1.5"
    assert doc["tool"] == {"name": "hegui", "version": "0.1.0-test"}
    assert doc["started_at"] == "2026-01-02T03:04:05+08:00"
    assert doc["options"]["fail_on"] == "error"
    assert doc["summary"] == {"total": 6, "conformant": 2, "nonconformant": 2, "error": 2}
    first_bad = doc["results"][1]
    assert first_bad["spec"]["id"] == "mini"
    assert first_bad["findings"][1]["related"] == [
        {"pointer": "/project/bidSecurityAmount", "line": 7, "column": 36}]
    assert doc["results"][5]["spec"] is None
    assert doc["results"][5]["error"].startswith("no spec detected")
    cov = doc["coverage"]["mini@0.9"]
    assert cov["exercised"] == ["MINI-001", "MINI-002"]
    assert cov["never_reached"] == ["MINI-005"]
    assert "exercised 2 of 5 rules" in cov["sentence"]


def test_message_follows_lang_and_keeps_both(report_batch: Batch) -> None:
    zh = json.loads(render_json(report_batch, {}, lang="zh"))["results"][1]["findings"][1]
    en = json.loads(render_json(report_batch, {}, lang="en"))["results"][1]["findings"][1]
    assert zh["message"] == zh["message_zh"] != en["message"] == en["message_en"]
    assert zh["message_en"] == en["message_en"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip(lang: Lang, report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    text = render_json(report_batch, report_specs, lang=lang)
    loaded = load_result(text)
    assert loaded.lang == lang
    assert loaded.batch == report_batch
    assert render_json(batch_from_json(text), report_specs, lang=lang) == text


def test_round_trip_of_tuple_options(report_batch: Batch) -> None:
    batch = Batch(report_batch.results, "1", "t", {"contexts": ("a", "b"), "fail_on": "warning"})
    text = render_json(batch, {}, lang="en")
    assert render_json(batch_from_json(text), {}, lang="en") == text


@pytest.mark.parametrize(("text", "problem"), [
    ("", "not JSON"),
    ("{", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    ("[]", "not a hegui result"),
    ('{"format": "something-else"}', "not a hegui result"),
    ('{"format": "hegui-result", "format_version": "2.0"}', "unsupported format_version"),
    ('{"format": "hegui-result", "format_version": "1.0"}', "not a valid hegui result"),
])
def test_bad_documents_are_clear_errors(text: str | bytes, problem: str) -> None:
    with pytest.raises(ResultFileError, match=problem):
        batch_from_json(text)


def test_schema_error_names_the_place(report_batch: Batch) -> None:
    doc = json.loads(render_json(report_batch, {}, lang="en"))
    doc["results"][2]["verdict"] = "fine"
    with pytest.raises(ResultFileError, match=r"/results/2/verdict"):
        batch_from_json(json.dumps(doc))


def test_newer_minor_version_is_read_leniently(report_batch: Batch) -> None:
    doc = json.loads(render_json(report_batch, {}, lang="en"))
    doc["format_version"] = "1.7"
    doc["results"][0]["a_key_from_the_future"] = True
    assert batch_from_json(json.dumps(doc)) == report_batch
    del doc["results"][0]["source"]
    with pytest.raises(ResultFileError, match="source"):
        batch_from_json(json.dumps(doc))
