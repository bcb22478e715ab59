"""Cost against list size: a window checklist of N items (10 / 100 / 1,000 / 10,000) and an
apply message of N attachments, each validated in process. Prints milliseconds per payload and
per item, the verdict, and how many of the message type's rules were evaluated, unchecked or
failed to evaluate (issue 13: every rule evaluated, linear cost, 10,000 items under a second).
Never asserted in tests.

    .venv/bin/python -P benchmarks/bench_scaling.py [--sizes 10,100,1000,10000]
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from collections.abc import Callable
from pathlib import Path

from hegui.validator.engine import Validator
from hegui.validator.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = ROOT / "specs/window-checklist/1.0/examples/valid/checklist.json"
APPLY = ROOT / "specs/eguarantee/1.1/examples/valid/apply.json"


def checklist(n: int) -> bytes:
    """The example checklist with ``n`` items: its first item, each with its own codes."""
    doc = json.loads(CHECKLIST.read_text(encoding="utf-8"))
    base = doc["items"][0]
    items = []
    for i in range(n):
        item = copy.deepcopy(base)
        item["basicCode"] = f"9901{i:08d}"
        item["implementationCode"] = item["implementingBody"]["uscc"] + "3" + item["basicCode"]
        item["handlingItemCode"] = item["implementationCode"] + "01"
        items.append(item)
    doc["items"] = items
    doc["bundles"] = []
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def apply(n: int) -> bytes:
    """The example apply message with ``n`` attachments, each with its own name and digest."""
    doc = json.loads(APPLY.read_text(encoding="utf-8"))
    base = doc["attachments"][0]
    doc["attachments"] = []
    for i in range(n):
        item = copy.deepcopy(base)
        item["name"] = f"附件{i:05d}.pdf"
        item["url"] = f"https://files.example.com/eg/apply-{i:05d}.pdf"
        item["sha256"] = f"{i:064x}"
        doc["attachments"].append(item)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def measure(label: str, validator: Validator, build: Callable[[int], bytes], n: int,
            rules: int) -> None:
    """Print one line: the median time of validating the payload of ``n`` items."""
    data = build(n)
    result = validator.validate(data, "p.json")
    times = []
    deadline = time.perf_counter() + 3.0
    while len(times) < 3 or (time.perf_counter() < deadline and len(times) < 50):
        start = time.perf_counter()
        validator.validate(data, "p.json")
        times.append(time.perf_counter() - start)
    ms = sorted(times)[len(times) // 2] * 1000
    failed = sum(1 for f in result.findings if f.stage == "rule" and "无法求值" in f.message.zh)
    why = f" ({result.error.en})" if result.verdict == "error" and result.error else ""
    print(f"{label} {n:>6,} items ({len(data) / 1024:8.0f} KiB): {ms:9.1f} ms, "
          f"{ms * 1000 / n:7.1f} us/item; verdict {result.verdict}{why}; rules evaluated "
          f"{len(result.rules_evaluated)}/{rules}, unchecked {len(result.rules_unchecked)}, "
          f"failed {failed}")


def main() -> None:
    """Print the checklist and attachment lines."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--attachments", default="10,50")
    args = parser.parse_args()
    wc = load_spec("window-checklist@1.0")
    v = Validator(wc)
    for n in (int(s) for s in args.sizes.split(",")):
        measure("checklist", v, checklist, n, len(wc.rules_for("checklist")))
    eg = load_spec("eguarantee")
    va = Validator(eg)
    for n in (int(s) for s in args.attachments.split(",")):
        measure("apply    ", va, apply, n, len(eg.rules_for("apply")))


if __name__ == "__main__":
    main()
