"""Structure checks on the generated schemas: lxml XMLSchema for XML, jsonschema-rs for JSON.

Both engines' errors map onto one stable rule id ``<dotted path>@<facet>`` so that the same
record gets the same ids in either encoding (docs/spec-format.md). Compiled validators are
built once per spec and message type by its :class:`~hegui.validator.runtime.Runtime`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from lxml import etree

from hegui.validator.codec import namespace_of
from hegui.validator.runtime import Runtime, schema_files
from hegui.validator.safe_json import is_index
from hegui.validator.spec import Element, MessageType, Spec
from hegui.validator.xml_paths import PathIndex

__all__ = ["StructuralError", "check_json", "check_xml", "is_valid", "path_of", "schema_files"]


@dataclass(frozen=True)
class StructuralError:
    """One schema violation: the dotted path (``[]`` for list items), facet and JSON Pointer."""

    path: str
    facet: str
    pointer: str
    detail: str
    value: str | None = None

    @property
    def rule_id(self) -> str:
        """Stable id ``<path>@<facet>``."""
        return f"{self.path}@{self.facet}"


def path_of(spec: Spec, mt: MessageType, tokens: list[str | int]) -> tuple[str, Element | None]:
    """Dotted path (``attachments[].type``) and element for JSON Pointer tokens."""
    parts: list[str] = []
    element: Element | None = None
    group = None
    for tok in tokens:
        if isinstance(tok, int) or (is_index(tok) and parts):
            if parts:
                parts[-1] += "[]"
            if element is not None and element.datatype == "list":
                of = element.facets["of"]
                if isinstance(of, str):
                    group = spec.groups.get(of)
                else:
                    element = of
            continue
        name = str(tok)
        parts.append(name)
        if group is None and len(parts) == 1:
            section = mt.section(name)
            group = spec.groups.get(section.group) if section else None
            element = None
            continue
        element = group.element(name) if group is not None else None
        if element is not None and element.datatype == "group":
            group = spec.groups.get(element.facets["group"])
        elif element is not None and element.datatype == "list":
            of = element.facets["of"]
            group = spec.groups.get(of) if isinstance(of, str) else None
        else:
            group = None
    return ".".join(parts) or "payload", element


_JSON_FACETS = {
    "Required": "required", "AdditionalProperties": "unexpected", "Type": "type",
    "Pattern": "pattern", "MaxLength": "maxLength", "MinLength": "minLength", "Enum": "enum",
    "Const": "enum", "Minimum": "minimum", "Maximum": "maximum", "MinItems": "minItems",
    "MaxItems": "maxItems", "UnevaluatedProperties": "unexpected", "FalseSchema": "unexpected",
}


def is_valid(rt: Runtime, mt: MessageType, doc: Any, root: etree._Element | None) -> bool:
    """Whether the payload (XML ``root`` when given, else JSON ``doc``) passes its schema."""
    if root is not None:
        return bool(rt.xsd.validate(root)) and not _padded_decimals(rt, mt, root)
    return bool(rt.json_validator(mt.id).is_valid(doc))


def _padded_decimals(rt: Runtime, mt: MessageType, root: etree._Element
                     ) -> list[etree._Element]:
    """Money and rate elements whose text has white space around it (``<amount> 1.00
    </amount>``). XSD collapses the white space of ``xs:decimal`` before its facets, so the
    XSD accepts what the JSON encoding's pattern rejects (``" 1.00"``): this is the check
    that keeps the two encodings of one record one verdict."""
    find = rt.memo(("hegui.structure.padded-decimals", mt.id),
                   lambda: _padded_xpath(rt.spec, mt))
    found = find(root) if find is not None else []
    return [el for el in found if isinstance(el, etree._Element)]


def _padded_xpath(spec: Spec, mt: MessageType) -> etree.XPath | None:
    paths: list[str] = []

    def group(gid: str, prefix: str) -> None:
        for e in spec.groups[gid].elements:
            step = f"{prefix}/h:{e.name}"
            of = e.facets.get("of")
            if e.datatype in ("money", "rate"):
                paths.append(step)
            elif e.datatype == "group":
                group(e.facets["group"], step)
            elif isinstance(of, str):
                group(of, f"{step}/*")
            elif isinstance(of, Element) and of.datatype in ("money", "rate"):
                paths.append(f"{step}/*")
    for s in mt.sections:
        group(s.group, f"/*/h:{s.name}/*" if s.is_list else f"/*/h:{s.name}")
    if not paths:
        return None
    return etree.XPath(f"({' | '.join(paths)})"
                       "[string-length(.) != string-length(normalize-space(.))]",
                       namespaces={"h": namespace_of(spec)})


def check_json(rt: Runtime, mt: MessageType, doc: Any) -> Iterator[StructuralError]:
    """Schema errors of a JSON payload of message type ``mt``."""
    spec = rt.spec
    validator = rt.json_validator(mt.id)
    for err in validator.iter_errors(doc):
        if "then" in err.schema_path:
            continue  # an if/then of a `require` rule: the rule itself reports it, as for XML
        kind = type(err.kind).__name__
        tokens = list(err.instance_path)
        facet = _JSON_FACETS.get(kind, kind[0].lower() + kind[1:])
        if kind == "Required":
            missing = getattr(err.kind, "property", None)
            if missing is None:
                m = re.match(r'"(.*)" is a required property', err.message)
                missing = m.group(1) if m else "?"
            tokens.append(str(missing))
        elif kind in ("AdditionalProperties", "UnevaluatedProperties"):
            for extra in getattr(err.kind, "unexpected", None) or ["?"]:
                yield _json_error(spec, mt, [*tokens, extra], "unexpected", err.message, None)
            continue
        elif kind == "Type":
            facet = "type"
        value = err.instance if not isinstance(err.instance, dict | list) else None
        yield _json_error(spec, mt, tokens, facet, err.message, value)


def _json_error(spec: Spec, mt: MessageType, tokens: list[Any], facet: str, detail: str,
                value: Any) -> StructuralError:
    path, element = path_of(spec, mt, tokens)
    if facet in ("minLength", "maxLength") and element is not None \
            and element.facet("length") is not None:
        facet = "length"  # JSON Schema states `length: n` as min = max = n; XSD says length
    pointer = "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)
    shown = None if value is None else (value if isinstance(value, str) else
                                        orjson.dumps(value).decode())
    return StructuralError(path, facet, pointer, detail, shown)


_XSD_FACET = re.compile(r"\[facet '(\w+)'\]")
_XSD_NAMES = {
    "pattern": "pattern", "maxLength": "maxLength", "minLength": "minLength", "length": "length",
    "enumeration": "enum",
    # JSON Schema expresses digits and scale in the decimal pattern: same id in both encodings.
    "totalDigits": "pattern", "fractionDigits": "pattern",
    "minInclusive": "minimum", "maxInclusive": "maximum", "minExclusive": "minimum",
    "maxExclusive": "maximum",
}


def check_xml(rt: Runtime, mt: MessageType, root: etree._Element) -> Iterator[StructuralError]:
    """Schema errors of a parsed XML payload of message type ``mt``."""
    yield from _xsd_errors(rt, mt, root)
    for el in _padded_decimals(rt, mt, root):
        yield _xml_error(rt.spec, mt, _tokens(rt.spec, mt, el, root), "pattern",
                         "white space around a decimal", el.text)


def _xsd_errors(rt: Runtime, mt: MessageType, root: etree._Element
                ) -> Iterator[StructuralError]:
    spec, xsd = rt.spec, rt.xsd
    if xsd.validate(root):
        return
    tree = root.getroottree()
    prefixes = {k: v for k, v in root.nsmap.items() if k}
    index = PathIndex(root)  # linear: a long list with an error per item stays cheap
    for entry in xsd.error_log:
        el = index.element(entry.path)
        if el is None:
            el = _by_xpath(tree, entry.path, prefixes)
        if el is None:
            el = root
        tokens = _tokens(spec, mt, el, root, index)
        msg = entry.message
        m = _XSD_FACET.search(msg)
        if m:
            facet = _XSD_NAMES.get(m.group(1), m.group(1))
            if facet == "pattern" and _native(spec, mt, tokens):
                facet = "type"  # the XML spelling of a JSON integer or boolean: `1`, `+5`
            yield _xml_error(spec, mt, tokens, facet, msg, el.text)
        elif "Missing child element" in msg:
            continue  # libxml2 also lists optional names here; presence.py reports the required
        elif "This element is not expected" in msg:
            if tokens and isinstance(tokens[-1], int):
                continue  # an item beyond maxItems: presence.py reports `<list>@maxItems`
            yield _xml_error(spec, mt, tokens, "unexpected", msg, None)
        elif "is not a valid value of the atomic type" in msg or "not a valid value" in msg:
            facet = "type" if _native(spec, mt, tokens) else "pattern"
            yield _xml_error(spec, mt, tokens, facet, msg, el.text)
        elif "The attribute" in msg and "is not allowed" in msg:
            # Data is carried in elements only (docs/spec-format.md); xml:base, xml:lang or any
            # other attribute is no value of the record, so the JSON twin has nothing to match.
            path = _xml_error(spec, mt, tokens, "attribute", msg, None).path or "payload"
            yield StructuralError(path, "attribute", "".join(f"/{t}" for t in tokens), msg,
                                  _attribute_name(msg))
        elif "No matching global declaration" in msg:
            yield StructuralError("payload", "root", "", msg, None)
        elif _scalar_with_text(spec, mt, tokens, el):
            # libxml2 cuts a message at about 64,000 bytes, value included, before the part
            # that names the facet: a long value of a scalar element failed its lexical form.
            facet = "type" if _native(spec, mt, tokens) else "pattern"
            yield _xml_error(spec, mt, tokens, facet, msg, el.text)
        else:
            yield _xml_error(spec, mt, tokens, "type", msg, el.text)


def _attribute_name(message: str) -> str | None:
    """The attribute libxml2 names in "The attribute 'x' is not allowed."."""
    m = re.search(r"attribute '([^']+)'", message)
    if m is None:
        return None
    return m.group(1).replace("{http://www.w3.org/XML/1998/namespace}", "xml:")


def _scalar_with_text(spec: Spec, mt: MessageType, tokens: list[str | int],
                      el: etree._Element) -> bool:
    """Whether the element at ``tokens`` is a scalar one holding text (not a group or list)."""
    _, element = path_of(spec, mt, tokens)
    return (element is not None and element.datatype not in ("group", "list")
            and bool(el.text) and len(el) == 0)


def _native(spec: Spec, mt: MessageType, tokens: list[str | int]) -> bool:
    """Whether the element at ``tokens`` is an integer or a boolean: JSON writes those as
    native values, so a wrong XML spelling of one (``1`` or ``yes`` for a boolean, ``+5`` or
    ``05`` for an integer; the XSD's lexical patterns reject them) is ``@type`` as in JSON."""
    _, element = path_of(spec, mt, tokens)
    return element is not None and element.datatype in ("integer", "boolean")


def _by_xpath(tree: etree._ElementTree, path: str | None,
              prefixes: dict[str, str]) -> etree._Element | None:
    """The element at ``path`` by XPath (for paths :class:`PathIndex` does not read)."""
    try:  # libxml2 writes paths with the payload's own prefixes
        found = tree.xpath(path, namespaces=prefixes) if path else []
    except etree.XPathError:
        return None
    el = found[0] if isinstance(found, list) and found else None
    return el if isinstance(el, etree._Element) else None


def _tokens(spec: Spec, mt: MessageType, el: etree._Element,
            root: etree._Element, index: PathIndex | None = None) -> list[str | int]:
    """JSON Pointer tokens of an XML element: list items become their index (spec-driven)."""
    chain: list[etree._Element] = []
    node: etree._Element | None = el
    while node is not None and node is not root:
        chain.append(node)
        node = node.getparent()
    chain.reverse()
    tokens: list[str | int] = []
    group = None
    in_list = False  # the previous element was a list wrapper: this one is an item
    for node in chain:
        name = etree.QName(node).localname
        if in_list:
            tokens.append((index or PathIndex(root)).position(node))
            in_list = False
            continue
        tokens.append(name)
        if len(tokens) == 1:
            section = mt.section(name)
            group = spec.groups.get(section.group) if section else None
            in_list = bool(section and section.is_list)
            continue
        element = group.element(name) if group is not None else None
        if element is None:
            group = None
        elif element.datatype == "group":
            group = spec.groups.get(element.facets["group"])
        elif element.datatype == "list":
            of = element.facets["of"]
            group = spec.groups.get(of) if isinstance(of, str) else None
            in_list = True
    return tokens


def _xml_error(spec: Spec, mt: MessageType, tokens: list[Any], facet: str, detail: str,
               value: str | None) -> StructuralError:
    path, _ = path_of(spec, mt, tokens)
    pointer = "".join("/" + str(t) for t in tokens)
    return StructuralError(path, facet, pointer, detail, value)
