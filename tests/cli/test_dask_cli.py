"""hegui validate --dask: the same inputs on a Dask LocalCluster (2 worker processes) give the
same results, in the same order, as the local run (all but ``elapsed_ms``, a wall time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hegui.cli import cli

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "specs" / "eguarantee" / "1.1" / "examples"


def _canonical(stdout: str) -> list[str]:
    out = []
    for r in json.loads(stdout)["results"]:
        r.pop("elapsed_ms")
        out.append(json.dumps(r, ensure_ascii=False, sort_keys=True))
    return out


@pytest.fixture(scope="module")
def cluster() -> Any:
    c = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=None, host="127.0.0.1")
    yield c
    c.close()


def test_dask_and_local_runs_agree_byte_for_byte(tmp_path: Path, cluster: Any) -> None:
    apply = (EXAMPLES / "valid" / "apply.json").read_text(encoding="utf-8").replace("\n", "")
    # more than one chunk of files, a JSON Lines file of several byte ranges (the workers read
    # their lines themselves), and a line that cannot be read
    lines = [apply] * 600 + ["{broken"]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (tmp_path / "batch.jsonl").stat().st_size > 2 * (1 << 20)
    inputs = [str(EXAMPLES / "valid"), str(EXAMPLES / "invalid"), str(tmp_path / "batch.jsonl")]
    runner = CliRunner()
    local = runner.invoke(cli, ["validate", "--spec", "eguarantee", "--format", "json",
                                *inputs])
    remote = runner.invoke(cli, ["validate", "--spec", "eguarantee", "--format", "json",
                                 "--dask", cluster.scheduler_address, *inputs])
    assert local.exit_code == remote.exit_code == 2, remote.output
    want, got = _canonical(local.stdout), _canonical(remote.stdout)
    assert len(got) == len(want) > 680
    assert got == want
    assert json.loads(remote.stdout)["summary"] == json.loads(local.stdout)["summary"]


def test_an_unreachable_scheduler_is_a_usage_error() -> None:
    r = CliRunner().invoke(cli, ["validate", "--spec", "eguarantee", "--dask",
                                 "tcp://127.0.0.1:9", str(EXAMPLES / "valid" / "apply.json")])
    assert r.exit_code == 2 and "cannot reach the Dask scheduler" in r.output
