"""Decode the CEL runtime's serialised expressions into :mod:`hegui.validator.cel_ast` trees.

``Expression.serialize()`` gives a ``google.protobuf.Any`` holding a ``cel.expr.CheckedExpr``
(compiled with type checking) or a ``cel.expr.ParsedExpr`` (parsed only). A small reader of
the protobuf wire format (varints, length-delimited fields, fixed64 doubles) takes the fields
it needs, numbered as in cel-spec's ``proto/cel/expr/syntax.proto`` and ``checked.proto``:
CheckedExpr reference_map 2, expr 4; ParsedExpr expr 2; Reference name 1, overload_id 3;
Expr id 2, const 3, ident 4, select 5, call 6, list 7, struct 8, comprehension 9.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Container

from hegui.validator.cel_ast import (
    Call,
    Comprehension,
    Const,
    Expr,
    Ident,
    ListExpr,
    MapExpr,
    Select,
    StructExpr,
)


class DecodeError(ValueError):
    """The bytes are not a serialised CEL expression this module can read."""


# ---- protobuf wire format --------------------------------------------------------------

_Fields = list[tuple[int, int | bytes]]  # (field number, varint / fixed value or payload)


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise DecodeError("truncated varint")
        b = data[pos]
        pos += 1
        out |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return out, pos


def _fields(data: bytes) -> _Fields:
    """The fields of one message, in wire order (fixed-width values as raw bytes)."""
    out: _Fields = []
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            n, pos = _varint(data, pos)
            value, pos = data[pos:pos + n], pos + n
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            value, pos = data[pos:pos + n], pos + n
        else:
            raise DecodeError(f"unsupported wire type {wire}")
        if pos > len(data):
            raise DecodeError("truncated field")
        out.append((number, value))
    return out


def _int64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _one(fields: _Fields, number: int) -> bytes | None:
    """The last (length-delimited) occurrence of field ``number``: proto3 semantics."""
    found = None
    for n, v in fields:
        if n == number and isinstance(v, bytes):
            found = v
    return found


def _text(fields: _Fields, number: int) -> str:
    raw = _one(fields, number)
    return "" if raw is None else raw.decode("utf-8")


def _num(fields: _Fields, number: int) -> int:
    found = 0
    for n, v in fields:
        if n == number and isinstance(v, int):
            found = v
    return found


# ---- decoding --------------------------------------------------------------------------

_ANY_PREFIX = "type.googleapis.com/"


def decode(serialized: bytes, declared: Container[str] | None = None) -> Expr:
    """The tree of a serialised expression (``Expression.serialize()`` of the runtime).

    In a checked expression an identifier is ``declared`` when the reference map resolves it
    to a name no enclosing comprehension binds, and that is in ``declared`` when given.
    """
    top = _fields(serialized)
    type_url, payload = _text(top, 1), _one(top, 2) or b""
    kind = type_url.removeprefix(_ANY_PREFIX)
    body = _fields(payload)
    if kind == "cel.expr.CheckedExpr":  # reference_map = 2, expr = 4
        refs: dict[int, str] = {}
        for n, entry in body:
            if n == 2 and isinstance(entry, bytes):
                e = _fields(entry)
                ref = _fields(_one(e, 2) or b"")
                if not any(k == 3 for k, _ in ref):  # overload ids: a function, not a name
                    refs[_int64(_num(e, 1))] = _text(ref, 1)
        expr = _one(body, 4)
    elif kind == "cel.expr.ParsedExpr":  # expr = 2
        refs, expr = {}, _one(body, 2)
    else:
        raise DecodeError(f"not a CEL expression: {type_url!r}")
    if expr is None:
        raise DecodeError("no expression")
    return _Decoder(refs, declared).expr(expr, frozenset())


class _Decoder:
    def __init__(self, refs: dict[int, str], declared: Container[str] | None):
        self.refs = refs
        self.declared = declared

    def _name(self, node_id: int, scope: frozenset[str]) -> str | None:
        """The declared variable a node resolves to, if any."""
        name = self.refs.get(node_id)
        if name is None or name in scope:
            return None
        if self.declared is not None and name not in self.declared:
            return None
        return name

    def expr(self, data: bytes, scope: frozenset[str]) -> Expr:
        f = _fields(data)
        node_id = _int64(_num(f, 2))
        for n, raw in f:
            if not isinstance(raw, bytes):
                continue
            if n == 3:
                return _const(_fields(raw), node_id)
            if n == 4:
                name = _text(_fields(raw), 1)
                return Ident(name, self._name(node_id, scope) == name, node_id)
            if n == 5:
                return self._select(_fields(raw), node_id, scope)
            if n == 6:
                c = _fields(raw)
                target = _one(c, 1)
                return Call(_text(c, 2), None if target is None else self.expr(target, scope),
                            tuple(self.expr(a, scope) for k, a in c
                                  if k == 3 and isinstance(a, bytes)), node_id)
            if n == 7:
                return self._list(_fields(raw), node_id, scope)
            if n == 8:
                return self._struct(_fields(raw), node_id, scope)
            if n == 9:
                return self._comprehension(_fields(raw), node_id, scope)
        raise DecodeError(f"expression {node_id} has no kind")

    def _select(self, s: _Fields, node_id: int, scope: frozenset[str]) -> Expr:
        test_only = bool(_num(s, 3))
        name = self._name(node_id, scope)
        if name is not None and not test_only:  # a qualified reference left as a selection
            return Ident(name, True, node_id)
        return Select(self.expr(_one(s, 1) or b"", scope), _text(s, 2), test_only, node_id)

    def _list(self, c: _Fields, node_id: int, scope: frozenset[str]) -> ListExpr:
        elements = tuple(self.expr(e, scope) for k, e in c if k == 1 and isinstance(e, bytes))
        optional: list[int] = []
        for k, v in c:
            if k == 2 and isinstance(v, int):
                optional.append(v)
            elif k == 2 and isinstance(v, bytes):  # packed
                pos = 0
                while pos < len(v):
                    i, pos = _varint(v, pos)
                    optional.append(i)
        return ListExpr(elements, tuple(optional), node_id)

    def _struct(self, c: _Fields, node_id: int, scope: frozenset[str]) -> Expr:
        name = _text(c, 1)
        keyed: list[tuple[Expr, Expr]] = []
        named: list[tuple[str, Expr]] = []
        for k, raw in c:
            if k != 2 or not isinstance(raw, bytes):
                continue
            e = _fields(raw)
            value = self.expr(_one(e, 4) or b"", scope)
            key = _one(e, 3)
            if key is not None:
                keyed.append((self.expr(key, scope), value))
            else:
                named.append((_text(e, 2), value))
        if name:
            return StructExpr(name, tuple(named), node_id)
        return MapExpr(tuple(keyed), node_id)

    def _comprehension(self, c: _Fields, node_id: int, scope: frozenset[str]) -> Comprehension:
        iter_var, iter_var2, accu_var = _text(c, 1), _text(c, 8), _text(c, 3)
        inner = scope | {v for v in (iter_var, iter_var2, accu_var) if v}
        with_accu = scope | {accu_var}

        def sub(number: int, names: frozenset[str]) -> Expr:
            return self.expr(_one(c, number) or b"", names)

        return Comprehension(
            iter_var=iter_var, iter_range=sub(2, scope), accu_var=accu_var,
            accu_init=sub(4, scope), loop_condition=sub(5, inner), loop_step=sub(6, inner),
            result=sub(7, with_accu), iter_var2=iter_var2, id=node_id)


def _const(c: _Fields, node_id: int) -> Const:
    for n, v in c:
        if n == 1:
            return Const("null", None, node_id)
        if n == 2 and isinstance(v, int):
            return Const("bool", bool(v), node_id)
        if n == 3 and isinstance(v, int):
            return Const("int", _int64(v), node_id)
        if n == 4 and isinstance(v, int):
            return Const("uint", v, node_id)
        if n == 5 and isinstance(v, bytes):
            return Const("double", struct.unpack("<d", v)[0], node_id)
        if n == 6 and isinstance(v, bytes):
            return Const("string", v.decode("utf-8"), node_id)
        if n == 7 and isinstance(v, bytes):
            return Const("bytes", bytes(v), node_id)
        if n in (8, 9) and isinstance(v, bytes):  # google.protobuf.Duration / Timestamp
            t = _fields(v)
            span = dt.timedelta(seconds=_int64(_num(t, 1)), microseconds=_num(t, 2) // 1000)
            if n == 8:
                return Const("duration", span, node_id)
            return Const("timestamp", dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + span, node_id)
    # proto3 leaves a zero default off the wire: the kind is then unknown; CEL's parser
    # always writes it, so this is a malformed constant.
    raise DecodeError(f"constant {node_id} has no value")
