"""The two encodings of one record: XML element tree <-> the JSON encoding (a plain dict).

Driven by the spec: which XML elements are list wrappers, which values are integers or
booleans in JSON. ``xml_to_json`` also returns, for every JSON Pointer, the XPath and source
line of the element it came from, so findings on XML payloads point into the XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from hegui.validator.safe_json import escape_pointer
from hegui.validator.spec import Element, MessageType, Spec


def namespace_of(spec: Spec) -> str:
    """XML target namespace of ``spec``: ``<namespace>:<version>``."""
    return f"{spec.namespace}:{spec.version}"


@dataclass
class XmlTrace:
    """Where each JSON Pointer of a converted XML payload came from."""

    xpaths: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    elements: dict[str, etree._Element] = field(default_factory=dict)
    #: Pointers of elements the spec does not know there (reported as ``@unexpected``).
    unknown: list[str] = field(default_factory=list)


def _local(tag: Any) -> str:
    # Faster than etree.QName(tag).localname on this hot path; comments/PIs have no str tag.
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _scalar_from_text(text: str, element: Element) -> Any:
    if element.datatype == "integer":
        try:
            return int(text.strip())
        except ValueError:
            return text
    if element.datatype == "boolean":
        return {"true": True, "false": False}.get(text.strip(), text)
    return text


def xml_to_json(root: etree._Element, spec: Spec, mt: MessageType,
                traced: bool = True) -> tuple[dict[str, Any], XmlTrace | None]:
    """Convert a parsed XML payload of message type ``mt`` to the JSON encoding.

    Elements the spec does not know are skipped (the XSD check reports them). With ``traced``,
    also return where each JSON Pointer came from (XPath, line) and the unknown elements; the
    validator asks for that only when a payload has findings, since it costs as much again.
    """
    trace = XmlTrace() if traced else None
    doc: dict[str, Any] = {"messageType": mt.id, "specVersion": spec.version}
    root_xpath = f"/{mt.id}"
    if trace is not None:
        _mark(trace, "", root_xpath, root)
    seen: set[str] = set()
    for child in root:
        name = _local(child.tag)
        if not name:
            continue
        section = mt.section(name)
        pointer = "/" + escape_pointer(name) if trace is not None else ""
        xpath = f"{root_xpath}/{name}" if trace is not None else ""
        if section is None:
            if trace is not None:
                _mark(trace, pointer, xpath, child)
                trace.unknown.append(pointer)
            continue
        if name in seen:
            continue  # a repeated section is an XSD error; keep the first
        seen.add(name)
        if trace is None:  # the hot path: no bookkeeping
            if section.is_list:
                doc[name] = [_plain_group(c, spec, section.group) for c in child
                             if isinstance(c.tag, str)]
            else:
                doc[name] = _plain_group(child, spec, section.group)
        elif section.is_list:
            items = [c for c in child if isinstance(c.tag, str)]
            _mark(trace, pointer, xpath, child)
            doc[name] = [
                _group_to_json(item, spec, section.group, trace,
                               f"{pointer}/{i}", f"{xpath}/{_local(item.tag)}[{i + 1}]")
                for i, item in enumerate(items)]
        else:
            doc[name] = _group_to_json(child, spec, section.group, trace, pointer, xpath)
    return doc, trace


def _plain_group(el: etree._Element, spec: Spec, group_id: str) -> dict[str, Any]:
    """``_group_to_json`` without a trace: the same result, for conformant-looking payloads."""
    index = spec.groups[group_id].index
    out: dict[str, Any] = {}
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = tag[tag.rfind("}") + 1:]
        element = index.get(name)
        if element is None or name in out:
            continue
        kind = element.datatype
        if kind == "group":
            out[name] = _plain_group(child, spec, element.facets["group"])
        elif kind == "list":
            of = element.facets["of"]
            out[name] = [_plain_group(c, spec, of) if isinstance(of, str)
                         else _scalar_from_text(c.text or "", of)
                         for c in child if isinstance(c.tag, str)]
        elif kind in ("integer", "boolean"):
            out[name] = _scalar_from_text(child.text or "", element)
        else:
            out[name] = child.text or ""
    return out


def _mark(trace: XmlTrace, pointer: str, xpath: str, el: etree._Element) -> None:
    trace.xpaths[pointer] = xpath
    trace.lines[pointer] = el.sourceline or 0
    trace.elements[pointer] = el


def _group_to_json(el: etree._Element, spec: Spec, group_id: str, trace: XmlTrace | None,
                   pointer: str, xpath: str) -> dict[str, Any]:
    if trace is not None:
        _mark(trace, pointer, xpath, el)
    index = spec.groups[group_id].index
    out: dict[str, Any] = {}
    for child in el:
        name = _local(child.tag)
        if not name:
            continue
        element = index.get(name)
        p = x = ""
        if trace is not None:
            p, x = f"{pointer}/{escape_pointer(name)}", f"{xpath}/{name}"
            if element is None:
                _mark(trace, p, x, child)
                trace.unknown.append(p)
                continue
        if element is None or name in out:
            continue
        if trace is not None:
            _mark(trace, p, x, child)
        out[name] = _element_to_json(child, spec, element, trace, p, x)
    return out


def _element_to_json(el: etree._Element, spec: Spec, element: Element, trace: XmlTrace | None,
                     pointer: str, xpath: str) -> Any:
    if element.datatype == "group":
        return _group_to_json(el, spec, element.facets["group"], trace, pointer, xpath)
    if element.datatype == "list":
        of = element.facets["of"]
        items = [c for c in el if isinstance(c.tag, str)]
        out = []
        for i, item in enumerate(items):
            p = x = ""
            if trace is not None:
                p, x = f"{pointer}/{i}", f"{xpath}/{_local(item.tag)}[{i + 1}]"
            if isinstance(of, str):
                out.append(_group_to_json(item, spec, of, trace, p, x))
            else:
                if trace is not None:
                    _mark(trace, p, x, item)
                out.append(_scalar_from_text(item.text or "", of))
        return out
    return _scalar_from_text(el.text or "", element)


def json_to_xml(doc: dict[str, Any], spec: Spec) -> bytes:
    """Serialise a JSON-encoded payload of ``spec`` as XML (UTF-8, indented, with declaration).

    Keys the spec does not know are carried over as elements, so that a structurally wrong JSON
    payload stays wrong in XML.
    """
    mt_id = str(doc.get("messageType", "unknown"))
    ns = namespace_of(spec)
    mt = spec.message_types.get(mt_id)
    root = etree.Element(f"{{{ns}}}{mt_id}", nsmap={None: ns})
    for key, value in doc.items():
        if key in ("messageType", "specVersion"):
            continue
        section = mt.section(key) if mt else None
        child = etree.SubElement(root, f"{{{ns}}}{key}")
        if section is not None and section.is_list and isinstance(value, list):
            for item in value:
                _fill(etree.SubElement(child, f"{{{ns}}}{section.group}"), item, spec,
                      section.group, ns)
        else:
            _fill(child, value, spec, section.group if section else None, ns)
    etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8")) + b"\n"


def _fill(el: etree._Element, value: Any, spec: Spec, group_id: str | None, ns: str) -> None:
    if isinstance(value, dict):
        group = spec.groups.get(group_id) if group_id else None
        for key, sub in value.items():
            element = group.element(key) if group else None
            child = etree.SubElement(el, f"{{{ns}}}{key}")
            if element is not None and element.datatype == "list" and isinstance(sub, list):
                of = element.facets["of"]
                for item in sub:
                    name = of if isinstance(of, str) else "item"
                    _fill(etree.SubElement(child, f"{{{ns}}}{name}"), item, spec,
                          of if isinstance(of, str) else None, ns)
            elif element is not None and element.datatype == "group":
                _fill(child, sub, spec, element.facets["group"], ns)
            else:
                _fill(child, sub, spec, None, ns)
    elif isinstance(value, list):
        for item in value:
            _fill(etree.SubElement(el, f"{{{ns}}}item"), item, spec, group_id, ns)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is None:
        pass
    else:
        el.text = str(value)
