"""Record the verdicts and findings hegui gives today, to compare against after a redesign.

Writes ``tests/baseline/baseline.json``: for every bundled example and regression file, the
verdict and each finding (rule id, severity, stage, location); for a seeded test pack of each
bundled spec, every file's manifest expectation and what validating it gives.
``tests/test_baseline.py`` recomputes the same and compares. Re-record only on purpose (a change
of behaviour), never to make that test pass:

    .venv/bin/python -P scripts/record_baseline.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hegui.generators.pack import PackConfig, build_pack
from hegui.validator.inputs import Payload
from hegui.validator.loader import load_spec
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.versions import bundled_names

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "baseline" / "baseline.json"
PACK_SEED = 1
PACK_COUNT = 6


def describe(result: Result) -> dict[str, Any]:
    """The parts of a result a redesign must keep: verdict, message type, every finding."""
    return {
        "verdict": result.verdict,
        "message_type": result.message_type,
        "rules_evaluated": sorted(result.rules_evaluated),
        "findings": [
            [f.rule_id, f.severity, f.stage, f.location.pointer, f.location.xpath,
             f.location.line, f.location.column, f.value]
            for f in result.findings],
    }


def examples() -> dict[str, Any]:
    """Every bundled example (of every version) and regression file, validated with its spec
    (keys: ``<id>@<version>:<path>``)."""
    out: dict[str, Any] = {}
    for sid in bundled_names():
        folder = Path(load_spec(sid).folder) / "examples"
        runner = Runner(RunConfig(spec=sid))
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".json", ".xml") and path.is_file():
                result = runner.run([str(path)]).results[-1]
                out[f"{sid}:{path.relative_to(folder).as_posix()}"] = describe(result)
    runner = Runner(RunConfig(spec="eguarantee@1.0"))  # the regressions were found on 1.0
    for path in sorted((ROOT / "tests" / "regressions").iterdir()):
        if path.suffix in (".json", ".xml"):
            out[f"regression:{path.name}"] = describe(runner.run([str(path)]).results[-1])
    return out


def packs() -> dict[str, Any]:
    """A small seeded pack per bundled spec version: each file's expectation and actual result.

    Not the files' bytes: before the redesign, a pack drawn twice in one process differed in a
    few invalid files (strategies cached across runs), so bytes were not a stable baseline."""
    out: dict[str, Any] = {}
    for sid in bundled_names():
        spec = load_spec(sid)
        config = PackConfig(spec=spec, message_types=tuple(spec.message_types),
                            count=PACK_COUNT, seed=PACK_SEED, invalid=True)
        files, skipped = build_pack(config)
        runner = Runner(RunConfig(spec=sid))
        for pack_file, data in files:
            result = runner.validate(Payload(pack_file.path, data))
            out[f"{sid}:{pack_file.path}"] = {
                "expected": [pack_file.verdict, list(pack_file.rule_ids)],
                "verdict": result.verdict,
                "rule_ids": sorted(f.rule_id for f in result.findings),
            }
        out[f"{sid}:skipped"] = sorted(s.rule_id for s in skipped)
    return out


def record() -> dict[str, Any]:
    """Everything the baseline holds."""
    return {"examples": examples(), "packs": packs()}


if __name__ == "__main__":
    OUT.write_text(json.dumps(record(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
