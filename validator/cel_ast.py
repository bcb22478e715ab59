"""One CEL front end: the expression tree of the CEL runtime, and what hegui reads from it.

A compiled expression's tree comes from the runtime's own type-checked AST
(:func:`hegui.validator.cel_proto.decode` of ``Expression.serialize()``): its reference map
resolves each identifier to a declaration, so ``guarantee.amount`` is one declared
:class:`Ident`. A tree that was only parsed has no declarations: dotted names are
:class:`Select` chains. Macros arrive expanded: ``has(x.f)`` is a test-only :class:`Select`;
``all``, ``exists``, ``exists_one``, ``map`` and ``filter`` are :class:`Comprehension` nodes.
No part of hegui reads CEL text itself.

The analyses — :func:`variables`, :func:`conjuncts`, :func:`simple_test`,
:func:`int_literals`, :func:`duration_literals`, :func:`absence_tests`, :func:`names_read` —
are pure functions of a tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Literal, TypeAlias

# ---- the tree --------------------------------------------------------------------------

ConstKind = Literal["null", "bool", "int", "uint", "double", "string", "bytes", "duration",
                    "timestamp"]


@dataclass(frozen=True)
class Const:
    """A literal; ``kind`` tells CEL's type (``int`` and ``uint`` are both Python ints)."""

    kind: ConstKind
    value: object
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Ident:
    """An identifier: a declared variable (``declared``, dotted names included) or any other
    name (a comprehension variable, or every name of a tree that was only parsed)."""

    name: str
    declared: bool = False
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Select:
    """``operand.field``; ``test_only`` is the presence test ``has(operand.field)``."""

    operand: Expr
    field: str
    test_only: bool = False
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Call:
    """A function or operator call (``_==_``, ``!_``, ``@in``, ``size``...); ``target`` is the
    receiver of a method-style call ``target.function(args)``."""

    function: str
    target: Expr | None
    args: tuple[Expr, ...]
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class ListExpr:
    """A list literal ``[a, b]``; ``optional`` holds the indices of ``?x`` elements."""

    elements: tuple[Expr, ...]
    optional: tuple[int, ...] = ()
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class MapExpr:
    """A map literal ``{key: value, ...}``."""

    entries: tuple[tuple[Expr, Expr], ...]
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class StructExpr:
    """A message literal ``Type{field: value, ...}``."""

    message_name: str
    fields: tuple[tuple[str, Expr], ...]
    id: int = _field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Comprehension:
    """A fold over ``iter_range`` (what the list macros expand to): ``accu_var`` starts as
    ``accu_init``, each item (``iter_var``, ``iter_var2``) steps it while ``loop_condition``
    holds, and ``result`` gives the value."""

    iter_var: str
    iter_range: Expr
    accu_var: str
    accu_init: Expr
    loop_condition: Expr
    loop_step: Expr
    result: Expr
    iter_var2: str = ""
    id: int = _field(default=0, compare=False, repr=False)


#: Any node of the tree.
Expr: TypeAlias = Const | Ident | Select | Call | ListExpr | MapExpr | StructExpr | Comprehension


# ---- analyses --------------------------------------------------------------------------

