"""Write a canonical message in a platform's own dialect (the other direction of mapping).

:func:`to_native` turns a canonical document into the native message a platform profile
describes: values written back in their native forms, codes translated back, list items a
single native field makes (``with``) taken out of their list, the header put in the envelope.
What the native message cannot carry is listed in :attr:`Unmapped.lost` (canonical pointers),
never silently dropped: standard -> native -> standard is the identity on what the profile
maps.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from hegui.validator.native_docs import get_path, get_pointer
from hegui.validator.native_forms import FormError, to_canonical
from hegui.validator.native_forms import to_native as native_value
from hegui.validator.platform_model import FieldMap, NativeMessage, Platform
from hegui.validator.platform_paths import pointer


@dataclass
class Unmapped:
    """The native document and what it could not carry."""

    doc: dict[str, Any]
    message: NativeMessage
    #: canonical pointers whose values the native message cannot carry, and why
    lost: dict[str, str] = field(default_factory=dict)


def native_messages_for(platform: Platform, message_type: str) -> list[NativeMessage]:
    """The platform's native messages that map onto ``message_type``."""
    return [m for m in platform.messages.values() if m.message_type == message_type]


def to_native(platform: Platform, canonical: Mapping[str, Any], message: NativeMessage,
              envelope: bool = True) -> Unmapped:
    """``canonical`` as ``message`` of ``platform`` (with its envelope when the profile has
    one and ``envelope`` is true)."""
    body: dict[str, Any] = {}
    inexact: dict[str, str] = {}
    used: set[str] = {"/messageType", "/specVersion"}
    used |= {pointer(p, []) for p in message.constants
             if get_pointer(canonical, pointer(p, [])) == message.constants[p]}
    taken = _with_items(platform, canonical, message, body, used)
    for fm in message.fields.values():
        if fm.container and not fm.dropped and "[]" not in fm.native:
            here = pointer(fm.targets[0].removesuffix("[]"), [])
            if get_pointer(canonical, here) == []:
                used.add(here)
                _put(body, fm.native.removesuffix("[]"), [], [])
            continue
        if fm.dropped or fm.container or fm.makes_items:
            continue
        for indices, where, value in _values(canonical, fm.targets[0], taken):
            written = _write(platform, fm, value)
            if written is _NO_CODE:
                inexact[pointer(fm.targets[0], where)] = (
                    f"code table {fm.codes} has no native code for {value!r}")
                continue
            used.add(pointer(fm.targets[0], where))
            for t in fm.targets[1:]:  # copies: carried only when they hold the same value
                if get_pointer(canonical, pointer(t, where)) in (None, value):
                    used.add(pointer(t, where))
            if not _exact(platform, fm, value, written):
                inexact[pointer(fm.targets[0], where)] = (
                    f"the native form writes it as {written!r}, which reads back differently")
            if message.each is not None and fm.native.startswith(message.each + "."):
                indices = [0, *indices]  # a batch of one: the message is its only item
            _put(body, fm.native, indices, written)
    for fm in message.fields.values():  # JSON text members: written as text
        if fm.container and fm.form == "json" and "[]" not in fm.native:
            node = get_path(body, fm.native)
            if node is not None:
                _put(body, fm.native, [], orjson.dumps(node).decode())
    out: dict[str, Any] = body
    env = platform.envelopes.get(message.envelope) if message.envelope else None
    if env is not None and envelope:
        out = {}
        for fm in env.fields.values():
            if fm.dropped or fm.container:
                continue
            value = get_pointer(canonical, pointer(fm.targets[0], []))
            if value is not None:
                written = _write(platform, fm, value)
                if written is not _NO_CODE:
                    used.add(pointer(fm.targets[0], []))
                    if not _exact(platform, fm, value, written):
                        inexact[pointer(fm.targets[0], [])] = (
                            f"the native form writes it as {written!r}, which reads back "
                            "differently")
                    _put(out, fm.native, [], written)
        _put(out, env.body, [], body)
    lost = {p: "the platform's message has no field for it"
            for p in _leaves(canonical, "") if not _covered(p, used)}
    return Unmapped(out, message, {**lost, **inexact})


def _exact(platform: Platform, fm: FieldMap, value: Any, written: Any) -> bool:
    """Whether ``written`` reads back as ``value`` (a date-only form loses the time)."""
    if fm.codes is not None:
        return True
    try:
        return bool(to_canonical(fm, written, platform.timezone) == value)
    except FormError:
        return False


_NO_CODE = object()


def _write(platform: Platform, fm: FieldMap, value: Any) -> Any:
    if fm.codes is not None:
        table = platform.codes[fm.codes]
        for native, word in table.values.items():
            if word == value:
                return native
        return _NO_CODE
    return native_value(fm, value, platform.timezone)


