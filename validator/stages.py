"""The stages of validating one payload, in order (see :mod:`hegui.validator.pipeline`).

encoding -> parse -> map (platform profile only) -> identify -> decode (XML only) -> schema ->
datatypes -> rules -> locate. An envelope stage will be one more object in :data:`STAGES`.
"""

from __future__ import annotations

import itertools

from hegui.validator import structure
from hegui.validator.cel_errors import cel_error_text
from hegui.validator.characters import illegal_characters
from hegui.validator.codec import xml_to_json
from hegui.validator.envelope_stage import EnvelopeStage
from hegui.validator.expectations import expected
from hegui.validator.finding_texts import DATATYPE_BASIS, parse_text, structural_text
from hegui.validator.identify import (
    EMPTY,
    Unidentified,
    deprecation,
    identify_json,
    identify_xml,
    is_blank,
    sniff_encoding,
)
from hegui.validator.locations import locate_json, locate_xml, pointer_of
from hegui.validator.native_stage import MapStage, relocate
from hegui.validator.offsets import value_mismatch
from hegui.validator.pipeline import Stage, Work, shorten
from hegui.validator.presence import excluded_present, missing_required
from hegui.validator.record import build_record
from hegui.validator.result import Location, Unchecked
from hegui.validator.rules import run_rules, tainted
from hegui.validator.safe_json import JsonParseError, parse_json, pointer_tokens
from hegui.validator.safe_xml import XmlParseError, parse_xml
from hegui.validator.schema_budget import json_errors
from hegui.validator.spec import Text
from hegui.validator.xml_trace import unknown_pointers

#: Why a stage was skipped (``stages[].reason`` of a result).
ALREADY_CANONICAL = Text("JSON 载荷：已是规范形式", "JSON payload: already canonical")
AT_ERROR_LIMIT = Text("结构检查已在错误上限处停止", "schema check stopped at its error limit")
NO_RECORD = Text("没有类型化记录", "no record")
NO_FINDINGS = Text("没有发现", "no findings")


class EncodingStage:
    """Tell JSON from XML (the ``--encoding`` option, the file name, the first byte)."""

    name = "encoding"

    def skip_reason(self, work: Work) -> Text | None:
        """Always runs."""
        return None

    def run(self, work: Work) -> None:
        """Set ``work.encoding`` or stop."""
        if is_blank(work.data):
            work.stop("payload@empty", EMPTY, Location(line=1, column=1))
            return
        work.encoding = work.options.encoding or sniff_encoding(work.data, work.source)
        if work.encoding is None:
            work.stop("payload@parse", Text("无法识别的载荷：既不是 JSON 也不是 XML",
                                            "not a JSON or XML payload"),
                      Location(line=1, column=1))


class ParseStage:
    """Parse safely (limits, no DTDs); duplicate JSON keys are findings."""

    name = "parse"

    def skip_reason(self, work: Work) -> Text | None:
        """Always runs once the encoding is known."""
        return None

    def run(self, work: Work) -> None:
        """Set ``work.doc`` (JSON) or ``work.root`` (XML), or stop."""
        limits = work.options.limits
        if work.encoding == "json":
            try:
                parsed = parse_json(work.data, limits)
            except JsonParseError as exc:
                work.stop(f"payload@{exc.facet}", parse_text(exc.facet, exc.text),
                          Location(pointer="", line=exc.line, column=exc.column), str(exc))
                return
            if not isinstance(parsed.value, dict):
                work.stop("payload@type", Text("JSON 载荷必须是对象",
                                               "a JSON payload must be an object"),
                          Location(pointer="", line=1, column=1))
                return
            work.doc = parsed.value
            for dup in parsed.duplicates:
                work.add("payload@duplicate-key", "error", Text(
                    f"对象 {dup.pointer or '/'} 中键“{dup.key}”重复",
                    f"key '{dup.key}' occurs more than once in {dup.pointer or '/'}"),
                    "parse", f"{dup.pointer}/{dup.key}")
            return
        try:
            work.root = parse_xml(work.data, limits).root
        except XmlParseError as exc:
            work.stop(f"payload@{exc.facet}", parse_text(exc.facet, exc.text),
                      Location(xpath="/", line=exc.line, column=exc.column), str(exc))


class IdentifyStage:
    """Which message type of the spec the payload is, in the spec's namespace and version."""

    name = "identify"

    def skip_reason(self, work: Work) -> Text | None:
        """Always runs once the payload is parsed."""
        return None

    def run(self, work: Work) -> None:
        """Set ``work.mt`` or stop."""
        spec, forced = work.runtime.spec, work.options.message_type
        if work.doc is not None:
            found = identify_json(spec, work.doc, forced)
        else:
            assert work.root is not None
            found = identify_xml(spec, work.root, forced)
        if isinstance(found, Unidentified):
            work.stop(found.rule_id, found.text, Location(
                pointer=found.pointer, xpath=found.xpath, line=found.line, column=found.column))
            return
        work.mt = found
        retired = deprecation(spec) if work.options.version_notes else None
        if retired is not None and (work.doc is None or "specVersion" in work.doc):
            work.add("specVersion@deprecated", "warning", retired, "parse",
                     "/specVersion" if work.doc is not None else "", value=spec.version)
        if work.doc is not None and forced is not None:
            _stand_in(work, found.id, spec.version)


