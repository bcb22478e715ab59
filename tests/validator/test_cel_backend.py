"""The CEL backend: when a rule's expression has no value because a variable is absent."""

from __future__ import annotations

from typing import Any

import pytest

from hegui.validator.cel_backend import CelCompileError, CelEnvironment, Outcome, Prepared

ENV = CelEnvironment({"a.x": "int", "b.y": "bool", "c.s": "string", "checklist": "map",
                      "items": "list"})


def both(values: dict[str, Any]) -> list[dict[str, Any] | Prepared]:
    """The same values as a mapping and as a prepared activation (context documents)."""
    return [values, ENV.activation(values)]


@pytest.mark.parametrize("prepared", [False, True], ids=["mapping", "activation"])
@pytest.mark.parametrize(("source", "values", "outcome"), [
    # a variable the expression needs is absent: the rule does not apply
    ("a.x > 1", {}, Outcome(None, missing=True)),
    ("a.x > 1 && b.y", {"b.y": True}, Outcome(None, missing=True)),
    ("items.exists(i, i == a.x)", {"items": [1]}, Outcome(None, missing=True)),
    # a value despite the absence counts (short-circuit)
    ("a.x > 1 || b.y", {"b.y": True}, Outcome(True)),
    ("a.x > 1 && b.y", {"b.y": False}, Outcome(False)),
    ("b.y ? true : a.x > 1", {"b.y": True}, Outcome(True)),
    # all present
    ("a.x > 1 && b.y", {"a.x": 2, "b.y": True}, Outcome(True)),
    ("a.x > 1", {"a.x": 1}, Outcome(False)),
])
def test_missing_is_decided_from_what_the_expression_reads(
        source: str, values: dict[str, Any], outcome: Outcome, prepared: bool) -> None:
    program = ENV.compile(source)
    given = both(values)[prepared]
    assert program.evaluate(given) == outcome


@pytest.mark.parametrize("given", both({"a.x": 1, "checklist": {}}), ids=["mapping", "activation"])
def test_an_error_with_every_variable_present_is_an_error(given: Any) -> None:
    out = ENV.compile("a.x / 0 > 1").evaluate(given)
    assert out.value is None and not out.missing and out.error
    # a missing map key is the data's problem, not an absent variable
    out = ENV.compile("checklist.items.size() > 0").evaluate(given)
    assert out.value is None and not out.missing and out.error


def test_an_error_while_a_variable_is_absent_is_missing() -> None:
    # the error comes from the division, but the rule reads b.y, which has no value
    out = ENV.compile("a.x / 0 > 1 || b.y").evaluate({"a.x": 1})
    assert out == Outcome(None, missing=True)


def test_only_variables_read_are_bound() -> None:
    program = ENV.compile("a.x > 1")
    assert program.variables == ("a.x",)
    assert program.absent({"b.y": True}) == ("a.x",)
    assert program.absent(ENV.activation({"a.x": 2})) == ()
    assert program.evaluate({"a.x": 2, "c.s": object()}) == Outcome(True)  # c.s is not bound


def test_list_expressions() -> None:
    program = ENV.compile("items.filter(i, i > a.x)", "list")
    assert program.evaluate_raw({"items": [1, 5, 7], "a.x": 4}).items == [5, 7]
    assert program.evaluate_raw({"items": [1]}).missing
    assert program.evaluate_raw(ENV.activation({"items": [1]})).missing
    assert ENV.compile("[a.x]", "list").evaluate_raw({"a.x": 1}).items == [1]


def test_a_non_boolean_value_is_an_error() -> None:
    out = ENV.compile("checklist.kind").evaluate({"checklist": {"kind": "x"}})
    assert out.error is not None and "not bool" in out.error


def test_referenced() -> None:
    assert ENV.referenced('a.x > 1 && c.s == "a.x" && checklist.b') == ("a.x", "c.s", "checklist")


def test_compile_errors_carry_their_position() -> None:
    with pytest.raises(CelCompileError) as err:
        ENV.compile("a.x > 1 &&\n  a.nope")
    assert (err.value.line, err.value.column) == (2, 4)
    with pytest.raises(CelCompileError):
        ENV.compile("a.x + 1")
