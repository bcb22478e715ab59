"""Three CLI defects, through a real process: ``--checklist`` names its own spec, a context
document is no input of the batch unless asked, ``--message-type`` stands in for a body that
names no message type or spec version."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

SPECS = Path(__file__).parent.parent.parent / "specs"
APPLICATION = SPECS / "window-checklist" / "1.0" / "examples" / "valid" / "application.json"
SAMPLE = SPECS / "window-checklist" / "1.0" / "examples" / "sample-checklist.json"
APPLY = SPECS / "eguarantee" / "1.1" / "examples" / "valid" / "apply.json"  # the current version

pytestmark = pytest.mark.slow  # real processes


def hegui(*args: str, cwd: Path) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run([sys.executable, "-m", "hegui", "validate", "--format", "json",
                           "--lang", "en", *args], cwd=cwd, capture_output=True, timeout=120,
                          check=False)
    out = proc.stdout.decode()
    return proc.returncode, json.loads(out) if out.startswith("{") else {}, proc.stderr.decode()


def test_checklist_in_yaml_names_its_spec(tmp_path: Path) -> None:
    """The README's `hegui validate application.json --checklist my-list.yaml` said "needs
    --spec"; the checklist is a window-checklist document, which says the spec."""
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    (tmp_path / "my-list.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                           encoding="utf-8")
    (tmp_path / "application.json").write_bytes(APPLICATION.read_bytes())
    code, result, err = hegui("application.json", "--checklist", "my-list.yaml", cwd=tmp_path)
    assert code == 0, err
    assert [r["source"] for r in result["results"]] == ["application.json"]
    assert result["summary"]["total"] == 1  # the checklist is no input ("2 input(s)" before)
    assert result["results"][0]["spec"]["id"] == "window-checklist"


def test_context_documents_are_inputs_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "application.json").write_bytes(APPLICATION.read_bytes())
    code, result, _ = hegui("application.json", cwd=tmp_path)
    assert code == 0 and result["summary"]["total"] == 1
    code, result, _ = hegui("application.json", "--include-contexts", cwd=tmp_path)
    assert code == 0 and result["summary"]["total"] == 2
    assert Path(result["results"][0]["source"]).name == "sample-checklist.json"


def test_a_broken_checklist_is_always_reported(tmp_path: Path) -> None:
    """A nonconformant checklist counts whatever the option: rules that read it may judge the
    application wrongly (never a false pass)."""
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    doc["items"][0]["promisedLimit"] = doc["items"][0]["statutoryLimit"] + 5
    (tmp_path / "bad.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "application.json").write_bytes(APPLICATION.read_bytes())
    code, result, _ = hegui("application.json", "--checklist", "bad.json", cwd=tmp_path)
    assert code == 1
    assert [(r["source"], r["verdict"]) for r in result["results"]] == [
        ("bad.json", "nonconformant"), ("application.json", "conformant")]


@pytest.mark.parametrize("with_spec", [True, False])
def test_message_type_stands_in_for_a_body_that_names_none(tmp_path: Path,
                                                            with_spec: bool) -> None:
    body = json.loads(APPLY.read_text(encoding="utf-8"))
    del body["messageType"], body["specVersion"]
    (tmp_path / "body.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    spec = ["--spec", "eguarantee"] if with_spec else []
    code, result, err = hegui("body.json", "--message-type", "apply", *spec, cwd=tmp_path)
    assert code == 0, (err, result)
    (one,) = result["results"]
    assert one["verdict"] == "conformant" and one["message_type"] == "apply"
    assert [f["rule_id"] for f in one["findings"]] == ["payload@stand-in"]
    code, result, _ = hegui("body.json", *spec, cwd=tmp_path)
    assert code == 2  # without the option: the message type cannot be told
