"""The platform-profile commands end to end: profiles list|show|check, validate --profile,
convert --profile both ways, generate --profile with --expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hegui.cli import cli

ROOT = Path(__file__).resolve().parent.parent.parent
JX = ROOT / "specs" / "eguarantee" / "platforms" / "jiangxi-2.3.0" / "examples"
SYNTHETIC = ROOT / "tests" / "data" / "platforms" / "synthetic"


def invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_profiles_check_passes_for_every_bundled_profile() -> None:
    code, out, _ = invoke("profiles", "check", "--lang", "en")
    assert code == 0
    assert out.count("\n") >= 100 and "MISMATCH" not in out


def test_profiles_show_one_message() -> None:
    code, out, _ = invoke("profiles", "show", "jiangxi-2.3.0", "--message", "/lg/apply",
                          "--lang", "en")
    assert code == 0
    assert "insureCreditCode -> bidder.uscc" in out
    code, out, _ = invoke("profiles", "show", "jiangxi-2.3.0", "--message", "/lg/nothing")
    assert code == 2


def test_validate_recognises_the_native_message_and_names_it_in_json() -> None:
    code, out, _ = invoke("validate", "--profile", "jiangxi-2.3.0", "--format", "json",
                          str(JX / "valid" / "jrapi-lgResultPush.json"))
    assert code == 0
    doc = json.loads(out)
    assert doc["options"]["platform"] == "jiangxi-2.3.0"
    assert doc["results"][0]["native_message"] == "/jrapi/lg/lgResultPush"
    assert doc["results"][0]["message_type"] == "issueNotice"


def test_a_native_message_is_detected_without_profile() -> None:
    code, out, _ = invoke("validate", "--format", "json",
                          str(JX / "valid" / "jrapi-lgResultPush.json"))
    doc = json.loads(out)
    assert doc["results"][0]["spec"]["platform"] == "jiangxi-2.3.0", out
    assert code == 0


def test_spec_and_profile_must_agree() -> None:
    code, out, err = invoke("validate", "--profile", "jiangxi-2.3.0", "--spec", "eguarantee@1.0",
                            str(JX / "valid" / "lg-apply.json"))
    assert code == 2
    assert "maps onto eguarantee@1.1" in out + err


def test_convert_both_ways(tmp_path: Path) -> None:
    src = JX / "valid" / "lg-apply.json"
    std = tmp_path / "apply.json"
    code, _, err = invoke("convert", "--profile", "jiangxi-2.3.0", "--to", "standard", str(src),
                          "-o", str(std))
    assert code == 0, err
    doc = json.loads(std.read_text(encoding="utf-8"))
    assert doc["messageType"] == "apply" and doc["specVersion"] == "1.1"
    code, out, _ = invoke("validate", str(std))  # the canonical form validates as canonical
    assert code == 0, out
    back = tmp_path / "native.json"
    code, _, err = invoke("convert", "--profile", "jiangxi-2.3.0", "--to", "native", str(std),
                          "-o", str(back))
    assert code == 0, err
    native = json.loads(back.read_text(encoding="utf-8"))
    original = json.loads(src.read_text(encoding="utf-8"))
    assert native["data"]["insureCreditCode"] == original["data"]["insureCreditCode"]
    assert native["data"]["tenderDeposit"] == original["data"]["tenderDeposit"] or float(
        native["data"]["tenderDeposit"]) == float(original["data"]["tenderDeposit"])


def test_convert_to_standard_lists_what_it_could_not_map(tmp_path: Path) -> None:
    doc = json.loads((JX / "valid" / "lg-apply.json").read_text(encoding="utf-8"))
    doc["data"]["productType"] = 9
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = invoke("convert", "--profile", "jiangxi-2.3.0", "--to", "standard", str(path))
    assert code == 1
    assert "map.productType@code" in err


def test_convert_native_needs_a_profile() -> None:
    code, out, err = invoke("convert", "--to", "native", str(JX / "valid" / "lg-apply.json"))
    assert code == 2 and "--profile" in out + err


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["jiangxi-2.3.0", str(SYNTHETIC)])
def test_native_pack_validates_as_its_manifest_says(tmp_path: Path, profile: str) -> None:
    out = tmp_path / "pack"
    code, _, err = invoke("generate", "--profile", profile, "--count", "6", "--invalid",
                               "--seed", "3", "--out", str(out))
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["platform"]["id"] in profile or manifest["platform"]["id"] == "synthetic-1.0"
    assert manifest["files"] and all("native_message" in f for f in manifest["files"])
    assert manifest["summary"]["conformant"] > 0 and manifest["summary"]["invalid"] > 0
    code, _, err = invoke("validate", "--profile", profile, str(out), "--expect",
                               str(out / "manifest.json"), "-q")
    assert code == 0, err
