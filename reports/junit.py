"""JUnit XML for CI test tabs (Jenkins, GitLab, Azure, ...): one test case per payload.

Every payload is one ``<testcase>``, whatever its findings, so the test count of a run is its
payload count. ``name`` is the source (relative to the base directory when one is given, as in
SARIF; JSON Lines records keep their ``:line``), ``classname`` is ``<spec id>.<message type>``
(the spec id alone when the message type is unknown, ``hegui`` when the spec is), so CI tools
group the cases by spec and message type. ``time`` is the evaluation's wall time
(``Result.elapsed_ms``) in seconds.

A nonconformant payload's case has one ``<failure>`` listing every finding at least as severe as
the run's ``fail_on`` option (default ``error``); a payload that could not be evaluated has one
``<error>`` with the reason and its findings; a conformant one has neither. ``<system-out>``
holds the payload's verdict, input hash, message type and encoding, the findings below
``fail_on`` and the rules that could not be checked.

Cases are grouped in one ``<testsuite>`` per spec (``<id> <version>``; payloads whose spec is
unknown in a suite ``hegui``), in order of first appearance; suite properties carry the
provenance and options, suite and root ``time`` are sums of the case times.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping

from hegui.reports.catalogue import RuleInfo, rule_catalogue
from hegui.reports.labels import label, verdict_label
from hegui.reports.provenance import option_items
from hegui.reports.sources import BaseDir, file_and_line, in_file, shown_source
from hegui.validator.result import Batch, Finding, Result, SpecRef
from hegui.validator.spec import Lang, Spec
from hegui.validator.verdicts import SEVERITY_ORDER, fails

_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

#: Name of the suite of payloads whose spec is unknown, and their classname.
NO_SPEC = "hegui"


def _x(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return _NOT_XML.sub("\ufffd", text)


def seconds(elapsed_ms: float | None) -> str:
    """A JUnit ``time`` (seconds, to the microsecond) of a time in milliseconds; ``0`` when
    the payload was not evaluated."""
    if not elapsed_ms:
        return "0"
    return f"{elapsed_ms / 1000:.6f}".rstrip("0").rstrip(".") or "0"


def _colon(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def _line_col(line: int, column: int | None, lang: Lang) -> str:
    if lang == "zh":
        return f"第 {line} 行" + (f"第 {column} 列" if column is not None else "")
    return f"line {line}" + (f", column {column}" if column is not None else "")


def finding_text(f: Finding, lang: Lang, info: RuleInfo | None, first_line: int = 1) -> str:
    """A finding as lines of text: ``[severity] RULE: message``, then its location (in the
    file: JSON Lines records are shifted to their line), value and basis."""
    loc = in_file(f.location, first_line)
    path = loc.pointer or loc.xpath
    at = None if loc.line is None else _line_col(loc.line, loc.column, lang)
    where = path or at
    if path and at:
        where = f"{path}（{at}）" if lang == "zh" else f"{path} ({at})"
    basis = f.basis or (info.basis_text(lang) if info else None)
    c = _colon(lang)
    lines = [f"[{f.severity}] {f.rule_id}: {f.message.get(lang)}"]
    if where:
        lines.append(f"  {label('location', lang)}{c}{where}")
    if f.value is not None:
        lines.append(f"  {label('value', lang)}{c}{f.value}")
    if basis:
        lines.append(f"  {label('basis', lang)}{c}{basis}")
    return "\n".join(lines)


def classname(r: Result) -> str:
    """``<spec id>.<message type>``, or the part that is known, or ``hegui``."""
    parts = [p for p in (r.spec.id if r.spec else None, r.message_type) if p]
    return ".".join(parts) or NO_SPEC


def _failure_message(failing: list[Finding], lang: Lang) -> str:
    ids = ", ".join(dict.fromkeys(f.rule_id for f in failing))
    n = len(failing)
    if lang == "zh":
        return f"{verdict_label('nonconformant', lang)}：{n} 个问题（{ids}）"
    return f"{verdict_label('nonconformant', lang)}: {n} finding{'s' if n != 1 else ''} ({ids})"


def _case(r: Result, lang: Lang, fail_on: str, catalogue: Mapping[str, RuleInfo],
          base: BaseDir | None) -> ET.Element:
    case = ET.Element("testcase", name=_x(shown_source(r.source, base)),
                      classname=_x(classname(r)), time=seconds(r.elapsed_ms))
    _, first = file_and_line(r.source)
    findings = sorted(r.findings, key=Finding.sort_key)

    def text(f: Finding) -> str:
        return finding_text(f, lang, catalogue.get(f.rule_id), first)

    c = _colon(lang)
    out = [f"{label('verdict', lang)}{c}{verdict_label(r.verdict, lang)}",
           f"input_sha256{c}{r.input_sha256}"]
    if r.message_type:
        out.append(f"{label('message_type', lang)}{c}{r.message_type}")
    if r.encoding:
        out.append(f"{label('encoding', lang)}{c}{r.encoding}")
    if r.verdict == "error":
        stopped = next((f for f in findings if f.severity == "error"), None)
        err = ET.SubElement(case, "error", message=_x(r.reason(lang)),
                            type=_x(stopped.rule_id if stopped else "evaluation"))
        err.text = _x("\n".join([r.reason(lang), *map(text, findings)]))
    else:
        failing = [f for f in findings if fails(f.severity, fail_on)]
        if failing:
            fail = ET.SubElement(case, "failure", message=_x(_failure_message(failing, lang)),
                                 type="nonconformant")
            fail.text = _x("\n".join(map(text, failing)))
        out += [text(f) for f in findings if not fails(f.severity, fail_on)]
    out += [f"{label('unchecked', lang)} {u.rule_id}{c}{u.reason.get(lang)}"
            for u in r.rules_unchecked]
    ET.SubElement(case, "system-out").text = _x("\n".join(out))
    return case


def _suite_name(ref: SpecRef | None) -> str:
    return NO_SPEC if ref is None else f"{ref.id} {ref.version}"


def render_junit(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None,
                 base_dir: BaseDir | None = None) -> str:
    """Render ``batch`` as JUnit XML, one test case per payload, names relative to
    ``base_dir`` when given (``sources`` is not used by this format)."""
    return "".join(iter_junit(batch, specs, lang=lang, base_dir=base_dir))


def iter_junit(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
               sources: Mapping[str, bytes] | None = None,
               base_dir: BaseDir | None = None) -> Iterator[str]:
    """:func:`render_junit`'s text, test case by test case: one pass over the results counts
    each suite (its attributes come first), one more per suite writes its cases, each laid
    out as ``ElementTree.indent`` lays out the whole document."""
    fail_on = str(batch.options.get("fail_on") or "error")
    if fail_on not in SEVERITY_ORDER:
        fail_on = "error"
    catalogue = rule_catalogue(batch, specs)
    props = {"tool": f"hegui {batch.tool_version}", "started_at": batch.started_at}
    props.update({f"option.{k}": v for k, v in option_items(batch.options)})
    if "fail_on" not in batch.options:
        props["fail_on"] = fail_on  # the default this report applied

    def case(r: Result) -> ET.Element:
        return _case(r, lang, fail_on, catalogue, base_dir)

    counts: dict[SpecRef | None, dict[str, int]] = {}
    times: dict[SpecRef | None, float] = {}
    for r in batch.results:
        c = case(r)
        n = counts.setdefault(r.spec, {"tests": 0, "failures": 0, "errors": 0})
        n["tests"] += 1
        n["failures"] += c.find("failure") is not None
        n["errors"] += c.find("error") is not None
        times[r.spec] = times.get(r.spec, 0.0) + (r.elapsed_ms or 0.0)
    root = ET.Element("testsuites", name="hegui")
    for k in ("tests", "failures", "errors"):
        root.set(k, str(sum(n[k] for n in counts.values())))
    root.set("time", seconds(sum(times.values())))
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not counts:
        yield ET.tostring(root, encoding="unicode") + "\n"
        return
    yield _start_tag(root)
    for ref, n in counts.items():
        suite = ET.Element("testsuite", name=_x(_suite_name(ref)))
        properties = ET.SubElement(suite, "properties")
        spec_props = {} if ref is None else {"spec": f"{ref.id} {ref.version}",
                                              "spec_sha256": ref.sha256}
        if ref is not None and ref.platform is not None:
            spec_props |= {"platform": ref.platform,
                           "platform_sha256": ref.platform_sha256 or ""}
        for k, v in {**props, **spec_props}.items():
            ET.SubElement(properties, "property", name=k, value=_x(v))
        for k, value in n.items():
            suite.set(k, str(value))
        suite.set("skipped", "0")
        suite.set("time", seconds(times[ref]))
        ET.indent(suite, level=1)
        text = ET.tostring(suite, encoding="unicode")
        yield "\n  " + text[:text.rindex("\n  </testsuite>")]
        for r in batch.results:
            if r.spec == ref:
                c = case(r)
                ET.indent(c, level=2)
                yield "\n    " + ET.tostring(c, encoding="unicode")
        yield "\n  </testsuite>"
    yield "\n</testsuites>\n"


def _start_tag(el: ET.Element) -> str:
    """The start tag of a childless element (``<a x="1" />`` becomes ``<a x="1">``)."""
    text = ET.tostring(el, encoding="unicode")
    return text[:-3] + ">" if text.endswith(" />") else text[:text.index(">") + 1]
