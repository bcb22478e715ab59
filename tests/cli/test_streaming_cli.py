"""Streaming JSON Lines reports (--format jsonl) and parallel runs (--jobs): the same results
as the batch run, in input order, every input accounted for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hegui.cli import cli

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "specs" / "eguarantee" / "1.1" / "examples"
KEYS = ROOT / "tests" / "data" / "keys" / "test-keys.json"


def _inputs(tmp_path: Path) -> list[str]:
    """Valid and invalid examples, a JSON Lines file with a broken line, an unreadable path."""
    lines = [(EXAMPLES / "valid" / "apply.json").read_text(encoding="utf-8").replace("\n", "")]
    lines += ["{not json", lines[0]]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(EXAMPLES / "valid"), str(EXAMPLES / "invalid"), str(batch),
            str(tmp_path / "missing.json")]


def _stable(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "elapsed_ms"}


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_stream_has_every_result_of_the_json_report(tmp_path: Path, jobs: str) -> None:
    inputs = _inputs(tmp_path)
    runner = CliRunner()
    whole = runner.invoke(cli, ["validate", "--spec", "eguarantee", "--format", "json",
                                *inputs])
    assert whole.exit_code == 2  # the missing file and the broken line cannot be evaluated
    want = [_stable(r) for r in json.loads(whole.stdout)["results"]]
    streamed = runner.invoke(cli, ["validate", "--spec", "eguarantee", "--format", "jsonl",
                                   "--jobs", jobs, *inputs])
    assert streamed.exit_code == 2
    lines = _jsonl(streamed.stdout)
    assert lines[0]["type"] == "header" and lines[0]["format_version"] == "1.5"
    assert lines[-1] == {"type": "summary", **json.loads(whole.stdout)["summary"]}
    got = [_stable({k: v for k, v in x.items() if k != "type"}) for x in lines[1:-1]]
    assert got == want  # same results, same order, nothing lost
    assert {r["verdict"] for r in got} == {"conformant", "nonconformant", "error"}


def test_parallel_batch_reports_equal_the_serial_ones(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    runner = CliRunner()
    out = {}
    for jobs in ("1", "2"):
        r = runner.invoke(cli, ["validate", "--spec", "eguarantee", "--jobs", jobs, "--format",
                                "json", "--output", f"jsonl={tmp_path / f'j{jobs}.jsonl'}",
                                *inputs])
        assert r.exit_code == 2
        out[jobs] = [_stable(x) for x in json.loads(r.stdout)["results"]]
        lines = _jsonl((tmp_path / f"j{jobs}.jsonl").read_text(encoding="utf-8"))
        assert len(lines) == len(out[jobs]) + 2  # written whole beside the JSON report
    assert out["1"] == out["2"]


def test_request_ids_repeat_across_workers(tmp_path: Path) -> None:
    jx = ROOT / "specs" / "eguarantee" / "platforms" / "jiangxi-2.3.0" / "examples" / "valid"
    runner = CliRunner()
    r = runner.invoke(cli, ["envelope", "seal", "--profile", "jiangxi-2.3.0", "--keys",
                            str(KEYS), str(jx / "lg-apply.json")])
    assert r.exit_code == 0, r.output
    one = json.dumps(json.loads(r.stdout), ensure_ascii=False)
    (tmp_path / "sealed.jsonl").write_text("\n".join([one] * 150) + "\n", encoding="utf-8")
    r = runner.invoke(cli, ["validate", "--profile", "jiangxi-2.3.0", "--keys", str(KEYS),
                            "--format", "jsonl", "--jobs", "2", str(tmp_path / "sealed.jsonl")])
    results = _jsonl(r.stdout)[1:-1]
    dup = [x for x in results if "envelope.requestId@duplicate" in
           {f["rule_id"] for f in x["findings"]}]
    assert len(results) == 150 and len(dup) == 149  # every copy after the first, any worker
    assert results[0]["verdict"] == "conformant"


def test_jsonl_file_output_is_atomic_and_quiet_counts(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.jsonl"
    r = CliRunner().invoke(cli, ["validate", "--spec", "eguarantee", "-q", "--format", "jsonl",
                                 "--output", f"jsonl={target}", str(EXAMPLES / "valid")])
    assert r.exit_code == 0, r.output
    lines = _jsonl(target.read_text(encoding="utf-8"))
    assert lines[-1]["type"] == "summary" and lines[-1]["total"] == len(lines) - 2
    assert not list(target.parent.glob(".*.tmp"))
    assert str(lines[-1]["total"]) in r.output


def test_jsonl_result_lines_satisfy_the_result_schema(tmp_path: Path) -> None:
    """Each result line is an entry of the JSON result, as its JSON Schema defines it."""
    import jsonschema

    schema = json.loads((ROOT / "reports" / "schemas" / "result.schema.json")
                        .read_text(encoding="utf-8"))
    entry = {**schema, "$ref": "#/$defs/result"}
    for key in ("required", "properties", "additionalProperties", "type"):
        entry.pop(key, None)
    r = CliRunner().invoke(cli, ["validate", "--spec", "eguarantee", "--format", "jsonl",
                                 *_inputs(tmp_path)])
    lines = _jsonl(r.stdout)
    for line in lines[1:-1]:
        jsonschema.validate({k: v for k, v in line.items() if k != "type"}, entry)
    header = {k: v for k, v in lines[0].items() if k != "type"}
    assert set(header) == {"format", "format_version", "tool", "started_at", "lang", "options"}


def test_a_long_json_lines_file_is_read_by_the_workers_in_ranges(tmp_path: Path) -> None:
    """600 lines (about 2 MB, several ranges of validator.jsonl_ranges): with --jobs 2 the
    workers read their own lines, and the results are the serial run's, line for line."""
    apply = json.loads((EXAMPLES / "valid" / "apply.json").read_text(encoding="utf-8"))
    lines = []
    for i in range(600):
        doc = dict(apply, header={**apply["header"], "messageId": f"M{i:06d}"})
        lines.append("{broken" if i % 97 == 5 else "" if i % 89 == 7 else
                     json.dumps(doc, ensure_ascii=False))
    path = tmp_path / "long.jsonl"
    path.write_text("\r\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 4 * (1 << 18)
    runner = CliRunner()
    out = {}
    for jobs in ("1", "2"):
        r = runner.invoke(cli, ["validate", "--spec", "eguarantee", "--format", "jsonl",
                                "--jobs", jobs, str(path)])
        assert r.exit_code == 2, r.output  # the broken lines
        out[jobs] = [_stable(x) for x in _jsonl(r.stdout)[1:]]
    assert out["1"] == out["2"]
    sources = [x["source"] for x in out["2"][:-1]]
    assert len(sources) == 600 - sum(1 for i in range(600) if i % 89 == 7 and i % 97 != 5)
    assert sources[:3] == [f"{path}:1", f"{path}:2", f"{path}:3"]
