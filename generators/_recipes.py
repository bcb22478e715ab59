"""Generation recipes: the ``generate:`` blocks of a spec's rules, compiled and run on a draft.

A rule's block (docs/spec-format.md, "Generation") says in data how the generators satisfy the
rule (``repair``), how they break it when the generic mutations cannot (``break``), and upper
bounds that keep the rule's arithmetic inside CEL's 64-bit integers (``limit``). Every value
is a CEL expression over the record's CEL values — the ones the validator binds — compiled by
the spec's own runtime, with extra variables for the list items a step runs over (``for``) and
``found``, the findings of an ``each`` rule. Results go back through the dictionary: money
from minor units to decimal text, timestamps to date or datetime text.

:func:`settle` repairs a draft until it is stable: every recipe, RMB uppercase amounts, then
the paths ``require`` rules demand. :func:`run_break` applies a rule's ``break`` steps and
freezes what they wrote. Compiled recipes live on the spec's runtime (``rt.memo``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from hegui.generators._cel_values import Shape, cel_at, from_cel, shape_at
from hegui.generators._records import (
    Draft,
    Token,
    canonical_order,
    element_strategy,
    oracle,
    tokens_of,
)
from hegui.validator.catalogue import runtime_for
from hegui.validator.cel_backend import CelCompileError, CelEnvironment, Program
from hegui.validator.datatypes import rmb_uppercase
from hegui.validator.errors import SpecError, SpecProblem
from hegui.validator.record import build_record
from hegui.validator.runtime import Runtime
from hegui.validator.spec import Rule, Spec

#: Step keys that write, in the order a step applies them (all read the values before it).
ACTIONS = ("set", "choose", "draw", "ensure", "delete", "append")


@dataclass(frozen=True)
class Step:
    """One compiled step: bindings, an optional condition and what it writes."""

    bind: tuple[tuple[str, str], ...]  # (variable, list path) in order: ``for``
    when: Program | None
    once: bool = False  # only the first binding (document order) whose ``when`` holds
    set: tuple[tuple[str, Program], ...] = ()
    choose: tuple[tuple[str, Program], ...] = ()
    append: tuple[tuple[str, Program], ...] = ()
    draw: tuple[str, ...] = ()
    ensure: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipe:
    """A rule's compiled ``generate:`` block."""

    limits: tuple[Step, ...] = ()
    repair: tuple[Step, ...] = ()
    breaks: tuple[Step, ...] = ()


# ---- compiling ---------------------------------------------------------------------------

class _Compiler:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.envs: dict[tuple[str, ...], CelEnvironment] = {}
        self.problems: list[SpecProblem] = []

    def env(self, names: tuple[str, ...]) -> CelEnvironment:
        if names not in self.envs:  # item variables are dyn: maps or scalars
            self.envs[names] = CelEnvironment(
                {**self.rt.env.variables, **dict.fromkeys(names, "dyn"), "found": "list"})
        return self.envs[names]

    def cel(self, rule: Rule, where: str, source: str, names: tuple[str, ...], want: str
            ) -> Program | None:
        # A value of any type is compiled as a one-item list (the backend returns bools and
        # lists): ``[expr]``.
        text = f"[{source}]" if want == "value" else source
        try:
            return self.env(names).compile(text, "list" if want == "value" else want)
        except CelCompileError as exc:
            line = rule.positions.get("generate", (None, None))[0]
            self.problems.append(SpecProblem(
                "rules.yaml", f"rule {rule.id} generate {where}: CEL error: {exc}", line))
            return None

    def step(self, rule: Rule, where: str, raw: Mapping[str, Any]) -> Step:
        bind = tuple((str(k), str(v)) for k, v in (raw.get("for") or {}).items())
        names = tuple(n for n, _ in bind)

        def values(key: str) -> tuple[tuple[str, Program], ...]:
            out = []
            for path, source in (raw.get(key) or {}).items():
                program = self.cel(rule, f"{where}.{key}.{path}", _source(source), names,
                                   "value")
                if program is not None:
                    out.append((str(path), program))
            return tuple(out)
        when = raw.get("when")
        return Step(
            bind=bind, once=bool(raw.get("once", False)),
            when=None if when is None else self.cel(rule, f"{where}.when", _source(when),
                                                    names, "bool"),
            set=values("set"), choose=values("choose"), append=values("append"),
            draw=tuple(map(str, raw.get("draw") or ())),
            ensure=tuple(map(str, raw.get("ensure") or ())),
            delete=tuple(map(str, raw.get("delete") or ())))

    def recipe(self, rule: Rule) -> Recipe:
        block = rule.generate
        limits = tuple(
            self.step(rule, f"limit.{path}", {"when": f"{path} > ({_source(bound)})",
                                              "set": {path: bound}})
            for path, bound in (block.get("limit") or {}).items())
        return Recipe(
            limits=limits,
            repair=tuple(self.step(rule, f"repair[{i}]", s)
                         for i, s in enumerate(block.get("repair") or ())),
            breaks=tuple(self.step(rule, f"break[{i}]", s)
                         for i, s in enumerate(block.get("break") or ())))