def _stand_in(work: Work, message_type: str, version: str) -> None:
    """``--message-type`` stands in for a body that does not name its message type or spec
    version (a platform's own body carries neither): the members are supplied, and a note says
    so."""
    assert work.doc is not None
    given = {"messageType": message_type, "specVersion": version}
    missing = [k for k in given if k not in work.doc]
    if not missing:
        return
    work.doc = {**{k: given[k] for k in missing}, **work.doc}
    names = "、".join(missing), ", ".join(missing)
    work.add("payload@stand-in", "info", Text(
        f"载荷未写明 {names[0]}，按 --message-type {message_type} 与规范版本 {version} 检查",
        f"the payload does not name its {names[1]}: checked as --message-type {message_type}, "
        f"spec version {version}"), "parse", "")


class DecodeStage:
    """XML only: the canonical (JSON) document of the XML payload."""

    name = "decode"

    def skip_reason(self, work: Work) -> Text | None:
        """JSON payloads are canonical already."""
        return ALREADY_CANONICAL if work.root is None else None

    def run(self, work: Work) -> None:
        """Set ``work.doc`` from ``work.root``."""
        assert work.root is not None and work.mt is not None
        work.doc, _ = xml_to_json(work.root, work.runtime.spec, work.mt, traced=False)


class SchemaStage:
    """The generated XSD or JSON Schema; presence is checked alike for both encodings."""

    name = "schema"

    def skip_reason(self, work: Work) -> Text | None:
        """Always runs once the message type is known."""
        return None

    def run(self, work: Work) -> None:
        """Record schema findings; ``work.invalid`` gets the pointers they reject."""
        rt, mt, doc, root = work.runtime, work.mt, work.doc, work.root
        assert mt is not None and doc is not None
        spec = rt.spec
        errors: list[structure.StructuralError] = []
        if not structure.is_valid(rt, mt, doc, root):
            most = work.options.limits.max_schema_errors
            if root is not None:
                found = structure.check_xml(rt, mt, root)
                errors += itertools.islice(found, most)
                work.truncated = len(errors) == most and next(found, None) is not None
            else:
                listed, work.truncated = json_errors(rt, mt, doc, most)
                errors += listed
            # Presence, found the same way for both encodings (see presence); a schema-valid
            # payload has every required element, so this runs only after schema errors.
            errors += missing_required(spec, mt, doc)
            errors += excluded_present(mt, doc)
        else:  # the schemas accept "" and "  ": a required element must carry a value
            errors += missing_required(spec, mt, doc, absent=False)
        if root is None:  # XML cannot hold these characters at all (see characters)
            errors += illegal_characters(spec, mt, doc)
        if errors and root is not None:  # no XSD error means no unknown element either
            for p in unknown_pointers(root, spec, mt):
                path = structure.path_of(spec, mt, pointer_tokens(p))[0]
                errors.append(structure.StructuralError(path, "unexpected", p, "unknown element"))
        invalid: set[str] = set()
        for e in one_per_value(errors):
            invalid.add(e.pointer)
            _, element = structure.path_of(spec, mt, pointer_tokens(e.pointer))
            want = expected(element, e.facet, spec.codelists)
            basis = element.basis.render("en") if element is not None else None
            facet = "blank" if e.facet == "required" and e.value is not None else e.facet
            shown = None if e.value is None else shorten(e.value)
            work.add(e.rule_id, "error", structural_text(
                e.path, facet, shown, element, want, value_mismatch(element, facet, e.value)),
                     "schema", e.pointer, value=e.value, basis=basis)
        work.invalid = frozenset(invalid)
        if work.truncated:
            most = work.options.limits.max_schema_errors
            work.add("payload@truncated", "info", Text(
                f"结构错误超过 {most} 处，结构检查到此为止；数据类型和业务规则未检查",
                f"over {most} schema errors: the schema check stopped there; datatypes and "
                "business rules were not checked"), "schema", "")
            work.unchecked += [Unchecked(r.id, Text(
                f"结构错误超过 {most} 处，未检查", f"not checked: over {most} schema errors"))
                for r in rt.rules_for(mt.id)]


#: Facets of one value, most telling first: a value is reported once, by the first that fails
#: (a 10-digit mobile is too short; that it then misses the pattern is the same mistake).
VALUE_FACETS = ("type", "enum", "length", "minLength", "maxLength", "pattern", "minimum",
                "maximum")


