"""Characters XML 1.0 cannot carry, found in a JSON payload's strings.

One record, one verdict in both encodings: a JSON string holding U+0000, another C0 control
other than tab, line feed and carriage return, U+FFFE, U+FFFF or a lone surrogate has no XML
encoding at all (XML 1.0 §2.2 ``Char``; even ``&#0;`` is not well-formed). So such a record is
nonconformant in JSON (``<path>@character``), as its XML bytes would be unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from hegui.validator.safe_json import escape_pointer
from hegui.validator.spec import MessageType, Spec
from hegui.validator.structure import StructuralError, path_of

#: Code points outside XML 1.0's ``Char`` production.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


#: What orjson writes for the characters :data:`NOT_XML` matches: an escape (``\\uXXXX`` for
#: C0 controls, ``\\b`` and ``\\f`` for U+0008 and U+000C), or U+FFFE and U+FFFF as they are
#: (it refuses to write a lone surrogate). Single characters are searched for: fast.
_ESCAPES = re.compile(r"\\[ubf]")


def _may_hold(doc: Any) -> bool:
    """Whether ``doc`` may hold a character XML forbids (False is certain; True means look)."""
    try:
        text = orjson.dumps(doc).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return True
    if "\ufffe" in text or "\uffff" in text:
        return True
    return "\\" in text and _ESCAPES.search(text) is not None


def illegal_characters(spec: Spec, mt: MessageType, doc: Any) -> Iterator[StructuralError]:
    """A ``character`` error for every string value of ``doc`` holding a character XML 1.0
    forbids (keys holding one are no element names: the schema reports them unexpected)."""
    if not _may_hold(doc):
        return
    for tokens, value in _strings(doc, []):
        m = NOT_XML.search(value)
        if m is None:
            continue
        path, _ = path_of(spec, mt, tokens)
        pointer = "".join(f"/{escape_pointer(str(t))}" for t in tokens)
        detail = f"U+{ord(m.group()):04X} at character {m.start() + 1}"
        yield StructuralError(path or "payload", "character", pointer, detail,
                              value.encode("unicode_escape").decode("ascii"))


def _strings(node: Any, tokens: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    if isinstance(node, str):
        yield tokens, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, [*tokens, key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, [*tokens, i])


#: An XML name without a colon (XML Namespaces 1.0 ``NCName``), approximated by Unicode classes.
_NCNAME = re.compile(r"[^\W\d][\w.\-]*")


def first_unwritable(doc: Any) -> tuple[str, str, str] | None:
    """Why ``doc`` cannot be written as XML, if it cannot: ``(pointer, zh, en)`` of the first
    key that is no XML element name or string that holds a character XML forbids."""
    return next(_unwritable(doc, ""), None)


def _unwritable(node: Any, pointer: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, str):
        m = NOT_XML.search(node)
        if m is not None:
            code = f"U+{ord(m.group()):04X}"
            yield (pointer, f"值含有 XML 1.0 不允许的字符 {code}",
                   f"the value holds {code}, which XML 1.0 cannot carry")
    elif isinstance(node, dict):
        for key, value in node.items():
            here = f"{pointer}/{escape_pointer(str(key))}"
            if not _NCNAME.fullmatch(str(key)):
                yield (here, f"键“{key}”不是 XML 元素名", f"the key {key!r} is no XML element name")
                return
            yield from _unwritable(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _unwritable(value, f"{pointer}/{i}")
