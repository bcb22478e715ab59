"""Structural mutations: break one ``<path>@<facet>`` rule id (docs/spec-format.md) by
changing one value — deleting a required element, a string where an integer belongs, a value
outside the pattern (within the length facets), one character too many, a code outside its
list, a wrong check character, a date that does not exist, an element the message type
excludes, one list item too few or too many. :func:`structural_ids` lists what can be
targeted this way for a message type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Any

from stdnum.cn import ric

from hegui.generators._records import Draft, element_strategy, group_strategy, tokens_of
from hegui.generators._values import (
    format_decimal,
    length_range,
    make_idcard,
    patterns,
    region_codes,
)
from hegui.validator import cel_ast
from hegui.validator.cel_backend import parse
from hegui.validator.datatypes import rmb_uppercase
from hegui.validator.spec import Element, MessageType, Spec

EXTRA = "extra"  # name of the unknown element added for ``<section>.extra@unexpected``
MAX_LENGTH = 10_000  # longer maxLength facets are not targeted (megabyte payloads)

_UNREAL = {"date": "2025-02-30", "datetime": "2025-02-30 10:00:00"}
_NOT_MATCHING = {"money": ("1,000.00", "x"), "rate": ("5%", "x"), "date": ("2025/01/01",),
                 "datetime": ("2025-01-01T09:30:00",), "url": ("ftp://example.com",)}
_OPEN = re.compile(r"[+*]|\{\d+,\}")  # an unbounded quantifier (outside classes and escapes)
_CLASS_OR_ESCAPE = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]")


# ---- structural ids ----------------------------------------------------------------------

def _scalar_ids(path: str, e: Element) -> Iterator[str]:
    t = e.datatype
    if t in ("integer", "boolean"):
        yield f"{path}@type"
    if t == "integer":
        yield from (f"{path}@{k}" for k in ("minimum", "maximum") if e.facet(k) is not None)
    if t == "code":
        yield f"{path}@enum"
    if t in ("money", "rate", "date", "datetime") or (t != "code" and patterns(e)
                                                      and non_matching(e) is not None):
        yield f"{path}@pattern"
    pats = patterns(e)
    open_ended = all(_OPEN.search(_CLASS_OR_ESCAPE.sub("c", p)) for p in pats)
    if t not in ("code", "money", "rate") and open_ended:
        if e.facet("length") is not None:
            yield f"{path}@length"
        else:
            if e.facet("maxLength") is not None and int(e.facet("maxLength")) <= MAX_LENGTH:
                yield f"{path}@maxLength"
            if int(e.facet("minLength", 0)) > 0:
                yield f"{path}@minLength"
    if t in ("date", "datetime"):
        yield f"{path}@date"
    if t in ("uscc", "idcard"):
        yield f"{path}@check-digit"
    if t == "idcard":
        yield from (f"{path}@birth-date", f"{path}@region")
    if t == "region":
        yield f"{path}@region"
    if e.facet("uppercaseOf"):
        yield f"{path}@uppercase"


def _group_ids(spec: Spec, gid: str, prefix: str, overrides: Any, exclude: tuple[str, ...]
               ) -> Iterator[str]:
    for e in spec.groups[gid].elements:
        path = f"{prefix}.{e.name}"
        if e.name in exclude:
            yield f"{path}@unexpected"
            continue
        if overrides.get(e.name, e.use) == "required":
            yield f"{path}@required"
        if e.datatype == "group":
            yield from _group_ids(spec, e.facet("group"), path, {}, ())
        elif e.datatype == "list":
            if int(e.facet("minItems", 0)) > 0:
                yield f"{path}@minItems"
            if e.facet("maxItems") is not None:
                yield f"{path}@maxItems"
            of = e.facet("of")
            if isinstance(of, str):
                yield from _group_ids(spec, of, f"{path}[]", {}, ())
            else:
                yield from _scalar_ids(f"{path}[]", of)
        else:
            yield from _scalar_ids(path, e)


def structural_ids(spec: Spec, mt: MessageType) -> tuple[str, ...]:
    """Structural rule ids of ``mt`` that one mutation can break (see the module doc)."""
    out: list[str] = []
    for s in mt.sections:
        if s.use == "required":
            out.append(f"{s.name}@required")
        if s.is_list:
            if s.min_items > 0:
                out.append(f"{s.name}@minItems")
            if s.max_items is not None:
                out.append(f"{s.name}@maxItems")
            out.extend(_group_ids(spec, s.group, f"{s.name}[]", {}, ()))
        else:
            out.extend(_group_ids(spec, s.group, s.name, s.overrides, s.exclude))
            if spec.groups[s.group].element(EXTRA) is None:
                out.append(f"{s.name}.{EXTRA}@unexpected")
    reads = [parse(x) for r in spec.rules_for(mt.id) for x in (r.expr, r.when) if x]
    return tuple(i for i in dict.fromkeys(out) if not _seen_missing(i, reads))


_KEEP_FACETS = ("required", "unexpected", "minItems", "maxItems")


def _seen_missing(rule_id: str, reads: Sequence[cel_ast.Expr]) -> bool:
    """Whether breaking ``rule_id`` makes a rule of the message type see a value as missing.

    The engine leaves an invalid value out of the list item (or list) that holds it, so a
    rule that fires on its absence — ``!has(p.form)`` — or reads a list of scalars by name —
    ``id in s.materialIds`` — fires too: such ids cannot be broken alone and are not listed.
    ``reads`` are the trees of the message type's rule expressions.
    """
    path, facet = rule_id.rsplit("@", 1)
    if "[]" not in path or facet in _KEEP_FACETS:
        return False
    leaf = path.rsplit(".", 1)[-1].removesuffix("[]")
    if path.endswith("[]"):  # an item of a list of scalars: the list itself changes
        return any(leaf in cel_ast.names_read(t) for t in reads)
    return any(leaf in cel_ast.absence_tests(t) for t in reads)


def non_matching(e: Element) -> str | None:
    """A string within the length facets of ``e`` that fails its patterns, or None."""
    low, high = length_range(e)
    n = max(low, 1)
    tries = [*_NOT_MATCHING.get(e.datatype, ()), "#" * n, "中" * n, "x" * n]
    for s in tries:
        if low <= len(s) <= (high if high is not None else len(s)) and not all(
                re.fullmatch(p, s) for p in patterns(e)):
            return s
    return None


def _resized(value: str, n: int, e: Element) -> str | None:
    """A string of length ``n`` built from ``value`` that still matches the patterns of ``e``."""
    if not value:
        value = "a"
    if n < len(value):
        tries = [value[:n], value[-n:] if n else ""]
    else:
        k = n - len(value)
        tries = [value + value[-1] * k, value[0] * k + value, (value * (n // len(value) + 1))[:n],
                 "a" * n, "0" * n]
    for s in tries:
        if len(s) == n and all(re.fullmatch(p, s) for p in patterns(e)):
            return s
    return None


def _concrete(path: str) -> str:
    return path.replace("[]", ".0")


def prepare_structural(d: Draft, rule_id: str) -> None:
    """Make the target of a structural id present (parents, one list item) before settling."""
    path, facet = rule_id.rsplit("@", 1)
    target = _concrete(path)
    if facet == "unexpected":
        target = target.rsplit(".", 1)[0]
    d.ensure(target)


def _force(d: Draft, path: str, value: Any) -> bool:
    """Write ``path`` in its parent object even where the message type forbids it."""
    toks = tokens_of(path)
    parent = d.get(".".join(str(t) for t in toks[:-1])) if len(toks) > 1 else d.doc
    if not isinstance(parent, dict):
        return False
    parent[str(toks[-1])] = value
    return True


def apply_structural(d: Draft, rule_id: str) -> bool:
    """Break ``rule_id`` (``<path>@<facet>``) in ``d``; False when this record cannot be."""
    path, facet = rule_id.rsplit("@", 1)
    target = _concrete(path)
    e = d.element(target)
    value = d.get(target)
    if facet == "required":
        return d.delete(target)
    if facet == "unexpected":
        parent_path = target.rsplit(".", 1)[0]
        known = d.element(target) if parent_path != target else None
        new = d.draw(element_strategy(d.spec, known)) if known is not None else "x"
        return d.get(target) is None and _force(d, target, new)
    if facet in ("minItems", "maxItems"):
        return _resize_list(d, target, facet)
    if e is None:
        return False
    if value is None and facet not in ("type", "minimum", "maximum", "enum", "pattern", "date"):
        d.ensure(target)  # lengths, check digits, uppercase: built from a valid value
        value = d.get(target)
    return _set_bad_scalar(d, target, e, value, facet)


def _resize_list(d: Draft, target: str, facet: str) -> bool:
    items = d.get(target)
    e = d.element(target)
    section = d.mt.section(target)
    low, high = ((section.min_items, section.max_items) if section is not None else
                 (int(e.facet("minItems", 0)), e.facet("maxItems")) if e is not None else (0, None))
    if not isinstance(items, list):
        return False
    if facet == "minItems":
        del items[max(low - 1, 0):]
        return low > 0
    if high is None:
        return False
    while len(items) <= int(high):
        items.append(d.draw(item_strategy(d, target)))
    return True


def item_strategy(d: Draft, path: str) -> Any:
    """Strategy of one item of the list section or list element at ``path``."""
    section = d.mt.section(path)
    if section is not None:
        return group_strategy(d.spec, section.group)
    e = d.element(path)
    assert e is not None and e.datatype == "list"
    of = e.facet("of")
    return group_strategy(d.spec, of) if isinstance(of, str) else element_strategy(d.spec, of)


def item_group(d: Draft, path: str) -> str | None:
    """Group of the items of the list section or list element at ``path`` (None: scalars)."""
    section = d.mt.section(path)
    if section is not None:
        return section.group if section.is_list else None
    e = d.element(path)
    of = e.facet("of") if e is not None and e.datatype == "list" else None
    return of if isinstance(of, str) else None


def _set_bad_scalar(d: Draft, target: str, e: Element, value: Any, facet: str) -> bool:
    bad: Any = None
    if facet == "type":
        bad = "x"
    elif facet in ("minimum", "maximum"):
        bad = int(e.facet(facet)) + (-1 if facet == "minimum" else 1)
    elif facet == "enum":
        codes = set(d.spec.codelists[e.facet("codelist")].values())
        bad = next(c for c in ("ZZ", "99", "X9", "ZZZZ") if c not in codes)
    elif facet == "pattern":
        bad = non_matching(e)
    elif facet in ("maxLength", "minLength", "length") and isinstance(value, str):
        low, high = length_range(e)
        n = (high + 1 if high is not None else None) if facet != "minLength" else low - 1
        if facet == "length" and high is not None:
            n = high + 1
        bad = None if n is None or n < 0 else _resized(value, n, e)
    elif facet == "date":
        bad = _UNREAL.get(e.datatype)
    elif facet == "check-digit" and isinstance(value, str):
        alphabet = "0123456789X" if e.datatype == "idcard" else "0123456789ABCDEFGHJKLMNPQRTUWXY"
        bad = value[:-1] + alphabet[(alphabet.index(value[-1]) + 1) % len(alphabet)]
    elif facet == "birth-date" and isinstance(value, str):
        bad = _with_check(value[:6] + "19900230" + value[14:17])
    elif facet == "region" and isinstance(value, str):
        if e.datatype == "idcard":
            bad = make_idcard("000000", dt.date(1990, 1, 1), int(value[14:17]))
        else:
            bad = next(c for c in ("999999", "000000") if c not in region_codes())
    elif facet == "uppercase":
        of = str(e.facet("uppercaseOf"))
        figure = d.minor(of)
        if figure is not None:  # one yuan more, or less where more would not fit
            other = figure + 100 if len(str(figure + 100)) <= 18 else figure - 100
            bad = rmb_uppercase(format_decimal(abs(other), 2))
    if bad is None:
        return False
    return d.set(target, bad)


def _with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character
