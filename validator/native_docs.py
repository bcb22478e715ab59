"""Small helpers over JSON documents that the native mapping builds and reads.

Reading a dotted member path or a JSON Pointer, setting a value at a pointer (making the
objects and list items on the way), and showing a native value in a message.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import orjson

from hegui.validator.safe_json import pointer_tokens

__all__ = ["escape", "get_path", "get_pointer", "put", "shown"]


def get_path(doc: Mapping[str, Any], path: str) -> Any:
    """The value at dotted member path ``path`` (no lists), or None."""
    node: Any = doc
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def get_pointer(doc: Any, ptr: str) -> Any:
    """The value at JSON Pointer ``ptr``, or None."""
    node = doc
    for tok in (str(t) for t in pointer_tokens(ptr)):
        if isinstance(node, dict):
            node = node.get(tok)
        elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return None
    return node


def put(doc: dict[str, Any], ptr: str, value: Any, *, create: bool,
         only_if_absent: bool = False) -> None:
    """Set ``value`` at JSON Pointer ``ptr`` of ``doc``, making objects and list items."""
    tokens = _tokens(ptr)
    node: Any = doc
    for i, tok in enumerate(tokens):
        last = i == len(tokens) - 1
        nxt = None if last else tokens[i + 1]
        if isinstance(node, list):
            idx = int(tok)
            while len(node) <= idx:
                node.append({})
            if last:
                if not (only_if_absent and node[idx] not in ({}, None)):
                    node[idx] = value
                return
            if not isinstance(node[idx], dict | list):
                return
            node = node[idx]
            continue
        if not isinstance(node, dict):
            return
        if last:
            if not (only_if_absent and tok in node):
                node[tok] = value
            return
        if tok not in node or node[tok] is None:
            if not create:
                return
            node[tok] = [] if nxt is not None and nxt.isdigit() else {}
        node = node[tok]


@functools.lru_cache(maxsize=8192)
def _tokens(ptr: str) -> tuple[str, ...]:
    return tuple(str(t) for t in pointer_tokens(ptr))


def escape(token: str) -> str:
    """A member name as a JSON Pointer token."""
    return token.replace("~", "~0").replace("/", "~1")


def shown(value: Any) -> str:
    """A native value as message text (JSON for non-strings), shortened past 120 chars."""
    if isinstance(value, str):
        return value if len(value) <= 120 else value[:100] + f"…[{len(value)}]"
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= 120 else text[:100] + f"…[{len(text)}]"
