#!/usr/bin/env python3
"""Mutation trial: does the test suite catch small, deliberate bugs in hegui's code?

Each mutant (data in tests/mutation/mutants.yaml) replaces one exact snippet of one file with
another. The working tree is never touched: the repository is copied into a temporary folder
laid out as the installed package (``hegui/``, ``hegui/validator/`` ... as in pyproject's
``[tool.setuptools.package-dir]``) beside a copy of ``tests/``; each mutant is applied to a copy,
the tests run there with ``PYTHONPATH`` pointing at it (the harness checks that ``hegui`` then
imports from the copy, not from the editable install), and the copy is restored.

A mutant is *killed* when a test fails (or the run times out), *survives* when every test
passes, and *did not apply* when its ``old`` snippet does not occur exactly once (the code
moved: the mutant is stale and must be updated). Mutants marked ``equivalent: true`` cannot
change behaviour; they still run, but do not count in the kill rate.

Usage::

    .venv/bin/python scripts/mutation_trial.py --min-rate 90           # all mutants
    .venv/bin/python scripts/mutation_trial.py --only xml-column --keep  # one, keep the copy
    .venv/bin/python scripts/mutation_trial.py --rev HEAD               # as committed

Exit status: 0 when every mutant applied and the kill rate is at least ``--min-rate``; 1 when
the rate is lower; 2 when a mutant did not apply, the unmutated tests fail, or on bad input.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

#: Repository folder -> folder inside the importable copy (pyproject's package-dir).
PACKAGE_DIRS = {
    "hegui": "hegui",
    "validator": "hegui/validator",
    "generators": "hegui/generators",
    "reports": "hegui/reports",
    "specs": "hegui/specs",
}
#: Top-level entries not copied: tooling state, build output, the package folders (laid out
#: by PACKAGE_DIRS). Everything else (tests/, docs/, scripts/, pyproject.toml ...) is copied as
#: it is, since tests read docs and scripts and pytest reads pyproject.toml.
NOT_COPIED = frozenset({".git", ".venv", "build", "dist", "out", ".mypy_cache", ".ruff_cache",
                        ".pytest_cache", ".hypothesis", *PACKAGE_DIRS})

#: The default tests of a mutant: the fast tier (what `make check` runs).
FAST_TIER = ("-m", "not slow", "tests")

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug: in ``file`` (repo-relative), ``old`` becomes ``new``."""

    id: str
    file: str
    old: str
    new: str
    description: str
    tests: tuple[str, ...] = ()
    equivalent: bool = False

    def pytest_args(self) -> tuple[str, ...]:
        """Test selection: the mutant's own test paths, else the fast tier."""
        return self.tests or FAST_TIER


@dataclass(frozen=True)
class Outcome:
    """What one mutant's run gave."""

    mutant: Mutant
    status: str  # killed | timeout | survived | not-applied
    seconds: float
    detail: str = ""

    @property
    def killed(self) -> bool:
        """Whether the tests noticed the mutant (a failure or a hang)."""
        return self.status in ("killed", "timeout")


