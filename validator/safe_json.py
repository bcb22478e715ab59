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
from hegui.validator.parser_texts import at, json_syntax, orjson_refusal
from hegui.validator.spec import Text


class JsonParseError(PayloadParseError):
    """The bytes are not an acceptable JSON text; ``text`` says why in both languages (its
    English is also the exception's message)."""

    def __init__(self, text: Text, facet: str, line: int | None = None,
                 column: int | None = None):
        super().__init__(text.en, facet, line, column)
        self.text = text


def too_large(size: int, limit: int) -> Text:
    """The size-limit message shared by the JSON and XML parsers."""
    return Text(f"载荷大小为 {size} 字节，超过 {limit} 字节的上限",
                f"payload is {size} bytes, over the limit of {limit}")


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
        raise JsonParseError(too_large(len(data), limits.max_bytes), "limit")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 BOM is tolerated (RFC 8259 §8.1 allows parsers to ignore it)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _explain(data, exc, limits) from None
    keys = _count_keys(value, limits.max_depth)
    if keys < 0:
        raise JsonParseError(_too_deep(limits.max_depth), "limit")
    return ParsedJson(value, _duplicates(data, keys))


#: orjson refuses arrays and objects nested deeper than this.
_ORJSON_DEPTH = 1024


def _too_deep(max_depth: int) -> Text:
    return Text(f"JSON 嵌套超过 {max_depth} 层", f"JSON nested deeper than {max_depth}")


def _explain(data: bytes, exc: orjson.JSONDecodeError, limits: Limits) -> JsonParseError:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as ue:
        line = data[: ue.start].count(b"\n") + 1
        bad = data[ue.start]
        return JsonParseError(Text(
            f"不是 UTF-8 编码：偏移 {ue.start} 处的字节 0x{bad:02x} 无效",
            f"not UTF-8: byte 0x{bad:02x} at offset {ue.start}"),
            "encoding", line, None)
    msg = str(exc)
    if "recursion" in msg.lower() or "depth" in msg.lower():
        # orjson's own nesting limit (1024 levels) normally lies beyond ours: past both.
        line, col = _line_col(text, min(exc.pos, len(text)))
        why = (_too_deep(limits.max_depth) if limits.max_depth < _ORJSON_DEPTH
               else orjson_refusal(exc.msg))
        return JsonParseError(at(why, line, col), "limit", line, col)
    # Ask the standard library where NaN/Infinity occur: orjson only says "unexpected".
    def constant(name: str) -> float:
        raise _NonFinite(name)
    try:
        json.loads(text, parse_constant=constant, parse_int=str, parse_float=str)
    except _NonFinite as nf:
        pos = text.find(nf.args[0])
        line, col = _line_col(text, max(pos, 0))
        name = nf.args[0]
        return JsonParseError(at(Text(f"“{name}”不是 JSON 数值（JSON 没有“NaN”和“Infinity”）",
                                      f"{name} is not a JSON number"), line, col),
                              "nan", line, col)
    except json.JSONDecodeError as je:
        return JsonParseError(at(json_syntax(je.msg), je.lineno, je.colno), "parse",
                              je.lineno, je.colno)
    except RecursionError:
        return JsonParseError(_too_deep(limits.max_depth), "limit")
    # Valid to the standard library, refused by orjson: a number beyond what a double holds,
    # or a \u escape that is half of a UTF-16 surrogate pair (no Unicode character).
    line, col = _line_col(text, min(exc.pos, len(text)))
    why = orjson_refusal(exc.msg)
    if "surrogate" in exc.msg:
        return JsonParseError(at(why, line, col), "encoding", line, col)
    if "number" in exc.msg:
        return JsonParseError(at(Text(f"数值过大，无法读取（{why.zh}）",
                                      f"a number is too large to be read ({why.en})"),
                                 line, col), "limit", line, col)
    return JsonParseError(at(why, line, col), "parse", line, col)


#: A quote, then white space, then a colon: a key written with space before its colon.
_SPACED_COLON = re.compile(rb'"[ \t\r\n]+:')


class _NonFinite(Exception):
    pass


class _TooDeep(Exception):
    pass


def _count_keys(value: Any, max_depth: int) -> int:
    """Number of object keys in ``value``, or -1 when it nests deeper than ``max_depth``
    (one recursive walk over the containers only; nesting past what Python's stack holds is
    walked with an explicit stack instead)."""
    if max_depth < 1:
        return -1
    if type(value) is not dict and type(value) is not list:
        return 0
    try:
        return _keys_below(value, 1, max_depth)
    except _TooDeep:
        return -1
    except RecursionError:
        return _count_keys_stack(value, max_depth)


def _keys_below(v: dict[str, Any] | list[Any], d: int, max_depth: int) -> int:
    if d > max_depth:
        raise _TooDeep
    n = 0
    if type(v) is dict:
        n = len(v)
        for x in v.values():
            if type(x) is dict or type(x) is list:
                n += _keys_below(x, d + 1, max_depth)
    else:
        for x in v:
            if type(x) is dict or type(x) is list:
                n += _keys_below(x, d + 1, max_depth)
    return n


def _count_keys_stack(value: Any, max_depth: int) -> int:
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
