"""JUnit XML for CI test tabs (Jenkins, GitLab, Azure, ...): a test suite per payload.

Each payload is a ``<testsuite>`` named by its source. It holds one ``<testcase>`` per business
rule evaluated on it (``Result.rules_evaluated``) and one per other rule id among its findings
(structural ids). A test case fails when it has a finding at least as severe as the run's
``fail_on`` option (default ``error``), so a suite has failures exactly when its payload is
nonconformant; milder findings go to ``<system-out>``. A payload that could not be evaluated is
one test case with an ``<error>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from hegui.reports.catalogue import RuleInfo, rule_catalogue
from hegui.reports.provenance import option_items
from hegui.validator.result import Batch, Finding, Result
from hegui.validator.spec import Lang, Spec
from hegui.validator.verdicts import SEVERITY_ORDER, fails

_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _NOT_XML.sub("\ufffd", text)


def _finding_text(f: Finding, lang: Lang, info: RuleInfo | None) -> str:
    loc = f.location
    where = " ".join(x for x in (
        loc.pointer or loc.xpath,
        None if loc.line is None else f"(line {loc.line}" + (
            f", column {loc.column})" if loc.column is not None else ")")) if x)
    basis = f.basis or (info.basis_text(lang) if info else None)
    lines = [f"[{f.severity}] {f.rule_id}: {f.message.get(lang)}"]
    if where:
        lines.append(f"  at {where}")
    if f.value is not None:
        lines.append(f"  value: {f.value}")
    if basis:
        lines.append(f"  basis: {basis}")
    return "\n".join(lines)


def _case_ids(r: Result) -> list[str]:
    """Test case ids of a payload: rules evaluated, then other rule ids of its findings."""
    ids = dict.fromkeys(r.rules_evaluated)
    for f in r.findings:
        ids.setdefault(f.rule_id, None)
    return list(ids)


def _suite(r: Result, lang: Lang, fail_on: str, catalogue: Mapping[str, RuleInfo],
           props: dict[str, str]) -> ET.Element:
    suite = ET.Element("testsuite", name=_x(r.source))
    properties = ET.SubElement(suite, "properties")
    for k, v in {**props, "input_sha256": r.input_sha256, "verdict": r.verdict,
                 "message_type": r.message_type or "", "encoding": r.encoding or "",
                 **({"spec": f"{r.spec.id} {r.spec.version}", "spec_sha256": r.spec.sha256}
                    if r.spec else {})}.items():
        ET.SubElement(properties, "property", name=k, value=_x(v))
    classname = _x(r.source)
    tests = failures = errors = skipped = 0
    if r.verdict == "error":
        case = ET.SubElement(suite, "testcase", name="evaluation", classname=classname, time="0")
        err = ET.SubElement(case, "error", message=_x(r.reason(lang)),
                            type="error")
        err.text = _x("\n".join(_finding_text(f, lang, catalogue.get(f.rule_id))
                                for f in r.findings) or r.reason(lang))
        tests, errors = 1, 1
    else:
        by_rule: dict[str, list[Finding]] = {}
        for f in sorted(r.findings, key=Finding.sort_key):
            by_rule.setdefault(f.rule_id, []).append(f)
        for rule_id in _case_ids(r):
            tests += 1
            case = ET.SubElement(suite, "testcase", name=_x(rule_id), classname=classname,
                                 time="0")
            found = by_rule.get(rule_id, [])
            failing = [f for f in found if fails(f.severity, fail_on)]
            texts = [_finding_text(f, lang, catalogue.get(rule_id)) for f in found]
            if failing:
                failures += 1
                fail = ET.SubElement(case, "failure", message=_x(failing[0].message.get(lang)),
                                     type=_x(rule_id))
                fail.text = _x("\n".join(texts))
            elif texts:
                ET.SubElement(case, "system-out").text = _x("\n".join(texts))
        for u in r.rules_unchecked:  # applies, but a value it reads is broken: say so
            tests += 1
            skipped += 1
            case = ET.SubElement(suite, "testcase", name=_x(u.rule_id), classname=classname,
                                 time="0")
            ET.SubElement(case, "skipped", message=_x(u.reason.get(lang)))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suite.set("time", "0")
    return suite


def render_junit(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None) -> str:
    """Render ``batch`` as JUnit XML (``sources`` is not used by this format)."""
    fail_on = str(batch.options.get("fail_on") or "error")
    if fail_on not in SEVERITY_ORDER:
        fail_on = "error"
    catalogue = rule_catalogue(batch, specs)
    props = {"tool": f"hegui {batch.tool_version}", "started_at": batch.started_at}
    props.update({f"option.{k}": v for k, v in option_items(batch.options)})
    if "fail_on" not in batch.options:
        props["fail_on"] = fail_on  # the default this report applied
    root = ET.Element("testsuites", name="hegui")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for r in batch.results:
        suite = _suite(r, lang, fail_on, catalogue, props)
        root.append(suite)
        for k in totals:
            totals[k] += int(suite.get(k, "0"))
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
