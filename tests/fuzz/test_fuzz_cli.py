"""The CLI part of the fuzz tier: ``hegui validate`` in a real subprocess over fuzzed folders.

A bounded number of runs (at most :data:`MAX_RUNS`, ``CLI_FILES`` files in all) over folders of
cases from the same generator (nested folders, odd file names, wrong extensions). Each run:
exit code in {0, 1, 2} and the one the summary implies, no traceback on standard error, and
every file in the JSON output exactly once. One more run reads a fuzzed payload on standard
input, one renders text.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hegui_fuzz import budget
from hegui_fuzz.cases import make_case

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

MAX_RUNS = 15
#: Larger cases are left to the in-process tiers (they would only slow the subprocess down).
MAX_FILE_BYTES = 2 * 1024 * 1024
NAMES = ("p", "p q", "报文", "-dash", "x.y", "\u202ertl", "e\u0301")


def hegui(*args: str, cwd: Path, stdin: bytes | None = None
          ) -> subprocess.CompletedProcess[bytes]:
    """``python -m hegui ARGS`` in ``cwd`` (not the repository: there ``hegui`` is a folder)."""
    return subprocess.run([sys.executable, "-m", "hegui", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=900, check=False)


def fuzzed_folder(root: Path, rng: random.Random, count: int) -> list[Path]:
    """``count`` fuzz cases as .json/.xml files in ``root`` and its sub-folders."""
    files = []
    while len(files) < count:
        case = make_case(rng)
        if len(case.data) > MAX_FILE_BYTES:
            continue
        ext = ".xml" if case.data.lstrip(b"\xef\xbb\xbf \n").startswith(b"<") else ".json"
        if rng.random() < 0.1:
            ext = ".xml" if ext == ".json" else ".json"
        folder = root / rng.choice(["", "sub", "sub/deeper", "空 格"])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(files):05d}-{rng.choice(NAMES)}-{case.family}{ext}"
        path.write_bytes(case.data)
        files.append(path)
    return files


def expected_exit(summary: dict[str, int]) -> int:
    """Exit code the summary implies (README: 2 any error, 1 any nonconformant, else 0)."""
    return 2 if summary["error"] else 1 if summary["nonconformant"] else 0


def test_validate_folders_of_fuzzed_files(tmp_path: Path) -> None:
    rng = random.Random(budget.SEED + 1)
    runs = min(MAX_RUNS, max(1, -(-budget.CLI_FILES // 200)))
    for run in range(runs):
        folder = tmp_path / f"run{run}"
        files = fuzzed_folder(folder, rng, budget.CLI_FILES // runs)
        lang = rng.choice(["zh", "en"])
        done = hegui("validate", str(folder), "--format", "json", "--lang", lang, cwd=tmp_path)
        budget.TALLY["cli"] += len(files)
        assert done.returncode in (0, 1, 2), done.stderr.decode(errors="replace")[-3000:]
        assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")[-3000:]
        out = json.loads(done.stdout)
        mine = [r["source"] for r in out["results"] if r["source"].startswith(str(folder))]
        assert sorted(mine) == sorted(str(f) for f in files)
        assert len(out["results"]) - len(mine) <= 1  # the checklist context, when loaded
        assert done.returncode == expected_exit(out["summary"])


def test_validate_standard_input_and_text_output(tmp_path: Path) -> None:
    rng = random.Random(budget.SEED + 2)
    for _ in range(3):
        case = make_case(rng)
        done = hegui("validate", "-", "--lang", "en", cwd=tmp_path, stdin=case.data)
        budget.TALLY["cli"] += 1
        assert done.returncode in (0, 1, 2)
        assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")[-3000:]
