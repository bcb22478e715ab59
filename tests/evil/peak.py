"""Run a command and write its peak resident size (KiB) to a file: ``peak.py OUT CMD...``.

A child's ``ru_maxrss`` includes what it held between fork and exec — a copy of its parent's
resident pages — so a test process grown to 340 MB would see every child at 340 MB. This small
launcher is that parent instead; it exits with the command's exit code (or its signal).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def main() -> None:
    """Run ``sys.argv[2:]``, record its peak memory in ``sys.argv[1]``, exit as it did."""
    out, cmd = sys.argv[1], sys.argv[2:]
    child = subprocess.Popen(cmd)
    signal.signal(signal.SIGTERM, lambda *_: child.kill())
    _, status, usage = os.wait4(child.pid, 0)
    with open(out, "w", encoding="ascii") as fh:
        fh.write(str(usage.ru_maxrss))
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


if __name__ == "__main__":
    main()