def _source(value: Any) -> str:
    """CEL text of a YAML value: ``true`` and numbers written unquoted are CEL literals."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def recipes(spec: Spec) -> Mapping[str, Recipe]:
    """The compiled recipes of ``spec`` by rule id (only rules with a ``generate:`` block);
    a CEL error in any of them is a :class:`SpecError` naming the rule and the step."""
    rt = runtime_for(spec)

    def build() -> dict[str, Recipe]:
        compiler = _Compiler(rt)
        out = {r.id: compiler.recipe(r) for r in spec.rules if r.generate}
        if compiler.problems:
            raise SpecError.of(compiler.problems)
        return out
    return rt.memo("hegui.generators.recipes", build)


# ---- running -------------------------------------------------------------------------------

class Scope:
    """A draft with the CEL values of its current record (rebuilt after each change)."""

    def __init__(self, d: Draft):
        self.d = d
        self.rt = runtime_for(d.spec)
        self.book = recipes(d.spec)
        self.contexts = oracle(d.spec).contexts
        self._values: dict[str, Any] | None = None

    def values(self) -> dict[str, Any]:
        """The record's CEL values with the context documents."""
        if self._values is None:
            rec = build_record(self.d.spec, self.d.mt, self.d.doc)
            self._values = {**rec.values, **self.contexts}
        return self._values

    def changed(self) -> None:
        """Forget the values: the record changed."""
        self._values = None

    def state(self, rule: Rule) -> tuple[bool, list[Any]]:
        """Whether ``rule`` holds (or does not apply), and the findings of an ``each`` rule."""
        values = self.values()
        when = self.rt.when_program(rule.id)
        if when is not None and when.evaluate(values).value is not True:
            return True, []
        if rule.kind == "require":
            return all(self.d.has(p) for p in rule.require), []
        program = self.rt.program(rule.id)
        assert program is not None
        if rule.kind == "each":
            out = program.evaluate_raw(values)
            if out.missing:
                return True, []
            return out.items == [], list(out.items or [])
        out = program.evaluate(values)
        return out.missing or out.value is True, []


def _concrete(path: str, binding: Mapping[str, list[Token]]) -> list[Token]:
    toks = tokens_of(path)
    head = toks[0]
    return [*binding[head], *toks[1:]] if isinstance(head, str) and head in binding else toks


def _dotted(toks: list[Token]) -> str:
    return ".".join(str(t) for t in toks)


def _bindings(step: Step, d: Draft) -> list[dict[str, list[Token]]]:
    out: list[dict[str, list[Token]]] = [{}]
    for name, path in step.bind:
        nxt: list[dict[str, list[Token]]] = []
        for b in out:
            base = _concrete(path, b)
            items = d.get(_dotted(base))
            if isinstance(items, list):
                nxt.extend({**b, name: [*base, k]} for k in range(len(items)))
        out = nxt
    return out


def _value(program: Program, local: Mapping[str, Any]) -> tuple[bool, Any]:
    out = program.evaluate_raw(local)
    return (True, out.items[0]) if out.items else (False, None)


def run_step(scope: Scope, step: Step, found: list[Any], freeze: bool = False) -> bool:
    """Run ``step`` once per binding of its ``for`` variables (last items first, so that a
    deletion or an append leaves the positions still to visit alone; with ``once``, only the
    first binding in document order whose ``when`` holds); True when it changed the record.
    ``freeze``: add every path it writes to the draft's frozen paths."""
    d, changed = scope.d, False
    bindings = _bindings(step, d)
    for binding in bindings if step.once else reversed(bindings):
        values = scope.values()
        local = {**values, "found": found}
        for name, toks in binding.items():
            local[name] = cel_at(values, toks)
        if any(local[name] is None for name in binding):
            continue  # an item the record left out (invalid): nothing to say about it
        if step.when is not None and step.when.evaluate(local).value is not True:
            continue
        writes = []  # every value computed before the first write
        for action in ACTIONS:
            for entry in getattr(step, action):
                if isinstance(entry, str):  # draw, ensure, delete: paths only
                    writes.append((action, _concrete(entry, binding), None))
                    continue
                ok, value = _value(entry[1], local)
                if ok:
                    writes.append((action, _concrete(entry[0], binding), value))
        for action, toks, value in writes:
            done, paths = _apply(d, action, toks, value)
            if done:
                changed = True
                scope.changed()
            if freeze:
                d.frozen.update(paths)
        if step.once:
            break
    return changed