def one_per_value(errors: list[structure.StructuralError]) -> list[structure.StructuralError]:
    """Schema errors without repeats and with one per value: a required value that is empty,
    blank or JSON ``null`` is ``@required`` alone (it is no value, so its pattern, length or
    type is not the mistake), any other by the first of its :data:`VALUE_FACETS` that fails."""
    blank = {e.pointer for e in errors if e.facet == "required"}
    best: dict[str, structure.StructuralError] = {}
    for e in errors:
        if e.facet in VALUE_FACETS and e.pointer not in blank:
            held = best.get(e.pointer)
            if held is None or VALUE_FACETS.index(e.facet) < VALUE_FACETS.index(held.facet):
                best[e.pointer] = e
    seen: set[tuple[str, str]] = set()
    out = []
    for e in errors:
        if e.facet in VALUE_FACETS and best.get(e.pointer) is not e:
            continue
        if (e.rule_id, e.pointer) not in seen:
            seen.add((e.rule_id, e.pointer))
            out.append(e)
    return out


class DatatypeStage:
    """The typed record: check digits, real dates, region codes, RMB uppercase."""

    name = "datatypes"

    def skip_reason(self, work: Work) -> Text | None:
        """Runs once the message type is known (on what the schema left valid), unless the
        schema check stopped at its error limit."""
        return AT_ERROR_LIMIT if work.truncated else None

    def run(self, work: Work) -> None:
        """Set ``work.record``; datatype problems are findings."""
        assert work.mt is not None and work.doc is not None
        rec = build_record(work.runtime.spec, work.mt, work.doc, work.invalid)
        work.record = rec
        for p in rec.problems:
            work.add(f"{p.path}@{p.facet}", "error", p.message, "datatype", p.pointer,
                     value=p.value, basis=DATATYPE_BASIS.get(p.facet))


class RuleStage:
    """The spec's business rules (CEL) over the typed record and the context documents."""

    name = "rules"

    def skip_reason(self, work: Work) -> Text | None:
        """Runs whenever there is a record (rules read only valid values)."""
        if work.truncated:
            return AT_ERROR_LIMIT
        return None if work.record is not None else NO_RECORD

    def run(self, work: Work) -> None:
        """Record rule findings; rules that could not be evaluated go to ``work.failures``."""
        assert work.mt is not None and work.record is not None
        rec = work.record
        values = {**rec.values, **work.contexts} if work.contexts else rec.values
        bad = work.invalid | {p.pointer for p in rec.problems}
        run = run_rules(work.runtime, work.mt.id, values, rec.show, rec.present, tainted(bad))
        structural = any(f.stage in ("schema", "datatype", "parse") for f in work.findings)
        for hit in run.hits:
            path = hit.paths[0] if hit.paths else ""
            pointer = pointer_of(path, hit.item)
            if hit.item is not None and "[]" not in path:
                pointer += f"/{hit.item}"  # `each` rule on a list: point at the item
            related = tuple(Location(pointer=pointer_of(p)) for p in hit.paths[1:])
            work.add(hit.rule.id, hit.rule.severity, hit.message, "rule", pointer,
                     value=rec.show(path), basis=hit.rule.basis.render("en"), related=related)
        for rule, paths in run.unchecked:
            shown = ", ".join(paths)
            work.unchecked.append(Unchecked(rule.id, Text(
                f"读取的 {shown} 未通过结构或数据类型检查", f"reads {shown}, which failed the "
                "schema or datatype checks"), paths))
        for rule, error in run.errors:
            said = cel_error_text(error)
            if structural:  # broken data can break an expression; the schema findings say why
                work.unchecked.append(Unchecked(rule.id, Text(
                    f"在有结构问题的数据上无法求值：{said.zh}",
                    f"could not be evaluated on data with schema errors: {said.en}")))
                continue
            failed = Text(f"规则 {rule.id} 无法求值：{said.zh}",
                          f"rule {rule.id} could not be evaluated: {said.en}")
            work.failures.append(failed)
            work.add(rule.id, "error", failed, "rule", pointer_of(rule.fields[0]))
        work.evaluated = run.evaluated


class LocateStage:
    """Line, column and (XML) XPath of every finding, from the source."""

    name = "locate"

    def skip_reason(self, work: Work) -> Text | None:
        """Nothing to locate without findings (a native payload is always located: a bare
        body says what it did not check)."""
        return None if work.findings or work.mapped is not None else NO_FINDINGS

    def run(self, work: Work) -> None:
        """Replace ``work.findings`` by their located versions."""
        if work.mapped is not None and work.mapped.doc is not None:
            work.findings[:] = relocate(work)
        if work.encoding == "json":
            work.findings[:] = locate_json(work.findings, work.data)
            return
        trace = work.xml_trace({f.location.pointer for f in work.findings
                                if f.location.pointer is not None})
        if trace is not None:
            work.findings[:] = locate_xml(work.findings, trace, work.data)


#: The stages of every payload, in order.
STAGES: tuple[Stage, ...] = (
    EncodingStage(), ParseStage(), EnvelopeStage(), MapStage(), IdentifyStage(),
    DecodeStage(), SchemaStage(), DatatypeStage(), RuleStage(), LocateStage(),
)
