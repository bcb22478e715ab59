"""Fixtures of the report tests: a frozen spec (data/spec-mini) and a hand-built Batch.

The batch covers every case a renderer must handle: a conformant payload, nonconformant ones in
both encodings (business rules, a structural finding, a related location, a hostile value), a
conformant one with a warning, an unparsable payload and one whose spec is unknown (the only one
without an evaluation time). Coverage of
spec-mini: MINI-001/002 exercised, MINI-003 passed only, MINI-004 failed only, MINI-005 never
reached.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from hegui.validator.loader import compile_folder
from hegui.validator.result import Batch, Finding, Location, Result, SpecRef, Unchecked
from hegui.validator.spec import Spec, Text

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
PAYLOADS = DATA / "payloads"
STARTED_AT = "2026-01-02T03:04:05+08:00"
TOOL_VERSION = "0.1.0-test"
HOSTILE = "<script>alert(1)</script>"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_batch(spec: Spec) -> tuple[Batch, dict[str, bytes]]:
    """The fixed batch of the report tests and the payload bytes by source."""
    sources = {f"payloads/{p.name}": p.read_bytes() for p in sorted(PAYLOADS.iterdir())}
    ref = SpecRef(spec.id, spec.version, spec.content_sha256)
    apply_rules = ("MINI-001", "MINI-002", "MINI-003")

    def rule(rule_id: str, loc: Location, value: str | None = None,
             related: tuple[Location, ...] = (), values: dict[str, str] | None = None) -> Finding:
        r = spec.rule(rule_id)
        assert r is not None, rule_id
        msg = Text(zh=_fill(r.message.zh, values or {}), en=_fill(r.message.en, values or {}))
        return Finding(rule_id, r.severity, msg, "rule", loc, r.basis.render("en"), value,
                       related)

    results = (
        Result("payloads/ok.json", "conformant", ref, "apply", "json",
               _sha(sources["payloads/ok.json"]), (), apply_rules, elapsed_ms=1.5),
        Result("payloads/bad-amount.json", "nonconformant", ref, "apply", "json",
               _sha(sources["payloads/bad-amount.json"]), (
                   Finding("guarantee.currency@enum", "error",
                           Text(zh=f"币种 {HOSTILE} 不在代码表 currency 中",
                                en=f"currency {HOSTILE} is not in code list currency"),
                           "schema", Location(pointer="/guarantee/currency", line=5, column=17),
                           "GB/T 12406 (ISO 4217) alphabetic code", HOSTILE),
                   rule("MINI-001", Location(pointer="/guarantee/amount", line=4, column=15),
                        "400000.00",
                        (Location(pointer="/project/bidSecurityAmount", line=7, column=36),),
                        values={"guarantee.amount": "400,000.00",
                           "project.bidSecurityAmount": "500,000.00"}),
               ), apply_rules, elapsed_ms=12.25),
        Result("payloads/bad.xml", "nonconformant", ref, "apply", "xml",
               _sha(sources["payloads/bad.xml"]), (
                   rule("MINI-001", Location(xpath="/apply/guarantee/amount", line=2, column=14),
                        "2000000.00",
                        (Location(xpath="/apply/project/bidSecurityAmount", line=3,
                                  column=12),),
                        values={"guarantee.amount": "2,000,000.00",
                           "project.bidSecurityAmount": "500,000.00"}),
                   rule("MINI-002", Location(xpath="/apply/guarantee/currency", line=2,
                                             column=41), "USD",
                        values={"guarantee.currency": "USD"}),
                   rule("MINI-004", Location(xpath="/apply/guarantee", line=2, column=3)),
               ), (*apply_rules, "MINI-004"), rules_unchecked=(
                   Unchecked("MINI-003", Text(
                       zh="读取的 guarantee.validTo 未通过结构或数据类型检查",
                       en="reads guarantee.validTo, which failed the schema or datatype checks"),
                       ("guarantee.validTo",)),), elapsed_ms=30.125),
        Result("payloads/warn.json", "conformant", ref, "apply", "json",
               _sha(sources["payloads/warn.json"]), (
                   rule("MINI-002", Location(pointer="/guarantee/currency", line=3, column=52),
                        "HKD", values={"guarantee.currency": "HKD"}),
               ), apply_rules, elapsed_ms=2.0),
        Result("payloads/broken.json", "error", ref, None, "json",
               _sha(sources["payloads/broken.json"]), (
                   Finding("payload@parse", "error",
                           Text(zh="JSON 无法解析：缺少冒号",
                                en="JSON cannot be parsed: ':' expected"),
                           "parse", Location(line=2, column=17)),
               ), (), Text(zh="载荷无法解析：第 2 行第 17 列缺少冒号",
                           en="payload cannot be parsed: ':' expected at line 2, column 17"),
               elapsed_ms=0.5),
        Result("payloads/unknown.json", "error", None, None, None, _sha(b"{}\n"), (), (),
               Text(zh="未识别出规范：载荷未写明已知的报文类型",
                    en="no spec detected: payload names no known message type")),
    )
    options: dict[str, object] = {
        "spec": "tests/reports/data/spec-mini", "message_type": None, "encoding": None,
        "fail_on": "error", "contexts": {}}
    return Batch(results, TOOL_VERSION, STARTED_AT, options), sources


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{dotted.path}`` placeholders as the engine does."""
    return re.sub(r"\{([^{}]+)\}", lambda m: values.get(m.group(1), m.group()), template)


@pytest.fixture(scope="session")
def report_spec() -> Spec:
    """The frozen test spec of tests/reports/data/spec-mini."""
    return compile_folder(DATA / "spec-mini")


@pytest.fixture(scope="session")
def report_specs(report_spec: Spec) -> dict[str, Spec]:
    """Specs by id, as renderers take them."""
    return {report_spec.id: report_spec}


@pytest.fixture(scope="session")
def report_batch(report_spec: Spec) -> Batch:
    """The fixed batch (see the module docstring)."""
    return build_batch(report_spec)[0]


@pytest.fixture(scope="session")
def report_sources(report_spec: Spec) -> dict[str, bytes]:
    """Payload bytes by source, for excerpts."""
    return build_batch(report_spec)[1]


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with tests/reports/golden/<name>; HEGUI_UPDATE_GOLDEN=1 rewrites it."""
    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("HEGUI_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.is_file(), f"no golden file {path}; run with HEGUI_UPDATE_GOLDEN=1"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file (HEGUI_UPDATE_GOLDEN=1)"
    return check
