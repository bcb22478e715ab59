"""Test packs: ``hegui generate`` writes payloads and a manifest; ``hegui validate --expect``
checks the validator against it; the same seed gives the same pack byte for byte.

These tests are circular by construction: the generator keeps a drawn record only when the
validator itself judges it as intended, so a pack agreeing with its manifest proves that
generation and validation are consistent and deterministic, not that either is right. The
independent check is tests/generators/test_pack_oracle.py (other schema engines)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from hegui.cli_generate import generate
from hegui.cli_validate import validate
from hegui.generators.manifest import compare_manifest
from hegui.generators.pack import PackConfig, build_pack
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import Spec


def run_generate(spec: Spec, out: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(generate, ["--spec", spec.folder, "--out", str(out), *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def run_validate(spec: Spec, out: Path, *extra: str) -> Result:
    folders = [str(out / sub) for sub in ("valid", "invalid") if (out / sub).is_dir()]
    return CliRunner().invoke(validate, [*folders, "--spec", spec.folder, "--format", "json",
                                         "--expect", str(out / "manifest.json"), *extra])


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_pack_of_100_and_every_rule_validates_as_its_manifest_says(
        egspec: Spec, tmp_path: Path) -> None:
    manifest = run_generate(egspec, tmp_path, "--count", "100", "--invalid", "--no-structural",
                            "--seed", "3")
    files = manifest["files"]
    assert manifest["spec"] == {"id": egspec.id, "version": egspec.version,
                                "sha256": egspec.content_sha256}
    assert sum(1 for f in files if not f["rule_ids"]) == 200  # 100 records, both encodings
    broken = {f["rule_ids"][0] for f in files if f["rule_ids"]}
    assert broken == {r.id for r in egspec.rules}
    result = run_validate(egspec, tmp_path)
    assert result.exit_code == 0, result.stderr


def test_window_checklist_pack_validates_as_its_manifest_says(wcspec: Spec, tmp_path: Path
                                                             ) -> None:
    manifest = run_generate(wcspec, tmp_path, "--count", "10", "--invalid", "--no-structural",
                            "--message-type", "application", "--message-type", "checklist")
    assert {f["rule_ids"][0] for f in manifest["files"] if f["rule_ids"]} == {
        r.id for r in wcspec.rules}
    assert manifest["contexts"] == {"checklist": "examples/sample-checklist.json"}
    result = run_validate(wcspec, tmp_path)  # the checklist's own result is not a pack file
    assert result.exit_code == 0, result.stderr


def test_structural_ids_pack_validates_as_its_manifest_says(egspec: Spec, tmp_path: Path
                                                            ) -> None:
    manifest = run_generate(egspec, tmp_path, "--message-type", "paymentNotice",
                            "--message-type", "cancelRequest", "--count", "4", "--invalid")
    targets = {f["rule_ids"][0] for f in manifest["files"] if f["rule_ids"]}
    assert {"header@required", "payment.paidAt@date", "bidder.uscc@check-digit",
            "cancel.type@enum", "guarantee.guaranteeNo@unexpected"} <= targets
    result = run_validate(egspec, tmp_path)
    assert result.exit_code == 0, result.stderr


def test_same_seed_same_pack_byte_for_byte(egspec: Spec, tmp_path: Path) -> None:
    args = ["--message-type", "refundResult", "--count", "4", "--invalid"]
    run_generate(egspec, tmp_path / "a", "--seed", "11", *args)
    run_generate(egspec, tmp_path / "b", "--seed", "11", *args)
    run_generate(egspec, tmp_path / "c", "--seed", "12", *args)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_same_pack_twice_in_one_process(egspec: Spec, wcspec: Spec) -> None:
    """No state carried across draws: strategies and validators live on the spec's runtime
    and depend on nothing drawn before."""
    for spec, mts in ((egspec, ("paymentNotice", "issueNotice")), (wcspec, ("checklist",))):
        config = PackConfig(spec, mts, count=3, seed=5, invalid=True)
        first, again = build_pack(config), build_pack(config)
        assert [(f, data) for f, data in first[0]] == [(f, data) for f, data in again[0]]
        assert first[1] == again[1]


def test_mismatches_are_reported(egspec: Spec, tmp_path: Path) -> None:
    run_generate(egspec, tmp_path, "--message-type", "paymentNotice", "--count", "2",
                 "--encoding", "json", "--invalid", "--no-structural")
    path = tmp_path / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    valid = [f for f in manifest["files"] if not f["rule_ids"]]
    valid[0]["verdict"], valid[0]["severity"] = "nonconformant", "error"
    valid[0]["rule_ids"] = ["EG-021"]
    manifest["files"].remove(valid[1])
    manifest["files"].append({**valid[1], "path": "valid/gone.json"})
    path.write_text(json.dumps(manifest), encoding="utf-8")
    result = run_validate(egspec, tmp_path)
    assert result.exit_code == 1
    # 1.0 is deprecated: every file also gets the manifest's note (specVersion@deprecated)
    assert (f"{valid[0]['path']}: expected nonconformant [EG-021, specVersion@deprecated], "
            f"got conformant [specVersion@deprecated]") in result.stderr
    assert f"{valid[1]['path']}: not in the manifest" in result.stderr
    assert "valid/gone.json: in the manifest but not validated" in result.stderr


def test_fail_on_warning_changes_the_expected_verdicts(egspec: Spec, tmp_path: Path) -> None:
    manifest = run_generate(egspec, tmp_path, "--message-type", "paymentNotice", "--count",
                            "1", "--encoding", "json", "--invalid", "--no-structural")
    warnings = [f for f in manifest["files"] if f["severity"] == "warning"]
    assert warnings and all(f["verdict"] == "conformant" for f in warnings)
    assert run_validate(egspec, tmp_path).exit_code == 0
    # Under --fail-on warning the deprecated version's note makes every file nonconformant,
    # and the manifest's notes say so: the run still matches the pack.
    assert run_validate(egspec, tmp_path, "--fail-on", "warning").exit_code == 0
    batch = Runner(RunConfig(spec=egspec.folder)).run([str(tmp_path / "invalid")])
    lines = compare_manifest(batch, tmp_path / "manifest.json")
    assert lines == ["valid/paymentNotice/paymentNotice-0001.json: in the manifest but not "
                     "validated"]


def test_rules_no_record_can_break_alone_are_skipped(egspec: Spec) -> None:
    # In claimRequest EG-020 (claim within the validity) implies EG-011 (valid from <= to).
    config = PackConfig(egspec, ("claimRequest",), count=0, encodings=("json",), invalid=True,
                        structural=False)
    files, skipped = build_pack(config)
    assert [s.rule_id for s in skipped] == ["EG-011"]
    assert {f.rule_ids[0] for f, _ in files} == {
        r.id for r in egspec.rules_for("claimRequest")} - {"EG-011"}


def test_regenerating_replaces_only_the_previous_pack(egspec: Spec, tmp_path: Path) -> None:
    run_generate(egspec, tmp_path, "--message-type", "claimResult", "--count", "3")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    manifest = run_generate(egspec, tmp_path, "--message-type", "cancelRequest", "--count", "1",
                            "--encoding", "xml")
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert written == sorted(["manifest.json", "notes.txt",
                              *(f["path"] for f in manifest["files"])])


def test_generate_refuses_bad_arguments(egspec: Spec, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(generate, ["--spec", egspec.folder, "--out", str(tmp_path / "x"),
                                   "--message-type", "nope"])
    assert bad.exit_code == 2 and "nope" in bad.output
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x", encoding="utf-8")
    busy = runner.invoke(generate, ["--spec", egspec.folder, "--out", str(tmp_path / "full"),
                                    "--count", "1"])
    assert busy.exit_code != 0 and (tmp_path / "full" / "keep.txt").is_file()
