"""Batch throughput and memory of the CLI, measured from real runs (noisy machines: one run
each): ``hegui validate --format jsonl`` over JSON Lines files of N apply payloads, serial and
with ``--jobs 2``, printing payloads/s, the peak RSS the kernel reports (``wait4``: the largest
of the process and its workers) and the speed-up; then each other report format once per size
(with ``--jobs``), its payloads/s and peak RSS; then a 1 GB JSON Lines archive of apply
payloads with ``--format jsonl`` and ``--jobs`` (issue 13's goal: under 60 s, under 300 MiB).
Never asserted in tests. The default sizes take about an hour on two cores.

    .venv/bin/python -P benchmarks/bench_batch.py [--sizes 10000,100000,1000000] [--jobs 2]
        [--formats json,junit,sarif,html,text] [--no-gigabyte]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPLY = ROOT / "specs/eguarantee/1.1/examples/valid/apply.json"
HEGUI = Path(sys.executable).with_name("hegui")


def run(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MiB and the exit code of ``hegui`` with ``args``."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(HEGUI), *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, proc.returncode


def main() -> None:
    """Print one line per size and job count."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="json,junit,sarif,html,text",
                        help="report formats measured beside jsonl ('' for none)")
    parser.add_argument("--no-gigabyte", dest="gigabyte", action="store_false",
                        help="leave out the 1 GB archive")
    args = parser.parse_args()
    line = json.dumps(json.loads(APPLY.read_text(encoding="utf-8")), ensure_ascii=False)
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"apply-{n}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for _ in range(n):
                    f.write(line + "\n")
            mib = path.stat().st_size / 2**20
            serial = None
            for jobs in (1, args.jobs):
                wall, rss, code = run(["validate", "--spec", "eguarantee", str(path),
                                       "--format", "jsonl", "--output", f"jsonl={tmp}/out.jsonl",
                                       "-q", "--jobs", str(jobs)])
                assert code == 0, f"exit {code}"
                serial = serial or wall
                print(f"{n:>9,} payloads ({mib:6.0f} MiB) --jobs {jobs}: {n / wall:7.0f} "
                      f"payloads/s, peak RSS {rss:4d} MiB, {serial / wall:.2f}x serial")
            for fmt in filter(None, args.formats.split(",")):
                out = Path(tmp) / f"report.{fmt}"
                wall, rss, code = run(["validate", "--spec", "eguarantee", str(path), "-q",
                                       "--output", f"{fmt}={out}", "--jobs", str(args.jobs)])
                assert code == 0, f"exit {code}"
                size = out.stat().st_size / 2**20
                out.unlink()
                print(f"{n:>9,} payloads --format {fmt:<6} --jobs {args.jobs}: {n / wall:7.0f} "
                      f"payloads/s, peak RSS {rss:4d} MiB (report {size:.0f} MiB)")
            path.unlink()
        if args.gigabyte:
            gigabyte(Path(tmp), line, args.jobs)


def gigabyte(tmp: Path, line: str, jobs: int) -> None:
    """Validate 1 GB of JSON Lines (as many apply payloads as fit) and print the figures."""
    data = (line + "\n").encode("utf-8")
    n = 10**9 // len(data)
    path = tmp / "gigabyte.jsonl"
    with path.open("wb") as f:
        for _ in range(n):
            f.write(data)
    out = tmp / "gigabyte-out.jsonl"
    wall, rss, code = run(["validate", "--spec", "eguarantee", str(path), "-q", "--format",
                           "jsonl", "--output", f"jsonl={out}", "--jobs", str(jobs)])
    assert code == 0, f"exit {code}"
    print(f"1 GB archive ({path.stat().st_size / 10**9:.2f} GB, {n:,} apply payloads) --format "
          f"jsonl --jobs {jobs}: {wall:.1f} s ({n / wall:.0f} payloads/s; goal under 60 s), "
          f"peak RSS {rss} MiB (goal under 300 MiB)")
    path.unlink()
    out.unlink()


if __name__ == "__main__":
    main()
