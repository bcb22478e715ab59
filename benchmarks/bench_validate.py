"""Throughput ratios of DESIGN.md's performance budget, measured in one run (noisy machines).

Prints payloads/s for full validation (parse + schema + datatypes + all rules) of JSON and XML,
the schema-only baselines (jsonschema, xmlschema) on the same payloads, the parse-only floors
(orjson, lxml), their ratios against the targets (JSON >= 6x jsonschema, XML >= 10x xmlschema),
and the CLI's cold start for one small file. Never asserted in tests.

    .venv/bin/python benchmarks/bench_validate.py [--spec eguarantee] [--seconds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jsonschema
import orjson
import xmlschema
from lxml import etree

from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Validator
from hegui.validator.loader import load_spec
from hegui.validator.structure import schema_files


def _round(fn: Callable[[], object], seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def rate(fn: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``fn``: median of five timed rounds of ``seconds`` / 5."""
    fn()  # warm caches and compiled validators
    return statistics.median(_round(fn, seconds / 5) for _ in range(5))


def ratio(fast: Callable[[], object], slow: Callable[[], object], seconds: float) -> float:
    """Median over interleaved rounds of rate(fast) / rate(slow): load from other processes
    hits both sides of each round alike, so the ratio is steadier than two separate rates."""
    fast()
    slow()
    rounds = []
    for _ in range(7):
        rounds.append(_round(fast, seconds / 14) / _round(slow, seconds / 14))
    return statistics.median(rounds)


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--spec", default="eguarantee")
    ap.add_argument("--message-type", default="apply")
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()

    spec = load_spec(args.spec)
    example = next(p for p in sorted((Path(spec.folder) / "examples" / "valid").glob("*.json"))
                   if orjson.loads(p.read_bytes()).get("messageType") == args.message_type)
    json_bytes = example.read_bytes()
    doc = orjson.loads(json_bytes)
    xml_bytes = json_to_xml(doc, spec)
    xsd_path, json_schema_path = schema_files(spec)
    validator = Validator(spec)
    assert validator.validate(json_bytes, "p.json").verdict == "conformant"
    assert validator.validate(xml_bytes, "p.xml").verdict == "conformant"

    js = jsonschema.Draft202012Validator(orjson.loads(json_schema_path.read_bytes()))
    xs = xmlschema.XMLSchema(str(xsd_path))
    assert js.is_valid(json.loads(json_bytes)) and xs.is_valid(xml_bytes)

    t = args.seconds
    figures = {
        "json full (hegui)": rate(lambda: validator.validate(json_bytes, "p.json"), t),
        "json schema-only (jsonschema)": rate(
            lambda: list(js.iter_errors(json.loads(json_bytes))), t),
        "json parse-only (orjson)": rate(lambda: orjson.loads(json_bytes), t),
        "xml full (hegui)": rate(lambda: validator.validate(xml_bytes, "p.xml"), t),
        "xml schema-only (xmlschema)": rate(lambda: list(xs.iter_errors(xml_bytes)), t),
        "xml parse-only (lxml)": rate(lambda: etree.fromstring(xml_bytes), t),
    }
    print(f"payload: {example.name} ({len(json_bytes)} bytes JSON, {len(xml_bytes)} bytes XML), "
          f"{len(spec.rules_for(args.message_type))} rules apply")
    for name, value in figures.items():
        print(f"  {name:<32} {value:>10,.0f} payloads/s")
    jr = ratio(lambda: validator.validate(json_bytes, "p.json"),
               lambda: list(js.iter_errors(json.loads(json_bytes))), t)
    xr = ratio(lambda: validator.validate(xml_bytes, "p.xml"),
               lambda: list(xs.iter_errors(xml_bytes)), t)
    print(f"ratio JSON full / jsonschema schema-only: {jr:6.1f}x (target >= 6x; "
          "median of 7 interleaved rounds)")
    print(f"ratio XML full / xmlschema schema-only:   {xr:6.1f}x (target >= 10x; "
          "median of 7 interleaved rounds)")
    print(f"JSON full is {figures['json parse-only (orjson)'] / figures['json full (hegui)']:.1f}x "
          f"slower than the orjson parse floor; XML full "
          f"{figures['xml parse-only (lxml)'] / figures['xml full (hegui)']:.1f}x slower than lxml")

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "one.json"
        small.write_bytes(json_bytes)
        hegui = str(Path(sys.executable).parent / "hegui")
        # As installed: bytecode may be written (an environment that forbids it compiles every
        # module at every start, which is not what a user's install does); one warm-up run.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run([hegui, "validate", "--spec", args.spec, str(small)], cwd=tmp, env=env,
                       capture_output=True, check=False)
        times, cpus = [], []
        for _ in range(5):
            start = time.perf_counter()
            proc = subprocess.Popen([hegui, "validate", "--spec", args.spec, str(small)],
                                    cwd=tmp, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
    print(f"CLI cold start, one small file: median {statistics.median(times):.2f} s wall, "
          f"{statistics.median(cpus):.2f} s CPU (min {min(cpus):.2f} s; 5 runs; target "
          "under 0.35 s CPU)")


if __name__ == "__main__":
    main()
