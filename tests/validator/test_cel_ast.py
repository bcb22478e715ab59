"""The CEL front end: trees decoded from the runtime's AST, and the analyses over them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from hegui.validator import cel_ast
from hegui.validator.cel_ast import (
    Call,
    Comprehension,
    Const,
    Ident,
    ListExpr,
    MapExpr,
    Select,
    SimpleTest,
)
from hegui.validator.cel_backend import CelEnvironment, parse
from hegui.validator.cel_proto import DecodeError, decode
from hegui.validator.runtime import cel_variables
from hegui.validator.spec import Spec

ENV = CelEnvironment({"guarantee.amount": "int", "project.kind": "string", "a.flag": "bool",
                      "items": "list", "checklist": "map", "i": "int",
                      "validTo": "timestamp", "issuedAt": "timestamp"})


def tree(source: str, want: str = "bool") -> cel_ast.Expr:
    return ENV.compile(source, want).tree


def old_referenced(names: list[str], source: str) -> set[str]:
    """What the regular expression of the former cel_backend found (an independent check)."""
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in ordered) + r")(?![\w])")
    code = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', source)
    return set(pattern.findall(code))


@pytest.mark.parametrize("which", ["egspec", "wcspec", "minispec"])
def test_every_bundled_rule_decodes_and_reads_what_the_text_names(
        which: str, request: pytest.FixtureRequest) -> None:
    spec: Spec = request.getfixturevalue(which)
    names = cel_variables(spec)
    env = CelEnvironment(names)
    count = 0
    for rule in spec.rules:
        for key, source in (("expr", rule.expr), ("when", rule.when)):
            if source is None:
                continue
            want = "list" if key == "expr" and rule.kind == "each" else "bool"
            program = env.compile(source, want)
            assert list(cel_ast.walk(program.tree)), rule.id
            assert set(program.variables) == old_referenced(list(names), source), (rule.id, key)
            assert len(program.variables) == len(set(program.variables))
            assert set(program.variables) <= set(names)
            count += 1
    assert count >= 5


def test_dotted_variables_are_one_declared_identifier() -> None:
    t = tree("guarantee.amount == 5 && project.kind in ['1', '2']")
    assert t == Call("_&&_", None, (
        Call("_==_", None, (Ident("guarantee.amount", True), Const("int", 5))),
        Call("@in", None, (Ident("project.kind", True),
                           ListExpr((Const("string", "1"), Const("string", "2")))))))
    assert cel_ast.variables(t) == ("guarantee.amount", "project.kind")


def test_macros_arrive_as_comprehensions_and_presence_tests() -> None:
    t = tree("items.exists(x, has(x.f) && x.f == 'a')")
    assert isinstance(t, Comprehension)
    assert t.iter_var == "x" and t.iter_range == Ident("items", True)
    selects = [n for n in cel_ast.walk(t) if isinstance(n, Select)]
    assert Select(Ident("x"), "f", test_only=True) in selects
    assert Select(Ident("x"), "f") in selects
    assert cel_ast.variables(t) == ("items",)  # x, the accumulator: not declared variables


def test_a_comprehension_variable_shadows_a_declared_one() -> None:
    t = tree("items.exists(i, i == 1) || i == 2")
    assert cel_ast.variables(t) == ("items", "i")
    idents = [n for n in cel_ast.walk(t) if isinstance(n, Ident) and n.name == "i"]
    assert [n.declared for n in idents] == [False, True]
    assert cel_ast.variables(tree("items.exists(i, i == 1)")) == ("items",)


def test_a_context_document_is_read_by_its_name() -> None:
    t = tree("checklist.items.size() > 0")
    assert cel_ast.variables(t) == ("checklist",)
    assert Select(Ident("checklist", True), "items") in list(cel_ast.walk(t))


def test_parse_only_trees_have_no_declarations() -> None:
    t = parse("a.b == -5 && !c")
    assert t == Call("_&&_", None, (
        Call("_==_", None, (Select(Ident("a"), "b"), Const("int", -5))),
        Call("!_", None, (Ident("c"),))))
    assert cel_ast.variables(t) == ()


def test_constants_of_every_kind() -> None:
    t = parse("[null, true, 1, 2u, 1.5, 'x', b'y', {'k': 1}]")
    assert isinstance(t, ListExpr)
    assert [(c.kind, c.value) for c in t.elements if isinstance(c, Const)] == [
        ("null", None), ("bool", True), ("int", 1), ("uint", 2), ("double", 1.5),
        ("string", "x"), ("bytes", b"y")]
    assert t.elements[-1] == MapExpr(((Const("string", "k"), Const("int", 1)),))


def test_decode_refuses_what_is_not_an_expression() -> None:
    with pytest.raises(DecodeError):
        decode(b"\n\x05hello")
    with pytest.raises(DecodeError):
        decode(b"\x80")


def test_conjuncts() -> None:
    parts = cel_ast.conjuncts(parse("(a == 1 && b) && (c || d) && e"))
    assert [cel_ast.path_of(p) for p in parts] == [None, "b", None, "e"]
    assert cel_ast.conjuncts(parse("a")) == (Ident("a"),)


@pytest.mark.parametrize(("source", "expected"), [
    ('a.b == "1"', SimpleTest("a.b", "==", ("1",))),
    ("5 == e", SimpleTest("e", "==", (5,))),
    ("d != true", SimpleTest("d", "!=", (True,))),
    ("c in ['x', \"y\"]", SimpleTest("c", "in", ("x", "y"))),
    ("f", SimpleTest("f", "==", (True,))),
    ("!g.h", SimpleTest("g.h", "==", (False,))),
    ("(a == -2)", SimpleTest("a", "==", (-2,))),
])
def test_simple_tests(source: str, expected: SimpleTest) -> None:
    assert cel_ast.simple_test(parse(source)) == expected


@pytest.mark.parametrize("source", [
    'a == "1" || b == "2"', "size(a) > 0", "a.size() == 1", "a > 1", "a in [b]", "a in []",
    "a == b", "1 == 2", "a == 1.5", "a == 2u", "a == null", "has(a.b)", "a[0] == 1",
    "!(a && b)", "a == duration('1h')",
])
def test_not_simple_tests(source: str) -> None:
    assert cel_ast.simple_test(parse(source)) is None


def test_checked_simple_tests_use_declared_names() -> None:
    assert cel_ast.simple_test(tree("project.kind == '3'")) == SimpleTest(
        "project.kind", "==", ("3",))
    assert cel_ast.simple_test(tree("!a.flag")) == SimpleTest("a.flag", "==", (False,))


def test_literals_for_mutations() -> None:
    t = tree('validTo >= issuedAt + duration("720h") && guarantee.amount * 24 <= 80000000'
             ' && project.kind != "30h"')
    assert cel_ast.int_literals(t) == (24, 80000000)
    assert cel_ast.duration_literals(t) == (dt.timedelta(hours=720), dt.timedelta(hours=30))
    assert cel_ast.int_literals(parse("a == 'x1' && b1 == 2 && c == 1.5")) == (2,)


@pytest.mark.parametrize(("text", "span"), [
    ("720h", dt.timedelta(hours=720)), ("1h30m", dt.timedelta(minutes=90)),
    ("-1.5s", dt.timedelta(seconds=-1.5)), ("10ms", dt.timedelta(milliseconds=10)),
    ("h", None), ("5", None), ("1x", None), ("", None), ("1.2.3h", None), ("ISSUED", None),
])
def test_parse_duration(text: str, span: dt.timedelta | None) -> None:
    assert cel_ast.parse_duration(text) == span


def test_absence_tests_and_names_read() -> None:
    t = tree("items.all(p, !has(p.form) || has(p.kind)) && checklist.materialIds.size() > 0"
             " && guarantee.amount > 0")
    assert cel_ast.absence_tests(t) == {"form"}
    # Identifiers (the comprehension variable too) and selected fields; not functions.
    assert cel_ast.names_read(t) == {"items", "p", "form", "kind", "checklist", "materialIds",
                                     "guarantee", "amount"}
    assert cel_ast.names_read(parse("a.b.c > size(d) && 'e' == x")) == {"a", "b", "c", "d", "x"}


def test_json_schema_states_simple_tests_on_fields_of_matching_type(egspec: Spec) -> None:
    from hegui.generators.schema_conditions import requirement

    rule = egspec.rule("EG-015")
    assert rule is not None and rule.kind == "require"
    mt = egspec.message_types[rule.applies_to[0]]
    assert requirement(rule, mt) is not None
    for when in ("guarantee.amount == 100",  # money: CEL sees fen, JSON a decimal string
                 'result.code == "2" || result.code == "3"', 'size(result.code) == 1',
                 "result.code == 2"):  # an integer literal for a string field
        assert requirement(dataclasses.replace(rule, when=when), mt) is None, when
