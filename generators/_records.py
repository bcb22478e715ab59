"""Records of a message type (JSON encoding): structure from the dictionary, then repair.

One draw goes through three steps (:func:`conformant_records` in :mod:`.strategies`):

1. *structure* (:func:`document`): every section and element present as its use says; optional
   and conditional ones are drawn present or absent (absent is what shrinks first), each
   scalar from :mod:`._values`, lists between their ``minItems`` and a few more items;
2. *settle* (:func:`hegui.generators._recipes.settle`): the rules' ``generate:`` recipes
   repair cross-field constraints, then the generic repairs — RMB uppercase of
   ``uppercaseOf`` elements, the paths ``require`` rules demand when their ``when`` holds —
   repeated until nothing changes;
3. the caller ``assume()``s the record is conformant under the real :class:`Validator`.

Repairs go through a :class:`Draft`, which never writes a *frozen* path and knows which rules
to leave alone (*skip*): that is how per-rule mutations break one rule and keep the others.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from hegui.generators._values import (
    cached_value_strategy,
    format_datetime,
    format_decimal,
    parse_datetime,
    parse_decimal,
)
from hegui.validator.catalogue import runtime_for
from hegui.validator.engine import Validator
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import Element, MessageType, Section, Spec
from hegui.validator.structure import path_of

Doc = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]
Token = str | int

#: Lists are drawn with at most this many items beyond their minimum (readable payloads).
EXTRA_ITEMS = 3


def tokens_of(path: str) -> list[Token]:
    """``attachments.0.type`` -> ``["attachments", 0, "type"]``."""
    return [int(t) if t.isascii() and t.isdigit() else t for t in path.split(".")]


def encode_json(doc: Doc) -> bytes:
    """The JSON bytes of a record as hegui writes them: UTF-8, 2-space indent, final newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


# ---- structure --------------------------------------------------------------------------

def _list_strategy(item: st.SearchStrategy[Any], low: int, high: int | None
                   ) -> st.SearchStrategy[list[Any]]:
    cap = low + EXTRA_ITEMS if high is None else min(high, low + EXTRA_ITEMS)
    return st.lists(item, min_size=low, max_size=cap)


def element_strategy(spec: Spec, e: Element, non_empty: bool = False
                     ) -> st.SearchStrategy[Any]:
    """Conformant values of any element: scalar, group (dictionary usage) or list;
    ``non_empty``: no empty string or list (what ``require`` rules count as present)."""
    if e.datatype == "group":
        return group_strategy(spec, e.facet("group"))
    if e.datatype == "list":
        of = e.facet("of")
        item = group_strategy(spec, of) if isinstance(of, str) else element_strategy(spec, of)
        low = int(e.facet("minItems", 0))
        return _list_strategy(item, max(low, 1) if non_empty else low, e.facet("maxItems"))
    return cached_value_strategy(spec, e, non_empty)


def _deferred(spec: Spec, e: Element, non_empty: bool = False) -> st.SearchStrategy[Any]:
    # Deferred: groups may nest groups, and strategies are built only when drawn.
    return st.deferred(lambda: element_strategy(spec, e, non_empty))


