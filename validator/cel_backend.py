"""The small interface hegui needs from a CEL runtime, on ``cel-expr-python``.

Only this module imports the CEL runtime, so another backend (``common-expression-language``)
can stand behind the same three calls: declare typed variables, compile (type-checked; unknown
names are errors with line and column), evaluate with a mapping of values.
Money reaches CEL as integer minor units and dates as timestamps (DESIGN.md: no doubles).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_strings

#: hegui datatype -> CEL scalar type name.
_SCALAR = {
    "money": "int", "rate": "int", "integer": "int", "date": "timestamp",
    "datetime": "timestamp", "boolean": "bool",
}

_CEL_TYPES = {
    "int": cel.Type.INT, "timestamp": cel.Type.TIMESTAMP, "bool": cel.Type.BOOL,
    "string": cel.Type.STRING, "dyn": cel.Type.DYN,
}

_LOCATION = re.compile(r"<input>:(\d+):(\d+): (.*)")


def cel_type_name(datatype: str) -> str:
    """CEL type name ("int", "string", ...) for a hegui datatype; lists are ``list``."""
    if datatype == "list":
        return "list"
    return _SCALAR.get(datatype, "string")


def _to_cel(type_name: str) -> Any:
    if type_name == "list":
        return cel.Type.List(cel.Type.DYN)
    if type_name == "map":
        return cel.Type.Map(cel.Type.STRING, cel.Type.DYN)
    return _CEL_TYPES[type_name]


class CelCompileError(Exception):
    """A CEL expression failed to parse or type-check; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Outcome:
    """Result of evaluating one expression: a boolean, or why there is none.

    ``missing`` means a variable the expression needs had no value (the rule does not apply);
    ``error`` is any other evaluation failure (overflow, a missing map key ...).
    """

    value: bool | None
    missing: bool = False
    error: str | None = None
    items: list[Any] | None = None  # for list-valued expressions (`each` rules)


def _duplicates(values: list[Any]) -> list[Any]:
    """Values occurring more than once, in first-repeat order (linear, unlike a CEL double loop)."""
    seen: set[Any] = set()
    out: list[Any] = []
    for v in values:
        key = repr(v)
        if key in seen and v not in out:
            out.append(v)
        seen.add(key)
    return out


def _flatten(lists: list[list[Any]]) -> list[Any]:
    """One list of the items of a list of lists."""
    return [x for xs in lists for x in xs]


#: hegui's own CEL functions, beside the standard library and the strings and bindings
#: extensions (docs/spec-format.md).
_FUNCTIONS = [
    cel.FunctionDecl("duplicates", [cel.Overload(
        "hegui_duplicates_list", cel.Type.List(cel.Type.DYN), [cel.Type.List(cel.Type.DYN)],
        impl=_duplicates)]),
    cel.FunctionDecl("flatten", [cel.Overload(
        "hegui_flatten_list", cel.Type.List(cel.Type.DYN),
        [cel.Type.List(cel.Type.List(cel.Type.DYN))], impl=_flatten)]),
]


class Program:
    """A compiled, type-checked CEL expression."""

    def __init__(self, source: str, compiled: Any, variables: tuple[str, ...],
                 env: CelEnvironment | None = None):
        self.source = source
        self._compiled = compiled
        #: Declared variables the expression mentions; only these are bound when evaluating.
        self.variables = variables
        self.env = env

    def _run(self, values: Mapping[str, Any] | Any) -> tuple[Any, Outcome | None]:
        # An unbound variable becomes an error value, not an exception; short-circuit operators
        # may still give an answer, so evaluate anyway and look at the result.
        try:
            if isinstance(values, Mapping):
                result = self._compiled.eval(
                    data={k: values[k] for k in self.variables if k in values})
            else:  # a prepared activation (see CelEnvironment.activation)
                result = self._compiled.eval(values)
        except Exception as exc:  # the runtime raises on a few conditions; never crash a run
            return None, Outcome(None, error=str(exc))
        if result.type() == cel.Type.ERROR:
            text = str(result.value())
            if "No value with name" in text:
                return None, Outcome(None, missing=True)
            return None, Outcome(None, error=text)
        return result, None

    def evaluate(self, values: Mapping[str, Any] | Any) -> Outcome:
        """Evaluate a boolean expression with (some of) the declared variables' values."""
        result, failed = self._run(values)
        if failed is not None:
            return failed
        value = result.value()
        if isinstance(value, bool):
            return Outcome(value)
        return Outcome(None, error=f"expression gave {result.type().name()}, not bool")

    def evaluate_raw(self, values: Mapping[str, Any] | Any) -> Outcome:
        """Evaluate a list-valued expression; the plain Python items are in ``items``."""
        result, failed = self._run(values)
        if failed is not None:
            return failed
        plain = result.plain_value()
        if not isinstance(plain, list):
            return Outcome(None, error=f"expression gave {result.type().name()}, not list")
        return Outcome(None, items=plain)


class CelEnvironment:
    """Typed variables (dotted names such as ``guarantee.amount``) and a compiler for them."""

    def __init__(self, variables: Mapping[str, str]):
        self.variables = dict(variables)
        self._env = cel.NewEnv(
            variables={k: _to_cel(v) for k, v in self.variables.items()},
            extensions=[ext_strings.ExtStrings(), ext_bindings.ExtBindings()],
            functions=_FUNCTIONS)
        # Longest names first so "a.bc" is not read as "a.b" + "c".
        names = sorted(self.variables, key=len, reverse=True)
        self._names = re.compile(
            r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])"
        ) if names else None

    def compile(self, source: str, want: str = "bool") -> Program:
        """Parse and type-check ``source`` (``want``: "bool" or "list"); raise on any problem."""
        try:
            compiled = self._env.compile(source)
        except Exception as exc:
            text = str(exc)
            m = _LOCATION.search(text)
            if m:
                line, col = int(m.group(1)), int(m.group(2))
                raise CelCompileError(m.group(3).strip(), line, col) from None
            raise CelCompileError(text.strip(), None, None) from None
        rtype = compiled.return_type()
        name = rtype.name()
        ok = rtype == cel.Type.DYN or (
            rtype == cel.Type.BOOL if want == "bool" else name.lower().startswith("list"))
        if not ok:
            raise CelCompileError(f"expression must be {want}, is {name}", 1, 1)
        return Program(source, compiled, self.referenced(source), self)

    def activation(self, values: Mapping[str, Any]) -> Any:
        """Values converted once for several evaluations (large context documents)."""
        return self._env.Activation(dict(values))

    def referenced(self, source: str) -> tuple[str, ...]:
        """Declared variable names that occur in ``source`` outside string literals."""
        if self._names is None:
            return ()
        code = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', source)
        return tuple(dict.fromkeys(self._names.findall(code)))
