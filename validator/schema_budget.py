"""Schema errors of a JSON payload within a budget, and alike for both encodings.

Two things keep a JSON payload's schema check bounded and in step with its XML twin:

- Items beyond a list's ``maxItems`` are not checked one by one: the list is reported once by
  ``<list>@maxItems`` (:mod:`hegui.validator.presence`), as libxml2 does for XML, where an
  item beyond ``maxOccurs`` is an unexpected element whose content is never checked.
- A long list is checked in chunks of :data:`CHUNK` items, and checking stops once the error
  budget is spent: the JSON Schema engine builds every error of a call before it returns the
  first, so a list of a million wrong items would otherwise cost a million error objects.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from hegui.validator.runtime import Runtime
from hegui.validator.safe_json import escape_pointer
from hegui.validator.spec import MessageType, Spec
from hegui.validator.structure import StructuralError, check_json

#: Items of a long list checked per call of the schema engine.
CHUNK = 500

Tokens = tuple[str | int, ...]


def json_errors(rt: Runtime, mt: MessageType, doc: dict[str, Any],
                most: int) -> tuple[list[StructuralError], bool]:
    """At most ``most`` schema errors of ``doc``, and whether there were more (or the check
    stopped before it saw them all)."""
    trimmed = trim_to_max_items(rt.spec, mt, doc)
    long = dict(_long_lists(trimmed, ()))
    base = _replaced(trimmed, {path: items[:CHUNK] for path, items in long.items()})
    errors = list(itertools.islice(check_json(rt, mt, base), most + 1))
    seen = len(errors)
    for path, items in long.items():
        prefix = _pointer(path)
        # Other long lists are left empty here, so their errors are not read again per chunk.
        quiet: dict[Tokens, Any] = {p: [] for p in long if p != path}
        for start in range(CHUNK, len(items), CHUNK):
            if len(errors) > most or seen > 10 * most:
                return errors[:most], True
            part = _replaced(base, {**quiet, path: items[start:start + CHUNK]})
            for e in check_json(rt, mt, part):
                seen += 1
                moved = _shifted(e, prefix, start)
                if moved is not None:
                    errors.append(moved)
    return errors[:most], len(errors) > most


def trim_to_max_items(spec: Spec, mt: MessageType, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with every list longer than its ``maxItems`` cut to that many items (a copy
    along the changed paths; ``doc`` itself is not changed)."""
    cuts = dict(_over_max(spec, mt, doc))
    return _replaced(doc, cuts) if cuts else doc


def _over_max(spec: Spec, mt: MessageType, doc: Mapping[str, Any]
              ) -> Iterator[tuple[Tokens, list[Any]]]:
    for section in mt.sections:
        value = doc.get(section.name)
        path: Tokens = (section.name,)
        if section.is_list and isinstance(value, list):
            yield from _list(spec, section.group, value, path, section.max_items)
        elif isinstance(value, dict):
            yield from _group(spec, section.group, value, path)


def _list(spec: Spec, group_id: str | None, items: list[Any], path: Tokens,
          high: int | None) -> Iterator[tuple[Tokens, list[Any]]]:
    if high is not None and len(items) > high:
        items = items[:high]
        yield path, items
    if group_id is None:
        return
    for i, item in enumerate(items):
        if isinstance(item, dict):
            yield from _group(spec, group_id, item, (*path, i))


def _group(spec: Spec, group_id: str, obj: Mapping[str, Any], path: Tokens
           ) -> Iterator[tuple[Tokens, list[Any]]]:
    for elem in spec.groups[group_id].elements:
        value = obj.get(elem.name)
        if elem.datatype == "group" and isinstance(value, dict):
            yield from _group(spec, elem.facets["group"], value, (*path, elem.name))
        elif elem.datatype == "list" and isinstance(value, list):
            of = elem.facets["of"]
            yield from _list(spec, of if isinstance(of, str) else None, value,
                             (*path, elem.name), elem.facets.get("maxItems"))


def _long_lists(node: Any, path: Tokens) -> Iterator[tuple[Tokens, list[Any]]]:
    """The outermost lists longer than CHUNK (lists inside their items are checked with them)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _long_lists(value, (*path, key))
    elif isinstance(node, list):
        if len(node) > CHUNK:
            yield path, node
            return
        for i, value in enumerate(node):
            yield from _long_lists(value, (*path, i))


def _replaced(doc: Any, changes: Mapping[Tokens, Any]) -> Any:
    """A copy of ``doc`` with the value at each path replaced (copies only along the paths)."""
    if not changes:
        return doc
    if () in changes:
        return changes[()]
    heads: dict[str | int, dict[Tokens, Any]] = {}
    for path, value in changes.items():
        heads.setdefault(path[0], {})[path[1:]] = value
    if isinstance(doc, dict):
        out: Any = dict(doc)
    elif isinstance(doc, list):
        out = list(doc)
    else:
        return doc
    for head, rest in heads.items():
        out[head] = _replaced(doc[head], rest)
    return out


def _pointer(path: Sequence[str | int]) -> str:
    return "".join(f"/{escape_pointer(str(t))}" for t in path)


def _shifted(e: StructuralError, prefix: str, start: int) -> StructuralError | None:
    """An error inside a chunk of the list at ``prefix``, with its item index in the whole
    list; None for errors elsewhere (reported once already) or of the list itself."""
    if not e.pointer.startswith(prefix + "/"):
        return None
    index, sep, tail = e.pointer[len(prefix) + 1:].partition("/")
    if not index.isdigit():
        return None
    return dataclasses.replace(e, pointer=f"{prefix}/{int(index) + start}{sep}{tail}")
