"""Text, Markdown and GitHub annotations: line formats and escaping of payload text."""

from __future__ import annotations

import dataclasses

import pytest

from hegui.reports.github import command, escape_data, escape_property, render_github
from hegui.reports.markdown import md_escape, render_markdown
from hegui.reports.text import one_line, render_text
from hegui.validator.result import Batch, Finding, Location
from hegui.validator.spec import Spec, Text

HOSTILE = "<script>alert(1)</script>"  # the hostile value in the fixture batch


def _with_message(batch: Batch, message: str, source: str = "a.json") -> Batch:
    r = batch.results[1]
    f = Finding("X-001", "error", Text(message, message), "rule",
                Location(pointer="/x", line=3, column=9))
    return dataclasses.replace(batch, results=(dataclasses.replace(r, source=source,
                                                                   findings=(f,)),))


def test_text_finding_lines(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    lines = render_text(report_batch, report_specs, lang="en").splitlines()
    assert lines[0] == ("payloads/bad-amount.json:4:15: error MINI-001 guarantee amount "
                        "400,000.00 differs from the bid security 500,000.00 [/guarantee/amount]")
    assert "payloads/unknown.json: error — no spec detected" in "\n".join(lines)
    assert lines[-3] == "6 input(s): 2 conformant, 2 nonconformant, 2 error"
    assert lines[-2].startswith("Spec: mini 0.9 sha256=")


def test_text_line_without_position(report_batch: Batch) -> None:
    r = report_batch.results[1]
    f = dataclasses.replace(r.findings[0], location=Location(pointer="/p"))
    batch = dataclasses.replace(report_batch, results=(dataclasses.replace(r, findings=(f,)),))
    assert render_text(batch, {}, lang="en").startswith("payloads/bad-amount.json: error ")


def test_text_cannot_be_driven_by_payload(report_batch: Batch) -> None:
    text = render_text(_with_message(report_batch, "a\nb\x1b[2Jc"), {}, lang="en")
    assert "\x1b" not in text
    assert "a\\nb\\x1b[2Jc" in text.splitlines()[0]
    assert one_line("x\r\ny\tz") == "x\\r\\ny\tz"


def test_markdown_escapes(report_batch: Batch, report_specs: dict[str, Spec]) -> None:
    md = render_markdown(report_batch, report_specs, lang="en")
    assert HOSTILE not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "| `MINI-001` | error | Guarantee amount equals the bid security |" in md
    assert "exercised 2 of 5 rules" in md
    assert md_escape("a|b*c_d\ne") == "a\\|b\\*c\\_d e"
    table = render_markdown(_with_message(report_batch, "x | y\nz"), {}, lang="en")
    row = next(line for line in table.splitlines() if "X-001" in line)
    assert row.count(" | ") == 4  # the pipe in the message did not add a cell


def test_github_annotations(report_batch: Batch) -> None:
    lines = render_github(report_batch, {}, lang="en").splitlines()
    assert lines[0] == ("::error file=payloads/bad-amount.json,line=4,col=15,title=MINI-001::"
                        "guarantee amount 400,000.00 differs from the bid security 500,000.00 "
                        "[/guarantee/amount]")
    assert lines[4].startswith("::warning file=payloads/bad.xml,line=2,col=41,title=MINI-002::")
    assert any(x.startswith("::error file=payloads/unknown.json,title=hegui%3A error::no spec")
               for x in lines)
    assert lines[-1].startswith("::notice title=hegui::6 input(s)")
    info = dataclasses.replace(report_batch.results[1].findings[0], severity="info")
    batch = dataclasses.replace(report_batch, results=(dataclasses.replace(
        report_batch.results[1], findings=(info,)),))
    assert render_github(batch, {}, lang="en").startswith("::notice file=")


@pytest.mark.parametrize(("raw", "data", "prop"), [
    ("100%", "100%25", "100%25"),
    ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
    ("x: y, z", "x: y, z", "x%3A y%2C z"),
])
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_command_cannot_be_forged(report_batch: Batch) -> None:
    out = render_github(_with_message(report_batch, "x\n::error::forged", "p,q:r.json"),
                        {}, lang="en")
    first = out.splitlines()[0]
    assert first.startswith("::error file=p%2Cq%3Ar.json,line=3,col=9,title=X-001::x%0A::error")
    assert not any(line.startswith("::error::forged") for line in out.splitlines())
    assert command("notice", "m") == "::notice::m"


def test_github_files_relative_to_the_base_dir(report_batch: Batch) -> None:
    """``file=`` is relative to the base dir (the repository root GitHub wants) when the payload
    lies under it, absolute when it does not."""
    from hegui.reports.sources import BaseDir

    sources = [r.source for r in report_batch.results]
    base = BaseDir("/ci/repo", {s: f"checks/{s}" for s in sources[:-1]},
                   {sources[-1]: "/other/unknown.json"})
    lines = render_github(report_batch, {}, lang="en", base_dir=base).splitlines()
    files = {p.split("=", 1)[1] for line in lines[:-1] for p in line.split("::")[1].split(",")
             if p.startswith(("error file=", "warning file=", "notice file="))}
    assert files == {f"checks/{s}" for s in sources[1:-1]} | {"/other/unknown.json"}
    assert lines[0].startswith("::error file=checks/payloads/bad-amount.json,line=4,col=15,")
