"""Safe XML parsing: no DTDs, no entities, no network, bounded size and depth.

A DOCTYPE has no place in a payload of ours, so any DOCTYPE is refused (as defusedxml's
``forbid_dtd`` does): this stops entity-expansion bombs and external entities before libxml2
resolves anything. Encodings follow the XML declaration or a BOM (GB18030/GBK payloads exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from hegui.validator.limits import DEFAULT_LIMITS, Limits, PayloadParseError

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": False,
    "remove_pis": False,
    "collect_ids": False,
}


class XmlParseError(PayloadParseError):
    """The bytes are not an acceptable XML document."""


@dataclass(frozen=True)
class ParsedXml:
    """A parsed document and its source lines (for column look-ups and excerpts)."""

    root: etree._Element


def parse_xml(data: bytes, limits: Limits = DEFAULT_LIMITS) -> ParsedXml:
    """Parse ``data`` safely or raise :class:`XmlParseError`."""
    if len(data) > limits.max_bytes:
        raise XmlParseError(f"payload is {len(data)} bytes, over the limit of {limits.max_bytes}",
                            "limit")
    # Refuse DTDs before parsing: cheap scan of the prolog only.
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!doctype" in head or b"<!ENTITY" in head:
        line = data[: data.find(b"<!")].count(b"\n") + 1 if b"<!" in head else None
        raise XmlParseError("DOCTYPE/ENTITY declarations are not allowed in payloads", "dtd",
                            line, None)
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        msg = str(exc.msg) if exc.msg else str(exc)
        facet = "encoding" if "encoding" in msg.lower() or "Input is not proper" in msg else "parse"
        if "DOCTYPE" in msg or "Entity" in msg or "entity" in msg:
            facet = "dtd"
        raise XmlParseError(msg, facet, line, col) from None
    if root is None:
        raise XmlParseError("empty document", "parse", 1, 1)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlParseError("DOCTYPE declarations are not allowed in payloads", "dtd", 1, 1)
    _check_depth(root, limits.max_depth)
    return ParsedXml(root)


def _check_depth(root: etree._Element, max_depth: int) -> None:
    # One XPath evaluated in C: is there any element at depth max_depth + 1?
    deep = root.xpath("(" + "*/" * (max_depth - 1) + "*)[1]")
    if isinstance(deep, list) and deep:
        el = deep[0]
        line = el.sourceline if isinstance(el, etree._Element) else None
        raise XmlParseError(f"elements nested deeper than {max_depth}", "limit", line, None)
