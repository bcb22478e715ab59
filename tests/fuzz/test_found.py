"""Bugs the fuzz tier found (tests/fuzz/found/README.md), replayed in a fresh process each.

Open bugs are strict xfails: each starts to pass when its bug is fixed, which fails the run
until its entry in hegui_fuzz/known.py says ``fixed``; then this test guards the fix.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hegui_fuzz.known import KNOWN, KnownBug

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

HERE = Path(__file__).parent


def test_every_reproducer_is_listed() -> None:
    listed = {b.reproducer for b in KNOWN}
    saved = {p.name for p in (HERE / "found").iterdir() if p.suffix in (".json", ".xml")}
    assert listed == saved
    readme = (HERE / "found" / "README.md").read_text(encoding="utf-8")
    assert all(name in readme for name in listed)


@pytest.mark.parametrize("bug", [
    pytest.param(b, id=b.id, marks=() if b.fixed else pytest.mark.xfail(strict=True,
                                                                      reason=b.note))
    for b in KNOWN])
def test_reproducer_breaks_no_invariant(bug: KnownBug, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(HERE / "hegui_fuzz" / "replay.py"), bug.spec_id,
         str(HERE / "found" / bug.reproducer)],
        cwd=tmp_path, capture_output=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    assert json.loads(done.stdout) == []
