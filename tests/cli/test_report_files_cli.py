"""``--base-dir``, JUnit test cases and report files, through the CLI: SARIF and GitHub paths
that do not depend on the working directory, one JUnit case per payload, and report files
written whole or not at all (exit 2 with a message naming the file, no temporary file left)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from junitparser import JUnitXml

from hegui.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "specs" / "eguarantee" / "1.1" / "examples"
VALID = EXAMPLES / "valid" / "apply.json"
INVALID = EXAMPLES / "invalid" / "EG-002" / "bid-security-above-2-percent.json"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A checkout: ``payloads/ok.json``, ``payloads/bad.json``, ``payloads/broken.json``."""
    folder = tmp_path / "repo" / "payloads"
    folder.mkdir(parents=True)
    shutil.copy(VALID, folder / "ok.json")
    shutil.copy(INVALID, folder / "bad.json")
    (folder / "broken.json").write_text('{"messageType": "apply",\n  "x" 1}\n', encoding="utf-8")
    return folder.parent


def run(*args: str, stdin: bytes | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback would be a bug: make the test show it
    return result


def sarif_run(output: str) -> dict[str, Any]:
    return json.loads(output)["runs"][0]  # type: ignore[no-any-return]


def locations(run_: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run_["results"]]


def test_sarif_uris_do_not_depend_on_the_working_directory(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    absolute = run("validate", str(repo / "payloads" / "bad.json"), "--base-dir", str(repo),
                   "--format", "sarif", "--spec", "eguarantee")
    monkeypatch.chdir(repo)
    relative = run("validate", "payloads/bad.json", "--format", "sarif", "--spec", "eguarantee")
    assert absolute.exit_code == relative.exit_code == 1, absolute.output + relative.output
    runs = [sarif_run(absolute.output), sarif_run(relative.output)]
    for r in runs:
        assert r["originalUriBaseIds"] == {"SRCROOT": {"uri": repo.as_uri() + "/"}}
        assert r["artifacts"][0]["location"] == {"uri": "payloads/bad.json",
                                                 "uriBaseId": "SRCROOT"}
    assert locations(runs[0]) == locations(runs[1]) == [
        {"uri": "payloads/bad.json", "uriBaseId": "SRCROOT", "index": 0}]
    assert ([r["partialFingerprints"] for r in runs[0]["results"]]
            == [r["partialFingerprints"] for r in runs[1]["results"]])


def test_payloads_outside_the_base_dir_and_stdin(repo: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "elsewhere.json"
    shutil.copy(INVALID, outside)
    monkeypatch.chdir(repo)
    result = run("validate", str(outside), "-", "--format", "sarif", "--spec", "eguarantee",
                 stdin=INVALID.read_bytes())
    assert result.exit_code == 1, result.output
    assert [a["location"] for a in sarif_run(result.output)["artifacts"]] == [
        {"uri": outside.as_uri()}, {"uri": "-"}]


def test_github_files_relative_to_the_base_dir(repo: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validate", "repo/payloads/bad.json", "--base-dir", "repo", "--format",
                 "github", "--spec", "eguarantee")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("::error file=payloads/bad.json,line=68,col=26,")


def test_parse_error_has_a_region_in_results_and_notifications(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run("validate", "payloads/broken.json", "--format", "sarif", "--spec", "eguarantee")
    assert result.exit_code == 2, result.output
    run_ = sarif_run(result.output)
    (finding,) = run_["results"]
    assert finding["ruleId"] == "payload@parse"
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 7}
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["region"] == region


def test_report_takes_base_dir(repo: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    saved = tmp_path / "r.json"
    made = run("validate", "repo/payloads/bad.json", "--spec", "eguarantee", "--output",
               f"json={saved}")
    assert made.exit_code == 1, made.output
    result = run("report", str(saved), "--format", "sarif", "--base-dir", "repo")
    assert result.exit_code == 0, result.output
    run_ = sarif_run(result.output)
    assert run_["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.as_uri() + "/"
    assert locations(run_)[0]["uri"] == "payloads/bad.json"


def test_base_dir_must_be_a_folder(repo: Path) -> None:
    result = run("validate", str(repo / "payloads" / "ok.json"), "--base-dir",
                 str(repo / "missing"))
    assert result.exit_code == 2
    assert "--base-dir" in result.output and "does not exist" in result.output


def test_junit_one_case_per_payload_with_times(repo: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = run("validate", "payloads", "--format", "junit", "--spec", "eguarantee",
                 "--lang", "en")
    assert result.exit_code == 2, result.output
    xml = JUnitXml.fromstring(result.output.encode("utf-8"))
    assert isinstance(xml, JUnitXml)
    cases = [case for suite in xml for case in suite]
    assert sorted(c.name for c in cases) == ["payloads/bad.json", "payloads/broken.json",
                                             "payloads/ok.json"]
    kinds = {c.name: [type(x).__name__ for x in c.result] for c in cases}
    assert kinds == {"payloads/bad.json": ["Failure"], "payloads/broken.json": ["Error"],
                     "payloads/ok.json": []}
    assert all(c.time > 0 for c in cases)
    assert xml.time == pytest.approx(sum(c.time for c in cases), abs=1e-5)


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_report_into_a_path_that_cannot_be_a_folder(repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "out" / "r.sarif"
    result = run("validate", str(repo / "payloads" / "ok.json"), "--output",
                 f"sarif={target}")
    assert result.exit_code == 2
    assert f"无法将 sarif 报告写入 {target}：路径中有一级不是文件夹" in result.output
    assert "Traceback" not in result.output
    assert _temp_files(tmp_path) == []


def test_report_onto_a_folder_leaves_no_temp_file(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.mkdir()
    result = run("validate", str(repo / "payloads" / "ok.json"), "--lang", "en", "--output",
                 f"json={target}")
    assert result.exit_code == 2
    assert f"cannot write json report to {target}:" in result.output
    assert _temp_files(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_report_into_a_read_only_folder(repo: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for target in (locked / "r.json", locked / "new" / "r.json"):
            result = run("validate", str(repo / "payloads" / "ok.json"), "--output",
                         f"json={target}")
            assert result.exit_code == 2
            assert f"无法将 json 报告写入 {target}：没有写入权限" in result.output
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_report_command_write_error_is_exit_2(repo: Path, tmp_path: Path) -> None:
    saved = tmp_path / "r.json"
    made = run("validate", str(repo / "payloads" / "ok.json"), "--output", f"json={saved}")
    assert made.exit_code == 0, made.output
    target = tmp_path / "folder"
    target.mkdir()
    result = run("report", str(saved), "--output", f"html={target}", "--lang", "en")
    assert result.exit_code == 2
    assert f"cannot write html report to {target}:" in result.output
    assert _temp_files(tmp_path) == []
