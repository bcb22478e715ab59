"""JUnit XML: parses with junitparser, and its counts match the batch."""

from __future__ import annotations

import dataclasses

from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

from hegui.reports.junit import render_junit
from hegui.validator.result import Batch, Finding, Location
from hegui.validator.spec import Spec, Text


def _suites(text: str) -> list[TestSuite]:
    xml = JUnitXml.fromstring(text.encode("utf-8"))  # bytes: the text declares its encoding
    return list(xml) if isinstance(xml, JUnitXml) else [xml]


def test_counts_match_the_batch(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    suites = _suites(render_junit(report_batch, report_specs, lang="en"))
    assert [s.name for s in suites] == [r.source for r in report_batch.results]
    summary = report_batch.summary()
    assert sum(1 for s in suites if s.failures) == summary["nonconformant"]
    assert sum(1 for s in suites if s.errors) == summary["error"]
    for suite, r in zip(suites, report_batch.results, strict=True):
        cases = list(suite)
        assert suite.tests == len(cases)
        assert suite.failures == sum(1 for c in cases if any(isinstance(x, Failure)
                                                             for x in c.result))
        assert suite.errors == sum(1 for c in cases if any(isinstance(x, Error)
                                                           for x in c.result))
        if r.verdict == "error":
            assert [c.name for c in cases] == ["evaluation"]
        else:
            expected = list(dict.fromkeys([*r.rules_evaluated, *(f.rule_id for f in r.findings)]))
            expected += [u.rule_id for u in r.rules_unchecked]  # skipped test cases, last
            assert [c.name for c in cases] == expected
            assert suite.skipped == len(r.rules_unchecked) == sum(
                1 for c in cases if any(isinstance(x, Skipped) for x in c.result))
    root = JUnitXml.fromstring(render_junit(report_batch, report_specs, lang="en").encode())
    assert root.tests == sum(s.tests for s in suites) == 17
    assert root.failures == 4
    assert root.errors == 2
    assert root.skipped == 1


def test_failures_carry_findings(report_batch: Batch) -> None:
    suites = _suites(render_junit(report_batch, {}, lang="zh"))
    case = next(c for c in suites[1] if c.name == "MINI-001")
    failure = case.result[0]
    assert isinstance(failure, Failure)
    assert failure.type == "MINI-001"
    assert "担保金额 400,000.00" in (failure.message or "")
    assert "/guarantee/amount (line 4, column 15)" in (failure.text or "")
    errored = next(iter(suites[4]))
    assert "缺少冒号" in (errored.result[0].message or "")  # the reason in the report's language


def test_warning_only_payload_passes_unless_fail_on_warning(report_batch: Batch) -> None:
    warn = _suites(render_junit(report_batch, {}, lang="en"))[3]
    assert warn.failures == 0
    assert "currency HKD" in (next(c for c in warn if c.name == "MINI-002").system_out or "")
    strict = dataclasses.replace(report_batch, options={**report_batch.options,
                                                        "fail_on": "warning"})
    assert _suites(render_junit(strict, {}, lang="en"))[3].failures == 1


def test_control_characters_do_not_break_the_xml(report_batch: Batch) -> None:
    r = report_batch.results[1]
    f = Finding("X-001", "error", Text("a\x00b\x1bc", "a\x00b\x1bc"), "rule",
                Location(pointer="/\x07"), value="\x0c")
    batch = dataclasses.replace(report_batch, results=(dataclasses.replace(
        r, source="bad\x01name.json", findings=(f,)),))
    suites = _suites(render_junit(batch, {}, lang="en"))
    assert suites[0].name == "bad\ufffdname.json"


def test_parses_from_a_file(tmp_path: object, report_batch: Batch) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "junit.xml"
    path.write_text(render_junit(report_batch, {}, lang="zh"), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    assert xml.tests == 17
