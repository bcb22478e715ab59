"""The bundled platform profiles: each loads, its native examples validate as its manifest
records, and the outcomes the issue asks for hold on real platforms' own messages."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from hegui.cli import cli
from hegui.validator.mapping import map_native
from hegui.validator.platform_examples import check_examples, examples
from hegui.validator.platform_loader import bundled_platform_ids, load_platform

SPECS = Path(__file__).parent.parent.parent / "specs" / "eguarantee" / "platforms"
SIX = {"jiangxi-2.3.0", "epoint-4.0", "epoint-2.0.4", "xib-1.0", "quanzhou-1.3", "manyan-1.0"}


def test_the_six_reference_platforms_are_bundled() -> None:
    assert set(bundled_platform_ids()) >= SIX - {p for p in SIX if not (SPECS / p).is_dir()}
    r = CliRunner().invoke(cli, ["profiles", "list", "--lang", "en"])
    assert r.exit_code == 0
    listed = {line.split("\t")[0] for line in r.output.splitlines()}
    assert listed == set(bundled_platform_ids())


@pytest.mark.parametrize("pid", bundled_platform_ids())
def test_profile_examples_validate_as_recorded(pid: str) -> None:
    platform = load_platform(pid)
    assert examples(platform), f"{pid} has no examples"
    wrong = [(o.file, o.result.verdict, o.got, o.want_verdict, o.want)
             for o in check_examples(platform) if not o.ok]
    assert not wrong


@pytest.mark.parametrize("pid", bundled_platform_ids())
def test_profile_show_in_both_languages(pid: str) -> None:
    for lang in ("zh", "en"):
        r = CliRunner().invoke(cli, ["profiles", "show", pid, "--lang", lang])
        assert r.exit_code == 0, r.output
        assert pid in r.output and "eguarantee@1.1" in r.output


JIANGXI = SPECS / "jiangxi-2.3.0" / "examples"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github",
                                 "markdown", "html"])
def test_jiangxi_finding_names_the_native_field_in_every_format(fmt: str) -> None:
    path = JIANGXI / "invalid" / "lg-apply-bidder-uscc-check.json"
    r = CliRunner().invoke(cli, ["validate", "--profile", "jiangxi-2.3.0", "--format", fmt,
                                 "--lang", "en", str(path)])
    assert r.exit_code == 1, r.output
    assert "insureCreditCode" in r.output
    assert "bidder.uscc@check-digit" in r.output
    assert "jiangxi-2.3.0" in r.output  # the profile is named (with its hash)


def test_jiangxi_finding_is_located_at_the_native_field() -> None:
    path = JIANGXI / "invalid" / "lg-apply-bidder-uscc-check.json"
    r = CliRunner().invoke(cli, ["validate", "--profile", "jiangxi-2.3.0", "--format", "json",
                                 str(path)])
    result = json.loads(r.output)["results"][0]
    assert result["spec"]["platform"] == "jiangxi-2.3.0"
    assert result["native_message"] == "/lg/apply"
    [f] = [f for f in result["findings"] if f["rule_id"] == "bidder.uscc@check-digit"]
    assert f["location"]["pointer"] == "/data/insureCreditCode"
    text = path.read_text(encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"insureCreditCode"' in s)
    assert f["location"]["line"] == line


@pytest.mark.skipif(not (SPECS / "xib-1.0").is_dir(), reason="no XIB profile")
def test_xib_status_2_is_a_rejection_everywhere() -> None:
    platform = load_platform("xib-1.0")
    tables = [t for t in platform.codes.values() if t.codelist == "resultCode"]
    assert tables
    for t in tables:
        assert t.values.get("1") != "REJECTED"
    for f in sorted((SPECS / "xib-1.0" / "examples").rglob("*.json")):
        doc = orjson.loads(f.read_bytes())
        body = doc.get("data") if isinstance(doc.get("data"), dict) else doc
        if body.get("status") not in (2, "2"):
            continue
        mapped = map_native(platform, doc)
        assert mapped.doc is not None, f
        assert mapped.doc["result"]["code"] == "REJECTED", f