def _apply(d: Draft, action: str, toks: list[Token], value: Any) -> tuple[bool, list[str]]:
    """Make one write; (whether the record changed, the paths it wrote)."""
    path = _dotted(toks)
    shape = shape_at(d.spec, d.mt, toks)
    if shape is None:
        return False, []
    if action == "set":
        return d.set(path, from_cel(d.spec, value, shape)), [path]
    if action == "choose":
        if not isinstance(value, list) or not value:
            return False, []
        options = [from_cel(d.spec, v, shape) for v in value]
        return d.set(path, d.draw(st.sampled_from(options))), [path]
    if action == "draw":
        current = d.get(path)
        if shape[0] != "scalar" or current is None:
            return False, []
        fresh = element_strategy(d.spec, shape[1], non_empty=True).filter(
            lambda v: v != current)
        return d.set(path, d.draw(fresh)), [path]
    if action == "ensure":
        return d.ensure(path), [path]
    if action == "delete":
        return d.delete(path), [path]
    return _append(d, path, shape, value)


def _append(d: Draft, path: str, shape: Shape, value: Any) -> tuple[bool, list[str]]:
    """Append the items of CEL list ``value``; group items get the required members they do
    not give drawn. Written paths: each given member (or scalar item), not the drawn ones."""
    kind, of = shape
    if kind != "list" or not isinstance(value, list) or not value:
        return False, []
    if d.get(path) is None and not d.set(path, []):
        return False, []
    written: list[str] = []
    changed = False
    for raw in value:
        item = from_cel(d.spec, raw, ("group", of) if isinstance(of, str) else ("scalar", of))
        given = list(item) if isinstance(item, dict) else None
        if isinstance(of, str) and isinstance(item, dict):
            for e in d.spec.groups[of].elements:
                if e.use == "required" and e.name not in item:  # a value, never "" or blank
                    filled = e.datatype not in ("group", "list")
                    item[e.name] = d.draw(element_strategy(d.spec, e, non_empty=filled))
        n = len(d.get(path) or [])
        if not d.append(path, item):
            break
        changed = True
        written += [f"{path}.{n}.{k}" for k in given] if given is not None else [f"{path}.{n}"]
    return changed, written


def _repair(scope: Scope) -> None:
    d = scope.d
    for rule in scope.rt.rules_for(d.mt.id):
        recipe = scope.book.get(rule.id)
        if recipe is None:
            continue
        for step in recipe.limits:  # bounds hold whatever the rule's state
            run_step(scope, step, [])
        if not d.active(rule.id):
            continue
        for step in recipe.repair:
            holds, found = scope.state(rule)
            if holds:
                break
            run_step(scope, step, found)


def run_break(d: Draft, rule: Rule) -> bool:
    """Apply ``rule``'s ``break`` steps to ``d``, freezing what they write; False when the
    rule has none or they changed nothing."""
    scope = Scope(d)
    recipe = scope.book.get(rule.id)
    if recipe is None or not recipe.breaks:
        return False
    changed = False
    for step in recipe.breaks:
        changed = run_step(scope, step, scope.state(rule)[1], freeze=True) or changed
    return changed


def has_break(spec: Spec, rule_id: str) -> bool:
    """Whether rule ``rule_id`` of ``spec`` says how to break it."""
    recipe = recipes(spec).get(rule_id)
    return recipe is not None and bool(recipe.breaks)


# ---- settling ------------------------------------------------------------------------------

def _uppercase(d: Draft) -> None:
    for path, f in d.mt.fields.items():
        of = f.element.facet("uppercaseOf")
        if of and d.active(f"{path}@uppercase") and isinstance(d.get(of), str) \
                and d.get(path) is not None:
            d.set(path, rmb_uppercase(d.get(of)))


def _requirements(scope: Scope) -> None:
    d = scope.d
    for rule in scope.rt.rules_for(d.mt.id):
        if rule.kind != "require" or not d.active(rule.id):
            continue
        when = scope.rt.when_program(rule.id)
        if when is not None and when.evaluate(scope.values()).value is not True:
            continue
        for path in rule.require:
            if d.ensure(path):
                scope.changed()


def _rounds(d: Draft, rounds: int) -> Iterator[Scope]:
    for _ in range(rounds):
        before = json.dumps(d.doc, sort_keys=True)
        yield Scope(d)
        if json.dumps(d.doc, sort_keys=True) == before:
            return


def settle(d: Draft, rounds: int = 6) -> None:
    """Repair until stable (at most ``rounds`` times): every rule's recipe, RMB uppercase
    amounts, then the paths ``require`` rules demand; finally dictionary key order."""
    for scope in _rounds(d, rounds):
        _repair(scope)
        _uppercase(d)
        scope.changed()
        _requirements(scope)
    canonical_order(d.spec, d.mt, d.doc)
