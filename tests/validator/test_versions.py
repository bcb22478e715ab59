"""Versions side by side (docs/spec-format.md, Versions): every version bundled, the payload's
version field routes it, ``<id>@<version>`` forces one, lifecycle statuses, a deprecated version
warns, an unknown one is a clear error. The CLI cases run through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hegui.validator.errors import SpecNotFound
from hegui.validator.inputs import Payload
from hegui.validator.loader import load_spec
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.versions import bundled_names, split_name

SPECS = Path(__file__).resolve().parents[2] / "specs"
APPLY_10 = SPECS / "eguarantee" / "1.0" / "examples" / "valid" / "apply.json"
APPLY_10_XML = APPLY_10.with_suffix(".xml")


def _apply(version: str | None) -> bytes:
    doc: dict[str, Any] = json.loads(APPLY_10.read_bytes())
    if version is None:
        doc.pop("specVersion")
    else:
        doc["specVersion"] = version
    return json.dumps(doc, ensure_ascii=False).encode()


def _run(data: bytes, spec: str | None = None, name: str = "p.json") -> Any:
    return Runner(RunConfig(spec=spec)).validate(Payload(name, data))


def _version_ids(result: Any) -> list[str]:
    return sorted(f.rule_id for f in result.findings if f.rule_id.startswith("specVersion@"))


def test_both_versions_are_bundled_with_their_lifecycle() -> None:
    assert {"eguarantee@1.0", "eguarantee@1.1", "window-checklist@1.0"} <= set(bundled_names())
    old, new = load_spec("eguarantee@1.0"), load_spec("eguarantee@1.1")
    assert (old.status, old.lifecycle.replaced_by) == ("deprecated", "1.1")
    assert new.status == "active" and new.lifecycle.valid_from is not None
    assert load_spec("eguarantee").version == "1.1"  # the current version: the active one


def test_names() -> None:
    assert split_name("eguarantee@1.0") == ("eguarantee", "1.0")
    assert split_name("eguarantee") == ("eguarantee", None)
    assert split_name("a@b/folder") == ("a@b/folder", None)  # not a version: a path
    with pytest.raises(SpecNotFound, match=r"no version 9\.9.*1\.0, 1\.1"):
        load_spec("eguarantee@9.9")


def test_the_payload_version_routes_it() -> None:
    old = _run(_apply("1.0"))
    assert old.spec.version == "1.0" and old.verdict == "conformant"
    [warning] = [f for f in old.findings if f.rule_id == "specVersion@deprecated"]
    assert warning.severity == "warning" and warning.location.pointer == "/specVersion"
    assert "replaced by 1.1" in warning.message.en and "1.1" in warning.message.zh
    assert _run(_apply("1.1")).spec.version == "1.1"
    # --spec <id> lets the payload pick the version too
    assert _run(_apply("1.0"), "eguarantee").spec.version == "1.0"
    assert _run(_apply("1.1"), "eguarantee").spec.version == "1.1"


def test_a_payload_without_a_version_gets_the_current_one() -> None:
    result = _run(_apply(None))
    assert result.spec.version == "1.1"
    assert _version_ids(result) == ["specVersion@required"]  # the JSON encoding names it


def test_xml_namespace_routes_it() -> None:
    result = _run(APPLY_10_XML.read_bytes(), name="apply.xml")
    assert result.spec.version == "1.0"
    assert _version_ids(result) == ["specVersion@deprecated"]


def test_unknown_version_is_a_clear_error() -> None:
    for spec in (None, "eguarantee"):
        result = _run(_apply("9.9"), spec)
        assert result.verdict == "error"
        assert _version_ids(result) == ["specVersion@enum"]
        assert "no version 9.9 (bundled: 1.0, 1.1)" in result.reason("en")


def test_forcing_a_version_refuses_another() -> None:
    result = _run(_apply("1.1"), "eguarantee@1.0")
    assert result.spec.version == "1.0" and result.verdict == "error"
    assert "--spec forces eguarantee@1.0" in result.reason("en")
    assert _run(_apply("1.0"), "eguarantee@1.0").verdict == "conformant"


def _hegui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-P", "-m", "hegui", *args], capture_output=True,
                          text=True, check=False)


def test_cli_specs_list_shows_each_version() -> None:
    proc = _hegui("specs", "list", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in proc.stdout.splitlines()}
    assert rows["eguarantee@1.0"][1] == "deprecated"
    assert rows["eguarantee@1.0"][3] == "replaced by eguarantee@1.1"
    assert rows["eguarantee@1.1"][1] == "active"
    zh = _hegui("specs", "list").stdout
    assert "已弃用" in zh and "现行" in zh and "deprecated" not in zh


def test_cli_version_routing_and_forcing(tmp_path: Path) -> None:
    newer = tmp_path / "apply-1.1.json"
    newer.write_bytes(_apply("1.1"))
    old = _hegui("validate", str(APPLY_10), "--format", "json")
    assert old.returncode == 0, old.stdout + old.stderr
    [result] = json.loads(old.stdout)["results"]
    assert result["spec"]["version"] == "1.0"
    assert "specVersion@deprecated" in {f["rule_id"] for f in result["findings"]}
    forced = _hegui("validate", str(newer), "--spec", "eguarantee@1.0", "--lang", "en")
    assert forced.returncode == 2 and "Traceback" not in forced.stderr + forced.stdout
    assert "--spec forces eguarantee@1.0" in forced.stdout
    missing = _hegui("validate", str(newer), "--spec", "eguarantee@7.0", "--lang", "en")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "no version 7.0" in missing.stderr


def test_a_deprecated_version_s_pack_expects_its_note(tmp_path: Path) -> None:
    from hegui.generators.manifest import compare_manifest
    from hegui.generators.pack import PackConfig, write_pack

    spec = load_spec("eguarantee@1.0")
    write_pack(PackConfig(spec=spec, message_types=("apply",), count=2, seed=3), tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notes"] == [{"rule_id": "specVersion@deprecated", "severity": "warning"}]
    batch = Runner(RunConfig(spec="eguarantee@1.0")).run([str(tmp_path / "valid")])
    assert {r.rule_ids for r in batch.results} == {frozenset({"specVersion@deprecated"})}
    assert compare_manifest(batch, tmp_path / "manifest.json") == []
    manifest["notes"] = []
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert compare_manifest(batch, tmp_path / "manifest.json")  # the note is not ignored


def test_versions_are_read_once_per_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detecting a payload's spec lists every version: once, not by re-reading the YAML per
    payload (that cost 80 ms a call)."""
    import hegui.validator.catalogue as catalogue

    reads: list[object] = []
    real = catalogue.read_folder
    monkeypatch.setattr(catalogue, "read_folder",
                        lambda folder, meta: reads.append(folder) or real(folder, meta))
    cat = catalogue.Catalogue()
    first = cat.versions("eguarantee")
    assert [s.version for s in first] == ["1.0", "1.1"] and len(reads) == 2
    assert [s.version for s in cat.versions("eguarantee")] == ["1.0", "1.1"]
    assert len(reads) == 2