def group_strategy(spec: Spec, gid: str, section: Section | None = None
                   ) -> st.SearchStrategy[dict[str, Any]]:
    """Objects of group ``gid``; ``section`` applies a message type's usage overrides."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for e in spec.groups[gid].elements:
        if section is not None and e.name in section.exclude:
            continue
        use = section.overrides.get(e.name, e.use) if section is not None else e.use
        # A required scalar carries a value: never "" or white space only (presence.blank).
        filled = use == "required" and e.datatype not in ("group", "list")
        if e.datatype == "group" and section is not None and section.reaches_into(e.name):
            # The message type changes usage inside this group (a dotted override).
            value = group_strategy(spec, e.facets["group"], section.within(e.name))
        else:
            value = _deferred(spec, e, filled)
        (required if use == "required" else optional)[e.name] = value
    order = [e.name for e in spec.groups[gid].elements]
    return st.fixed_dictionaries(required, optional=optional).map(
        lambda d: {k: d[k] for k in order if k in d})


def section_strategy(spec: Spec, section: Section) -> st.SearchStrategy[Any]:
    """The value of one section: an object, or a list of objects for ``list: true``."""
    if section.is_list:
        return _list_strategy(group_strategy(spec, section.group, section), section.min_items,
                              section.max_items)
    return group_strategy(spec, section.group, section)


def document(spec: Spec, mt: MessageType) -> st.SearchStrategy[Doc]:
    """Schema- and datatype-valid records of ``mt`` (cross-field rules not yet repaired),
    built once per spec runtime."""
    return runtime_for(spec).memo(("hegui.generators.document", mt.id),
                                  lambda: _document(spec, mt))


def _document(spec: Spec, mt: MessageType) -> st.SearchStrategy[Doc]:
    required = {s.name: section_strategy(spec, s) for s in mt.sections if s.use == "required"}
    optional = {s.name: section_strategy(spec, s) for s in mt.sections if s.use != "required"}
    head = {"messageType": mt.id, "specVersion": spec.version}
    return st.fixed_dictionaries(required, optional=optional).map(
        lambda d: {**head, **{s.name: d[s.name] for s in mt.sections if s.name in d}})


# ---- the oracle -------------------------------------------------------------------------

def oracle(spec: Spec) -> Validator:
    """The real Validator of ``spec``, with its context documents (default ones) loaded;
    built once per spec runtime."""
    return runtime_for(spec).memo(
        "hegui.generators.oracle", lambda: Runner(RunConfig(spec=spec.folder)).validator(spec))


# ---- repairs ----------------------------------------------------------------------------

def _present(value: Any) -> bool:
    """The engine's notion of a value being there (``Record.present``)."""
    return value is not None and value != "" and value != [] and value != {}


