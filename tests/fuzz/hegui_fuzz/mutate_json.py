"""Tree-level mutations of JSON documents, and a writer for what ``json.dumps`` cannot write.

A document is plain JSON data plus two markers: :class:`Raw` (text written verbatim: NaN,
5,000-digit integers, escaped lone surrogates, 100,000 nested brackets) and :class:`Pairs`
(an object with duplicate keys). ``mutate`` works on a copy and returns it with the names of
the mutations applied; ``schema_shaped=True`` leaves out the markers, so the result can have
an XML twin (see :mod:`hegui_fuzz.twins`).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from hegui_fuzz.edges import (
    ESCAPED_STRINGS,
    HUGE_NUMBER_TEXTS,
    NAN_TEXTS,
    PY_NUMBERS,
    edge_string,
    long_string,
)


@dataclass(frozen=True)
class Raw:
    """JSON text written as it is."""

    text: str


@dataclass(frozen=True)
class Pairs:
    """A JSON object written pair by pair (keys may repeat)."""

    pairs: tuple[tuple[str, Any], ...]


Slot = tuple[Any, Any]  # (container, key or index)

#: Mutations that copy stop short of this many bytes (past hegui's 20 MiB payload limit):
#: copies of copies would otherwise grow without bound (a list of lists of 10,000: 24 GB).
MAX_BYTES = 24 * 1024 * 1024


def size(value: Any) -> int:
    """About the bytes of ``value`` as compact JSON (markers counted by their text)."""
    def marker(v: Any) -> str:
        return v.text if isinstance(v, Raw) else "{}"

    try:
        return len(orjson.dumps(value, default=marker, option=orjson.OPT_PASSTHROUGH_DATACLASS))
    except TypeError:  # integers past 64 bits: the standard library writes them
        return len(json.dumps(value, default=marker, separators=(",", ":")))


def copies(rng_n: int, value: Any) -> int:
    """``rng_n`` copies of ``value``, or as many as fit in :data:`MAX_BYTES`."""
    return max(1, min(rng_n, MAX_BYTES // max(1, size(value))))


def slots(doc: Any) -> list[Slot]:
    """Every place a value sits in ``doc`` (markers are leaves)."""
    out: list[Slot] = []
    todo = [doc]
    while todo:
        node = todo.pop()
        keys = list(node) if isinstance(node, dict) else (
            range(len(node)) if isinstance(node, list) else ())
        for k in keys:
            out.append((node, k))
            if isinstance(node[k], dict | list):
                todo.append(node[k])
    return out


class _Marker(Exception):
    pass


def _refuse(value: Any) -> Any:
    raise _Marker


def dump(value: Any, rng: random.Random | None = None) -> bytes:
    """``value`` as JSON bytes (UTF-8, lone surrogates passed through as CESU-8 bytes)."""
    ascii_only = bool(rng and rng.random() < 0.3)
    sep = (", ", ": ") if rng is None or rng.random() < 0.5 else (",", ":")
    try:  # the C encoder when there are no markers (it calls ``default`` for them)
        return json.dumps(value, ensure_ascii=ascii_only, separators=sep,
                          default=_refuse).encode("utf-8", "surrogatepass")
    except _Marker:
        pass
    parts: list[str] = []

    def write(v: Any) -> None:
        if isinstance(v, Raw):
            parts.append(v.text)
        elif isinstance(v, Pairs | dict):
            items = v.pairs if isinstance(v, Pairs) else tuple(v.items())
            parts.append("{")
            for i, (k, sub) in enumerate(items):
                if i:
                    parts.append(sep[0])
                parts.append(json.dumps(k, ensure_ascii=ascii_only) + sep[1])
                write(sub)
            parts.append("}")
        elif isinstance(v, list):
            parts.append("[")
            for i, sub in enumerate(v):
                if i:
                    parts.append(sep[0])
                write(sub)
            parts.append("]")
        else:
            parts.append(json.dumps(v, ensure_ascii=ascii_only))

    write(value)
    return "".join(parts).encode("utf-8", "surrogatepass")


def nested(depth: int, inner: str = "1", kind: str = "[") -> Raw:
    """``inner`` inside ``depth`` arrays (``[``) or objects (``{``)."""
    if kind == "[":
        return Raw("[" * depth + inner + "]" * depth)
    return Raw('{"a":' * depth + inner + "}" * depth)


# ---- mutations: f(rng, doc, slot) -> the new root (usually doc itself) ----------------------

def _other_type(rng: random.Random, v: Any) -> Any:
    choices: list[Any] = [None, True, False, 0, -1, 1.5, "", "x", "1", [], {}, [v], {"a": v}]
    return rng.choice([c for c in choices if type(c) is not type(v)] or choices)


def swap_type(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """A value of another JSON type."""
    c, k = slot
    c[k] = _other_type(rng, c[k])
    return doc


def duplicate_subtree(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """A copy of this subtree elsewhere: over another value, or repeated in its list."""
    c, k = slot
    if isinstance(c, list) and rng.random() < 0.5:
        for _ in range(copies(rng.choice([1, 2, 49, 50, 51]), c[k])):
            c.insert(k, copy.deepcopy(c[k]))
        return doc
    target = rng.choice(slots(doc))
    if size(doc) + size(c[k]) < MAX_BYTES:
        target[0][target[1]] = copy.deepcopy(c[k])
    return doc


def delete(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """Remove the value (key or list item)."""
    c, k = slot
    del c[k]
    return doc


def unicode_value(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """An edge string (or the string with an edge character inside)."""
    c, k = slot
    c[k] = edge_string(rng, c[k])
    return doc


def long_value(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """A long string."""
    c, k = slot
    c[k] = long_string(rng)
    return doc


def big_list(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """The value (or its list's first item) repeated up to 100,000 times."""
    c, k = slot
    item = c[k][0] if isinstance(c[k], list) and c[k] else c[k]
    n = copies(rng.choice([2, 50, 51, 1000, 10**4] * 20 + [10**5]), item)
    c[k] = [copy.deepcopy(item) for _ in range(n)] if isinstance(item, dict | list) else [item] * n
    return doc


def py_number(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """A number at the edge of doubles and 64-bit integers (json.dumps writes it in full)."""
    c, k = slot
    c[k] = rng.choice(PY_NUMBERS)
    return doc


def rename_key(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """The key changed in place (order kept): edge characters, case, full width, empty."""
    c, k = slot
    if not isinstance(c, dict):
        return doc
    new = rng.choice([edge_string(rng, k), k.upper(), "", " " + k,
                      "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in k)])
    items = [(new if key == k else key, v) for key, v in c.items()]
    c.clear()
    c.update(items)
    return doc


def message_type(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """Another message type, or a wrong ``messageType``/``specVersion``."""
    if not isinstance(doc, dict):
        return doc
    key = rng.choice(["messageType", "messageType", "specVersion"])
    doc[key] = rng.choice(["apply", "checklist", "application", "claimResult", "", None, 1,
                           "APPLY", "apply\u200b", "__proto__", "constructor", "2.0", "1",
                           1.0, "1.0\x00", ["apply"], "ａｐｐｌｙ"])
    return doc


SHAPED: tuple[Callable[[random.Random, Any, Slot], Any], ...] = (
    swap_type, duplicate_subtree, delete, unicode_value, long_value, big_list, py_number,
    rename_key, message_type)


# ---- mutations that need the markers (never schema-shaped) ----------------------------------

def huge_number(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """A number text no double or 64-bit integer holds (10**5000 written out ...)."""
    c, k = slot
    c[k] = Raw(rng.choice(HUGE_NUMBER_TEXTS))
    return doc


def nan_literal(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """NaN / Infinity, which are not JSON."""
    c, k = slot
    c[k] = Raw(rng.choice(NAN_TEXTS))
    return doc


def escaped_string(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """A string with escaped lone surrogates or NULs."""
    c, k = slot
    c[k] = Raw(rng.choice(ESCAPED_STRINGS))
    return doc


def deep_nest(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """The value inside many arrays or objects (around the depth limits, and far past them)."""
    c, k = slot
    depth = rng.choice([10, 62, 63, 64, 65, 100, 255, 256, 257, 1000, 10**4, 10**5])
    c[k] = nested(depth, dump(c[k]).decode("utf-8", "surrogatepass"), rng.choice("[{"))
    return doc


def duplicate_key(rng: random.Random, doc: Any, slot: Slot) -> Any:
    """The object holding this value gets the same key twice."""
    c, k = slot
    if not isinstance(c, dict):
        return doc
    pairs = list(c.items())
    pairs.insert(rng.randrange(len(pairs) + 1), (k, rng.choice([c[k], None, "dup", 1])))
    # Pairs are leaves for later mutations; replace the object where it sits.
    replacement = Pairs(tuple(pairs))
    for container, key in slots(doc):
        if container[key] is c:
            container[key] = replacement
            return doc
    return replacement if doc is c else doc


MARKED = (huge_number, nan_literal, escaped_string, deep_nest, duplicate_key)


def mutate(rng: random.Random, doc: Any, *, schema_shaped: bool = False,
           rounds: int = 0) -> tuple[Any, str]:
    """A mutated copy of ``doc`` and the names of the mutations (one to three of them)."""
    doc = copy.deepcopy(doc)
    names = []
    pool = SHAPED if schema_shaped else SHAPED + MARKED * 2
    for _ in range(rounds or rng.choice([1, 1, 1, 2, 3])):
        places = slots(doc)
        if not places:
            break
        m = rng.choice(pool)
        doc = m(rng, doc, rng.choice(places))
        names.append(m.__name__)
    if not schema_shaped and rng.random() < 0.02:  # rarely: not an object at all
        doc, names = rng.choice([[doc], Raw("1"), "text", None, nested(10**5)]), [*names, "root"]
    return doc, "+".join(names)
