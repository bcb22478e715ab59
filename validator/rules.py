"""Business rules: evaluate a spec's CEL rules over a typed record, yielding findings.

A rule applies to a payload when its message type is listed and the variables it reads are
present (absence is the concern of ``required`` elements and ``require`` rules). A rule that
fails to evaluate on a structurally valid payload is a processing error, never a silent pass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hegui.validator.cel_backend import ITERATION_BUDGET, Program
from hegui.validator.chunked import Slices, evaluate_sliced
from hegui.validator.runtime import Runtime
from hegui.validator.safe_json import pointer_tokens
from hegui.validator.spec import Rule, Text

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.\[\]]*)\}")


@dataclass(frozen=True)
class RuleHit:
    """A rule that did not hold: where (dotted paths) and its rendered message."""

    rule: Rule
    paths: tuple[str, ...]
    message: Text
    item: int | None = None  # index inside the rule's first list field, for `each` rules


@dataclass(frozen=True)
class RuleRun:
    """What evaluating a message type's rules gave: hits, rules reached, evaluation errors,
    and the rules left unchecked because a value they read is in the payload but invalid."""

    hits: tuple[RuleHit, ...]
    evaluated: tuple[str, ...]
    errors: tuple[tuple[Rule, str], ...]
    unchecked: tuple[tuple[Rule, tuple[str, ...]], ...] = ()


def _render(template: str, show: Callable[[str], str | None]) -> str:
    def sub(m: re.Match[str]) -> str:
        shown = show(m.group(1))
        return m.group(0) if shown is None else shown
    return _PLACEHOLDER.sub(sub, template)


def _message(rule: Rule, show: Callable[[str], str | None]) -> Text:
    return Text(_render(rule.message.zh, show), _render(rule.message.en, show))


def run_rules(rt: Runtime, message_type: str, values: Mapping[str, Any],
              show: Callable[[str], str | None], present: Callable[[str], bool],
              tainted: Mapping[str, frozenset[str]] | None = None) -> RuleRun:
    """Evaluate every rule of ``message_type``.

    ``values`` maps CEL variable names to typed values (only those present and valid);
    ``show`` renders a path's value for messages; ``present`` tells whether a path has a value
    in the payload at all (valid or not) for ``require`` rules. ``tainted`` maps a list
    variable to the item fields that failed the schema or datatype checks in some item: a rule
    that reads one is unchecked (its item would look as if the field were absent).
    """
    hits: list[RuleHit] = []
    evaluated: list[str] = []
    errors: list[tuple[Rule, str]] = []
    unchecked: list[tuple[Rule, tuple[str, ...]]] = []

    def invalid(program: Program, values_for: Any) -> bool:
        """A variable the program reads is absent from the values but present in the payload
        (the schema or datatype stage rejected it): the rule is unchecked, not inapplicable."""
        paths = tuple(p for p in program.absent(values_for) if present(p))
        if paths:
            unchecked.append((rule, paths))
        return bool(paths)

    def taint(program: Program | None) -> tuple[str, ...]:
        if program is None or not tainted:
            return ()
        return tuple(v if f == "*" else f"{v}[].{f}" for v in program.variables
                     for f in sorted(tainted.get(v, ())) if f == "*" or f in program.names)

    def too_long(program: Program | None) -> str | None:
        if program is None or not program.walked_sorted:
            return None  # walks no list: nothing to count (most rules)
        return _too_long(program, values)

    # Values are converted for CEL once per payload, not once per rule: every rule shares one
    # prepared activation (an application with 100,000 materials took 11 s of CPU converting
    # them rule by rule, over the 5 s budget). The runtime keeps what evaluations convert for
    # as long as the activation lives, so memory grows with the rules that walk a long list
    # of deep items (docs/architecture.md, "Bounds").
    reads = rt.variables_read(message_type)
    base = {k: values[k] for k in reads if k in values}
    values_for: Any = rt.env.activation(base)
    slices = Slices(base, rt.env.activation)
    for rule, when, program, sliced in rt.plan(message_type):
        if tainted:
            spoilt = taint(when) + taint(program)
            if spoilt:
                unchecked.append((rule, tuple(dict.fromkeys(spoilt))))
                continue
        # a sliced program is checked slice by slice (validator.chunked)
        why = too_long(when) or (None if sliced is not None else too_long(program))
        if why is not None:
            errors.append((rule, why))
            continue
        if when is not None:
            cond = when.evaluate(values_for)
            if cond.missing:
                invalid(when, values_for)
                continue
            if cond.value is False:
                continue
            if cond.error is not None:
                errors.append((rule, cond.error))
                continue
        if rule.kind == "require":
            evaluated.append(rule.id)
            for path in rule.require:
                if not present(path):
                    hits.append(RuleHit(rule, (path,), _message(rule, _with_missing(path, show))))
            continue
        assert program is not None
        if rule.kind == "each":
            if sliced is not None:
                out = evaluate_sliced(program, sliced, values, _eval_list,
                                      functools.partial(_too_long, program),
                                      functools.partial(_eval_list, program, values_for),
                                      _iterations(program, values), slices)
            else:
                out = _eval_list(program, values_for)
            if out is None:
                invalid(program, values_for)
                continue
            evaluated.append(rule.id)
            if isinstance(out, str):
                errors.append((rule, out))
                continue
            for item in out:
                hits.append(_each_hit(rule, item, show))
            continue
        result = program.evaluate(values_for)
        if result.missing:
            invalid(program, values_for)
            continue
        evaluated.append(rule.id)
        if result.error is not None:
            errors.append((rule, result.error))
        elif result.value is False:
            hits.append(RuleHit(rule, rule.fields, _message(rule, show)))
    return RuleRun(tuple(hits), tuple(evaluated), tuple(errors), tuple(unchecked))


def _too_long(program: Program | None, values: Mapping[str, Any]) -> str | None:
    """Why the runtime cannot walk a list the program walks in ``values``: it has too many
    items (the iterations would run out anyway; converting a list that long costs
    gigabytes)."""
    for path in program.walked_sorted if program is not None else ():
        n = _items_at(values.get(path[0]), path[1:])
        if n >= ITERATION_BUDGET:
            shown = "[].".join(path)
            return (f"{shown} has {n} items, over the CEL runtime's iteration budget "
                    f"of {ITERATION_BUDGET}")
    return None


def _iterations(program: Program, values: Mapping[str, Any]) -> int:
    """About how many iterations the program's comprehensions take over ``values``."""
    return sum(_items_at(values.get(path[0]), path[1:]) for path in program.walked_sorted)


