"""Safe JSON parsing with orjson, and positions (line:column) of JSON Pointers in the source.

Problems that strict parsers hide or crash on become structured errors: duplicate keys (orjson
keeps the last silently), NaN/Infinity (not JSON), bytes that are not UTF-8, nesting past the
depth limit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson

from hegui.validator.limits import DEFAULT_LIMITS, Limits, PayloadParseError


class JsonParseError(PayloadParseError):
    """The bytes are not an acceptable JSON text."""


@dataclass(frozen=True)
class DuplicateKey:
    """A key that occurs twice in one object; ``pointer`` is the object's JSON Pointer."""

    pointer: str
    key: str


@dataclass(frozen=True)
class ParsedJson:
    """A parsed value plus any duplicate keys found (last value wins, as in orjson)."""

    value: Any
    duplicates: tuple[DuplicateKey, ...]


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def parse_json(data: bytes, limits: Limits = DEFAULT_LIMITS) -> ParsedJson:
    """Parse ``data`` strictly or raise :class:`JsonParseError`."""
    if len(data) > limits.max_bytes:
        raise JsonParseError(f"payload is {len(data)} bytes, over the limit of {limits.max_bytes}",
                             "limit")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 BOM is tolerated (RFC 8259 §8.1 allows parsers to ignore it)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _explain(data, exc, limits) from None
    keys = _count_keys(value, limits.max_depth)
    if keys < 0:
        raise JsonParseError(f"JSON nested deeper than {limits.max_depth}", "limit")
    return ParsedJson(value, _duplicates(data, keys))


def _explain(data: bytes, exc: orjson.JSONDecodeError, limits: Limits) -> JsonParseError:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as ue:
        line = data[: ue.start].count(b"\n") + 1
        return JsonParseError(f"not UTF-8: byte 0x{data[ue.start]:02x} at offset {ue.start}",
                              "encoding", line, None)
    msg = str(exc)
    if "recursion" in msg.lower() or "depth" in msg.lower():
        return JsonParseError(f"JSON nested too deeply ({msg})", "limit")
    # Ask the standard library where NaN/Infinity occur: orjson only says "unexpected".
    def constant(name: str) -> float:
        raise _NonFinite(name)
    try:
        json.loads(text, parse_constant=constant, parse_int=str, parse_float=str)
    except _NonFinite as nf:
        pos = text.find(nf.args[0])
        line, col = _line_col(text, max(pos, 0))
        return JsonParseError(f"{nf.args[0]} is not a JSON number", "nan", line, col)
    except json.JSONDecodeError as je:
        return JsonParseError(je.msg, "parse", je.lineno, je.colno)
    except RecursionError:
        return JsonParseError("JSON nested too deeply", "limit")
    # Valid JSON that orjson refused: a number beyond what a double or 64-bit integer holds.
    line, col = _line_col(text, min(exc.pos, len(text)))
    return JsonParseError(f"a number is too large to be read ({exc.msg})", "limit", line, col)


#: A quote, then white space, then a colon: a key written with space before its colon.
_SPACED_COLON = re.compile(rb'"[ \t\r\n]+:')


class _NonFinite(Exception):
    pass


def _count_keys(value: Any, max_depth: int) -> int:
    """Number of object keys in ``value``, or -1 when it nests deeper than ``max_depth``."""
    keys = 0
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > max_depth:
            return -1
        if isinstance(v, dict):
            keys += len(v)
            stack.extend((x, d + 1) for x in v.values() if isinstance(x, dict | list))
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v if isinstance(x, dict | list))
    return keys


def _duplicates(data: bytes, keys: int) -> tuple[DuplicateKey, ...]:
    # Fast exact test: every key is written `"k":` (or with whitespace before the colon). When no
    # whitespace precedes a colon after a quote, b'":' counts keys plus strings containing '":',
    # so if it equals the number of keys kept by the parser, no key was dropped as a duplicate.
    if _SPACED_COLON.search(data) is None and data.count(b'":') == keys:
        return ()
    found: list[DuplicateKey] = []
    # Numbers stay text: their values do not matter here, and the standard library refuses
    # integers of more than 4,300 digits that orjson has already accepted.
    _walk_pairs(json.loads(data.decode("utf-8"), object_pairs_hook=_Pairs, parse_int=str,
                           parse_float=str), "", found)
    return tuple(found)


class _Pairs(list[tuple[str, Any]]):
    """Keeps an object's key/value pairs in order, duplicates included."""


def _walk_pairs(node: Any, pointer: str, found: list[DuplicateKey]) -> None:
    if isinstance(node, _Pairs):
        seen: set[str] = set()
        for key, val in node:
            if key in seen:
                found.append(DuplicateKey(pointer, key))
            seen.add(key)
            _walk_pairs(val, f"{pointer}/{escape_pointer(key)}", found)
    elif isinstance(node, list):
        for i, val in enumerate(node):
            _walk_pairs(val, f"{pointer}/{i}", found)


def escape_pointer(token: str) -> str:
    """Escape one JSON Pointer reference token (RFC 6901)."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def pointer_tokens(pointer: str) -> list[str | int]:
    """Reference tokens of a JSON Pointer; ASCII-digit tokens become list indexes."""
    out: list[str | int] = []
    for t in pointer.split("/")[1:]:
        out.append(int(t) if is_index(t) else t.replace("~1", "/").replace("~0", "~"))
    return out


def is_index(token: str) -> bool:
    """Whether a pointer token is an array index (ASCII digits only: '¹'.isdigit() is True)."""
    return token.isascii() and token.isdigit()
