"""Every published example body of the reference corpus through its platform profile gives
the outcome its manifest records and explains (tests/data/platforms/reference-examples.yaml):
placeholders such as ``xxx`` are findings, examples that are not JSON are not run, and no
example crashes or passes by accident."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent.parent / "scripts" / "reference_examples.py"
_spec = importlib.util.spec_from_file_location("reference_examples", SCRIPT)
assert _spec is not None and _spec.loader is not None
ref = importlib.util.module_from_spec(_spec)
sys.modules["reference_examples"] = ref
_spec.loader.exec_module(ref)

OUTCOMES = list(ref.outcomes())


@pytest.mark.parametrize("outcome", OUTCOMES, ids=[str(o.entry["index"]) for o in OUTCOMES])
def test_example_outcome_is_the_recorded_one(outcome: ref.Outcome) -> None:
    e = outcome.entry
    assert e["explain"]["zh"] and e["explain"]["en"]
    if outcome.result is None:
        assert e["outcome"] == "not-run"
        return
    assert outcome.ok, (outcome.result.verdict, outcome.got, e["outcome"], e["findings"])


def test_placeholder_bodies_never_pass() -> None:
    for o in OUTCOMES:
        raw = o.entry
        if o.result is not None and any("placeholder" in r for r in o.got):
            assert o.result.verdict != "conformant", raw["index"]


def test_script_exit_code() -> None:
    assert ref.main(["--lang", "en"]) == 0
