"""Extreme-but-valid payloads: the longest strings the spec allows, lists at their maximum.

From a conformant record: every free-text string no rule reads (type ``string`` with a
``maxLength`` and no other facet: no pattern, no ``uppercaseOf``) filled to exactly
``maxLength`` characters, CJK, ASCII and astral-plane characters mixed, which must stay
conformant in both encodings;
list sections filled to ``maxItems`` (judged only by the general invariants: copies may break
uniqueness rules), and one past it, which must be reported as ``<section>@maxItems``.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import orjson

from hegui.validator.spec import Spec

#: No white space (blank and trim checks), nothing XML cannot hold; one code point each.
FILL = "合规保函清单abcXYZ019-_\U0001f600\U00020000\u00e9"


def _read_by_rules(spec: Spec, mt_id: str) -> set[str]:
    out: set[str] = set()
    for rule in spec.rules_for(mt_id):
        out.update(rule.fields)
        out.update(rule.require)
    return out


def _free(path: str, read: set[str]) -> bool:
    return not any(path == r or path.startswith(r + ".") or r.startswith(path + ".")
                   for r in read)


def longest_strings(rng: random.Random, doc: dict[str, Any], spec: Spec) -> dict[str, Any]:
    """A copy of ``doc`` with every free string at its ``maxLength`` (module doc)."""
    out = copy.deepcopy(doc)
    mt = spec.message_types[out["messageType"]]
    read = _read_by_rules(spec, mt.id)
    for path, f in mt.fields.items():
        e = f.element
        limit = e.facet("maxLength")
        if (e.datatype != "string" or not limit or set(e.facets) - {"maxLength", "minLength"}
                or not _free(path, read)):
            continue
        *parents, last = path.split(".")
        node: Any = out
        for p in parents:
            node = node.get(p) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(last), str):
            node[last] = "".join(rng.choice(FILL) for _ in range(limit))
    return out


def list_sections(doc: dict[str, Any], spec: Spec) -> list[tuple[str, int | None]]:
    """(name, maxItems) of the list sections ``doc`` has with at least one item."""
    mt = spec.message_types[doc["messageType"]]
    return [(s.name, s.max_items) for s in mt.sections
            if s.is_list and isinstance(doc.get(s.name), list) and doc[s.name]]


def with_items(doc: dict[str, Any], section: str, n: int) -> dict[str, Any]:
    """A copy of ``doc`` whose list ``section`` holds ``n`` copies of its first item (fewer
    when they would pass 24 MiB: hegui refuses payloads over 20 MiB before reading them)."""
    out = dict(doc)
    item = orjson.dumps(doc[section][0])
    out[section] = [orjson.loads(item) for _ in range(min(n, (24 << 20) // len(item)))]
    return out