def _with_items(platform: Platform, canonical: Mapping[str, Any], message: NativeMessage,
                body: dict[str, Any], used: set[str]) -> set[str]:
    """Native fields that make one list item (alone, or together with the fields of the
    same ``item``): take their item (the last that fits) out of the canonical list; returns
    the item pointers taken."""
    groups: dict[tuple[str, str], list[FieldMap]] = {}
    for fm in message.fields.values():
        if fm.makes_items and not fm.dropped and "[]" not in fm.native:
            # (items made by the members of a native list's items are not written back:
            # their values are reported as not carried)
            list_path = fm.targets[0].rpartition("[].")[0]
            groups.setdefault((list_path, fm.item or f"#{fm.native}"), []).append(fm)
    taken: set[str] = set()
    parts: dict[str, tuple[FieldMap, list[Any]]] = {}
    for (list_path, _), fields in groups.items():
        members = {fm.targets[0].rpartition("[].")[2]: fm for fm in fields}
        consts = {w.rpartition("[].")[2]: v for fm in fields for w, v in fm.with_.items()}
        items = get_pointer(canonical, pointer(list_path, []))
        if not isinstance(items, list):
            continue
        for i in range(len(items) - 1, -1, -1):
            item = items[i]
            item_ptr = f"{pointer(list_path, [])}/{i}"
            if item_ptr in taken or not isinstance(item, dict) or not set(item) & set(members):
                continue
            if any(item.get(k) != v for k, v in consts.items()):
                continue
            if set(item) - set(members) - set(consts):
                continue  # the item carries more than the native fields can
            taken.add(item_ptr)
            used.add(item_ptr)
            used.update(f"{item_ptr}/{k}" for k in item)
            spread = [fm for fm in fields if fm.spread]
            if spread:  # every such item is one part of the delimited string
                parts.setdefault(spread[0].native, (spread[0], []))[1].insert(0, item[member_of(
                    spread[0])])
                continue
            for k, fm in members.items():
                written = _write(platform, fm, item[k]) if k in item else _NO_CODE
                if written is not _NO_CODE:
                    _put(body, fm.native, [], written)
            break
    for native, (fm, values) in parts.items():
        _put(body, native, [], (fm.separator or ",").join(str(v) for v in values))
    return taken


def member_of(fm: FieldMap) -> str:
    """The item member a list-item field fills (``url`` of ``attachments[].url``)."""
    return fm.targets[0].rpartition("[].")[2]


def _values(doc: Any, path: str, taken: set[str]
            ) -> Iterator[tuple[list[int], list[int], Any]]:
    """(native indices, canonical indices, value) of every value at ``path`` (``[]``
    iterating lists; the items ``taken`` by single native fields are left out)."""
    def walk(node: Any, parts: list[str], indices: list[int], where: list[int], ptr: str
             ) -> Iterator[tuple[list[int], list[int], Any]]:
        if not parts:
            yield indices, where, node
            return
        part, rest = parts[0], parts[1:]
        name = part.removesuffix("[]")
        if not isinstance(node, Mapping) or name not in node:
            return
        child = node[name]
        here = f"{ptr}/{name}"
        if part.endswith("[]"):
            if not isinstance(child, list):
                return
            for i, item in enumerate(child):
                if f"{here}/{i}" in taken:
                    continue
                yield from walk(item, rest, [*indices, _rank(here, i, taken)], [*where, i],
                                f"{here}/{i}")
        else:
            yield from walk(child, rest, indices, where, here)

    yield from walk(doc, path.split("."), [], [], "")


def _rank(list_ptr: str, i: int, taken: set[str]) -> int:
    """The native index of canonical item ``i`` once the taken items are left out."""
    return i - sum(1 for j in range(i) if f"{list_ptr}/{j}" in taken)


def _put(doc: dict[str, Any], path: str, indices: list[int], value: Any) -> None:
    node: Any = doc
    parts = path.split(".")
    it = iter(indices)
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        name = part.removesuffix("[]")
        if part.endswith("[]"):
            lst = node.setdefault(name, [])
            i = next(it)
            while len(lst) <= i:
                lst.append({} if not last else None)
            if last:
                lst[i] = value
                return
            node = lst[i]
        elif last:
            node[name] = value
        else:
            node = node.setdefault(name, {})


def _leaves(node: Any, ptr: str) -> Iterator[str]:
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from _leaves(v, f"{ptr}/{k}")
    elif isinstance(node, list):
        if not node:
            yield ptr
        for i, v in enumerate(node):
            yield from _leaves(v, f"{ptr}/{i}")
    else:
        yield ptr


def _covered(ptr: str, used: set[str]) -> bool:
    p = ptr
    while p:
        if p in used:
            return True
        p = p.rsplit("/", 1)[0]
    return False
