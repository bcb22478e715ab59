"""`hegui validate` exit codes and the JSON contract, through CliRunner and a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from hegui.cli import cli
from hegui.reports.json_load import result_schema
from hegui.validator.codec import json_to_xml
from hegui.validator.spec import Spec

sys.path.insert(0, str(Path(__file__).parent.parent / "validator"))
from test_engine import mutate, valid_order


@pytest.fixture()
def payloads(tmp_path: Path, minispec: Spec) -> dict[str, Path]:
    good = tmp_path / "in" / "good.json"
    good.parent.mkdir()
    good.write_text(json.dumps(valid_order(), ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "in" / "sub" / "bad.xml"
    bad.parent.mkdir()
    bad.write_bytes(json_to_xml(mutate("order/kind", "9"), minispec))
    broken = tmp_path / "broken.json"
    broken.write_text('{"messageType": "order",', encoding="utf-8")
    lines = tmp_path / "batch.jsonl"
    lines.write_text(json.dumps(valid_order()) + "\n\n" + json.dumps(mutate("order/fee", "1.00"))
                     + "\n", encoding="utf-8")
    return {"good": good, "bad": bad, "broken": broken, "lines": lines, "dir": good.parent}


def run(args: list[str], stdin: bytes | None = None) -> Any:
    return CliRunner().invoke(cli, args, input=stdin)


def contract(output: str) -> dict[str, Any]:
    doc = json.loads(output)
    jsonschema.Draft202012Validator(result_schema()).validate(doc)
    return doc  # type: ignore[no-any-return]


def test_conformant_exits_0(minispec: Spec, payloads: dict[str, Path]) -> None:
    r = run(["validate", "--spec", minispec.folder, str(payloads["good"]), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = contract(r.output)
    assert doc["summary"]["conformant"] == 1
    assert doc["results"][0]["spec"]["sha256"] == minispec.content_sha256


def test_nonconformant_exits_1_with_location(minispec: Spec, payloads: dict[str, Path]) -> None:
    r = run(["validate", "--spec", minispec.folder, str(payloads["bad"]), "--format", "json",
             "--lang", "en"])
    assert r.exit_code == 1, r.output
    finding = contract(r.output)["results"][0]["findings"][0]
    assert finding["rule_id"] == "order.kind@enum"
    assert finding["location"]["xpath"] == "/order/order/kind"
    assert finding["location"]["line"] > 1


def test_unparseable_exits_2_and_batch_goes_on(minispec: Spec, payloads: dict[str, Path]) -> None:
    r = run(["validate", "--spec", minispec.folder, str(payloads["broken"]),
             str(payloads["good"]), "missing.json", "--format", "json"])
    assert r.exit_code == 2
    doc = contract(r.output)
    verdicts = {Path(x["source"]).name: x["verdict"] for x in doc["results"]}
    assert verdicts == {"broken.json": "error", "good.json": "conformant", "missing.json": "error"}


def test_folder_is_walked_recursively(minispec: Spec, payloads: dict[str, Path]) -> None:
    r = run(["validate", "--spec", minispec.folder, str(payloads["dir"]), "--format", "json"])
    assert r.exit_code == 1
    names = sorted(Path(x["source"]).name for x in contract(r.output)["results"])
    assert names == ["bad.xml", "good.json"]


def test_json_lines_one_result_per_line(minispec: Spec, payloads: dict[str, Path]) -> None:
    r = run(["validate", "--spec", minispec.folder, str(payloads["lines"]), "--format", "json"])
    assert r.exit_code == 1
    results = contract(r.output)["results"]
    assert [x["source"].rsplit(":", 1)[1] for x in results] == ["1", "3"]
    assert [x["verdict"] for x in results] == ["conformant", "nonconformant"]


def test_stdin(minispec: Spec) -> None:
    r = run(["validate", "--spec", minispec.folder, "-", "--format", "json"],
            stdin=json.dumps(valid_order()).encode())
    assert r.exit_code == 0, r.output
    assert contract(r.output)["results"][0]["source"] == "-"


def test_text_output_names_source_line_column(minispec: Spec, payloads: dict[str, Path]) -> None:
    r = run(["validate", "--spec", minispec.folder, str(payloads["bad"]), "--lang", "en"])
    assert r.exit_code == 1
    assert f"{payloads['bad']}:" in r.output
    assert "order.kind@enum" in r.output


def test_fail_on_warning(minispec: Spec, tmp_path: Path) -> None:
    p = tmp_path / "warn.json"
    p.write_text(json.dumps(mutate("order/dueDate", "2025-01-01")), encoding="utf-8")
    assert run(["validate", "--spec", minispec.folder, str(p)]).exit_code == 0
    assert run(["validate", "--spec", minispec.folder, str(p), "--fail-on", "warning"]
               ).exit_code == 1


@pytest.mark.parametrize("args", [
    ["validate"],
    ["validate", "--spec", "no-such-spec", "x.json"],
    ["validate", "x.json", "--format", "pdf"],
    ["validate", "x.json", "--output", "nonsense"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    r = run(args)
    assert r.exit_code == 2


def test_multiple_outputs(minispec: Spec, payloads: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "reports"
    r = run(["validate", "--spec", minispec.folder, str(payloads["good"]),
             "--output", f"json={out / 'r.json'}", "--output", f"sarif={out / 'r.sarif'}"])
    assert r.exit_code == 0
    contract((out / "r.json").read_text(encoding="utf-8"))
    assert json.loads((out / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def hegui(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "hegui", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=120, check=False)


def test_subprocess_exit_codes_and_contract(minispec: Spec, payloads: dict[str, Path],
                                            tmp_path: Path) -> None:
    ok = hegui("validate", "--spec", minispec.folder, str(payloads["good"]), "--format", "json",
               cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    contract(ok.stdout.decode())
    bad = hegui("validate", "--spec", minispec.folder, str(payloads["bad"]), cwd=tmp_path)
    assert bad.returncode == 1
    err = hegui("validate", "--spec", minispec.folder, str(payloads["broken"]), cwd=tmp_path)
    assert err.returncode == 2
    usage = hegui("validate", "--no-such-option", cwd=tmp_path)
    assert usage.returncode == 2
    assert b"Traceback" not in usage.stderr + err.stderr + bad.stderr


def test_broken_spec_folder_is_a_clear_error(tmp_path: Path, minispec: Spec) -> None:
    import shutil

    folder = tmp_path / "brokenspec"
    shutil.copytree(minispec.folder, folder)
    (folder / "rules.yaml").write_text("rules: [", encoding="utf-8")
    p = hegui("validate", "--spec", str(folder), "x.json", cwd=tmp_path)
    assert p.returncode == 2
    assert b"rules.yaml:" in p.stderr and b"Traceback" not in p.stderr


def test_expect_skips_the_manifest_inside_the_pack(tmp_path: Path, minispec: Spec) -> None:
    pack = tmp_path / "pack"
    gen = CliRunner().invoke(cli, ["generate", "--spec", minispec.folder, "--count", "4",
                                   "--seed", "3", "--encoding", "json", "--out", str(pack)])
    assert gen.exit_code == 0, gen.output
    r = run(["validate", "--spec", minispec.folder, str(pack), "--expect",
             str(pack / "manifest.json"), "--format", "json"])
    assert r.exit_code == 0, r.output
    sources = [x["source"] for x in contract(r.output)["results"]]
    assert sources and not any(s.endswith("manifest.json") for s in sources)


def test_json_lines_on_stdin_are_records(minispec: Spec) -> None:
    text = json.dumps(valid_order()) + "\n" + json.dumps(mutate("order/fee", "1.00")) + "\n"
    result = run(["validate", "--spec", minispec.folder, "--format", "json", "-"],
                 stdin=text.encode())
    doc = json.loads(result.output)
    assert [(r["source"], r["verdict"]) for r in doc["results"]] == [
        ("-:1", "conformant"), ("-:2", "nonconformant")]
    pretty = json.dumps(valid_order(), indent=2).encode()  # one object over many lines
    result = run(["validate", "--spec", minispec.folder, "--format", "json", "-"],
                 stdin=pretty)
    assert [r["source"] for r in json.loads(result.output)["results"]] == ["-"]


def test_quiet_prints_only_the_summary(minispec: Spec, payloads: dict[str, Path],
                                       tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    r = run(["validate", "--spec", minispec.folder, "-q", "--lang", "en", str(payloads["good"]),
             str(payloads["bad"]), "--output", f"json={report}"])
    assert r.exit_code == 1
    assert r.output == "2 input(s): 1 conformant, 1 nonconformant, 0 error\n"
    assert len(json.loads(report.read_text("utf-8"))["results"]) == 2
