"""The validation pipeline for one payload: parse -> structure -> record -> datatypes -> rules.

``Validator`` is built once per spec (compiled schemas and rules are cached) and turns bytes
into a :class:`Result`. It never raises on bad input: unparseable or unidentifiable payloads get
verdict ``error`` with a finding that says why.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from hegui.validator import structure
from hegui.validator.codec import XmlTrace, namespace_of, xml_to_json
from hegui.validator.json_positions import json_positions
from hegui.validator.limits import DEFAULT_LIMITS, Limits
from hegui.validator.presence import missing_required
from hegui.validator.record import Record, build_record
from hegui.validator.result import Finding, Location, Result, SpecRef, decide_verdict
from hegui.validator.rules import run_rules
from hegui.validator.safe_json import JsonParseError, is_index, parse_json, pointer_tokens
from hegui.validator.safe_xml import XmlParseError, parse_xml
from hegui.validator.spec import MessageType, Severity, Spec, Text

Encoding = Literal["json", "xml"]

_PARSE_TEXT = {
    "parse": ("无法解析", "cannot be parsed"),
    "encoding": ("字符编码错误", "bad character encoding"),
    "nan": ("含有非 JSON 数值", "contains a non-JSON number"),
    "limit": ("超出安全限制", "exceeds a safety limit"),
    "dtd": ("含有不允许的 DTD/实体声明", "contains a forbidden DTD/entity declaration"),
}


def sniff_encoding(data: bytes, name: str = "") -> Encoding | None:
    """Guess the encoding from the file extension, else from the first significant byte."""
    lower = name.lower()
    if lower.endswith(".xml"):
        return "xml"
    if lower.endswith(".json"):
        return "json"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return "xml"
    if head in (b"{", b"["):
        return "json"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "xml"  # UTF-16 with BOM: only XML may declare it
    return None


@dataclass(frozen=True)
class Options:
    """Options that change verdicts (recorded in every report's provenance)."""

    message_type: str | None = None
    encoding: Encoding | None = None
    fail_on: Severity = "error"
    limits: Limits = DEFAULT_LIMITS


@dataclass
class _Work:
    spec: Spec
    source: str
    data: bytes
    options: Options
    findings: list[Finding] = field(default_factory=list)
    encoding: Encoding | None = None
    mt: MessageType | None = None
    trace: XmlTrace | None = None
    root: etree._Element | None = None

    def xml_trace(self) -> XmlTrace | None:
        """Where each pointer sits in the XML source (computed on first need only)."""
        if self.trace is None and self.root is not None and self.mt is not None:
            _, self.trace = xml_to_json(self.root, self.spec, self.mt, traced=True)
        return self.trace


class Validator:
    """Validates payloads against one spec. Reuse it: schemas and rules compile once."""

    def __init__(self, spec: Spec, contexts: Mapping[str, Any] | None = None):
        self.spec = spec
        self.ref = SpecRef(spec.id, spec.version, spec.content_sha256)
        #: Typed values of context documents, bound as CEL variables by name.
        self.contexts = dict(contexts or {})

    def validate(self, data: bytes, source: str = "-", options: Options = Options()) -> Result:
        """Validate one payload's bytes; never raises for bad input."""
        w = _Work(self.spec, source, data, options)
        sha = hashlib.sha256(data).hexdigest()
        try:
            return self._run(w, sha)
        except RecursionError:
            return self._error(w, sha, "payload@limit", Text("嵌套过深", "nesting too deep"))

    def _error(self, w: _Work, sha: str, rule_id: str, text: Text,
               location: Location | None = None, reason: str | None = None) -> Result:
        w.findings.append(Finding(rule_id, "error", text, "parse", location or Location()))
        return Result(w.source, "error", self.ref, w.mt.id if w.mt else None, w.encoding, sha,
                      tuple(w.findings), error=reason or text.en)

    def _run(self, w: _Work, sha: str) -> Result:
        enc = w.options.encoding or sniff_encoding(w.data, w.source)
        w.encoding = enc
        if enc is None:
            return self._error(w, sha, "payload@parse", Text(
                "无法识别的载荷：既不是 JSON 也不是 XML", "not a JSON or XML payload"),
                Location(line=1, column=1))
        doc = self._parse(w, sha)
        if isinstance(doc, Result):
            return doc
        json_doc, root = doc
        if w.mt is None:
            return self._error(w, sha, "messageType@enum", Text(
                "无法确定报文类型", "cannot tell the message type"),
                Location(pointer="/messageType" if enc == "json" else None,
                         xpath="/" if enc == "xml" else None, line=1, column=1))
        invalid = self._structure(w, json_doc, root)
        rec = build_record(self.spec, w.mt, json_doc, invalid)
        for p in rec.problems:
            self._add(w, f"{p.path}@{p.facet}", "error", p.message, "datatype", p.pointer,
                      value=p.value, basis=_DATATYPE_BASIS.get(p.facet))
        evaluated, failures = self._rules(w, rec)
        self._locate(w)
        if failures:
            w.findings.sort(key=Finding.sort_key)
            return Result(w.source, "error", self.ref, w.mt.id, enc, sha, tuple(w.findings),
                          evaluated, error="; ".join(failures))
        findings = tuple(sorted(w.findings, key=Finding.sort_key))
        verdict = decide_verdict(findings, w.options.fail_on)
        return Result(w.source, verdict, self.ref, w.mt.id, enc, sha, findings, evaluated)

    # -- parsing and message type --------------------------------------------------------

    def _parse(self, w: _Work, sha: str) -> Result | tuple[dict[str, Any], etree._Element | None]:
        spec, limits = self.spec, w.options.limits
        if w.encoding == "json":
            try:
                parsed = parse_json(w.data, limits)
            except JsonParseError as exc:
                facet = exc.facet
                return self._error(w, sha, f"payload@{facet}", _parse_text(facet, str(exc)),
                                   Location(pointer="", line=exc.line, column=exc.column),
                                   reason=str(exc))
            doc = parsed.value
            if not isinstance(doc, dict):
                return self._error(w, sha, "payload@type", Text(
                    "JSON 载荷必须是对象", "a JSON payload must be an object"),
                    Location(pointer="", line=1, column=1))
            for dup in parsed.duplicates:
                self._add(w, "payload@duplicate-key", "error", Text(
                    f"对象 {dup.pointer or '/'} 中键“{dup.key}”重复",
                    f"key '{dup.key}' occurs more than once in {dup.pointer or '/'}"),
                    "parse", f"{dup.pointer}/{dup.key}")
            name = w.options.message_type or doc.get("messageType")
            w.mt = spec.message_types.get(name) if isinstance(name, str) else None
            version = doc.get("specVersion")
            if w.mt is not None and version is not None and version != spec.version:
                return self._error(w, sha, "specVersion@enum", Text(
                    f"规范版本 {version} 不可用（现有 {spec.version}）",
                    f"spec version {version} is not available (have {spec.version})"),
                    Location(pointer="/specVersion"))
            return doc, None
        try:
            root = parse_xml(w.data, limits).root
        except XmlParseError as exc:
            return self._error(w, sha, f"payload@{exc.facet}", _parse_text(exc.facet, str(exc)),
                               Location(xpath="/", line=exc.line, column=exc.column),
                               reason=str(exc))
        qname = etree.QName(root)
        name = w.options.message_type or qname.localname
        w.mt = spec.message_types.get(name)
        if w.mt is not None and qname.namespace != namespace_of(spec):
            return self._error(w, sha, "payload@root", Text(
                f"根元素命名空间 {qname.namespace} 不是 {namespace_of(spec)}",
                f"root namespace {qname.namespace} is not {namespace_of(spec)}"),
                Location(xpath="/", line=root.sourceline))
        if w.mt is None:
            return {}, root
        w.root = root
        doc, _ = xml_to_json(root, spec, w.mt, traced=False)
        return doc, root

    # -- stages ---------------------------------------------------------------------------

    def _structure(self, w: _Work, doc: dict[str, Any],
                   root: etree._Element | None) -> frozenset[str]:
        assert w.mt is not None
        errors: list[structure.StructuralError] = []
        if not structure.is_valid(self.spec, w.mt, doc, root):
            errors += (structure.check_xml(self.spec, w.mt, root) if root is not None
                       else structure.check_json(self.spec, w.mt, doc))
            # Presence, found the same way for both encodings (see presence); a schema-valid
            # payload has every required element, so this runs only after schema errors.
            errors += missing_required(self.spec, w.mt, doc)
        trace = w.xml_trace() if errors and root is not None else None
        if trace is not None:  # no XSD error means no unknown element either
            for p in trace.unknown:
                path = structure.path_of(self.spec, w.mt, pointer_tokens(p))[0]
                errors.append(structure.StructuralError(path, "unexpected", p, "unknown element"))
        seen: set[tuple[str, str]] = set()
        invalid: set[str] = set()
        for e in errors:
            if (e.rule_id, e.pointer) in seen:
                continue
            seen.add((e.rule_id, e.pointer))
            invalid.add(e.pointer)
            self._add(w, e.rule_id, "error", _structural_text(self.spec, w.mt, e), "schema",
                      e.pointer, value=e.value)
        return frozenset(invalid)

    def _rules(self, w: _Work, rec: Record) -> tuple[tuple[str, ...], list[str]]:
        assert w.mt is not None
        values = rec.values
        if self.contexts:
            values = {**values, **self.contexts}
        run = run_rules(self.spec, w.mt.id, values, rec.show, rec.present)
        structural = any(f.stage in ("schema", "datatype", "parse") for f in w.findings)
        for hit in run.hits:
            path = hit.paths[0] if hit.paths else ""
            pointer = _pointer_of(path, hit.item)
            if hit.item is not None and not path.endswith("[]") and "[]" not in path:
                pointer += f"/{hit.item}"  # `each` rule on a list: point at the item
            related = tuple(Location(pointer=_pointer_of(p)) for p in hit.paths[1:])
            self._add(w, hit.rule.id, hit.rule.severity, hit.message, "rule", pointer,
                      value=rec.show(path), basis=hit.rule.basis.render("en"), related=related)
        failures = []
        for rule, error in run.errors:
            if structural:
                continue  # broken data can break an expression; the schema findings say why
            failures.append(f"rule {rule.id} could not be evaluated: {error}")
            self._add(w, rule.id, "error", Text(f"规则 {rule.id} 无法求值：{error}",
                                                f"rule {rule.id} could not be evaluated: {error}"),
                      "rule", _pointer_of(rule.fields[0]))
        return run.evaluated, failures

    def _add(self, w: _Work, rule_id: str, severity: Severity, message: Text, stage: Any,
             pointer: str, *, value: Any = None, basis: str | None = None,
             related: tuple[Location, ...] = ()) -> None:
        w.findings.append(Finding(rule_id, severity, message, stage,
                                  Location(pointer=pointer), basis,
                                  None if value is None else str(value), related))

    def _locate(self, w: _Work) -> None:
        """Fill XPath / line / column of every finding from the source."""
        if not w.findings:
            return
        if w.encoding == "json":
            positions = _json_positions(w.data)
            w.findings[:] = [_with_position(f, positions, w.data) for f in w.findings]
        else:
            trace = w.xml_trace()
            if trace is not None:
                w.findings[:] = [_with_xml_position(f, trace, w.data) for f in w.findings]


def _pointer_of(path: str, index: int | None = None) -> str:
    """JSON Pointer of a dotted path; ``[]`` parts take ``index`` (or are cut there)."""
    out = []
    for part in path.split("."):
        if part.endswith("[]"):
            out.append(part[:-2])
            if index is None:
                break
            out.append(str(index))
            index = None
        else:
            out.append(part)
    return "/" + "/".join(out) if out and out != [""] else ""


def _json_positions(data: bytes) -> dict[str, tuple[int, int]]:
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return json_positions(text)


def _nearest(pointer: str, table: Mapping[str, Any]) -> str | None:
    p = pointer
    while True:
        if p in table:
            return p
        if not p:
            return None
        p = p.rsplit("/", 1)[0]


def _with_position(f: Finding, positions: Mapping[str, tuple[int, int]], data: bytes) -> Finding:
    loc = f.location
    if loc.line is not None or loc.pointer is None:
        return f
    hit = _nearest(loc.pointer, positions)
    if hit is None:
        return f
    line, col = positions[hit]
    return dataclasses.replace(f, location=Location(pointer=loc.pointer, line=line, column=col))


def _with_xml_position(f: Finding, trace: XmlTrace, data: bytes) -> Finding:
    loc = f.location
    if loc.pointer is None:
        return f
    hit = _nearest(loc.pointer, trace.xpaths)
    if hit is None:
        return f
    xpath = trace.xpaths[hit]
    if hit != loc.pointer:  # e.g. a missing element: name it below its parent
        rest = loc.pointer[len(hit):].strip("/").split("/")
        xpath += "".join(f"[{int(r) + 1}]" if is_index(r) else f"/{r}" for r in rest)
    line = trace.lines.get(hit) or None
    column = _xml_column(data, line, trace.elements.get(hit)) if line else None
    return dataclasses.replace(f, location=Location(xpath=xpath, line=line, column=column))


def _xml_column(data: bytes, line: int, el: etree._Element | None) -> int | None:
    if el is None:
        return None
    lines = data.split(b"\n")
    if line > len(lines):
        return None
    text = lines[line - 1]
    tag = etree.QName(el).localname.encode()
    idx = text.find(b"<" + tag)
    if idx < 0:
        idx = text.find(b":" + tag)  # prefixed name
        idx = text.rfind(b"<", 0, idx) if idx >= 0 else -1
    if idx < 0:
        return None
    return len(text[:idx].decode("utf-8", errors="replace")) + 1


def _parse_text(facet: str, detail: str) -> Text:
    zh, en = _PARSE_TEXT.get(facet, _PARSE_TEXT["parse"])
    return Text(f"载荷{zh}：{detail}", f"payload {en}: {detail}")


_DATATYPE_BASIS = {
    "check-digit": "GB 32100-2015 (USCC) / GB 11643-1999 (citizen ID number)",
    "birth-date": "GB 11643-1999",
    "region": "GB/T 2260",
    "date": "GB/T 7408",
    "uppercase": "hegui: RMB uppercase must equal the figure (inferred)",
}

_FACET_TEXT = {
    "required": ("缺少必填数据元", "required element is missing"),
    "unexpected": ("不允许出现的数据元", "element is not allowed here"),
    "type": ("数据类型错误", "wrong type"),
    "pattern": ("格式不符合规定", "does not match the required format"),
    "maxLength": ("长度超过上限", "is too long"),
    "minLength": ("长度不足", "is too short"),
    "length": ("长度不符合规定", "has the wrong length"),
    "enum": ("不在代码表中", "is not in the code list"),
    "minimum": ("小于下限", "is below the minimum"),
    "maximum": ("大于上限", "is above the maximum"),
    "minItems": ("条目过少", "has too few items"),
    "maxItems": ("条目过多", "has too many items"),
    "root": ("根元素不是本规范的报文", "root element is not a message of this spec"),
}


def _structural_text(spec: Spec, mt: MessageType, e: structure.StructuralError) -> Text:
    zh_f, en_f = _FACET_TEXT.get(e.facet, (e.facet, e.facet))
    _, element = structure.path_of(spec, mt, pointer_tokens(e.pointer))
    value = f"：“{e.value}”" if e.value is not None else ""
    value_en = f": '{e.value}'" if e.value is not None else ""
    if element is None:
        return Text(f"{e.path} {zh_f}{value}", f"{e.path} {en_f}{value_en}")
    return Text(f"{element.label.zh}（{e.path}）{zh_f}{value}",
                f"{element.label.en} ({e.path}) {en_f}{value_en}")
