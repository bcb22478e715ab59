"""Which conditional requirements (``kind: require`` rules) a JSON Schema can state as if/then.

A ``require`` rule says: when its CEL ``when`` holds, its ``require`` paths are present. JSON
Schema can say that when ``when`` is a conjunction (``&&``) of simple tests on scalar fields of
the message type — ``path == literal``, ``path != literal``, ``path in [literals]``, a boolean
``path`` or ``!path`` — with string, boolean or integer literals matching the field's JSON
type. Everything else (other operators, functions, money and dates, which CEL sees as fen and
timestamps, context documents, list items) stays with the rule engine only; XSD 1.0 can state
none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from hegui.generators.schema_parts import CEL_STRING_TYPES
from hegui.validator.spec import MessageType, Rule, Spec

Value = str | int | bool


@dataclass(frozen=True)
class Test:
    """One test of a ``when``: ``path op values`` (``in`` has several values)."""

    path: str
    op: Literal["==", "!=", "in"]
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Requirement:
    """A require rule as JSON Schema can state it: when all ``tests`` hold, ``paths`` exist."""

    rule: str
    tests: tuple[Test, ...]
    paths: tuple[str, ...]


_TOKEN = re.compile(r"""\s*(?:
    (?P<str>"[^"\\\n]*"|'[^'\\\n]*')
  | (?P<num>-?[0-9]+)(?![\w.])
  | (?P<bool>true|false)\b
  | (?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>==|!=|&&|!|\[|\]|,|\(|\))
)""", re.VERBOSE)

_Token = tuple[str, object]  # (kind, value); kind in lit/path/op
_DEPTH: dict[_Token, int] = {("op", "("): 1, ("op", ")"): -1, ("op", "["): 1, ("op", "]"): -1}


def _tokens(source: str) -> list[_Token] | None:
    out: list[_Token] = []
    pos = 0
    source = source.strip()
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None or m.end() == pos:
            return None
        pos = m.end()
        kind = m.lastgroup or ""
        text = m.group(kind)
        if kind == "str":
            out.append(("lit", text[1:-1]))
        elif kind == "num":
            out.append(("lit", int(text)))
        elif kind == "bool":
            out.append(("lit", text == "true"))
        elif kind == "path" and text == "in":
            out.append(("op", "in"))
        else:
            out.append((kind, text))
    return out


def _strip_parens(tokens: list[_Token]) -> list[_Token]:
    while len(tokens) >= 2 and tokens[0] == ("op", "(") and tokens[-1] == ("op", ")"):
        depth = 0
        for i, t in enumerate(tokens):
            depth += _DEPTH.get(t, 0)
            if depth == 0 and i < len(tokens) - 1:
                return tokens  # the first "(" closes before the end: not one outer pair
        tokens = tokens[1:-1]
    return tokens


def _conjuncts(tokens: list[_Token]) -> list[list[_Token]]:
    parts: list[list[_Token]] = [[]]
    depth = 0
    for t in tokens:
        depth += _DEPTH.get(t, 0)
        if t == ("op", "&&") and depth == 0:
            parts.append([])
        else:
            parts[-1].append(t)
    return [_strip_parens(p) for p in parts]


def _test(tokens: list[_Token]) -> Test | None:
    kinds = [k for k, _ in tokens]
    if kinds == ["path"]:  # a boolean field on its own: `x` is `x == true`, `!x` is `x == false`
        return Test(str(tokens[0][1]), "==", (True,))
    if kinds == ["op", "path"] and tokens[0][1] == "!":
        return Test(str(tokens[1][1]), "==", (False,))
    if kinds == ["lit", "op", "path"]:
        tokens = tokens[::-1]
        kinds = kinds[::-1]
    if kinds == ["path", "op", "lit"] and tokens[1][1] in ("==", "!="):
        op: Literal["==", "!="] = "==" if tokens[1][1] == "==" else "!="
        return Test(str(tokens[0][1]), op, (_lit(tokens[2][1]),))
    if (len(tokens) >= 5 and kinds[:3] == ["path", "op", "op"] and tokens[1][1] == "in"
            and tokens[2][1] == "[" and tokens[-1] == ("op", "]")):
        inner = tokens[3:-1]
        values = inner[0::2]
        commas = inner[1::2]
        if (all(k == "lit" for k, _ in values) and all(c == ("op", ",") for c in commas)
                and len(inner) % 2 == 1):
            return Test(str(tokens[0][1]), "in", tuple(_lit(v) for _, v in values))
    return None


def _lit(value: object) -> Value:
    assert isinstance(value, str | int | bool)
    return value


def parse_when(source: str) -> tuple[Test, ...] | None:
    """The tests of a ``when`` made only of ``&&``-joined simple tests, else None."""
    tokens = _tokens(source)
    if not tokens:
        return None
    tests = []
    for part in _conjuncts(tokens):
        test = _test(part)
        if test is None:
            return None
        tests.append(test)
    return tuple(tests)


def _fits(datatype: str, value: Value) -> bool:
    if isinstance(value, bool):
        return datatype == "boolean"
    if isinstance(value, int):
        return datatype == "integer"
    return datatype in CEL_STRING_TYPES


def requirement(rule: Rule, mt: MessageType) -> Requirement | None:
    """``rule`` as a :class:`Requirement` of message type ``mt``, or None if JSON Schema
    cannot state it there (not a require rule, not for ``mt``, or not a simple ``when``)."""
    if rule.kind != "require" or rule.when is None or mt.id not in rule.applies_to:
        return None
    tests = parse_when(rule.when)
    if tests is None:
        return None
    for t in tests:
        f = mt.fields.get(t.path)
        if f is None or not all(_fits(f.element.datatype, v) for v in t.values):
            return None
    sections = {s.name for s in mt.sections}
    if not all(p in mt.fields or p in sections for p in rule.require):
        return None
    return Requirement(rule.id, tests, rule.require)


def requirements(spec: Spec, mt: MessageType) -> tuple[list[Requirement], list[Rule]]:
    """The require rules of ``mt``: those JSON Schema states, and those left to the engine."""
    stated: list[Requirement] = []
    left: list[Rule] = []
    for rule in spec.rules_for(mt.id):
        if rule.kind != "require":
            continue
        req = requirement(rule, mt)
        if req is None:
            left.append(rule)
        else:
            stated.append(req)
    return stated, left
