"""Canonical element paths of a message type, as platform profiles name them.

A path is dotted, with ``[]`` after a list (``attachments[].type``,
``invoices[].orders[].orderNo``); naming a section or a group (``attachments``, ``bidder``)
names a container. :func:`resolve` says whether the message type has the path, and what is
there; :func:`pointer` and :func:`path_and_indices` convert between paths and JSON Pointers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from hegui.validator import structure
from hegui.validator.spec import Element, MessageType, Spec


@dataclass(frozen=True)
class Target:
    """What a canonical path names: an element (None for a section) and whether it is a
    container (a section, a group or a list) rather than a value."""

    element: Element | None
    container: bool


def resolve(spec: Spec, mt: MessageType, path: str) -> Target | None:
    """What ``path`` names in ``mt``, or None when the message type does not have it."""
    parts = path.split(".")
    head = parts[0]
    section = mt.section(head.removesuffix("[]"))
    if section is None:
        return None
    if len(parts) == 1:
        if head.endswith("[]") and not section.is_list:
            return None
        return Target(None, True)
    if section.is_list != head.endswith("[]"):
        return None
    if not section.is_list:
        plain = path.replace("[]", "")
        if "[]" not in path:
            f = mt.fields.get(plain)
            if f is None:
                return None
            return Target(f.element, f.element.datatype in ("group", "list"))
        # a list nested in a group: its members are not fields of the message type
        prefix = path.split("[]", 1)[0]
        outer = mt.fields.get(prefix)
        if outer is None or outer.element.datatype != "list":
            return None
    elif parts[1] in section.exclude:
        return None
    tokens: list[str | int] = []
    for part in parts:
        tokens.append(part.removesuffix("[]"))
        if part.endswith("[]"):
            tokens.append(0)
    dotted, element = structure.path_of(spec, mt, tokens)
    if element is None or dotted.replace("[]", "") != path.replace("[]", ""):
        return None
    return Target(element, element.datatype in ("group", "list"))


def pointer(path: str, indices: Sequence[int]) -> str:
    """The JSON Pointer of ``path`` with its ``[]`` filled by ``indices`` in order (a ``[]``
    without an index left cuts the pointer there)."""
    return _pointer(path, tuple(indices))


@functools.lru_cache(maxsize=8192)
def _pointer(path: str, indices: tuple[int, ...]) -> str:
    out: list[str] = []
    it = iter(indices)
    for part in path.split("."):
        out.append(part.removesuffix("[]"))
        if part.endswith("[]"):
            i = next(it, None)
            if i is None:
                break
            out.append(str(i))
    return "/" + "/".join(_escape(p) for p in out)


def path_and_indices(tokens: Sequence[str]) -> tuple[str, list[int]]:
    """The ``[]`` path and the list indices of JSON Pointer tokens (``attachments``, ``0``,
    ``type`` -> ``attachments[].type``, [0])."""
    parts: list[str] = []
    indices: list[int] = []
    for tok in tokens:
        if tok.isdigit() and parts:
            parts[-1] += "[]"
            indices.append(int(tok))
        else:
            parts.append(tok)
    return ".".join(parts), indices


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
