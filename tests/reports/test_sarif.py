"""SARIF 2.1.0: valid against the official OASIS schema; rules, levels, locations, fingerprints."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hegui.reports.sarif import artifact_uri, base_uri, render_sarif
from hegui.reports.sources import BaseDir
from hegui.validator.result import Batch, Finding, Location
from hegui.validator.spec import Lang, Spec

SCHEMA = Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json"


def _validate(doc: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # draft-07, as the schema declares
    assert cls is jsonschema.Draft7Validator
    cls(schema).validate(doc)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validates_against_official_schema(lang: Lang, report_batch: Batch,
                                           report_specs: dict[str, Spec]) -> None:
    _validate(json.loads(render_sarif(report_batch, report_specs, lang=lang)))
    _validate(json.loads(render_sarif(report_batch, {}, lang=lang)))


def test_the_schema_check_can_fail(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    doc = json.loads(render_sarif(report_batch, report_specs, lang="en"))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        _validate(doc)


def test_driver_rules_and_results(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    run = json.loads(render_sarif(report_batch, report_specs, lang="zh"))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hegui"
    assert driver["version"] == "0.1.0-test"
    ids = [r["id"] for r in driver["rules"]]
    assert ids[:5] == ["MINI-001", "MINI-002", "MINI-003", "MINI-004", "MINI-005"]
    assert set(ids[5:]) == {"guarantee.currency@enum", "payload@parse"}
    mini2 = driver["rules"][1]
    assert mini2["shortDescription"]["text"] == "币种应为人民币"
    assert mini2["properties"]["basis_inferred"] is True
    assert "hegui modelling" in mini2["help"]["text"]
    assert driver["properties"]["specs"][0]["sha256"] == report_specs["mini"].content_sha256

    results = run["results"]
    assert len(results) == sum(len(r.findings) for r in report_batch.results)
    for res in results:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["MINI-002"] == "warning"
    assert levels["MINI-001"] == "error"
    first = results[0]
    loc = first["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "payloads/bad-amount.json"
    assert loc["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 15}
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "/guarantee/amount"
    xml = next(r for r in results if r["ruleId"] == "MINI-004")
    assert xml["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/apply/guarantee"
    assert run["artifacts"][0]["hashes"]["sha-256"] == report_batch.results[0].input_sha256


def test_invocation_has_options_and_failed_inputs(report_batch: Batch) -> None:
    inv = json.loads(render_sarif(report_batch, {}, lang="en"))["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["startTimeUtc"] == "2026-01-01T19:04:05Z"
    assert inv["properties"]["options"]["fail_on"] == "error"
    notes = inv["toolExecutionNotifications"]
    assert [(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for n in notes] == [("note", "payloads/bad.xml"), ("error", "payloads/broken.json"),
                                ("error", "payloads/unknown.json")]
    assert notes[0]["associatedRule"] == {"id": "MINI-003"}
    assert "Not checked MINI-003" in notes[0]["message"]["text"]


def test_fingerprints_ignore_line_numbers(report_batch: Batch) -> None:
    """Moving a finding to another line keeps its fingerprint; another value changes it."""
    def fingerprints(batch: Batch) -> list[str]:
        doc = json.loads(render_sarif(batch, {}, lang="en"))
        return [r["partialFingerprints"]["hegui/v1"] for r in doc["runs"][0]["results"]]

    bad = report_batch.results[1]
    moved = tuple(dataclasses.replace(f, location=dataclasses.replace(
        f.location, line=(f.location.line or 0) + 10)) for f in bad.findings)
    revalued = tuple(dataclasses.replace(f, value="1.00") for f in bad.findings)

    def with_findings(findings: tuple[Any, ...]) -> Batch:
        return dataclasses.replace(report_batch, results=(
            dataclasses.replace(bad, findings=findings),))

    base = fingerprints(with_findings(bad.findings))
    assert len(set(base)) == len(base)
    assert fingerprints(with_findings(moved)) == base
    assert fingerprints(with_findings(revalued)) != base


def test_finding_without_line_has_no_region(report_batch: Batch) -> None:
    r = report_batch.results[1]
    f = dataclasses.replace(r.findings[0], location=Location(pointer="/x"))
    batch = dataclasses.replace(report_batch, results=(dataclasses.replace(r, findings=(f,)),))
    doc = json.loads(render_sarif(batch, {}, lang="en"))
    _validate(doc)
    assert "region" not in doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]


@pytest.mark.parametrize(("source", "uri"), [
    ("payloads/a b.json", "payloads/a%20b.json"),
    ("报文/甲.xml", "%E6%8A%A5%E6%96%87/%E7%94%B2.xml"),
    ("/abs/p.json", "file:///abs/p.json"),
    ("C:\\data\\p.json", "file:///C:/data/p.json"),
    ("-", "-"),
])
def test_artifact_uri(source: str, uri: str) -> None:
    assert artifact_uri(source) == uri


def test_json_lines_records_point_at_their_line_of_one_file() -> None:
    """Records ``b.jsonl:3`` and ``b.jsonl:5`` are lines 3 and 5 of one artifact ``b.jsonl``."""
    from hegui.validator.result import Result
    from hegui.validator.spec import Text

    finding = Finding("x@enum", "error", Text("zh", "en"), "schema",
                      Location(pointer="/x", line=1, column=7))
    results = tuple(Result(f"b.jsonl:{n}", "nonconformant", None, "t", "json", "0" * 64,
                           (finding,)) for n in (3, 5))
    doc = json.loads(render_sarif(Batch(results, "0", "2026-01-01T00:00:00+00:00"), {},
                                  lang="en"))
    run = doc["runs"][0]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["b.jsonl"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in run["results"]]
    assert regions == [{"startLine": 3, "startColumn": 7}, {"startLine": 5, "startColumn": 7}]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["index"]
            for r in run["results"]} == {0}


def _lines_batch(*sources: str) -> Batch:
    """A nonconformant payload per source, each with one finding at line 1, column 7."""
    from hegui.validator.result import Result
    from hegui.validator.spec import Text

    finding = Finding("x@enum", "error", Text("zh", "en"), "schema",
                      Location(pointer="/x", line=1, column=7))
    return Batch(tuple(Result(s, "nonconformant", None, "t", "json", "0" * 64, (finding,))
                       for s in sources), "0", "2026-01-01T00:00:00+00:00")


def test_base_dir_makes_uris_relative_to_srcroot() -> None:
    batch = _lines_batch("/w/repo/a b.json", "/w/repo/sub/b.jsonl:4", "/elsewhere/c.json", "-")
    base = BaseDir("/w/repo",
                   {"/w/repo/a b.json": "a b.json", "/w/repo/sub/b.jsonl": "sub/b.jsonl"},
                   {"/elsewhere/c.json": "/elsewhere/c.json"})
    doc = json.loads(render_sarif(batch, {}, lang="en", base_dir=base))
    _validate(doc)
    run = doc["runs"][0]
    assert run["originalUriBaseIds"] == {"SRCROOT": {"uri": "file:///w/repo/"}}
    assert [a["location"] for a in run["artifacts"]] == [
        {"uri": "a%20b.json", "uriBaseId": "SRCROOT"},
        {"uri": "sub/b.jsonl", "uriBaseId": "SRCROOT"},
        {"uri": "file:///elsewhere/c.json"},  # outside the base dir: absolute, no base id
        {"uri": "-"},  # standard input, as without a base dir
    ]
    physical = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert [p["artifactLocation"] for p in physical] == [
        {"uri": "a%20b.json", "uriBaseId": "SRCROOT", "index": 0},
        {"uri": "sub/b.jsonl", "uriBaseId": "SRCROOT", "index": 1},
        {"uri": "file:///elsewhere/c.json", "index": 2},
        {"uri": "-", "index": 3},
    ]
    assert physical[1]["region"] == {"startLine": 4, "startColumn": 7}


def test_without_base_dir_no_uri_base_ids(report_batch: Batch) -> None:
    run = json.loads(render_sarif(report_batch, {}, lang="en"))["runs"][0]
    assert "originalUriBaseIds" not in run
    assert all("uriBaseId" not in a["location"] for a in run["artifacts"])


def test_uris_and_fingerprints_do_not_depend_on_how_the_source_was_named() -> None:
    """``/w/x/a.json`` with base ``/w/x`` and ``a.json`` run in ``/w/x`` are one artifact."""
    absolute = _lines_batch("/w/x/a.json")
    relative = _lines_batch("a.json")
    docs = [json.loads(render_sarif(b, {}, lang="en", base_dir=BaseDir("/w/x", {s: "a.json"})))
            for b, s in ((absolute, "/w/x/a.json"), (relative, "a.json"))]
    results = [d["runs"][0]["results"][0] for d in docs]
    assert results[0]["locations"] == results[1]["locations"]
    assert results[0]["partialFingerprints"] == results[1]["partialFingerprints"]


@pytest.mark.parametrize(("root", "uri"), [("/w/x", "file:///w/x/"), ("/", "file:///"),
                                           ("C:\\w\\报文", "file:///C:/w/%E6%8A%A5%E6%96%87/")])
def test_base_uri(root: str, uri: str) -> None:
    assert base_uri(root) == uri


def test_error_notification_has_the_region_of_its_parse_error(report_batch: Batch) -> None:
    inv = json.loads(render_sarif(report_batch, {}, lang="en"))["runs"][0]["invocations"][0]
    broken = next(n for n in inv["toolExecutionNotifications"]
                  if "broken.json" in n["message"]["text"])
    assert broken["locations"][0]["physicalLocation"]["region"] == {"startLine": 2,
                                                                    "startColumn": 17}
    unknown = next(n for n in inv["toolExecutionNotifications"]
                   if "unknown.json" in n["message"]["text"])
    assert "region" not in unknown["locations"][0]["physicalLocation"]  # no line known


def test_parse_error_of_a_json_lines_record_is_at_its_line_of_the_file() -> None:
    from hegui.validator.result import Result
    from hegui.validator.spec import Text

    parse = Finding("payload@parse", "error", Text("无法解析", "cannot be parsed"), "parse",
                    Location(pointer="", line=1, column=2))
    encoding = Finding("payload@encoding", "error", Text("编码", "encoding"), "parse",
                       Location(pointer="", line=1))
    batch = Batch((Result("b.jsonl:7", "error", None, None, "json", "0" * 64, (parse,)),
                   Result("b.jsonl:9", "error", None, None, "json", "0" * 64, (encoding,))),
                  "0", "2026-01-01T00:00:00+00:00")
    run = json.loads(render_sarif(batch, {}, lang="en"))["runs"][0]
    _validate({"version": "2.1.0", "runs": [run]})
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in run["results"]]
    assert regions == [{"startLine": 7, "startColumn": 2}, {"startLine": 9}]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["region"] for n in notes] == regions
