"""Reports of long runs at flat memory: results spooled to disk (validator.spool) render as a
tuple of the same results does; the streamed formats' chunks join into the golden files'
text (written apart from the whole-document renderers for JSON and JUnit); an HTML report of a
long run details only the first payloads that are not conformant, and says so."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest

from hegui.reports import html as html_report
from hegui.reports.catalogue import rule_stats
from hegui.reports.registry import CHUNKED, render, render_chunks
from hegui.validator.result import Batch
from hegui.validator.spec import Spec
from hegui.validator.spool import ResultSpool

EXTENSIONS = {"text": "txt", "json": "json", "junit": "junit.xml", "markdown": "md",
              "github": "github.txt"}


@pytest.fixture
def spooled() -> Iterator[Callable[[Batch], Batch]]:
    """``batch`` with its results spooled to disk (the spools are closed after the test)."""
    made: list[ResultSpool] = []

    def spool_of(batch: Batch) -> Batch:
        spool = ResultSpool()
        made.append(spool)
        for r in batch.results:
            spool.append(r)
        return dataclasses.replace(batch, results=spool)
    yield spool_of
    for spool in made:
        spool.close()


def test_the_spool_is_a_sequence_of_the_same_results(
        report_batch: Batch, spooled: Callable[[Batch], Batch]) -> None:
    spool = spooled(report_batch).results
    assert isinstance(spool, ResultSpool)
    results = list(report_batch.results)
    assert len(spool) == len(results) and list(spool) == results
    assert spool[0] == results[0] and spool[-1] == results[-1] and spool[1:3] == results[1:3]
    with pytest.raises(IndexError):
        spool[len(results)]
    # two iterations at once read each result independently
    assert [(a.source, b.source) for a, b in zip(spool, spool, strict=True)] == [
        (r.source, r.source) for r in results]
    assert spool.counts == report_batch.summary()


def test_head_results_come_first(report_batch: Batch) -> None:
    first, *rest = report_batch.results
    spool = ResultSpool()
    for r in rest:
        spool.append(r)
    spool.add_head(first)
    assert list(spool) == list(report_batch.results)
    assert spool.counts["total"] == len(report_batch.results)
    spool.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", sorted(CHUNKED))
def test_streamed_reports_are_the_golden_text(fmt: str, lang: str, report_batch: Batch,
                                              report_specs: dict[str, Spec],
                                              golden: Callable[[str, str], None],
                                              spooled: Callable[[Batch], Batch]) -> None:
    batch = spooled(report_batch)
    text = "".join(render_chunks(fmt, batch, report_specs, lang=lang))  # type: ignore[arg-type]
    golden(f"report.{lang}.{EXTENSIONS[fmt]}", text)
    assert text == render(fmt, report_batch, report_specs, lang=lang)  # type: ignore[arg-type]


def test_rule_stats_count_inputs(report_batch: Batch) -> None:
    stats = rule_stats(report_batch.results)
    for rule_id, st in stats.items():
        failed = [r for r in report_batch.results if any(f.rule_id == rule_id for f in r.findings)]
        assert st.failed == len(failed)
        assert st.failed_first == [r.source for r in failed]
        assert st.findings == sum(f.rule_id == rule_id for r in failed for f in r.findings)
        assert st.reached >= st.failed and st.passed == st.reached - st.failed


def test_long_html_report_details_the_first_nonconformant(
        report_batch: Batch, report_specs: dict[str, Spec],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_report, "DETAILS", 2)
    conformant = [r for r in report_batch.results if r.verdict == "conformant"]
    others = [r for r in report_batch.results if r.verdict != "conformant"]
    assert conformant and len(others) >= 3
    batch = dataclasses.replace(report_batch, results=tuple(conformant + others))
    context = html_report.report_context(batch, report_specs, "en")
    assert [p["source"] for p in context["payloads"]] == [r.source for r in others[:2]]
    assert context["summary"]["total"] == len(batch.results)
    rest = len(batch.results) - 2
    assert context["shown_note"] == (
        f"{len(batch.results)} payloads: details are shown for the first 2 that are "
        f"nonconformant or could not be evaluated; the other {rest} are counted in the summary "
        "and the rule table only")
    page = html_report.render_html(batch, report_specs, lang="zh")
    assert "此处只详列其中前 2 个不合规或无法判定的报文" in page
    short = html_report.report_context(report_batch, report_specs, "en")
    assert short["shown_note"] is None or len(report_batch.results) > html_report.DETAILS
