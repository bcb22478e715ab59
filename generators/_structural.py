"""Structural mutations: break one ``<path>@<facet>`` rule id (docs/spec-format.md) by
changing one value, one *kind* of mistake at a time (:mod:`._facets`): deleting a required
element or blanking its value, a string where an integer belongs, a value outside the
datatype's form or the element's own pattern, one digit too many before or after the decimal
point, one character too many or too few, a code outside its list, a wrong check character,
a date that does not exist, an element the message type excludes or the group lacks, one list
item too few or too many. :func:`structural_targets` lists what can be targeted this way for
a message type, and by which kinds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st
from stdnum.cn import ric

from hegui.generators._facets import EXTRA, Place, check_of, places
from hegui.generators._records import Draft, element_strategy, group_strategy, tokens_of
from hegui.generators._values import (
    format_decimal,
    length_range,
    make_idcard,
    patterns,
    region_codes,
)
from hegui.generators.schema_parts import TYPE_PATTERNS, portable_pattern
from hegui.validator.catalogue import runtime_for
from hegui.validator.datatypes import rmb_uppercase
from hegui.validator.spec import Element, MessageType, Spec

__all__ = ["EXTRA", "apply_structural", "item_group", "item_strategy", "kinds_of",
           "non_matching", "not_matching", "prepare_structural", "structural_ids",
           "structural_targets"]

MAX_LENGTH = 10_000  # longer maxLength facets are not targeted (megabyte payloads)

_UNREAL = {"date": ("2025-02-30", "2023-02-29", "2025-13-01"),
           "datetime": ("2025-02-30 10:00:00", "2025-01-01 24:00:00", "2025-01-01 10:60:00")}
# (No final newline: Python's `$` matches before one, so the reference JSON Schema engine of
# tests/property/test_differential.py would accept "1.00\n"; see its module doc.)
_NOT_MATCHING = {"money": ("1,000.00", "x", "-1.00", " 1.00", "1.00 "),
                 "rate": ("5%", "x", "1e-3", "0.5 "),
                 "date": ("2025/01/01", "20250101"),
                 "datetime": ("2025-01-01T09:30:00", "2025-01-01 09:30"),
                 "url": ("ftp://example.com", "example.com")}
#: Values that are not of a native JSON type (nor, in XML, written as one: ``+5``).
_WRONG_TYPE: dict[str, tuple[Any, ...]] = {"integer": ("x", 1.5, True, "+5", "05"),
                                           "boolean": ("x", "yes", 1, "0")}
_BLANKS = ("", " ", "\t \n", "\u3000")


# ---- targets -----------------------------------------------------------------------------

def structural_targets(spec: Spec, mt: MessageType) -> dict[str, tuple[str, ...]]:
    """Structural rule ids of ``mt`` that one mutation can break -> the kinds that break them
    (built once per spec runtime)."""
    return runtime_for(spec).memo(("hegui.generators.structural-targets", mt.id),
                                  lambda: _targets(spec, mt))


def structural_ids(spec: Spec, mt: MessageType) -> tuple[str, ...]:
    """Structural rule ids of ``mt`` that one mutation can break (see the module doc)."""
    return tuple(structural_targets(spec, mt))


def kinds_of(spec: Spec, mt: MessageType, rule_id: str) -> tuple[str, ...]:
    """The kinds of mistake that break ``rule_id`` in ``mt`` (empty: not a target)."""
    return structural_targets(spec, mt).get(rule_id, ())


def _targets(spec: Spec, mt: MessageType) -> dict[str, tuple[str, ...]]:
    out: dict[str, dict[str, None]] = {}
    for place in places(spec, mt):
        for kind in place.kinds:
            rule_id = place.rule_id(kind)
            if breakable(place, kind):
                out.setdefault(rule_id, {})[kind] = None
    return {k: tuple(v) for k, v in out.items()}


def breakable(place: Place, kind: str) -> bool:
    """Whether one mutation makes ``kind`` fail at ``place`` and nothing else there.

    Not breakable alone: lengths of codes (a code of another length is outside the list:
    ``@enum`` comes first), ``minLength: 1`` (the only shorter value is ``""``, which is no
    value at all), a ``maxLength`` above :data:`MAX_LENGTH` (megabyte payloads), a pattern or
    form no string within the length facets misses.
    """
    e, check = place.element, check_of(kind)
    if e is None:
        return True
    if check in ("length", "minLength", "maxLength"):
        low, high = length_range(e)
        if e.datatype == "code":
            return False
        if check == "minLength":
            return low > 1
        if check == "maxLength":
            return high is not None and high <= MAX_LENGTH
        return True
    if check == "pattern":
        return non_matching(e, own=True) is not None
    if check == "form":
        return any(not re.fullmatch(patterns(e)[-1], s) for s in not_matching(e))
    return True


def non_matching(e: Element, own: bool = False) -> str | None:
    """A string within the length facets of ``e`` that fails its patterns, or None (see
    :func:`not_matching`)."""
    return next(iter(not_matching(e, own)), None)


def not_matching(e: Element, own: bool = False) -> list[str]:
    """Strings within the length facets of ``e`` that fail its patterns, most telling first.

    ``own``: those that fail the element's own ``pattern`` (none without one), the ones that
    keep the datatype's form first (lowercase hex for an uppercase-only digest).
    """
    low, high = length_range(e)
    n = max(low, 1)
    tries = [*_NOT_MATCHING.get(e.datatype, ()), "0" * n, "a" * n, "A" * n, "#" * n,
             "中" * n, "x" * n]
    fits = [s for s in dict.fromkeys(tries)
            if low <= len(s) <= (len(s) if high is None else high)]
    if not own:
        return [s for s in fits if not all(re.fullmatch(p, s) for p in patterns(e))]
    if e.facet("pattern") is None:
        return []
    mine = portable_pattern(str(e.facet("pattern")), e.id)
    form = TYPE_PATTERNS.get(e.datatype)
    fails = [s for s in fits if not re.fullmatch(mine, s)]
    kept = [s for s in fails if form is None or re.fullmatch(form, s)]
    return kept or fails


# ---- mutations -----------------------------------------------------------------------------

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


def _pick(d: Draft, options: Sequence[Any]) -> Any:
    """One of ``options`` (shrinks to the first), or None when there is none."""
    return d.draw(st.sampled_from(options)) if options else None


def apply_structural(d: Draft, rule_id: str, kind: str | None = None) -> bool:
    """Break ``rule_id`` (``<path>@<facet>``) in ``d`` by a mistake of ``kind`` (None: one
    of the kinds that break it, drawn); False when this record cannot be broken so."""
    kinds = kinds_of(d.spec, d.mt, rule_id)
    if kind is None:
        kind = _pick(d, kinds)
    if kind not in kinds:
        return False
    path, facet = rule_id.rsplit("@", 1)
    target = _concrete(path)
    check = check_of(kind)
    if check == "required":
        return d.delete(target)
    if facet == "unexpected":
        parent_path = target.rsplit(".", 1)[0]
        known = d.element(target) if parent_path != target else None
        new = d.draw(element_strategy(d.spec, known)) if known is not None else "x"
        return d.get(target) is None and _force(d, target, new)
    if facet in ("minItems", "maxItems"):
        return _resize_list(d, target, facet)
    e = d.element(target)
    if e is None:
        return False
    if d.get(target) is None and check not in ("type", "minimum", "maximum", "codelist",
                                               "pattern", "form", "date", "blank"):
        d.ensure(target)  # lengths, digits, check digits, uppercase: from a valid value
    value = d.get(target)
    if check == "blank":
        return value is not None and d.set(target, _pick(d, _BLANKS))
    bad = _pick(d, _bad_values(d, e, value, check))
    return bad is not None and d.set(target, bad)


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


def _bad_values(d: Draft, e: Element, value: Any, check: str) -> list[Any]:
    """Values of element ``e`` (now ``value``) that fail ``check`` and nothing before it."""
    if check == "type":
        return list(_WRONG_TYPE.get(e.datatype, ()))
    if check in ("minimum", "maximum"):
        return [int(e.facet(check)) + (-1 if check == "minimum" else 1)]
    if check == "codelist":
        codes = set(d.spec.codelists[e.facet("codelist")].values())
        return [next(c for c in ("ZZ", "99", "X9", "ZZZZ") if c not in codes)]
    if check == "pattern":
        return not_matching(e, own=True)
    if check == "form":  # the datatype's own form is the last of the patterns
        return [s for s in not_matching(e) if not re.fullmatch(patterns(e)[-1], s)]
    if check in ("digits", "scale") and isinstance(value, str):
        return [_decimal_beyond(e, value, check)]
    if check in ("maxLength", "minLength", "length") and isinstance(value, str):
        return _resized(e, value, check)
    if check == "date":
        return list(_UNREAL.get(e.datatype, ()))
    if isinstance(value, str):
        return _bad_meaning(d, e, value, check)
    return []


def _decimal_beyond(e: Element, value: str, check: str) -> str:
    """``value`` with one integer digit too many (``digits``) or one decimal too many."""
    digits, scale = int(e.facet("digits", 18)), int(e.facet("scale", 2))
    whole, _, frac = value.partition(".")
    if check == "digits":
        frac = frac or "0" * scale
        return "1" + "0" * (digits - scale) + (f".{frac}" if scale else "")
    return f"{whole}.{frac.ljust(scale, '0')}1"


def _resized(e: Element, value: str, check: str) -> list[str]:
    """Strings one character outside the length facets of ``e``, built from ``value``:
    those that still match the patterns first (a value too short *and* off the pattern is
    reported by its length alone). None blank: a blank value is no value."""
    value = value or "a"  # an optional string (a list item) may be ""
    low, high = length_range(e)
    sizes = {"minLength": [low - 1], "maxLength": [] if high is None else [high + 1],
             "length": [low - 1, low + 1]}[check]
    out: list[str] = []
    for n in (n for n in sizes if n > 0):
        if n < len(value):
            tries = [value[:n], value[-n:]]
        else:
            k = n - len(value)
            tries = [value + value[-1] * k, value[0] * k + value,
                     (value * (n // len(value) + 1))[:n], "a" * n, "0" * n]
        fitting = [s for s in tries if len(s) == n and s.strip()]
        out += [s for s in fitting if all(re.fullmatch(p, s) for p in patterns(e))][:1]
        out += [s for s in fitting if s not in out][:1]
    return out


def _bad_meaning(d: Draft, e: Element, value: str, check: str) -> list[str]:
    """A value of the right form that fails a datatype's meaning check (or the uppercase)."""
    if check == "check-digit":
        alphabet = "0123456789X" if e.datatype == "idcard" else "0123456789ABCDEFGHJKLMNPQRTUWXY"
        return [value[:-1] + alphabet[(alphabet.index(value[-1]) + 1) % len(alphabet)]]
    if check == "birth-date":
        return [_with_check(value[:6] + "19900230" + value[14:17])]
    if check == "region" and e.datatype == "idcard":
        return [make_idcard("000000", dt.date(1990, 1, 1), int(value[14:17]))]
    if check == "region":
        return [next(c for c in ("999999", "000000") if c not in region_codes())]
    if check == "uppercaseOf":
        figure = d.minor(str(e.facet("uppercaseOf")))
        if figure is not None:  # one yuan more, or less where more would not fit
            other = figure + 100 if len(str(figure + 100)) <= 18 else figure - 100
            return [rmb_uppercase(format_decimal(abs(other), 2))]
    return []


def _with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character