def load_mutants(path: Path) -> list[Mutant]:
    """Read and check the mutants file; a broken entry raises ``ValueError`` naming it."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or not isinstance(doc.get("mutants"), list):
        raise ValueError(f"{path}: expected a mapping with a 'mutants' list")
    out: list[Mutant] = []
    seen: set[str] = set()
    for i, entry in enumerate(doc["mutants"]):
        where = f"{path}: mutants[{i}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: not a mapping")
        for key in ("id", "file", "old", "description"):
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise ValueError(f"{where}: '{key}' must be a non-empty string")
        if not isinstance(entry.get("new"), str):  # may be empty: the mutant deletes code
            raise ValueError(f"{where}: 'new' must be a string")
        unknown = set(entry) - {"id", "file", "old", "new", "description", "tests", "equivalent"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        if entry["id"] in seen:
            raise ValueError(f"{where}: duplicate id {entry['id']}")
        if entry["old"] == entry["new"]:
            raise ValueError(f"{where}: 'old' and 'new' are the same")
        seen.add(entry["id"])
        tests = entry.get("tests") or []
        if not isinstance(tests, list) or not all(isinstance(t, str) for t in tests):
            raise ValueError(f"{where}: 'tests' must be a list of test paths")
        out.append(Mutant(entry["id"], entry["file"], entry["old"], entry["new"],
                          " ".join(entry["description"].split()), tuple(tests),
                          bool(entry.get("equivalent", False))))
    return out


def target_path(copy: Path, repo_file: str) -> Path:
    """Where a repository file sits in the importable copy."""
    top, _, rest = repo_file.partition("/")
    if top in PACKAGE_DIRS:
        return copy / PACKAGE_DIRS[top] / rest
    return copy / repo_file


def snapshot(dest: Path, rev: str | None) -> None:
    """Lay the repository out in ``dest`` as an importable package plus tests.

    ``rev``: take every file from this git revision instead of the working tree (a stable
    copy while others edit the working tree; commit your tests first).
    """
    source = ROOT
    if rev is not None:
        source = dest.parent / "rev"
        source.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    dest.mkdir()
    # Subpackages first is not needed: copytree(dirs_exist_ok) merges hegui/ with the others.
    for top, inside in PACKAGE_DIRS.items():
        shutil.copytree(source / top, dest / inside, ignore=_IGNORE, dirs_exist_ok=True)
    for src in sorted(source.iterdir()):
        if src.name in NOT_COPIED or src.name.endswith(".egg-info"):
            continue
        if src.is_dir():
            shutil.copytree(src, dest / src.name, ignore=_IGNORE)
        else:
            shutil.copy2(src, dest / src.name)


def environment(copy: Path) -> dict[str, str]:
    """Environment of a test run in ``copy``: its package first on the path, no bytecode
    written (a restored file must never meet a mutant's cached bytecode)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    env.update(PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1",
               HEGUI_HYPOTHESIS_PROFILE=os.environ.get("HEGUI_HYPOTHESIS_PROFILE", "fast"))
    return env


def check_imports_from(copy: Path) -> None:
    """Fail unless ``hegui`` and its subpackages import from ``copy`` in a test run's
    environment (and not from the editable install's link tree)."""
    code = ("import hegui, hegui.validator.datatypes as d, hegui.reports as r, hegui.cli as c; "
            "print(hegui.__file__); print(d.__file__); print(r.__file__); print(c.__file__)")
    out = subprocess.run([sys.executable, "-c", code], cwd=copy, env=environment(copy),
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"cannot import hegui from the copy:\n{out.stderr}")
    for line in out.stdout.split():
        if not Path(line).resolve().is_relative_to(copy.resolve()):
            raise SystemExit(f"hegui imports from {line}, not from the copy {copy}")


