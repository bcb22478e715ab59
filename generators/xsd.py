"""Generate the XML Schema (XSD 1.0) of a spec: one schema per spec and version.

Layout (type names shared with the JSON Schema, see :mod:`hegui.generators.schema_parts`):
one global element per message type (named after it) of type ``message.<mt>``; each section is
a child element of type ``section.<mt>.<section>`` (per message type, because usage overrides
differ); group contents are ``xs:all`` (order free); lists are a wrapper element holding
minItems..maxItems children named after the item group (``item`` for inline scalars); every
scalar element has its own simple type ``element.<group>.<name>`` restricting a code list
(``codelist.<id>``), a fixed-form base type (``type.uscc`` ...) or an XSD built-in.

Not expressible in XSD 1.0 (no assertions) and left to hegui's datatype layer and rule engine:
check digits, real calendar dates, region codes, RMB uppercase, money/rate minimum/maximum and
every conditional requirement. XML whitespace around decimals, integers and booleans is collapsed
by their XSD datatypes before the patterns apply (the JSON encoding has no such leeway).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from hegui.generators.schema_parts import (
    TYPE_PATTERNS,
    XML_BOOLEAN_PATTERN,
    XML_INTEGER_PATTERN,
    Scalar,
    builtin_type_name,
    codelist_type_name,
    element_type_name,
    group_type_name,
    item_type_name,
    list_item,
    members,
    message_type_name,
    scalar,
    section_item_type_name,
    section_type_name,
    used,
)
from hegui.validator.spec import Element, Group, MessageType, Section, Spec, Text, Use

XS = "http://www.w3.org/2001/XMLSchema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_ONLY = {"integer": XML_INTEGER_PATTERN, "boolean": XML_BOOLEAN_PATTERN}


def target_namespace(spec: Spec) -> str:
    """The XML target namespace of ``spec``: ``<namespace>:<version>``."""
    return f"{spec.namespace}:{spec.version}"


def xsd_text(spec: Spec) -> str:
    """The XSD of ``spec`` as text: deterministic, indented, UTF-8 declaration, final newline."""
    root = _Builder(spec).build()
    etree.indent(root, space="  ")
    body = str(etree.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _xs(tag: str) -> str:
    return f"{{{XS}}}{tag}"


def _comment(text: str) -> etree._Element:
    # "--" may not appear inside an XML comment.
    safe = text.replace("--", "- -")
    node: etree._Element = etree.Comment(f" {safe} ")
    return node


def _doc(parent: etree._Element, label: Text) -> None:
    ann = etree.SubElement(parent, _xs("annotation"))
    for lang, text in (("zh", label.zh), ("en", label.en)):
        if text:
            etree.SubElement(ann, _xs("documentation"), {XML_LANG: lang}).text = text


def _occurs(el: etree._Element, low: int, high: int | None) -> None:
    if low != 1:
        el.set("minOccurs", str(low))
    if high is None:
        el.set("maxOccurs", "unbounded")
    elif high != 1:
        el.set("maxOccurs", str(high))


class _Builder:
    """Builds the schema tree in a fixed order: root elements, complex types, simple types."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.used = used(spec)
        self.xml_only: set[str] = set()
        tns = target_namespace(spec)
        nsmap: Any = {"xs": XS, None: tns}  # None: the default namespace (lxml's convention)
        self.root: etree._Element = etree.Element(
            _xs("schema"), nsmap=nsmap,
            attrib={"targetNamespace": tns, "elementFormDefault": "qualified",
                    "version": spec.version})

    def add(self, tag: str, parent: etree._Element | None = None, **attrib: str) -> etree._Element:
        return etree.SubElement(self.root if parent is None else parent, _xs(tag), attrib)

    def build(self) -> etree._Element:
        self._header()
        mts = list(self.spec.message_types.values())
        for mt in mts:
            _doc(self.add("element", name=mt.id, type=message_type_name(mt)), mt.label)
        for mt in mts:
            self._message(mt)
        for mt in mts:
            for section in mt.sections:
                self._section(mt, section)
        for gid in self.used.nested:
            group = self.spec.groups[gid]
            self._all(self.add("complexType", name=group_type_name(gid)), group, None)
        for gid in self.used.groups:
            for e in self.spec.groups[gid].elements:
                self._element_type(e)
        for cid in self.used.codelists:
            self._codelist(cid)
        for t in self.used.builtins:
            self._simple(builtin_type_name(t), "xs:string", [], (TYPE_PATTERNS[t],))
        for t in ("integer", "boolean"):
            if t in self.xml_only:
                self._simple(builtin_type_name(t), f"xs:{t}", [], (_XML_ONLY[t],))
        return self.root

    def _header(self) -> None:
        s = self.spec
        self.root.append(_comment(
            f"GENERATED by hegui from spec {s.id} {s.version}: do not edit. "
            "Regenerate with `hegui specs schemas` (write option)."))
        self.root.append(_comment(
            "Not expressed here (XSD 1.0 has no assertions), checked by hegui's datatype layer "
            "and rule engine: check digits (uscc, idcard), real calendar dates, region codes, "
            "RMB uppercase, money/rate minimum and maximum, conditional requirements."))
        for mt in s.message_types.values():
            ids = [r.id for r in s.rules_for(mt.id) if r.kind == "require"]
            if ids:
                self.root.append(_comment(
                    f"{mt.id}: conditional requirements left to the rule engine: "
                    + ", ".join(ids)))
        _doc(self.root, s.title)

    def _message(self, mt: MessageType) -> None:
        ct = self.add("complexType", name=message_type_name(mt))
        all_ = self.add("all", ct)
        for section in mt.sections:
            el = self.add("element", all_, name=section.name, type=section_type_name(mt, section))
            if section.use != "required":
                el.set("minOccurs", "0")
            _doc(el, self.spec.groups[section.group].label)

    def _section(self, mt: MessageType, section: Section) -> None:
        group = self.spec.groups[section.group]
        ct = self.add("complexType", name=section_type_name(mt, section))
        if not section.is_list:
            self._all(ct, group, section)
            return
        seq = self.add("sequence", ct)
        item = self.add("element", seq, name=group.id, type=section_item_type_name(mt, section))
        _occurs(item, section.min_items, section.max_items)
        _doc(item, group.label)
        self._all(self.add("complexType", name=section_item_type_name(mt, section)), group,
                  section)

    def _all(self, ct: etree._Element, group: Group, section: Section | None) -> None:
        all_ = self.add("all", ct)
        for e, use in members(group, section):
            self._member(all_, e, use, section)

    def _member(self, parent: etree._Element, e: Element, use: Use,
                section: Section | None) -> None:
        if e.datatype == "group" and section is not None and section.reaches_into(e.name):
            # The message type changes usage inside this group: its own anonymous type.
            el = self.add("element", parent, name=e.name)
            _doc(el, e.label)  # the annotation comes before the anonymous type
            self._all(self.add("complexType", el), self.spec.groups[e.facets["group"]],
                      section.within(e.name))
        else:
            type_name = (group_type_name(e.facets["group"]) if e.datatype == "group"
                         else element_type_name(e))
            el = self.add("element", parent, name=e.name, type=type_name)
            _doc(el, e.label)
        if use != "required":
            el.set("minOccurs", "0")

    def _element_type(self, e: Element) -> None:
        if e.datatype == "group":
            return
        if e.datatype != "list":
            self._scalar(element_type_name(e), scalar(e))
            return
        ct = self.add("complexType", name=element_type_name(e))
        seq = self.add("sequence", ct)
        child, type_name = list_item(e)
        item = self.add("element", seq, name=child, type=type_name)
        _occurs(item, int(e.facets.get("minItems", 0)), e.facets.get("maxItems"))
        of = e.facets["of"]
        if isinstance(of, Element):
            self._scalar(item_type_name(e), scalar(of))

    def _scalar(self, name: str, sc: Scalar) -> None:
        if sc.codelist:
            base = codelist_type_name(sc.codelist)
        elif sc.builtin:
            base = builtin_type_name(sc.builtin)
        elif sc.kind in _XML_ONLY:
            self.xml_only.add(sc.kind)
            base = builtin_type_name(sc.kind)
        else:
            base = f"xs:{sc.kind}"
        facets = [(k, v) for k, v in (
            ("length", sc.length), ("minLength", sc.min_length), ("maxLength", sc.max_length),
            ("totalDigits", sc.total_digits), ("fractionDigits", sc.fraction_digits),
            ("minInclusive", sc.minimum), ("maxInclusive", sc.maximum)) if v is not None]
        self._simple(name, base, facets, sc.patterns)

    def _simple(self, name: str, base: str, facets: list[tuple[str, int]],
                patterns: tuple[str, ...]) -> None:
        self._restriction(self.add("simpleType", name=name), base, facets, patterns)

    def _restriction(self, parent: etree._Element, base: str, facets: list[tuple[str, int]],
                     patterns: tuple[str, ...]) -> None:
        r = self.add("restriction", parent)
        if len(patterns) > 1:
            # Patterns in one restriction step are alternatives; each further pattern that must
            # also hold gets its own (anonymous) derivation step.
            self._restriction(self.add("simpleType", r), base, [], patterns[:-1])
            patterns = patterns[-1:]
        else:
            r.set("base", base)
        for p in patterns:
            self.add("pattern", r, value=p)
        for k, v in facets:
            self.add(k, r, value=str(v))

    def _codelist(self, cid: str) -> None:
        cl = self.spec.codelists[cid]
        st = self.add("simpleType", name=codelist_type_name(cid))
        _doc(st, cl.name)
        r = self.add("restriction", st, base="xs:string")
        for code in cl.codes:
            _doc(self.add("enumeration", r, value=code.code), code.name)
