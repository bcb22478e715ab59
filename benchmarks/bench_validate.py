"""Throughput ratios of DESIGN.md's performance budget, measured in one run (noisy machines).

Prints payloads/s for full validation (parse + schema + datatypes + all rules) of JSON and XML,
the schema-only baselines (jsonschema, xmlschema) on the same payloads, the parse-only floors
(orjson, lxml) and the ratios against issue 13's goals (JSON >= 12x jsonschema, XML >= 10x
xmlschema), for the full apply message and a small message of each spec; then the CLI's cold
start for one small file. Never asserted in tests.

    .venv/bin/python benchmarks/bench_validate.py [--spec eguarantee] [--seconds 2]

Pin it to one core (``taskset -c 0``) for per-core figures.
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


#: (spec, example file) pairs measured: the full apply message and a small one of each spec.
CASES = (("eguarantee", "apply.json"), ("eguarantee", "refundRequest-core.json"),
         ("window-checklist", "application.json"), ("window-checklist", "checklist.json"))


def measure(spec_id: str, name: str, t: float) -> None:
    """Print the rates and the two per-core ratios of one example payload."""
    spec = load_spec(spec_id)
    json_bytes = (Path(spec.folder) / "examples" / "valid" / name).read_bytes()
    doc = orjson.loads(json_bytes)
    xml_bytes = json_to_xml(doc, spec)
    xsd_path, json_schema_path = schema_files(spec)
    validator = Validator(spec)
    assert validator.validate(json_bytes, "p.json").verdict == "conformant"
    assert validator.validate(xml_bytes, "p.xml").verdict == "conformant"
    js = jsonschema.Draft202012Validator(orjson.loads(json_schema_path.read_bytes()))
    xs = xmlschema.XMLSchema(str(xsd_path))
    assert js.is_valid(json.loads(json_bytes)) and xs.is_valid(xml_bytes)
    figures = {
        "json full (hegui)": rate(lambda: validator.validate(json_bytes, "p.json"), t),
        "json schema-only (jsonschema)": rate(
            lambda: list(js.iter_errors(json.loads(json_bytes))), t),
        "json parse-only (orjson)": rate(lambda: orjson.loads(json_bytes), t),
        "xml full (hegui)": rate(lambda: validator.validate(xml_bytes, "p.xml"), t),
        "xml schema-only (xmlschema)": rate(lambda: list(xs.iter_errors(xml_bytes)), t),
        "xml parse-only (lxml)": rate(lambda: etree.fromstring(xml_bytes), t),
    }
    mt = doc.get("messageType") or next(iter(spec.message_types))
    print(f"{spec_id} {name} ({len(json_bytes)} bytes JSON, {len(xml_bytes)} bytes XML), "
          f"{len(spec.rules_for(mt))} rules apply")
    for label, value in figures.items():
        print(f"  {label:<32} {value:>10,.0f} payloads/s")
    jr = ratio(lambda: validator.validate(json_bytes, "p.json"),
               lambda: list(js.iter_errors(json.loads(json_bytes))), t)
    xr = ratio(lambda: validator.validate(xml_bytes, "p.xml"),
               lambda: list(xs.iter_errors(xml_bytes)), t)
    print(f"  ratio JSON full / jsonschema schema-only: {jr:6.1f}x (goal >= 12x; median of 7 "
          "interleaved rounds)")
    print(f"  ratio XML full / xmlschema schema-only:   {xr:6.1f}x (goal >= 10x; median of 7 "
          "interleaved rounds)")


def main() -> None:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--spec", default="eguarantee", help="spec of the cold-start run")
    ap.add_argument("--seconds", type=float, default=2.0, help="per rate and per ratio")
    args = ap.parse_args()
    for spec_id, name in CASES:
        measure(spec_id, name, args.seconds)
    spec = load_spec(args.spec)
    example = next(p for p in sorted((Path(spec.folder) / "examples" / "valid").glob("*.json")))
    json_schema_path = schema_files(spec)[1]
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "one.json"
        small.write_bytes(example.read_bytes())
        ours = cold_start([str(bin_dir / "hegui"), "validate", "--spec", args.spec, str(small)],
                          tmp)
        print(f"CLI cold start, one small file ({example.name}): median {ours[0]:.2f} s wall, "
              f"{ours[1]:.2f} s CPU (min {ours[2]:.2f} s; 5 runs; goal under 0.35 s CPU)")
        checker = bin_dir / "check-jsonschema"
        if checker.exists():  # a dev dependency; schema-only, with the same generated schema
            theirs = cold_start([str(checker), "--schemafile", str(json_schema_path),
                                 str(small)], tmp)
            print(f"check-jsonschema cold start, same file and schema (schema only): median "
                  f"{theirs[0]:.2f} s wall, {theirs[1]:.2f} s CPU; hegui's CPU is "
                  f"{ours[1] / theirs[1]:.2f}x its CPU")
        else:
            print("check-jsonschema is not installed: no cold-start comparison")


def cold_start(command: list[str], cwd: str) -> tuple[float, float, float]:
    """Median wall, median CPU and least CPU seconds of five runs of ``command`` (as
    installed: bytecode may be written, since an environment that forbids it compiles every
    module at every start, which a user's install does not; one warm-up run first)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    times, cpus = [], []
    for _ in range(5):
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times), statistics.median(cpus), min(cpus)


if __name__ == "__main__":
    main()