@dataclass
class Draft:
    """A record being repaired or mutated, with typed accessors.

    Writes to a *frozen* path (or below one) are refused, and :meth:`active` is False for
    rules in *skip*: a mutation freezes what it changed and skips the rule it breaks, then
    lets the repairs restore everything else.
    """

    spec: Spec
    mt: MessageType
    doc: Doc
    draw: Draw
    skip: frozenset[str] = frozenset()
    frozen: set[str] = field(default_factory=set)

    def active(self, rule_id: str) -> bool:
        """Whether repairs should keep ``rule_id`` satisfied."""
        return rule_id not in self.skip

    def element(self, path: str) -> Element | None:
        """The data element at ``path`` (indices allowed), or None for sections/unknowns."""
        return path_of(self.spec, self.mt, tokens_of(path))[1]

    def _is_frozen(self, path: str) -> bool:
        return any(path == f or path.startswith(f + ".") for f in self.frozen)

    def _parent(self, path: str) -> tuple[Any, Token] | None:
        toks = tokens_of(path)
        node: Any = self.doc
        for t in toks[:-1]:
            if isinstance(t, int):
                if not isinstance(node, list) or t >= len(node):
                    return None
                node = node[t]
            else:
                if not isinstance(node, dict) or t not in node:
                    return None
                node = node[t]
        return node, toks[-1]

    def get(self, path: str) -> Any:
        """The JSON value at ``path``, or None when absent."""
        found = self._parent(path)
        if found is None:
            return None
        node, last = found
        if isinstance(node, dict) and isinstance(last, str):
            return node.get(last)
        if isinstance(node, list) and isinstance(last, int) and last < len(node):
            return node[last]
        return None

    def has(self, path: str) -> bool:
        """Whether ``path`` has a value (as the engine counts presence)."""
        return _present(self.get(path))

    def allowed(self, path: str) -> bool:
        """Whether the message type has this element (not excluded, not unknown)."""
        toks = tokens_of(path)
        dotted, element = path_of(self.spec, self.mt, toks)
        if "[]" in dotted:  # list items have the dictionary's usage
            return element is not None or isinstance(toks[-1], int)
        return dotted in self.mt.fields or self.mt.section(dotted) is not None

    def applies(self, rule_id: str) -> bool:
        """Whether ``rule_id`` is active and applies to this message type."""
        rule = self.spec.rule(rule_id)
        return rule is not None and self.mt.id in rule.applies_to and self.active(rule_id)

    def set(self, path: str, value: Any) -> bool:
        """Set ``path`` when its parent exists and it is not frozen; True when it changed."""
        if self._is_frozen(path) or not self.allowed(path):
            return False
        found = self._parent(path)
        if found is None:
            return False
        node, last = found
        if isinstance(node, list) and isinstance(last, int) and last < len(node):
            if node[last] == value:
                return False
            node[last] = value
            return True
        if not isinstance(node, dict) or node.get(last) == value:
            return False
        node[last] = value
        return True

    def delete(self, path: str) -> bool:
        """Remove ``path`` (a member, or a list item) unless frozen; True when removed."""
        found = self._parent(path)
        if self._is_frozen(path) or found is None:
            return False
        node, last = found
        if isinstance(node, list) and isinstance(last, int) and last < len(node):
            del node[last]
            return True
        return isinstance(node, dict) and node.pop(last, None) is not None

    def append(self, path: str, value: Any) -> bool:
        """Append ``value`` to the list at ``path`` unless frozen; True when appended."""
        items = self.get(path)
        if self._is_frozen(path) or not isinstance(items, list):
            return False
        items.append(value)
        return True

    def ensure(self, path: str) -> bool:
        """Give ``path`` a (drawn, non-empty) value if it has none, creating its parents."""
        if self.has(path) or self._is_frozen(path) or not self.allowed(path):
            return False
        toks = tokens_of(path)
        node: Any = self.doc
        for depth, t in enumerate(toks):
            sub = ".".join(str(x) for x in toks[:depth + 1])
            if isinstance(t, int):
                if not isinstance(node, list) or t >= len(node):
                    return False
                node = node[t]
                continue
            last = depth == len(toks) - 1
            if not isinstance(node, dict):
                return False
            if last or not isinstance(node.get(t), dict | list):
                node[t] = self.draw(self._strategy(sub).filter(_present))
            node = node[t]
        return True

    def _strategy(self, path: str) -> st.SearchStrategy[Any]:
        toks = tokens_of(path)
        if len(toks) == 1:
            section = self.mt.section(str(toks[0]))
            assert section is not None
            if section.is_list:  # at least one item
                return _list_strategy(group_strategy(self.spec, section.group),
                                      max(section.min_items, 1), section.max_items)
            return section_strategy(self.spec, section)
        element = self.element(path)
        assert element is not None
        return element_strategy(self.spec, element, non_empty=True)

    # typed accessors ------------------------------------------------------------------

    def minor(self, path: str) -> int | None:
        """Money or rate at ``path`` in minor units (fen; rate x 10^scale), or None."""
        value, element = self.get(path), self.element(path)
        if not isinstance(value, str) or element is None:
            return None
        return parse_decimal(value, int(element.facet("scale", 2)))

    def set_minor(self, path: str, minor: int) -> bool:
        """Write money or rate in minor units (all decimals written)."""
        element = self.element(path)
        if element is None:
            return False
        return self.set(path, format_decimal(minor, int(element.facet("scale", 2))))

    def time(self, path: str) -> dt.datetime | None:
        """A date or datetime at ``path``, or None."""
        value, element = self.get(path), self.element(path)
        if not isinstance(value, str) or element is None:
            return None
        return parse_datetime(value, element.datatype)

    def set_time(self, path: str, value: dt.datetime) -> bool:
        """Write a date or datetime at ``path`` in its lexical form."""
        element = self.element(path)
        if element is None:
            return False
        return self.set(path, format_datetime(value, element.datatype))


def canonical_order(spec: Spec, mt: MessageType, doc: Doc) -> None:
    """Put keys in dictionary order (unknown keys last), in place: readable, stable output."""
    def group(gid: str, obj: Any) -> None:
        if not isinstance(obj, dict):
            return
        names = [e.name for e in spec.groups[gid].elements]
        ordered = {k: obj[k] for k in names if k in obj}
        ordered.update({k: v for k, v in obj.items() if k not in ordered})
        obj.clear()
        obj.update(ordered)
        for e in spec.groups[gid].elements:
            sub = obj.get(e.name)
            if e.datatype == "group":
                group(e.facet("group"), sub)
            elif e.datatype == "list" and isinstance(e.facet("of"), str) \
                    and isinstance(sub, list):
                for item in sub:
                    group(e.facet("of"), item)
    head = ["messageType", "specVersion"] + [s.name for s in mt.sections]
    ordered = {k: doc[k] for k in head if k in doc}
    ordered.update({k: v for k, v in doc.items() if k not in ordered})
    doc.clear()
    doc.update(ordered)
    for s in mt.sections:
        items: Iterable[Any] = doc.get(s.name, []) if s.is_list else [doc.get(s.name)]
        for item in items if isinstance(items, list) else []:
            group(s.group, item)
