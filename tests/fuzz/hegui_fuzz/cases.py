"""Fuzz cases: how one input is made (from a seeded ``random.Random``) and what it is checked by.

Families, by weight: ``random`` bytes (5), ``bytes`` mutations of any example (20), ``json``
tree mutations (30), ``xml`` tree mutations (25), ``twin`` schema-shaped mutations of a
conformant JSON example with their XML twin when they have one (15), ``extreme``-but-valid
payloads (5). Each case is sent through one entry point: ``Validator.validate`` (with the
spec's context documents), ``hegui.validate`` with the spec, with ``spec=None`` (hegui picks
it), or with options (forced encoding or message type, ``fail_on="warning"``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from hegui_fuzz import extreme, mutate_bytes, mutate_json, mutate_xml
from hegui_fuzz.corpus import Seed, seeds, specs, valid_json_seeds
from hegui_fuzz.twins import twin_of

FAMILIES = (("random", 5), ("bytes", 20), ("json", 30), ("xml", 25), ("twin", 15),
            ("extreme", 5))
ENTRIES = (("validator", 50), ("api", 20), ("api-auto", 20), ("api-options", 10))


@dataclass
class Case:
    """One fuzz input and how to judge it."""

    family: str
    how: str  # the mutations applied
    spec_id: str | None  # the spec it was made from (None: random bytes)
    data: bytes
    source: str  # the name hegui is given (its extension is an encoding hint)
    entry: str = "validator"
    options: dict[str, Any] | None = None  # hegui.validate keywords for "api-options"
    twin: bytes | None = None  # the XML twin of a JSON document
    expect_verdict: str | None = None  # extreme-but-valid: must stay conformant
    expect_rule: str | None = None  # one past maxItems: this rule id must be reported


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([n for n, _ in table], [w for _, w in table])[0]


def _source(rng: random.Random, seed_name: str) -> str:
    natural = "p" + seed_name[seed_name.rfind("."):]
    return natural if rng.random() < 0.8 else rng.choice(["p.json", "p.xml", "p", "-", "p.txt"])


def _entry(rng: random.Random, case: Case) -> Case:
    case.entry = _weighted(rng, ENTRIES) if case.spec_id else rng.choice(["api-auto", "api"])
    if case.entry == "api" and case.spec_id is None:
        case.spec_id = rng.choice(sorted(specs()))
    if case.entry == "api-options":
        spec = specs()[case.spec_id or "eguarantee@1.1"]
        opts: dict[str, Any] = {}
        if rng.random() < 0.5:
            opts["encoding"] = rng.choice(["json", "xml"])
        if rng.random() < 0.5:
            opts["message_type"] = rng.choice(sorted(spec.message_types))
        if rng.random() < 0.5 or not opts:
            opts["fail_on"] = "warning"
        case.options = opts
    return case


def _pick(rng: random.Random, encoding: str | None = None) -> Seed:
    pool = [s for s in seeds() if encoding is None or s.encoding == encoding]
    return rng.choice(pool)


def make_case(rng: random.Random) -> Case:
    """One case, of a family drawn by weight."""
    family = _weighted(rng, FAMILIES)
    case = globals()["_" + family](rng)
    return _entry(rng, case) if family not in ("twin", "extreme") else case


def _random(rng: random.Random) -> Case:
    return Case("random", "noise", None, mutate_bytes.random_bytes(rng),
                rng.choice(["p.json", "p.xml", "p", "-"]))


def _bytes(rng: random.Random) -> Case:
    seed, other = _pick(rng), _pick(rng)
    data, how = mutate_bytes.mutate(rng, seed.data, other.data)
    return Case("bytes", f"{seed.name}:{how}", seed.spec_id, data, _source(rng, seed.name))


def _json(rng: random.Random) -> Case:
    seed = _pick(rng, "json")
    doc, how = mutate_json.mutate(rng, seed.doc())
    data = mutate_json.dump(doc, rng)
    if rng.random() < 0.1:
        data, more = mutate_bytes.mutate(rng, data, _pick(rng).data, rounds=1)
        how += "+" + more
    return Case("json", f"{seed.name}:{how}", seed.spec_id, data, _source(rng, seed.name))


def _xml(rng: random.Random) -> Case:
    seed = _pick(rng, "xml")
    data, how = mutate_xml.mutate(rng, seed.data)
    return Case("xml", f"{seed.name}:{how}", seed.spec_id, data, _source(rng, seed.name))


def _twin(rng: random.Random) -> Case:
    seed = rng.choice(valid_json_seeds())
    spec = specs()[seed.spec_id]
    doc, how = mutate_json.mutate(rng, seed.doc(), schema_shaped=True,
                                  rounds=rng.choice([1, 1, 2]))
    return Case("twin", f"{seed.name}:{how}", seed.spec_id, mutate_json.dump(doc),
                "p.json", twin=twin_of(doc, spec))


def _extreme(rng: random.Random) -> Case:
    seed = rng.choice(valid_json_seeds())
    spec = specs()[seed.spec_id]
    doc = seed.doc()
    lists = extreme.list_sections(doc, spec)
    expect_verdict = expect_rule = None
    if rng.random() < 0.6 or not lists:
        doc, how = extreme.longest_strings(rng, doc, spec), "longest-strings"
        expect_verdict = "conformant"
    else:
        name, most = rng.choice(lists)
        if rng.random() < 0.05:  # rarely: far more items than any real message has
            n = rng.choice([1000, 10**4, 10**5])
        elif most:
            n = rng.choice([most, most + 1])
            expect_rule = f"{name}@maxItems" if n > most else None
        else:  # no maxItems: a longer list
            n = rng.choice([2, 10, 100])
        how = f"{name}-{n}-items"
        doc = extreme.with_items(doc, name, n)
    data = mutate_json.dump(doc)
    small = len(data) < 1_000_000  # no twin for the 100,000-item lists
    return Case("extreme", f"{seed.name}:{how}", seed.spec_id, data, "p.json",
                twin=twin_of(doc, spec) if small else None, expect_verdict=expect_verdict,
                expect_rule=expect_rule)
