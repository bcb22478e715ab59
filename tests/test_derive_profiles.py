"""scripts/derive_profiles.py: the committed profile layers of eguarantee 1.1 are what the
derivation writes, and minimal compliant traffic of every platform message (exactly the fields
its platform marks required or conditional, mapped onto hegui's elements) is conformant under
the 1.1 core and under its platform's profile — where 1.0 rejected nearly all of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "derive_profiles.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-P", str(SCRIPT), *args], capture_output=True,
                          text=True, check=False, cwd=ROOT)


def _rows(version: str) -> list[list[str]]:
    proc = _run("--spec", str(ROOT / "specs" / "eguarantee" / version), "--measure")
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stdout.splitlines() if x.startswith("| ") and "---" not in x]
    return [[c.strip() for c in x.strip("|").split("|")] for x in lines[1:]]


def test_committed_profiles_are_what_the_derivation_writes() -> None:
    proc = _run("--spec", str(ROOT / "specs" / "eguarantee" / "1.1"), "--check")
    assert proc.returncode == 0, proc.stderr


def test_minimal_compliant_traffic_is_conformant_under_core_and_profile() -> None:
    rows = _rows("1.1")
    assert len(rows) >= 60  # every platform message that maps onto a 1.1 message type
    bad = [r for r in rows if r[4:6] != ["conformant", "conformant"]]
    assert bad == []
    old = _rows("1.0")
    assert sum(r[4] == "conformant" for r in old) <= 5 < len(old)  # 1.0: 3 of 43
