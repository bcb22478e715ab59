"""`hegui validate` exit codes pinned for every combination that matters, `--expect` included:
a manifest comparison decides between 0 and 1, never over an input that could not be evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hegui.cli import cli


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture()
def pack(tmp_path: Path, order: dict[str, Any]) -> Path:
    """A folder with a conformant, a nonconformant and an unparseable payload."""
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(order), encoding="utf-8")
    order["order"]["kind"] = "9"
    (folder / "bad.json").write_text(json.dumps(order), encoding="utf-8")
    (folder / "broken.json").write_text('{"messageType": "order",', encoding="utf-8")
    return folder


def manifest(folder: Path, *entries: tuple[str, str, list[str]]) -> Path:
    path = folder / "manifest.json"
    path.write_text(json.dumps({"files": [
        {"path": p, "verdict": v, "rule_ids": ids} for p, v, ids in entries]}), encoding="utf-8")
    return path


GOOD = ("good.json", "conformant", [])
BAD = ("bad.json", "nonconformant", ["order.kind@enum"])
BROKEN = ("broken.json", "error", ["payload@parse"])


@pytest.mark.parametrize(("files", "code"), [
    (["good.json"], 0), (["bad.json"], 1), (["broken.json"], 2),
    (["good.json", "bad.json"], 1), (["bad.json", "broken.json"], 2),
    (["good.json", "broken.json"], 2),
])
def test_exit_code_is_the_worst_verdict(minispec: Any, pack: Path, files: list[str],
                                        code: int) -> None:
    r = run("validate", "--spec", minispec.folder, *(str(pack / f) for f in files))
    assert r.exit_code == code, r.output


def test_expect_all_matching_is_0_even_with_nonconformant_payloads(minispec: Any,
                                                                   pack: Path) -> None:
    (pack / "broken.json").unlink()
    m = manifest(pack, GOOD, BAD)
    r = run("validate", "--spec", minispec.folder, str(pack), "--expect", str(m))
    assert r.exit_code == 0, r.output


def test_expect_mismatch_is_1(minispec: Any, pack: Path) -> None:
    (pack / "broken.json").unlink()
    m = manifest(pack, GOOD, ("bad.json", "conformant", []))
    r = run("validate", "--spec", minispec.folder, str(pack), "--expect", str(m))
    assert r.exit_code == 1, r.output
    assert "bad.json: expected conformant [], got nonconformant [order.kind@enum]" in r.output


def test_expect_keeps_exit_2_when_the_manifest_expects_the_error(minispec: Any,
                                                                 pack: Path) -> None:
    m = manifest(pack, GOOD, BAD, BROKEN)
    r = run("validate", "--spec", minispec.folder, str(pack), "--expect", str(m))
    assert r.exit_code == 2, r.output


def test_expect_keeps_exit_2_on_a_mismatch_too(minispec: Any, pack: Path) -> None:
    m = manifest(pack, GOOD, ("bad.json", "conformant", []), BROKEN)
    r = run("validate", "--spec", minispec.folder, str(pack), "--expect", str(m))
    assert r.exit_code == 2, r.output
    assert "bad.json: expected conformant" in r.output


def test_expect_lists_missing_and_unlisted_files(minispec: Any, pack: Path) -> None:
    (pack / "broken.json").unlink()
    m = manifest(pack, GOOD, ("gone.json", "conformant", []))
    r = run("validate", "--spec", minispec.folder, str(pack), "--expect", str(m))
    assert r.exit_code == 1
    assert "gone.json: in the manifest but not validated" in r.output
    assert "bad.json: not in the manifest" in r.output


def test_fail_on_warning_changes_exit_code(minispec: Any, tmp_path: Path,
                                           order: dict[str, Any]) -> None:
    order["order"]["dueDate"] = "2025-01-01"  # MS-002, a warning
    p = tmp_path / "w.json"
    p.write_text(json.dumps(order), encoding="utf-8")
    assert run("validate", "--spec", minispec.folder, str(p)).exit_code == 0
    assert run("validate", "--spec", minispec.folder, str(p), "--fail-on", "error").exit_code == 0
    r = run("validate", "--spec", minispec.folder, str(p), "--fail-on", "warning",
            "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.output)
    assert doc["results"][0]["verdict"] == "nonconformant"
    assert [f["severity"] for f in doc["results"][0]["findings"]] == ["warning"]


@pytest.mark.parametrize("args", [
    ["--output", "=x"], ["--output", "pdf=x"], ["--output", "json="],
    ["--context", "x"], ["--context", "=f"], ["--context", "n="],
])
def test_malformed_options_exit_2(minispec: Any, pack: Path, args: list[str]) -> None:
    r = run("validate", "--spec", minispec.folder, str(pack / "good.json"), *args)
    assert r.exit_code == 2
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_context_without_spec_is_a_clean_exit_2(pack: Path, tmp_path: Path) -> None:
    """Without --spec the context document names the spec; one that cannot is exit 2."""
    r = run("validate", str(pack / "good.json"), "--context", "checklist=x.json")
    assert r.exit_code == 2
    assert "x.json" in r.output and "Traceback" not in r.output
    nameless = tmp_path / "list.json"
    nameless.write_text('{"items": []}', encoding="utf-8")
    r = run("validate", str(pack / "good.json"), "--context", f"checklist={nameless}")
    assert r.exit_code == 2
    assert "--spec" in r.output and "Traceback" not in r.output


def test_unknown_context_name_is_exit_2(minispec: Any, pack: Path) -> None:
    r = run("validate", "--spec", minispec.folder, str(pack / "good.json"), "--context",
            f"nope={pack / 'good.json'}")
    assert r.exit_code == 2
    assert "nope" in r.output


def test_output_to_files_and_stdout(minispec: Any, pack: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = run("validate", "--spec", minispec.folder, str(pack / "bad.json"), "--format", "json",
            "--output", f"json={out}", "--lang", "en")
    assert r.exit_code == 1
    assert json.loads(r.output) == json.loads(out.read_text(encoding="utf-8"))
    r = run("validate", "--spec", minispec.folder, str(pack / "bad.json"),
            "--output", "json=-")
    assert json.loads(r.output)["summary"] == {"total": 1, "conformant": 0,
                                               "nonconformant": 1, "error": 0}


def test_summary_counts_each_verdict(minispec: Any, pack: Path) -> None:
    r = run("validate", "--spec", minispec.folder, str(pack), "--format", "json")
    assert r.exit_code == 2
    assert json.loads(r.output)["summary"] == {"total": 3, "conformant": 1,
                                               "nonconformant": 1, "error": 1}
