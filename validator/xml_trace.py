"""Where JSON Pointers of a converted XML payload came from, found only for the pointers asked.

The traced conversion (:func:`hegui.validator.codec.xml_to_json` with ``traced=True``) records
an XPath, a line and an element for every node of the payload: for an application of 100,000
materials that is 600,000 entries and about 270 MiB, to locate eight findings. Here the same
answers are computed for the findings' pointers (and their ancestors) alone, walking down from
the root with each parent's child elements listed once; and the elements the spec does not
know are collected in one walk that keeps nothing else. The answers are those of the traced
conversion (a test compares them): the first of repeated known elements, the last of repeated
unknown ones, list items by position among child elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from hegui.validator.codec import XmlTrace
from hegui.validator.safe_json import escape_pointer, pointer_tokens
from hegui.validator.spec import MessageType, Spec

#: What a node of the walk is: ``("root", None)``, an object of a group ``("group", id)``, the
#: items of a list ``("items", group id or None for scalar items)``, or ``("leaf", None)``.
_State = tuple[str, Any]


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class _Children:
    """Each parent's child elements, listed once per locating run."""

    def __init__(self) -> None:
        self._lists: dict[etree._Element, list[etree._Element]] = {}

    def of(self, parent: etree._Element) -> list[etree._Element]:
        found = self._lists.get(parent)
        if found is None:
            found = self._lists[parent] = [c for c in parent if isinstance(c.tag, str)]
        return found


def trace_pointers(root: etree._Element, spec: Spec, mt: MessageType,
                   pointers: Iterable[str]) -> XmlTrace:
    """An :class:`XmlTrace` holding ``pointers`` and their ancestors (those that lead to an
    element of the payload)."""
    trace = XmlTrace()
    children = _Children()
    top = f"/{mt.id}"
    _mark(trace, "", top, root)
    for p in pointers:
        if p in trace.xpaths:
            continue
        node, state, here, xpath = root, ("root", None), "", top
        for raw in pointer_tokens(p):
            token = str(raw)
            step = _step(spec, mt, children, node, state, token)
            if step is None:
                break
            node, state, name, is_item = step
            here += "/" + escape_pointer(token)
            xpath += f"/{name}[{int(token) + 1}]" if is_item else f"/{name}"
            _mark(trace, here, xpath, node)
    return trace


def _step(spec: Spec, mt: MessageType, children: _Children, node: etree._Element,
          state: _State, token: str) -> tuple[etree._Element, _State, str, bool] | None:
    """The child element ``token`` names below ``node``: it, its state, its local name and
    whether it is a list item; None when there is none."""
    kind, what = state
    kids = children.of(node)
    if kind == "items":
        if not token.isdigit() or int(token) >= len(kids):
            return None
        item = kids[int(token)]
        return item, ("group", what) if what is not None else ("leaf", None), \
            _local(item.tag), True
    if kind not in ("root", "group"):
        return None
    same = [c for c in kids if _local(c.tag) == token]
    if not same:
        return None
    if kind == "root":
        section = mt.section(token)
        if section is None:
            return same[-1], ("leaf", None), token, False
        return same[0], ("items" if section.is_list else "group", section.group), token, False
    element = spec.groups[what].index.get(token)
    if element is None:
        return same[-1], ("leaf", None), token, False
    if element.datatype == "group":
        return same[0], ("group", element.facets["group"]), token, False
    if element.datatype == "list":
        of = element.facets["of"]
        return same[0], ("items", of if isinstance(of, str) else None), token, False
    return same[0], ("leaf", None), token, False


def _mark(trace: XmlTrace, pointer: str, xpath: str, el: etree._Element) -> None:
    trace.xpaths[pointer] = xpath
    trace.lines[pointer] = el.sourceline or 0
    trace.elements[pointer] = el


def unknown_pointers(root: etree._Element, spec: Spec, mt: MessageType) -> list[str]:
    """Pointers of the elements the spec does not know where they are (one walk, in document
    order, as the traced conversion lists them)."""
    out: list[str] = []

    def section(name: str) -> tuple[str | None, bool] | None:
        s = mt.section(name)
        return None if s is None else (s.group, s.is_list)

    _walk(root, spec, "", section, out)
    return out


#: What a member name is where the walk stands: None (unknown), or (the group to walk into,
#: or None for a scalar; whether it holds a list of them).
_Member = Callable[[str], "tuple[str | None, bool] | None"]


def _walk(el: etree._Element, spec: Spec, pointer: str, member: _Member,
          out: list[str]) -> None:
    done: set[str] = set()
    for child in el:
        name = _local(child.tag)
        if not name:
            continue
        p = f"{pointer}/{escape_pointer(name)}"
        known = member(name)
        if known is None:
            out.append(p)
            continue
        if name in done:
            continue  # a repeated element: the first is the one converted
        done.add(name)
        group_id, listed = known
        if group_id is None:
            continue
        inner = _group_members(spec, group_id)
        if listed:
            for i, item in enumerate(c for c in child if isinstance(c.tag, str)):
                _walk(item, spec, f"{p}/{i}", inner, out)
        else:
            _walk(child, spec, p, inner, out)


def _group_members(spec: Spec, group_id: str) -> _Member:
    index = spec.groups[group_id].index

    def member(name: str) -> tuple[str | None, bool] | None:
        e = index.get(name)
        if e is None:
            return None
        if e.datatype == "group":
            return e.facets["group"], False
        of = e.facets.get("of")
        return (of, True) if e.datatype == "list" and isinstance(of, str) else (None, False)

    return member