def run_tests(copy: Path, args: Sequence[str], timeout: float) -> tuple[str, str]:
    """Run pytest in ``copy``: ("passed" | "failed" | "timeout", last lines of output)."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
           "--no-header", *args]
    try:
        proc = subprocess.run(cmd, cwd=copy, env=environment(copy), capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "timeout", f"no result within {timeout:.0f} s"
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-6:])
    if proc.returncode == 0:
        return "passed", tail
    if proc.returncode == 5:
        return "failed", "no test collected (check the mutant's test paths)\n" + tail
    return "failed", tail


def apply_mutant(copy: Path, m: Mutant) -> tuple[Path, str] | str:
    """Apply ``m`` in ``copy``: (file, original text) to restore, or why it did not apply."""
    path = target_path(copy, m.file)
    if not path.is_file():
        return f"{m.file}: no such file"
    text = path.read_text(encoding="utf-8")
    n = text.count(m.old)
    if n != 1:
        return f"{m.file}: 'old' occurs {n} times, not once"
    path.write_text(text.replace(m.old, m.new), encoding="utf-8")
    return path, text


def trial(m: Mutant, copies: queue.Queue[Path], timeout: float) -> Outcome:
    """Apply one mutant in a free copy, run its tests, restore the copy."""
    copy = copies.get()
    start = time.perf_counter()
    try:
        applied = apply_mutant(copy, m)
        if isinstance(applied, str):
            return Outcome(m, "not-applied", 0.0, applied)
        path, original = applied
        try:
            result, tail = run_tests(copy, m.pytest_args(), timeout)
        finally:
            path.write_text(original, encoding="utf-8")
        status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[result]
        return Outcome(m, status, time.perf_counter() - start, tail)
    finally:
        copies.put(copy)


def report(outcomes: list[Outcome], verbose: bool) -> tuple[float, int, int]:
    """Print one line per mutant and the totals; (kill rate %, killed, counted)."""
    width = max((len(o.mutant.id) for o in outcomes), default=10)
    for o in outcomes:
        mark = " (equivalent)" if o.mutant.equivalent else ""
        print(f"{o.status:<12} {o.mutant.id:<{width}} {o.seconds:6.1f}s  {o.mutant.file}{mark}")
        if o.status in ("survived", "not-applied") or verbose:
            print(f"{'':13}{o.mutant.description}")
            if o.detail:
                for line in o.detail.splitlines():
                    print(f"{'':13}| {line}")
    counted = [o for o in outcomes if not o.mutant.equivalent and o.status != "not-applied"]
    killed = sum(o.killed for o in counted)
    rate = 100.0 * killed / len(counted) if counted else 0.0
    return rate, killed, len(counted)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutants", type=Path, default=ROOT / "tests" / "mutation" / "mutants.yaml")
    ap.add_argument("--min-rate", type=float, default=90.0,
                    help="lowest acceptable kill rate in percent (default 90)")
    ap.add_argument("--only", action="append", default=[], metavar="ID",
                    help="run only this mutant (repeatable)")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds per mutant")
    ap.add_argument("--rev", help="take code and tests from this git revision (e.g. HEAD)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy")
    ap.add_argument("--verbose", "-v", action="store_true", help="show every run's output")
    opts = ap.parse_args(argv)

    try:
        mutants = load_mutants(opts.mutants)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"mutation trial: {exc}", file=sys.stderr)
        return 2
    if opts.only:
        unknown = set(opts.only) - {m.id for m in mutants}
        if unknown:
            print(f"mutation trial: no mutant {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        mutants = [m for m in mutants if m.id in opts.only]

    work = Path(tempfile.mkdtemp(prefix="hegui-mutation-"))
    try:
        return _run(mutants, work, opts)
    finally:
        if opts.keep:
            print(f"copy kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _run(mutants: list[Mutant], work: Path, opts: Any) -> int:
    first = work / "copy-1"
    snapshot(first, opts.rev)
    check_imports_from(first)
    jobs = max(1, min(opts.jobs, len(mutants)))
    copies: queue.Queue[Path] = queue.Queue()
    copies.put(first)
    for i in range(2, jobs + 1):
        shutil.copytree(first, work / f"copy-{i}")
        copies.put(work / f"copy-{i}")

    # The unmutated code must pass every selection used, or every mutant would look killed.
    selections = sorted({m.pytest_args() for m in mutants})
    print(f"mutation trial: {len(mutants)} mutants, {jobs} jobs, code from "
          f"{opts.rev or 'the working tree'}; checking {len(selections)} test selections "
          "on unmutated code ...", flush=True)
    lock = threading.Lock()
    broken: list[str] = []

    def baseline(args: tuple[str, ...]) -> None:
        copy = copies.get()
        try:
            result, tail = run_tests(copy, args, opts.timeout)
        finally:
            copies.put(copy)
        if result != "passed":
            with lock:
                broken.append(f"{' '.join(args)}: {result}\n{tail}")

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(baseline, selections))
    if broken:
        print("mutation trial: the tests fail without any mutant:\n" + "\n".join(broken),
              file=sys.stderr)
        return 2

    start = time.perf_counter()
    done = 0

    def one(m: Mutant) -> Outcome:
        nonlocal done
        outcome = trial(m, copies, opts.timeout)
        with lock:
            done += 1
            print(f"[{done}/{len(mutants)}] {outcome.status} {m.id}", flush=True)
        return outcome

    with ThreadPoolExecutor(jobs) as pool:
        outcomes = list(pool.map(one, mutants))
    print()
    rate, killed, counted = report(outcomes, opts.verbose)
    stale = [o.mutant.id for o in outcomes if o.status == "not-applied"]
    survived = [o.mutant.id for o in outcomes if o.status == "survived" and
                not o.mutant.equivalent]
    equivalent = sum(o.mutant.equivalent for o in outcomes)
    print(f"\nkilled {killed} of {counted} mutants: {rate:.1f}% (threshold {opts.min_rate:g}%); "
          f"{equivalent} equivalent not counted; {len(stale)} did not apply; "
          f"{time.perf_counter() - start:.0f} s")
    if survived:
        print("survived: " + ", ".join(survived))
    if stale:
        print("did not apply (update tests/mutation/mutants.yaml): " + ", ".join(stale))
        return 2
    return 0 if rate >= opts.min_rate else 1


if __name__ == "__main__":
    sys.exit(main())
