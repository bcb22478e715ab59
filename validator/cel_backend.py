"""The small interface hegui needs from a CEL runtime, on ``cel-expr-python``.

Only this module imports the CEL runtime, so another backend (``common-expression-language``)
can stand behind the same three calls: declare typed variables, compile (type-checked; unknown
names are errors with line and column), evaluate with a mapping of values. A program's tree
(:mod:`hegui.validator.cel_ast`) comes from the runtime's own checked AST; what an expression
reads, and so whether a variable it needs is absent, is decided from it, never from text.
Money reaches CEL as integer minor units and dates as timestamps (DESIGN.md: no doubles).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass
from typing import Any

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_strings

from hegui.validator import cel_ast
from hegui.validator.cel_proto import decode

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


class Prepared:
    """Values converted once for several evaluations, and the names they bind.

    The names tell a program which of the variables it reads have no value (see
    :meth:`Program.evaluate`), as a mapping's keys do.
    """

    __slots__ = ("activation", "keys")

    def __init__(self, activation: Any, keys: frozenset[str]):
        self.activation = activation
        self.keys = keys


class Program:
    """A compiled, type-checked CEL expression, and its tree (decoded on first use)."""

    def __init__(self, source: str, compiled: Any, env: CelEnvironment | None = None):
        self.source = source
        self._compiled = compiled
        self.env = env
        self._unbound: tuple[Any, Outcome | None] | None = None

    @functools.cached_property
    def tree(self) -> cel_ast.Expr:
        """The expression tree, from the runtime's own checked AST (:mod:`.cel_ast`)."""
        declared = self.env.variables if self.env is not None else None
        return decode(self._compiled.serialize(), declared)

    @functools.cached_property
    def variables(self) -> tuple[str, ...]:
        """Declared variables the expression reads; only these are bound when evaluating."""
        return cel_ast.variables(self.tree)

    @functools.cached_property
    def walked(self) -> frozenset[tuple[str, ...]]:
        """The lists the expression runs a comprehension over, as paths from a declared
        variable: ``("items",)`` for ``items.all(...)``, ``("items", "situations")`` for
        ``i.situations.exists(...)`` inside ``items.all(i, ...)``; each item an iteration."""
        out: set[tuple[str, ...]] = set()
        _ranges(self.tree, {}, out)
        return frozenset(out)

    @functools.cached_property
    def walked_sorted(self) -> tuple[tuple[str, ...], ...]:
        """:attr:`walked` in sorted order (checked for every payload: sorted once)."""
        return tuple(sorted(self.walked))

    @functools.cached_property
    def sliced(self) -> str | None:
        """The declared list the expression can be evaluated over slice by slice, or None
        (:func:`.cel_ast.sliced_list`; decided once per program, not per payload)."""
        return cel_ast.sliced_list(self.tree)

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """Every name the expression reads data by (variables' parts and selected fields)."""
        return cel_ast.names_read(self.tree)

    @functools.cached_property
    def _read(self) -> frozenset[str]:
        return frozenset(self.variables)

    def _run(self, values: Mapping[str, Any] | Prepared) -> tuple[Any, Outcome | None]:
        bound: Container[str] = values.keys if isinstance(values, Prepared) else values
        if self.variables and not any(v in bound for v in self.variables):
            # None of what it reads has a value: the outcome depends on nothing in the payload,
            # so it is computed once (most rules of a small message read only absent fields).
            if self._unbound is None:
                self._unbound = self._judged(self._eval(values), bound)
            return self._unbound
        return self._judged(self._eval(values), bound)

    def _eval(self, values: Mapping[str, Any] | Prepared) -> Any:
        # An unbound variable becomes an error value, not an exception; short-circuit operators
        # may still give an answer, so evaluate anyway and look at the result.
        try:
            if isinstance(values, Prepared):
                return self._compiled.eval(values.activation)
            return self._compiled.eval(data={k: values[k] for k in self.variables if k in values})
        except Exception as exc:  # the runtime raises on a few conditions; never crash a run
            return Outcome(None, error=str(exc))

    def _judged(self, result: Any, bound: Container[str]) -> tuple[Any, Outcome | None]:
        if isinstance(result, Outcome):
            return None, result
        if result.type() == cel.Type.ERROR:
            # An error when a variable the expression reads has no value: the rule does not
            # apply. Decided from the tree and the bound names, never from the error's text.
            if any(v not in bound for v in self.variables):
                return None, Outcome(None, missing=True)
            return None, Outcome(None, error=str(result.value()))
        return result, None

    def absent(self, values: Mapping[str, Any] | Prepared) -> tuple[str, ...]:
        """The variables the expression reads that ``values`` gives no value."""
        bound = values.keys if isinstance(values, Prepared) else values
        return tuple(v for v in self.variables if v not in bound)

    def evaluate(self, values: Mapping[str, Any] | Prepared) -> Outcome:
        """Evaluate a boolean expression with (some of) the declared variables' values.

        An error while a variable it reads is absent is ``missing`` (the rule does not apply);
        a value despite the absence (``&&``, ``||``, ``?:`` short-circuit) counts.
        """
        if type(values) is Prepared and not values.keys.isdisjoint(self._read):
            # The common case, kept short (it runs for every rule of every payload): a
            # boolean is the answer; anything else (an error value) is judged below.
            try:
                got = self._compiled.eval(values.activation)
            except Exception as exc:  # the runtime raises on a few conditions
                return Outcome(None, error=str(exc))
            value = got.value()
            if value is True:
                return _HOLDS
            if value is False:
                return _FAILS
            result, failed = self._judged(got, values.keys)
        else:
            result, failed = self._run(values)
        if failed is not None:
            return failed
        value = result.value()
        if isinstance(value, bool):
            return Outcome(value)
        return Outcome(None, error=f"expression gave {result.type().name()}, not bool")

    def evaluate_raw(self, values: Mapping[str, Any] | Prepared) -> Outcome:
        """Evaluate a list-valued expression; the plain Python items are in ``items``."""
        return self._listed(values, shallow=False)

    def evaluate_items(self, values: Mapping[str, Any] | Prepared) -> Outcome:
        """Evaluate a list-valued expression for the findings of an ``each`` rule: each item
        as a plain scalar, or a map item as its scalar members only (what messages and item
        positions read), so the nested lists of offending items are not copied back."""
        return self._listed(values, shallow=True)

    def _listed(self, values: Mapping[str, Any] | Prepared, *, shallow: bool) -> Outcome:
        result, failed = self._run(values)
        if failed is not None:
            return failed
        listed = result.value() if shallow else result.plain_value()
        if not isinstance(listed, list):
            return Outcome(None, error=f"expression gave {result.type().name()}, not list")
        return Outcome(None, items=[_shallow(x) for x in listed] if shallow else listed)


