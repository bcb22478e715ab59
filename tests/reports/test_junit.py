"""JUnit XML: parses with junitparser; one test case per payload, whatever its findings; real
times; the failure lists every failing finding."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from hegui.reports.junit import render_junit, seconds
from hegui.reports.sources import BaseDir
from hegui.validator.result import Batch, Finding, Location, Result
from hegui.validator.spec import Spec, Text


def _root(text: str) -> JUnitXml:
    xml = JUnitXml.fromstring(text.encode("utf-8"))  # bytes: the text declares its encoding
    assert isinstance(xml, JUnitXml)
    return xml


def _suites(text: str) -> list[TestSuite]:
    return list(_root(text))


def _cases(text: str) -> list[TestCase]:
    return [case for suite in _suites(text) for case in suite]


def _kinds(case: TestCase) -> list[str]:
    return [type(x).__name__ for x in case.result]


def test_one_case_per_payload(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    text = render_junit(report_batch, report_specs, lang="en")
    suites = _suites(text)
    assert [s.name for s in suites] == ["mini 0.9", "hegui"]  # by spec; unknown spec last
    cases = _cases(text)
    assert [c.name for c in cases] == [r.source for r in report_batch.results]
    assert [c.classname for c in cases] == ["mini.apply"] * 4 + ["mini", "hegui"]
    assert [_kinds(c) for c in cases] == [[], ["Failure"], ["Failure"], [], ["Error"],
                                          ["Error"]]
    for suite in suites:
        members = list(suite)
        assert suite.tests == len(members)
        assert suite.failures == sum(1 for c in members if "Failure" in _kinds(c))
        assert suite.errors == sum(1 for c in members if "Error" in _kinds(c))
        assert suite.skipped == 0
    root = _root(text)
    summary = report_batch.summary()
    assert root.tests == summary["total"] == 6
    assert root.failures == summary["nonconformant"] == 2
    assert root.errors == summary["error"] == 2


def test_case_count_does_not_depend_on_findings(report_batch: Batch) -> None:
    """More findings, or other rules, on a payload leave the test count as it was."""
    ok, bad = report_batch.results[0], report_batch.results[1]
    extra = Finding("guarantee.amount@pattern", "error", Text("格式不符", "bad pattern"),
                    "schema", Location(pointer="/guarantee/amount", line=4, column=15))
    more = dataclasses.replace(report_batch, results=(
        dataclasses.replace(ok, findings=(extra,), verdict="nonconformant"),
        dataclasses.replace(bad, findings=(*bad.findings, extra)), *report_batch.results[2:]))
    before = _root(render_junit(report_batch, {}, lang="en"))
    after = _root(render_junit(more, {}, lang="en"))
    assert after.tests == before.tests == 6
    assert after.failures == before.failures + 1


def test_failure_lists_every_failing_finding(report_batch: Batch) -> None:
    case = _cases(render_junit(report_batch, {}, lang="zh"))[1]
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "nonconformant"
    assert failure.message == "不符合：2 个问题（MINI-001, guarantee.currency@enum）"
    text = failure.text or ""
    assert text.index("MINI-001") < text.index("guarantee.currency@enum")  # source order
    assert "[error] MINI-001: 担保金额 400,000.00" in text
    assert "位置：/guarantee/amount（第 4 行第 15 列）" in text
    assert "值：400000.00" in text
    assert "line" not in text and "value:" not in text  # no English labels in zh


def test_english_failure_text(report_batch: Batch) -> None:
    failure = _cases(render_junit(report_batch, {}, lang="en"))[2].result[0]
    assert failure.message == "nonconformant: 2 findings (MINI-004, MINI-001)"
    assert "Location: /apply/guarantee/amount (line 2, column 14)" in (failure.text or "")
    assert "MINI-002" not in (failure.text or "")  # a warning: below fail_on


def test_error_verdict_is_one_error(report_batch: Batch) -> None:
    cases = _cases(render_junit(report_batch, {}, lang="zh"))
    (broken,) = cases[4].result
    assert isinstance(broken, Error)
    assert broken.type == "payload@parse"
    assert "缺少冒号" in (broken.message or "")  # the reason in the report's language
    assert "位置：第 2 行第 17 列" in (broken.text or "")
    (unknown,) = cases[5].result
    assert isinstance(unknown, Error)
    assert unknown.type == "evaluation"  # no finding: the spec was not detected


def test_system_out_has_the_payload_and_milder_findings(report_batch: Batch) -> None:
    cases = _cases(render_junit(report_batch, {}, lang="en"))
    ok = cases[0].system_out or ""
    assert f"input_sha256: {report_batch.results[0].input_sha256}" in ok
    assert "Verdict: conformant" in ok
    bad_xml = cases[2].system_out or ""
    assert "[warning] MINI-002" in bad_xml
    assert "Not checked MINI-003: reads guarantee.validTo" in bad_xml


def test_warning_only_payload_passes_unless_fail_on_warning(report_batch: Batch) -> None:
    warn = _cases(render_junit(report_batch, {}, lang="en"))[3]
    assert warn.result == []
    assert "currency HKD" in (warn.system_out or "")
    strict = dataclasses.replace(report_batch, options={**report_batch.options,
                                                        "fail_on": "warning"})
    failure = _cases(render_junit(strict, {}, lang="en"))[3].result[0]
    assert isinstance(failure, Failure)
    assert "currency HKD" in (failure.text or "")


def test_times_are_the_evaluation_times(report_batch: Batch) -> None:
    text = render_junit(report_batch, {}, lang="en")
    cases = _cases(text)
    assert [c.time for c in cases] == [0.0015, 0.01225, 0.030125, 0.002, 0.0005, 0.0]
    suites = _suites(text)
    assert suites[0].time == pytest.approx(0.046375)
    assert suites[1].time == 0.0
    assert _root(text).time == pytest.approx(0.046375)


@pytest.mark.parametrize(("ms", "text"), [(None, "0"), (0.0, "0"), (1.5, "0.0015"),
                                          (1234.5678, "1.234568"), (0.0004, "0")])
def test_seconds(ms: float | None, text: str) -> None:
    assert seconds(ms) == text


def test_names_relative_to_the_base_dir() -> None:
    def result(source: str) -> Result:
        return Result(source, "conformant", None, None, "json", "0" * 64, ())

    batch = Batch((result("/w/a/x.json"), result("/w/a/b.jsonl:3"), result("/y.json"),
                   result("-")), "0", "2026-01-01T00:00:00+00:00")
    base = BaseDir("/w", {"/w/a/x.json": "a/x.json", "/w/a/b.jsonl": "a/b.jsonl"},
                   {"/y.json": "/y.json"})
    names = [c.name for c in _cases(render_junit(batch, {}, lang="en", base_dir=base))]
    assert names == ["a/x.json", "a/b.jsonl:3", "/y.json", "-"]
    assert [c.name for c in _cases(render_junit(batch, {}, lang="en"))] == [
        r.source for r in batch.results]


def test_control_characters_do_not_break_the_xml(report_batch: Batch) -> None:
    r = report_batch.results[1]
    f = Finding("X-001", "error", Text("a\x00b\x1bc", "a\x00b\x1bc"), "rule",
                Location(pointer="/\x07"), value="\x0c")
    batch = dataclasses.replace(report_batch, results=(dataclasses.replace(
        r, source="bad\x01name.json", findings=(f,)),))
    (case,) = _cases(render_junit(batch, {}, lang="en"))
    assert case.name == "bad\ufffdname.json"
    assert "a\ufffdb\ufffdc" in (case.result[0].text or "")


def test_parses_from_a_file(tmp_path: Path, report_batch: Batch) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(render_junit(report_batch, {}, lang="zh"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    assert xml.tests == 6
