"""``hegui report``: re-render a saved JSON result; bad input is a message and exit code 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hegui.cli_report import report
from hegui.reports import render
from hegui.reports.registry import locate_sources
from hegui.validator.result import Batch
from hegui.validator.spec import Spec

DATA = Path(__file__).parent / "data"

SPEC_DIR = str(DATA / "spec-mini")


@pytest.fixture
def saved(tmp_path: Path, report_batch: Batch, report_specs: dict[str, Spec]) -> Path:
    path = tmp_path / "result.json"
    path.write_text(render("json", report_batch, report_specs, lang="en"), encoding="utf-8")
    return path


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(report, list(args), input=stdin)
    assert not isinstance(result.exception, AssertionError)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback would be a bug: make the test show it
    return result.exit_code, result.stdout, result.stderr


def test_rerender_in_every_format(saved: Path, tmp_path: Path, report_batch: Batch,
                                  report_specs: dict[str, Spec]) -> None:
    here = locate_sources(report_batch)  # --base-dir defaults to the current directory
    for fmt in ("text", "markdown", "junit", "sarif", "github", "json"):
        code, out, err = _run(str(saved), "--format", fmt, "--spec", SPEC_DIR)
        assert code == 0, err
        assert out == render(fmt, report_batch, report_specs, lang="en", base_dir=here)


def test_outputs_to_files_and_lang(saved: Path, tmp_path: Path, report_batch: Batch,
                                   report_specs: dict[str, Spec]) -> None:
    html_path = tmp_path / "out" / "r.html"
    code, out, err = _run(str(saved), "--output", f"html={html_path}", "--output",
                          f"sarif={tmp_path / 'r.sarif'}", "--lang", "zh", "--spec", SPEC_DIR)
    assert code == 0, err
    assert out == render("text", report_batch, report_specs, lang="zh")
    assert "不符合" in html_path.read_text(encoding="utf-8")
    assert json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_excerpts_only_from_unchanged_payloads(saved: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    shutil.copytree(DATA / "payloads", work / "payloads")
    (work / "payloads" / "bad.xml").write_text("<changed/>\n", encoding="utf-8")
    monkeypatch.chdir(work)
    code, _, err = _run(str(saved), "--output", "html=r.html", "--spec", SPEC_DIR)
    assert code == 0, err
    page = (work / "r.html").read_text(encoding="utf-8")
    assert "&#34;400000.00&#34;" in page  # bad-amount.json excerpt shown
    assert "changed" not in page  # bad.xml changed since validation: no excerpt from it


def test_stdin(saved: Path) -> None:
    code, out, _ = _run("-", "--format", "text", stdin=saved.read_text(encoding="utf-8"))
    assert code == 0
    assert "MINI-001" in out


def test_spec_not_found_is_a_warning(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(saved.parent)  # where the result's relative spec folder does not exist
    code, out, err = _run(str(saved), "--format", "markdown")
    assert code == 0
    assert "spec 'mini@0.9' not found" in err
    assert "## Rule coverage" not in out


def test_spec_found_through_the_spec_option(tmp_path: Path, report_batch: Batch,
                                            report_specs: dict[str, Spec],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The result's own ``spec`` option (a folder) is tried when the id is not bundled."""
    monkeypatch.chdir(DATA.parents[2])  # the option is relative to the repository root
    path = tmp_path / "r.json"
    path.write_text(render("json", report_batch, report_specs, lang="en"), encoding="utf-8")
    code, out, err = _run(str(path), "--format", "markdown")
    assert code == 0, err
    assert "## Rule coverage" in out


@pytest.mark.parametrize(("content", "problem"), [
    (None, "cannot read result file"),
    ("not json", "not JSON"),
    ('{"format": "hegui-result", "format_version": "9.0"}', "unsupported format_version"),
    ('{"format": "hegui-result", "format_version": "1.0", "results": 3}', "not a valid"),
])
def test_bad_input_exits_2(tmp_path: Path, content: str | None, problem: str) -> None:
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, _, err = _run(str(path))
    assert code == 2
    assert problem in err
    assert "Traceback" not in err


def test_bad_options_exit_2(saved: Path, tmp_path: Path) -> None:
    assert _run(str(saved), "--format", "pdf")[0] == 2
    code, _, err = _run(str(saved), "--output", "pdf=x")
    assert code == 2 and "unknown report format" in err
    code, _, err = _run(str(saved), "--spec", str(tmp_path / "nope"))
    assert code == 2 and "--spec" in err
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    code, _, err = _run(str(saved), "--output", f"json={blocker / 'r.json'}", "--spec", SPEC_DIR)
    assert code == 2 and "cannot write" in err
