"""Safe XML parsing: no DTDs, no entities, no network, bounded size and depth.

A DOCTYPE has no place in a payload of ours, so any DOCTYPE is refused (as defusedxml's
``forbid_dtd`` does): this stops entity-expansion bombs and external entities before libxml2
resolves anything. Encodings follow the XML declaration or a BOM (GB18030/GBK payloads exist).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from lxml import etree

from hegui.validator.limits import DEFAULT_LIMITS, Limits, PayloadParseError
from hegui.validator.parser_texts import at, bare_message, libxml2
from hegui.validator.safe_json import too_large
from hegui.validator.spec import Text

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    # libxml2's own text-node limit (10,000,000 bytes) would make a long value a parse error
    # in XML but a maxLength finding in JSON; the input size (Limits.max_bytes), the depth
    # (checked below) and the refusal of any DTD bound what huge_tree lifts.
    "huge_tree": True,
    "remove_comments": False,
    "remove_pis": False,
    "collect_ids": False,
}


class XmlParseError(PayloadParseError):
    """The bytes are not an acceptable XML document; ``text`` says why in both languages (its
    English is also the exception's message)."""

    def __init__(self, text: Text, facet: str, line: int | None = None,
                 column: int | None = None):
        super().__init__(text.en, facet, line, column)
        self.text = text


#: libxml2's errors for a bare ``&`` in text ("xmlParseEntityRef: no name", "EntityRef:
#: expecting ';'"): a syntax error of the text, not an entity declaration.
_BARE_AMPERSAND = frozenset({"ERR_NAME_REQUIRED", "ERR_ENTITYREF_SEMICOL_MISSING"})

#: A DOCTYPE or ENTITY declaration, refused wherever it is found.
_NO_DTD = Text("载荷中不允许 DOCTYPE/ENTITY 声明",
               "DOCTYPE/ENTITY declarations are not allowed in payloads")


@dataclass(frozen=True)
class ParsedXml:
    """A parsed document and its source lines (for column look-ups and excerpts)."""

    root: etree._Element


def parse_xml(data: bytes, limits: Limits = DEFAULT_LIMITS) -> ParsedXml:
    """Parse ``data`` safely or raise :class:`XmlParseError`."""
    if len(data) > limits.max_bytes:
        raise XmlParseError(too_large(len(data), limits.max_bytes), "limit")
    # Refuse DTDs before parsing: a scan of the prolog (everything before the root element).
    found = _doctype_in_prolog(data)
    if found is not None:
        at_line = data[:found].count(b"\n") + 1
        raise XmlParseError(at(_NO_DTD, at_line, None), "dtd", at_line, None)
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    parser.resolvers.add(_Refuse())  # whatever slips past: no file or URL is ever read
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        msg = bare_message(str(exc.msg) if exc.msg else str(exc))
        kind = _type_name(exc.code)
        facet = "encoding" if "encoding" in msg.lower() or "Input is not proper" in msg else "parse"
        if "DOCTYPE" in msg or "Entity" in msg or "entity" in msg:
            facet = "parse" if kind in _BARE_AMPERSAND else "dtd"
        if "depth" in msg.lower():  # libxml2's own nesting limit (256), beyond ours
            facet = "limit"
        detail = at(libxml2(kind, msg), line, col)
        raise XmlParseError(detail, facet, line, col) from None
    if root is None:
        raise XmlParseError(at(Text("文档为空", "empty document"), 1, 1), "parse", 1, 1)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlParseError(at(_NO_DTD, 1, 1), "dtd", 1, 1)
    _check_depth(root, limits.max_depth)
    return ParsedXml(root)


_PROLOG_ITEM = re.compile(rb"""\s+|<\?.*?\?>|<!--.*?-->""", re.DOTALL)


def _doctype_in_prolog(data: bytes) -> int | None:
    """Offset of a ``<!DOCTYPE`` / ``<!ENTITY`` before the root element, else None.

    The prolog is walked item by item (white space, processing instructions, comments), so a
    DOCTYPE after a long comment is found too. Prologs in other byte encodings (UTF-16) are
    left to the resolver and the check after parsing.
    """
    pos = 0
    if data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    while pos < len(data):
        m = _PROLOG_ITEM.match(data, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    head = data[pos:pos + 9].upper()
    return pos if head.startswith((b"<!DOCTYPE", b"<!ENTITY")) else None


class _Refuse(etree.Resolver):  # type: ignore[misc]  # lxml ships no stubs
    """Answers every request for an external resource (DTD, entity) with nothing."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        """An empty document instead of the resource named."""
        return self.resolve_string("", context)


_COMPILED = threading.local()


def _deeper_than(max_depth: int) -> etree.XPath:
    """The compiled XPath finding an element at depth ``max_depth + 1`` (compiled once per
    thread and depth: compiling it cost more than evaluating it)."""
    cache = _COMPILED.__dict__.setdefault("depth", {})
    found = cache.get(max_depth)
    if found is None:
        found = cache[max_depth] = etree.XPath("(" + "*/" * (max_depth - 1) + "*)[1]")
    return found


def _check_depth(root: etree._Element, max_depth: int) -> None:
    # One XPath evaluated in C: is there any element at depth max_depth + 1?
    deep = _deeper_than(max_depth)(root)
    if isinstance(deep, list) and deep:
        el = deep[0]
        line = el.sourceline if isinstance(el, etree._Element) else None
        raise XmlParseError(at(Text(f"元素嵌套超过 {max_depth} 层",
                                    f"elements nested deeper than {max_depth}"), line, None),
                            "limit", line, None)


def _type_name(code: int) -> str:
    """libxml2's name of an error code (``ERR_TAG_NAME_MISMATCH``), or ``""`` when unknown."""
    return _ERROR_NAMES.get(code, "")


#: Error code -> libxml2's type name, from lxml's own table.
_ERROR_NAMES: dict[int, str] = {
    value: name for name, value in vars(etree.ErrorTypes).items()
    if name.isupper() and isinstance(value, int)}
