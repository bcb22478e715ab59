"""Values between CEL and the JSON encoding, for the generators' ``generate:`` recipes.

CEL sees a record as the validator binds it (:func:`hegui.validator.record.build_record`):
money and rates as integer minor units, top-level dates as timestamps, dates inside list items
as RFC 3339 text, list items as maps carrying their ``_index``. A recipe's result goes back to
the payload through the dictionary: :func:`shape_at` says what lives at a concrete path,
:func:`from_cel` writes a CEL value in that place's lexical form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hegui.generators._records import Token
from hegui.generators._values import format_datetime, format_decimal
from hegui.validator.spec import Element, MessageType, Spec

Shape = tuple[str, Any]  # ("scalar", Element) | ("group", group id) | ("list", of)


def element_shape(e: Element) -> Shape:
    """What a value of element ``e`` is made of."""
    if e.datatype == "group":
        return "group", e.facet("group")
    if e.datatype == "list":
        return "list", e.facet("of")
    return "scalar", e


def shape_at(spec: Spec, mt: MessageType, toks: list[Token]) -> Shape | None:
    """The shape of the value at concrete path ``toks`` of a record of ``mt``, or None."""
    section = mt.section(str(toks[0])) if toks else None
    if section is None:
        return None
    shape: Shape = ("list", section.group) if section.is_list else ("group", section.group)
    for t in toks[1:]:
        kind, of = shape
        if kind == "list" and isinstance(t, int):
            shape = ("group", of) if isinstance(of, str) else ("scalar", of)
        elif kind == "group" and isinstance(t, str):
            e = spec.groups[of].element(t)
            if e is None:
                return None
            shape = element_shape(e)
        else:
            return None
    return shape


def from_cel(spec: Spec, value: Any, shape: Shape) -> Any:
    """The JSON-encoding value of CEL value ``value`` (money in minor units, timestamps or
    RFC 3339 text, maps of list items with their ``_index``) for a place of ``shape``."""
    kind, of = shape
    if kind == "group" and isinstance(value, dict):
        out = {}
        for k, v in value.items():
            e = spec.groups[of].element(k)
            if e is not None:  # ``_index`` and unknown keys are not part of the payload
                out[k] = from_cel(spec, v, element_shape(e))
        return out
    if kind == "list" and isinstance(value, list):
        item: Shape = ("group", of) if isinstance(of, str) else ("scalar", of)
        return [from_cel(spec, v, item) for v in value]
    if kind != "scalar":
        return value
    t = of.datatype
    if t in ("money", "rate") and isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, int(of.facet("scale", 2)))
    if t in ("date", "datetime"):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if isinstance(value, dt.datetime):  # a date keeps the day: the time is dropped
            return format_datetime(value, t)
    return value


def cel_at(values: Mapping[str, Any], toks: list[Token]) -> Any:
    """The CEL value at a concrete path: the longest dotted variable, then map keys and list
    positions (``items.2.situations.0`` is ``values["items"][2]["situations"][0]``)."""
    lead = next((i for i, t in enumerate(toks) if isinstance(t, int)), len(toks))
    for k in range(lead, 0, -1):
        key = ".".join(str(t) for t in toks[:k])
        if key in values:
            node = values[key]
            break
    else:
        return None
    for t in toks[k:]:
        in_list = isinstance(t, int) and isinstance(node, list) and t < len(node)
        if not in_list and not (isinstance(t, str) and isinstance(node, dict) and t in node):
            return None
        node = node[t]
    return node
