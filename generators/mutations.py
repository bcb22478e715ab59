"""Per-rule mutations of business rules: make a conformant record break exactly one rule.

Candidates (:func:`rule_candidates`) each change one field (or one field of list items):
other values of a code list, one minor unit or one second either side of another field of
the rule, the numeric literals of the rule's expression, a list item or an optional member
removed, the deletion of a path a ``require`` rule demands. The strategy freezes what a
candidate changed, re-settles the record with the rule skipped (so the repairs restore every
other rule) and keeps the first candidate the validator judges as breaking exactly that rule.
Structural rule ids are broken in :mod:`._structural`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from hegui.generators._records import Doc, Draft
from hegui.generators._structural import item_group, item_strategy
from hegui.generators._values import format_datetime, format_decimal, matches_all
from hegui.generators.schema_conditions import parse_when
from hegui.validator import cel_ast
from hegui.validator.cel_backend import parse
from hegui.validator.spec import Element, Rule

DELETE = object()  # a candidate value meaning "remove this element"
Change = tuple[str, Any]  # (concrete path, new value or DELETE)


def prepare_rule(d: Draft, rule: Rule) -> None:
    """Make ``rule`` apply: its fields present, each list with two items where allowed, a
    simple ``when`` made true (those paths are frozen so repairs keep the condition)."""
    for path in rule.fields:
        d.ensure(path)
        items = d.get(path)
        if rule.kind == "each" and isinstance(items, list) and len(items) == 1 \
                and _room(d, path, 2):
            items.append(d.draw(item_strategy(d, path)))
    tests = parse_when(rule.when) if rule.when else ()
    for t in tests or ():
        e = d.element(t.path)
        if t.op == "==" or t.op == "in":
            value: Any = t.values[0]
        elif e is not None and e.datatype == "code":
            value = next(c for c in d.spec.codelists[e.facet("codelist")].values()
                         if c not in t.values)
        else:
            continue
        d.ensure(t.path)
        d.set(t.path, value)
        d.frozen.add(t.path)


def _room(d: Draft, path: str, n: int) -> bool:
    section = d.mt.section(path)
    e = d.element(path)
    high = section.max_items if section is not None else e.facet("maxItems") if e else None
    return high is None or int(high) >= n


def _literals(*sources: str | None) -> tuple[list[int], list[int]]:
    """Integer literals and whole duration hours (``duration("720h")``) of CEL expressions,
    read from their trees."""
    ints: list[int] = []
    hours: list[int] = []
    hour = dt.timedelta(hours=1)
    for source in sources:
        if source:
            tree = parse(source)
            ints.extend(cel_ast.int_literals(tree))
            hours.extend(d // hour for d in cel_ast.duration_literals(tree) if not d % hour)
    return ints, hours


def _scalar_candidates(d: Draft, path: str, e: Element, rule: Rule) -> Iterator[Any]:
    value = d.get(path)
    ints, hours = _literals(rule.expr, rule.when)
    t = e.datatype
    kin = ("date", "datetime") if t in ("date", "datetime") else (t,)
    others = [p for p in rule.fields if p != path and d.element(p) is not None
              and d.element(p).datatype in kin]  # type: ignore[union-attr]
    if t == "code":
        yield from (c for c in d.spec.codelists[e.facet("codelist")].values() if c != value)
    elif t == "boolean" and isinstance(value, bool):
        yield not value
    elif t in ("money", "rate", "integer"):
        v = value if t == "integer" else d.minor(path)
        if v is None:
            return
        near = [v + 1, v - 1, v + 100, v * 2, v // 2, 0, v + 30]
        for o in others:
            ov = d.get(o) if t == "integer" else d.minor(o)
            if isinstance(ov, int):
                near += [ov, ov - 1, ov + 1]
        near += [n + k for n in ints for k in (1, 0, -1)]
        scale = int(e.facet("scale", 2))
        for n in dict.fromkeys(near):
            yield n if t == "integer" else format_decimal(n, scale)
    elif t in ("date", "datetime"):
        steps = [dt.timedelta(seconds=s) for s in (1, -1, 86400, -86400)]
        steps += [dt.timedelta(hours=h) + dt.timedelta(seconds=s) for h in hours
                  for s in (-1, 0)]
        for base in [d.time(o) for o in others] + [d.time(path)]:
            if base is not None:
                yield from (format_datetime(base + step, t) for step in steps)
    else:
        yield from (d.get(o) for o in others if d.get(o) is not None)
        if isinstance(value, str) and value:
            yield from (value + "0", value[:-1], "0")


def _valid_value(e: Element, value: Any) -> bool:
    """Whether a candidate stays schema- and datatype-valid (only the rule may break)."""
    if e.datatype == "integer":
        low, high = e.facet("minimum"), e.facet("maximum")
        return isinstance(value, int) and (low is None or value >= int(low)) and (
            high is None or value <= int(high))
    if e.datatype in ("money", "rate"):
        return isinstance(value, str) and not value.startswith("-") and matches_all(value, e)
    if isinstance(value, str):
        return matches_all(value, e)
    return True


def rule_candidates(d: Draft, rule: Rule) -> Iterator[list[Change]]:
    """Changes that may break ``rule`` alone, smallest first (see the module doc)."""
    if rule.kind == "require":
        for path in rule.require:
            yield [(path, DELETE)]
        return
    for path in rule.fields:
        items = d.get(path)
        if isinstance(items, list):
            yield from _list_candidates(d, path, items, rule)
            continue
        e = d.element(path)
        if e is None or d.get(path) is None:
            continue
        for value in _scalar_candidates(d, path, e, rule):
            if value != d.get(path) and _valid_value(e, value):
                yield [(path, value)]


def _list_candidates(d: Draft, path: str, items: list[Any], rule: Rule
                     ) -> Iterator[list[Change]]:
    gid = item_group(d, path)
    if gid is None or not items or not isinstance(items[0], dict):
        return
    for i in range(len(items)):
        yield [(f"{path}.{i}", DELETE)]
    for e in d.spec.groups[gid].elements:
        if e.datatype == "code":
            for code in d.spec.codelists[e.facet("codelist")].values():
                yield [(f"{path}.{i}.{e.name}", code) for i in range(len(items))]
                yield from ([(f"{path}.{i}.{e.name}", code)] for i in range(len(items))
                            if len(items) > 1 and isinstance(items[i], dict)
                            and items[i].get(e.name) != code)
        for i in range(1, len(items)):
            if e.name in items[0]:
                yield [(f"{path}.{i}.{e.name}", items[0][e.name])]
        if e.use != "required":
            yield from ([(f"{path}.{i}.{e.name}", DELETE)] for i in range(len(items))
                        if isinstance(items[i], dict) and e.name in items[i])
        if e.datatype == "integer" and isinstance(items[0].get(e.name), int):
            ints, _ = _literals(rule.expr)
            for n in ints:
                yield [(f"{path}.0.{e.name}", n + 1)]


def apply_changes(d: Draft, changes: list[Change]) -> bool:
    """Apply and freeze ``changes``; False when one cannot be made."""
    for path, value in changes:
        ok = d.delete(path) if value is DELETE else d.set(path, value)
        if not ok:
            return False
        d.frozen.add(path)
    return True


def copy_doc(doc: Doc) -> Doc:
    """A deep copy of a JSON record (plain dicts, lists and scalars)."""
    return {k: _copy(v) for k, v in doc.items()}


def _copy(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v
