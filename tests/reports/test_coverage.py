"""Rule coverage: exercised / failed only / passed only / never reached."""

from __future__ import annotations

import dataclasses

from hegui.reports.coverage import coverage, spec_coverage
from hegui.validator.result import Batch
from hegui.validator.spec import Spec


def test_statuses(report_batch: Batch, report_spec: Spec) -> None:
    cov = spec_coverage(report_batch, report_spec)
    assert cov.of("exercised") == ("MINI-001", "MINI-002")
    assert cov.of("passed_only") == ("MINI-003",)
    assert cov.of("failed_only") == ("MINI-004",)
    assert cov.of("never_reached") == ("MINI-005",)
    assert cov.counts() == {"total": 5, "exercised": 2, "failed_only": 1, "passed_only": 1,
                            "never_reached": 1}


def test_sentences(report_batch: Batch, report_spec: Spec) -> None:
    cov = spec_coverage(report_batch, report_spec)
    assert cov.sentence("en") == (
        "your payloads exercised 2 of 5 rules (each both failed and passed); "
        "never failed: MINI-003; never passed: MINI-004; never reached: MINI-005.")
    assert cov.sentence("zh") == (
        "测试报文覆盖了 5 条规则中的 2 条（每条既有失败也有通过）；"
        "从未失败：MINI-003；从未通过：MINI-004；从未评估：MINI-005。")


def test_error_payloads_do_not_count(report_batch: Batch, report_spec: Spec) -> None:
    """A payload that could not be evaluated neither passes nor fails a rule."""
    only_errors = dataclasses.replace(report_batch, results=tuple(
        dataclasses.replace(r, verdict="error") for r in report_batch.results))
    cov = spec_coverage(only_errors, report_spec)
    assert cov.of("never_reached") == cov.rules


def test_only_specs_in_use_and_loaded(report_batch: Batch, report_spec: Spec) -> None:
    assert list(coverage(report_batch, {"mini": report_spec})) == ["mini@0.9"]
    assert coverage(report_batch, {}) == {}
    other = dataclasses.replace(report_spec, id="other")
    assert list(coverage(report_batch, {"mini": report_spec, "other": other})) == ["mini@0.9"]