def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``node``, in source order."""
    if isinstance(node, Select):
        return (node.operand,)
    if isinstance(node, Call):
        return ((node.target,) if node.target is not None else ()) + node.args
    if isinstance(node, ListExpr):
        return node.elements
    if isinstance(node, MapExpr):
        return tuple(x for kv in node.entries for x in kv)
    if isinstance(node, StructExpr):
        return tuple(v for _, v in node.fields)
    if isinstance(node, Comprehension):
        return (node.iter_range, node.accu_init, node.loop_condition, node.loop_step,
                node.result)
    return ()


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children (depth first, source order)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


def variables(tree: Expr) -> tuple[str, ...]:
    """The declared variables ``tree`` reads, each once, in order of first occurrence.

    Resolved by the type checker's reference map (see
    :func:`hegui.validator.cel_proto.decode`): empty for a tree that was only parsed.
    """
    return tuple(dict.fromkeys(n.name for n in walk(tree) if isinstance(n, Ident) and n.declared))


def conjuncts(tree: Expr) -> tuple[Expr, ...]:
    """The operands of the top-level ``&&`` chain (``(a && b) && c`` gives a, b, c)."""
    if isinstance(tree, Call) and tree.function == "_&&_" and tree.target is None:
        return tuple(c for a in tree.args for c in conjuncts(a))
    return (tree,)


def path_of(node: Expr) -> str | None:
    """The dotted name of an identifier or a chain of field selections on one, else None."""
    if isinstance(node, Ident):
        return node.name
    if isinstance(node, Select) and not node.test_only:
        base = path_of(node.operand)
        return None if base is None else f"{base}.{node.field}"
    return None


#: A literal a :class:`SimpleTest` compares with.
Scalar: TypeAlias = str | int | bool


@dataclass(frozen=True)
class SimpleTest:
    """One test a JSON Schema can state: ``path op values`` (``in`` has several values).

    A boolean ``path`` alone is ``path == true``, ``!path`` is ``path == false``.
    """

    path: str
    op: Literal["==", "!=", "in"]
    values: tuple[Scalar, ...]


def _scalar(node: Expr) -> tuple[Scalar] | None:
    if isinstance(node, Const) and node.kind in ("string", "int", "bool"):
        assert isinstance(node.value, str | int)
        return (node.value,)
    return None


def simple_test(node: Expr) -> SimpleTest | None:
    """``node`` as a :class:`SimpleTest` — ``path == literal``, ``literal == path``,
    ``path != literal``, ``path in [literals]``, ``path``, ``!path`` with string, integer or
    boolean literals — or None for anything else (other operators, functions, ``||``...)."""
    path = path_of(node)
    if path is not None:
        return SimpleTest(path, "==", (True,))
    if not isinstance(node, Call) or node.target is not None:
        return None
    if node.function == "!_" and len(node.args) == 1:
        path = path_of(node.args[0])
        return None if path is None else SimpleTest(path, "==", (False,))
    if len(node.args) != 2:
        return None
    left, right = node.args
    if node.function in ("_==_", "_!=_"):
        op: Literal["==", "!="] = "==" if node.function == "_==_" else "!="
        for p, v in ((left, right), (right, left)):
            path, value = path_of(p), _scalar(v)
            if path is not None and value is not None:
                return SimpleTest(path, op, value)
        return None
    if node.function == "@in" and isinstance(right, ListExpr) and right.elements \
            and not right.optional:
        path = path_of(left)
        values = [_scalar(e) for e in right.elements]
        if path is None or any(v is None for v in values):
            return None
        return SimpleTest(path, "in", tuple(v[0] for v in values if v is not None))
    return None


def int_literals(tree: Expr) -> tuple[int, ...]:
    """The ``int`` literals of ``tree`` in source order (``-5`` is one literal, -5)."""
    return tuple(n.value for n in walk(tree)
                 if isinstance(n, Const) and n.kind == "int" and isinstance(n.value, int))


_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def parse_duration(text: str) -> dt.timedelta | None:
    """A CEL duration string (``"720h"``, ``"1h30m"``, ``"-1.5s"``) as a timedelta, else None."""
    sign, rest = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if not rest:
        return None
    seconds = 0.0
    pos = 0
    while pos < len(rest):
        start = pos
        while pos < len(rest) and (rest[pos] in "0123456789."):
            pos += 1
        number = rest[start:pos]
        unit_start = pos
        while pos < len(rest) and rest[pos] not in "0123456789.":
            pos += 1
        unit = rest[unit_start:pos]
        if not number.strip(".") or number.count(".") > 1 or unit not in _UNITS:
            return None
        seconds += float(number) * _UNITS[unit]
    return dt.timedelta(seconds=sign * seconds)


def duration_literals(tree: Expr) -> tuple[dt.timedelta, ...]:
    """The string literals of ``tree`` that are CEL durations — ``duration("720h")`` or any
    other literal in that form — in source order."""
    out = []
    for n in walk(tree):
        if isinstance(n, Const) and n.kind == "string" and isinstance(n.value, str):
            span = parse_duration(n.value)
            if span is not None:
                out.append(span)
        elif isinstance(n, Const) and n.kind == "duration" and isinstance(n.value, dt.timedelta):
            out.append(n.value)
    return tuple(out)


def absence_tests(tree: Expr) -> frozenset[str]:
    """Field names whose absence ``tree`` tests: the ``f`` of every ``!has(x.f)``."""
    return frozenset(
        n.args[0].field for n in walk(tree)
        if isinstance(n, Call) and n.function == "!_" and len(n.args) == 1
        and isinstance(n.args[0], Select) and n.args[0].test_only)


def names_read(tree: Expr) -> frozenset[str]:
    """Names ``tree`` reads data by: the parts of every identifier (declared dotted names,
    comprehension variables, or the names of a tree that was only parsed) and every selected
    field (``s.materialIds`` reads ``materialIds``); not the accumulators macros add."""
    out: set[str] = set()
    for n in walk(tree):
        if isinstance(n, Ident) and not n.name.startswith("@"):
            out.update(n.name.split("."))
        elif isinstance(n, Select):
            out.add(n.field)
    return frozenset(out)


def sliced_list(tree: Expr) -> str | None:
    """The declared list variable ``tree`` can be evaluated slice by slice over, or None."""
    node = tree
    while isinstance(node, Comprehension):
        builds = (isinstance(node.accu_init, ListExpr) and not node.accu_init.elements
                  and isinstance(node.result, Ident)
                  and node.result.name == node.accu_var)
        if not builds:
            return None
        node = node.iter_range
    if not (isinstance(node, Ident) and node.declared and node is not tree):
        return None
    uses = sum(1 for n in walk(tree)
               if isinstance(n, Ident) and n.declared and n.name == node.name)
    return node.name if uses == 1 else None
