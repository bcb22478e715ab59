"""Which conditional requirements (``kind: require`` rules) a JSON Schema can state as if/then.

A ``require`` rule says: when its CEL ``when`` holds, its ``require`` paths are present. JSON
Schema can say that when ``when`` is a conjunction (``&&``) of simple tests on scalar fields of
the message type — ``path == literal``, ``path != literal``, ``path in [literals]``, a boolean
``path`` or ``!path`` — with string, boolean or integer literals matching the field's JSON
type. Everything else (other operators, functions, money and dates, which CEL sees as fen and
timestamps, context documents, list items) stays with the rule engine only; XSD 1.0 can state
none of it. The tests are read from the expression's tree (:mod:`hegui.validator.cel_ast`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hegui.generators.schema_parts import CEL_STRING_TYPES
from hegui.validator import cel_ast
from hegui.validator.cel_ast import SimpleTest
from hegui.validator.cel_backend import CelCompileError, parse
from hegui.validator.spec import MessageType, Rule, Spec

Value = cel_ast.Scalar

#: One test of a ``when``: ``path op values`` (``in`` has several values).
Test = SimpleTest


@dataclass(frozen=True)
class Requirement:
    """A require rule as JSON Schema can state it: when all ``tests`` hold, ``paths`` exist."""

    rule: str
    tests: tuple[Test, ...]
    paths: tuple[str, ...]


def parse_when(when: str | cel_ast.Expr) -> tuple[Test, ...] | None:
    """The tests of a ``when`` (CEL source or tree) made only of ``&&``-joined simple tests
    (:func:`hegui.validator.cel_ast.simple_test`), else None."""
    if isinstance(when, str):
        try:
            when = parse(when)
        except CelCompileError:
            return None
    tests = []
    for part in cel_ast.conjuncts(when):
        test = cel_ast.simple_test(part)
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
