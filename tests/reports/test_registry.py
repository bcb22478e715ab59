"""The format table and write_outputs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hegui.reports import (
    FORMATS,
    RENDERERS,
    ReportWriteError,
    parse_output,
    render,
    write_outputs,
)
from hegui.validator.errors import UsageError
from hegui.validator.result import Batch
from hegui.validator.spec import Spec


def test_formats() -> None:
    assert FORMATS == ("text", "json", "html", "markdown", "junit", "sarif", "github")
    assert set(RENDERERS) == set(FORMATS)


def test_render_unknown_format(report_batch: Batch) -> None:
    with pytest.raises(UsageError, match=r"unknown report format 'pdf'.*known: text"):
        render("pdf", report_batch, {}, lang="en")


@pytest.mark.parametrize(("value", "expected"), [
    ("json=out/r.json", ("json", "out/r.json")),
    ("html", ("html", "-")),
    ("sarif=-", ("sarif", "-")),
])
def test_parse_output(value: str, expected: tuple[str, str]) -> None:
    assert parse_output(value) == expected


@pytest.mark.parametrize("value", ["pdf=x.pdf", "json=", "=x"])
def test_parse_output_errors(value: str) -> None:
    with pytest.raises(UsageError):
        parse_output(value)


def test_write_outputs(tmp_path: Path, report_batch: Batch, report_specs: dict[str, Spec],
                       report_sources: dict[str, bytes]) -> None:
    out = io.StringIO()
    write_outputs(report_batch, report_specs,
                  [("json", str(tmp_path / "deep" / "r.json")), ("text", "-"),
                   ("html", str(tmp_path / "r.html"))],
                  "en", report_sources, stdout=out)
    assert (tmp_path / "deep" / "r.json").read_text(encoding="utf-8") == render(
        "json", report_batch, report_specs, lang="en")
    assert 'class="excerpt"' in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert out.getvalue() == render("text", report_batch, report_specs, lang="en")


def test_write_outputs_checks_formats_first(tmp_path: Path, report_batch: Batch) -> None:
    with pytest.raises(UsageError):
        write_outputs(report_batch, {}, [("json", str(tmp_path / "r.json")), ("pdf", "-")], "en")
    assert not (tmp_path / "r.json").exists()


def test_unwritable_destination(tmp_path: Path, report_batch: Batch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportWriteError, match="cannot write json report to") as info:
        write_outputs(report_batch, {}, [("json", str(blocker / "r.json"))], "en")
    assert info.value.exit_code == 2
