"""Run the reference corpus's published example bodies through their platform profiles.

Reads ``tests/data/platforms/real-eguarantee-examples.json`` (a verbatim copy of the shared
reference's 53 examples) and ``tests/data/platforms/reference-examples.yaml`` (each example's
profile, native message and expected outcome, explained), validates every example that is run
(its ``example_raw`` text, exactly as published) and prints, per example, the outcome and
whether it is the expected one, then per profile how many example bodies validate with only
their true findings (the expected ones)::

    .venv/bin/python -P scripts/reference_examples.py [--lang zh|en]

Exit codes: 0 every outcome as expected, 1 an outcome differs, 2 the files cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hegui.validator.engine import Options, Validator
from hegui.validator.loader import load_spec
from hegui.validator.platform_loader import load_platform
from hegui.validator.result import Result

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "platforms"
EXAMPLES = DATA / "real-eguarantee-examples.json"
MANIFEST = DATA / "reference-examples.yaml"


@dataclass(frozen=True)
class Outcome:
    """One example: its manifest entry and, when it is run, the result."""

    entry: dict[str, Any]
    result: Result | None

    @property
    def got(self) -> tuple[str, ...]:
        """Rule ids of the errors and warnings found, sorted."""
        if self.result is None:
            return ()
        return tuple(sorted(f.rule_id for f in self.result.findings if f.severity != "info"))

    @property
    def ok(self) -> bool:
        """Whether the outcome is the expected one."""
        want = tuple(sorted(self.entry.get("findings") or ()))
        if self.result is None:
            return self.entry["outcome"] == "not-run"
        return self.result.verdict == self.entry["outcome"] and self.got == want


def outcomes() -> Iterator[Outcome]:
    """Every example of the corpus with its manifest entry, run where the entry says."""
    examples = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    entries = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["examples"]
    if sorted(e["index"] for e in entries) != list(range(len(examples))):
        raise ValueError(f"{MANIFEST.name} must have one entry per example "
                         f"(0..{len(examples) - 1})")
    validators: dict[str, Validator] = {}
    for e in sorted(entries, key=lambda x: x["index"]):
        if e["outcome"] == "not-run" or e.get("profile") is None:
            yield Outcome(e, None)
            continue
        pid = e["profile"]
        if pid not in validators:
            platform = load_platform(pid)
            validators[pid] = Validator(load_spec(platform.spec, platform.layer),
                                        platform=platform)
        raw = examples[e["index"]]["example_raw"].encode("utf-8")
        yield Outcome(e, validators[pid].validate(raw, f"example-{e['index']}.json", Options(
            native_message=e.get("message"), encoding="json")))


def main(argv: Sequence[str] | None = None) -> int:
    """Print every outcome and the per-profile measurement."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    args = parser.parse_args(argv)
    try:
        found = list(outcomes())
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        print(f"{'无法使用参考示例' if args.lang == 'zh' else 'cannot use the examples'}: {exc}",
              file=sys.stderr)
        return 2
    per: Counter[tuple[str, str]] = Counter()
    for o in found:
        e = o.entry
        verdict = o.result.verdict if o.result else "not-run"
        mark = "ok" if o.ok else "MISMATCH"
        print(f"{mark}\t{e['index']}\t{e.get('profile') or '-'}\t{e.get('message') or '-'}\t"
              f"{verdict}\t{','.join(o.got) or '-'}")
        if o.result is not None:
            per[(e["profile"], "run")] += 1
            per[(e["profile"], "as expected")] += o.ok
            per[(e["profile"], verdict)] += 1
        else:
            per[(e.get("profile") or "-", "not run")] += 1
    print()
    for pid in sorted({p for p, _ in per}):
        row = {k: n for (p, k), n in per.items() if p == pid}
        print(f"{pid}\t" + ", ".join(f"{k} {n}" for k, n in sorted(row.items())))
    return 0 if all(o.ok for o in found) else 1


if __name__ == "__main__":
    sys.exit(main())
