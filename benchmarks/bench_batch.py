"""Batch throughput and memory of the CLI, measured from real runs (noisy machines: one run
each): ``hegui validate --format jsonl`` over JSON Lines files of N apply payloads, serial and
with ``--jobs 2``, printing payloads/s, the peak RSS the kernel reports for the process and its
workers (``wait4``), and the speed-up; then each other report format once per size (with
``--jobs``), its payloads/s and peak RSS. Never asserted in tests.

    .venv/bin/python -P benchmarks/bench_batch.py [--sizes 10000,100000] [--jobs 2]
        [--formats json,junit,sarif,html,text]
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
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="json,junit,sarif,html,text",
                        help="report formats measured beside jsonl ('' for none)")
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


if __name__ == "__main__":
    main()