def _items_at(value: Any, fields: tuple[str, ...]) -> int:
    """How many items the lists at ``fields`` below ``value`` hold together (a comprehension
    over them, nested in loops over the lists above, takes one iteration per item)."""
    if not fields:
        return len(value) if isinstance(value, list) else 0
    if isinstance(value, list):
        return sum(_items_at(item, fields) for item in value)
    if isinstance(value, dict):
        return _items_at(value.get(fields[0]), fields[1:])
    return 0


def _with_missing(path: str, show: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """``show`` that also fills the ``{missing}`` placeholder of ``require`` rules."""
    def lookup(key: str) -> str | None:
        return path if key == "missing" else show(key)
    return lookup


def _eval_list(program: Program, values: Mapping[str, Any] | Any) -> list[Any] | str | None:
    raw = program.evaluate_items(values)
    if raw.missing:
        return None
    if raw.error is not None:
        return raw.error
    return list(raw.items or [])


def _each_hit(rule: Rule, item: Any, show: Callable[[str], str | None]) -> RuleHit:
    def lookup(key: str) -> str | None:
        if key.startswith("item.") and isinstance(item, dict):
            v = item.get(key[5:])
            return None if v is None else str(v)
        if key == "item" and not isinstance(item, dict):
            return str(item)
        return show(key)
    index = None
    if isinstance(item, dict):
        # An explicit "index", or the position every payload list item carries (not when the
        # item may come from a context document, whose positions mean nothing in the payload).
        index = item.get("index", None if rule.context else item.get("_index"))
    return RuleHit(rule, rule.fields, _message(rule, lookup),
                   item=index if isinstance(index, int) else None)


def tainted(pointers: frozenset[str] | set[str]) -> dict[str, frozenset[str]]:
    """List variable -> item fields that failed a check in some item, from the pointers of
    the failures (``/materials/2/fileSha256`` taints ``fileSha256`` of ``materials``)."""
    out: dict[str, set[str]] = {}
    for pointer in pointers:
        tokens = pointer_tokens(pointer)
        at = next((i for i, t in enumerate(tokens) if isinstance(t, int)), None)
        if at is None or at == 0:
            continue
        variable = ".".join(str(t) for t in tokens[:at])
        # An item that is itself the bad value (a list of scalars) taints the whole list: "*".
        out.setdefault(variable, set()).add(str(tokens[at + 1]) if at + 1 < len(tokens) else "*")
    return {k: frozenset(v) for k, v in out.items()}