#: The two outcomes of a boolean expression that evaluated (shared: Outcome is immutable).
_HOLDS = Outcome(True)
_FAILS = Outcome(False)


def _container(accessor: Any) -> bool:
    return str(accessor.type()).startswith(("MAP", "LIST"))


def _shallow(item: Any) -> Any:
    """A list item of a CEL result: plain when scalar; a map's scalar members when a map."""
    if not str(item.type()).startswith("MAP"):
        return item.plain_value()
    members = item.value()
    return {k: v.plain_value() for k, v in members.items() if not _container(v)}


def _ranges(node: cel_ast.Expr, bound: dict[str, tuple[str, ...]],
            out: set[tuple[str, ...]]) -> None:
    """Collect the range paths of the comprehensions in ``node`` (``bound``: iteration
    variables of the enclosing comprehensions -> the path of the list they walk)."""
    if isinstance(node, cel_ast.Comprehension):
        path = _path(node.iter_range, bound)
        if path is not None:
            out.add(path)
        _ranges(node.iter_range, bound, out)
        inner = {**bound, node.iter_var: path} if path is not None else bound
        for part in (node.accu_init, node.loop_condition, node.loop_step, node.result):
            _ranges(part, inner, out)
        return
    for child in cel_ast.children(node):
        _ranges(child, bound, out)


def _path(node: cel_ast.Expr, bound: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    if isinstance(node, cel_ast.Ident):
        if node.declared:
            return (node.name,)
        return bound.get(node.name)
    if isinstance(node, cel_ast.Select) and not node.test_only:
        base = _path(node.operand, bound)
        return None if base is None else (*base, node.field)
    return None


#: Iterations the CEL runtime allows one evaluation (cel-expr-python 0.1.3; not configurable
#: from Python; measured: a filter over 9,999 items runs, over 10,000 fails).
ITERATION_BUDGET = 10_000


class CelEnvironment:
    """Typed variables (dotted names such as ``guarantee.amount``) and a compiler for them."""

    def __init__(self, variables: Mapping[str, str]):
        self.variables = dict(variables)
        self._env = _new_env({k: _to_cel(v) for k, v in self.variables.items()})

    def compile(self, source: str, want: str = "bool") -> Program:
        """Parse and type-check ``source`` (``want``: "bool" or "list"); raise on any problem."""
        try:
            compiled = self._env.compile(source)
        except Exception as exc:
            raise _compile_error(exc) from None
        rtype = compiled.return_type()
        name = rtype.name()
        ok = rtype == cel.Type.DYN or (
            rtype == cel.Type.BOOL if want == "bool" else name.lower().startswith("list"))
        if not ok:
            raise CelCompileError(f"expression must be {want}, is {name}", 1, 1)
        return Program(source, compiled, self)

    def activation(self, values: Mapping[str, Any]) -> Prepared:
        """Values converted once for several evaluations (large context documents)."""
        return Prepared(self._env.Activation(dict(values)), frozenset(values))

    def referenced(self, source: str) -> tuple[str, ...]:
        """Declared variable names that ``source`` (a valid expression) reads."""
        try:
            compiled = self._env.compile(source)
        except Exception as exc:
            raise _compile_error(exc) from None
        return cel_ast.variables(decode(compiled.serialize(), self.variables))


def _new_env(variables: Mapping[str, Any]) -> Any:
    return cel.NewEnv(variables=dict(variables),
                      extensions=[ext_strings.ExtStrings(), ext_bindings.ExtBindings()],
                      functions=_FUNCTIONS)


def _compile_error(exc: Exception) -> CelCompileError:
    # The runtime reports problems only as text; its first "<input>:line:column:" is where.
    text = str(exc)
    m = _LOCATION.search(text)
    if m:
        return CelCompileError(m.group(3).strip(), int(m.group(1)), int(m.group(2)))
    return CelCompileError(text.strip(), None, None)


@functools.cache
def _parser() -> Any:
    """The environment that parses without declarations (stateless: one per process)."""
    return _new_env({})


def parse(source: str) -> cel_ast.Expr:
    """The tree of ``source`` parsed only (no declarations: every :class:`~.cel_ast.Ident` is
    undeclared and dotted names are field selections); raise CelCompileError if it does not
    parse."""
    try:
        compiled = _parser().compile(source, disable_check=True)
    except Exception as exc:
        raise _compile_error(exc) from None
    return decode(compiled.serialize())
