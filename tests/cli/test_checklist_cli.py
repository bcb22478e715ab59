"""Pre-review of applications against a checklist (`--checklist`), through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from hegui.cli import cli
from hegui.validator.codec import json_to_xml
from hegui.validator.loader import load_spec

SPEC = load_spec("window-checklist")
EXAMPLES = Path(SPEC.folder) / "examples"
APPLICATION = EXAMPLES / "valid" / "application.json"
SAMPLE = EXAMPLES / "sample-checklist.json"


def run(*args: str) -> tuple[int, dict[str, Any]]:
    r = CliRunner().invoke(cli, ["validate", "--spec", "window-checklist", "--format", "json",
                                 "--lang", "en", *args])
    return r.exit_code, json.loads(r.output) if r.output.startswith("{") else {}


def test_default_checklist_is_the_bundled_sample_and_is_reported_when_asked() -> None:
    """A conformant context document is no input of the batch (``1 input(s)`` for one payload)
    unless --include-contexts asks for it."""
    code, doc = run(str(APPLICATION))
    assert code == 0
    assert [Path(r["source"]).name for r in doc["results"]] == ["application.json"]
    assert doc["summary"]["total"] == 1
    code, doc = run("--include-contexts", str(APPLICATION))
    assert code == 0
    sources = [Path(r["source"]).name for r in doc["results"]]
    assert sources == ["sample-checklist.json", "application.json"]


def test_each_missing_material_is_named(tmp_path: Path) -> None:
    app = json.loads(APPLICATION.read_text(encoding="utf-8"))
    dropped = app["materials"].pop(0)
    p = tmp_path / "app.json"
    p.write_text(json.dumps(app, ensure_ascii=False), encoding="utf-8")
    code, doc = run(str(p))
    assert code == 1
    findings = doc["results"][-1]["findings"]
    missing = [f for f in findings if f["rule_id"] == "WC-103"]
    assert missing, findings
    assert any(dropped["materialId"] in f["message"] for f in missing)
    assert all(f["location"]["pointer"] == "/materials" for f in missing)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".xml"])
def test_checklist_in_any_encoding(tmp_path: Path, suffix: str) -> None:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    p = tmp_path / f"list{suffix}"
    if suffix == ".json":
        p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    elif suffix == ".yaml":
        p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    else:
        p.write_bytes(json_to_xml(doc, SPEC))
    code, out = run("--checklist", str(p), str(APPLICATION), "--include-contexts")
    assert code == 0, out
    assert [r["verdict"] for r in out["results"]] == ["conformant", "conformant"]


def test_checklist_breaking_its_own_rules_is_reported(tmp_path: Path) -> None:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    item = doc["items"][0]
    item["promisedLimit"] = item["statutoryLimit"] + 5
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    code, out = run("--checklist", str(p), str(APPLICATION))
    assert code == 1
    first = out["results"][0]
    assert first["verdict"] == "nonconformant"
    wc001 = [f for f in first["findings"] if f["rule_id"] == "WC-001"]
    assert wc001 and wc001[0]["location"]["pointer"] == "/items/0"
    assert wc001[0]["location"]["line"] is not None  # a line of the YAML file


def test_unreadable_checklist_is_a_usage_error(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["validate", "--spec", "window-checklist", "--checklist",
                                 str(tmp_path / "nope.json"), str(APPLICATION)])
    assert r.exit_code == 2
    assert "cannot read" in r.output
