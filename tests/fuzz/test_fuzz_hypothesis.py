"""The shrinking part of the fuzz tier: Hypothesis drives the same cases, plus the generators.

Where the bulk loop draws from a seeded ``random.Random``, these draw from Hypothesis (its
``randoms()`` record every choice), so a failure shrinks to a small case. The others use what
only Hypothesis has: conformant records from the spec's own strategies (``records(spec)``),
whose schema-shaped mutations must agree with their XML twins, whose longest-string versions
must stay conformant, and into which arbitrary JSON values and XML texts are planted.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hegui_fuzz import budget, extreme, mutate_json
from hegui_fuzz.cases import Case, make_case
from hegui_fuzz.checks import measured, twin_violations, violations
from hegui_fuzz.corpus import seeds, specs
from hegui_fuzz.driver import check, validator
from hegui_fuzz.edges import EDGE_CHARS, xml_legal
from hegui_fuzz.known import known
from hegui_fuzz.twins import twin_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from hegui.generators.strategies import records

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

FUZZ = settings(max_examples=budget.HYPOTHESIS_EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SPEC_IDS = sorted(specs())


def _new(found: list[str], case: Case) -> list[str]:
    budget.TALLY["hypothesis"] += 1
    return [v for v in found if not known(v, case)]


@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_cases_from_hypothesis(rng: random.Random) -> None:
    """Every case family, each choice made by Hypothesis (so a failure shrinks)."""
    case = make_case(rng)
    _, found, _ = check(case)
    assert not _new(found, case), (case.how, case.data[:300])


@FUZZ
@given(data=st.binary(max_size=4096), source=st.sampled_from(["p.json", "p.xml", "p", "-"]),
       spec_id=st.sampled_from([None, *SPEC_IDS]))
def test_arbitrary_bytes(data: bytes, source: str, spec_id: str | None) -> None:
    """Bytes, through hegui.validate with a spec or without (hegui picks one)."""
    case = Case("random", "hypothesis", spec_id, data, source, entry="api")
    _, found, _ = check(case)
    assert not _new(found, case)


#: Any code point, lone surrogates included (they are written as CESU-8 bytes or \u escapes).
ANY_TEXT = st.lists(st.characters(codec=None, categories=None) | st.sampled_from(EDGE_CHARS),
                    max_size=20).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | ANY_TEXT | st.floats() | st.integers()
    | st.integers(min_value=2**63 - 2, max_value=2**64 + 2)
    | st.sampled_from([10**300, -(10**300)]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12)


@FUZZ
@given(pick=st.integers(0, 10**6), where=st.integers(0, 10**6), value=JSON_VALUES,
       ascii_only=st.booleans())
def test_json_value_planted_in_an_example(pick: int, where: int, value: Any,
                                          ascii_only: bool) -> None:
    """Any JSON value (NaN, huge numbers, lone surrogates, odd keys) inside a JSON example."""
    pool = [s for s in seeds() if s.encoding == "json"]
    seed = pool[pick % len(pool)]
    doc = seed.doc()
    places = mutate_json.slots(doc)
    container, key = places[where % len(places)]
    container[key] = value
    data = json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    case = Case("json", f"{seed.name}:planted", seed.spec_id, data, "p.json")
    _, found, _ = check(case)
    assert not _new(found, case)


XML_TEXT = st.text(st.characters(codec="utf-8").filter(xml_legal), max_size=40)


@FUZZ
@given(pick=st.integers(0, 10**6), where=st.integers(0, 10**6), text=XML_TEXT,
       tail=st.booleans())
def test_xml_text_planted_in_an_example(pick: int, where: int, text: str, tail: bool) -> None:
    """Any XML-legal text as an element's text (or tail) inside an XML example."""
    pool = [s for s in seeds() if s.encoding == "xml"]
    seed = pool[pick % len(pool)]
    root = etree.fromstring(seed.data)
    elements = list(root.iter())
    el = elements[where % len(elements)]
    if tail and el is not root:
        el.tail = text
    else:
        el.text = text
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    case = Case("xml", f"{seed.name}:planted", seed.spec_id, data, "p.xml")
    _, found, _ = check(case)
    assert not _new(found, case)


@pytest.mark.parametrize("spec_id", SPEC_IDS)
@FUZZ
@given(data=st.data())
def test_mutated_generated_records_agree_with_their_twins(spec_id: str,
                                                          data: st.DataObject) -> None:
    """Schema-shaped mutations of generated conformant records: JSON and XML twin agree."""
    spec = specs()[spec_id]
    doc = data.draw(records(spec), label="record")
    rng = data.draw(st.randoms(use_true_random=False), label="rng")
    mutated, how = mutate_json.mutate(rng, doc, schema_shaped=True, rounds=rng.choice([1, 2]))
    twin = twin_of(mutated, spec)
    case = Case("twin", how, spec_id, mutate_json.dump(mutated), "p.json", twin=twin)
    _, found, _ = check(case)
    assert not _new(found, case), (how, json.dumps(mutated, ensure_ascii=False)[:2000])


@pytest.mark.parametrize("spec_id", SPEC_IDS)
@FUZZ
@given(data=st.data())
def test_longest_strings_of_generated_records_stay_conformant(spec_id: str,
                                                              data: st.DataObject) -> None:
    """Every free string of a generated record at its maxLength: conformant in both encodings."""
    spec = specs()[spec_id]
    doc = data.draw(records(spec), label="record")
    rng = data.draw(st.randoms(use_true_random=False), label="rng")
    longest = extreme.longest_strings(rng, doc, spec)
    twin = twin_of(longest, spec)
    assert twin is not None, "a record with long free strings still has an XML twin"
    v = validator(spec_id)
    as_json = measured(lambda: v.validate(mutate_json.dump(longest), "p.json"))
    as_xml = measured(lambda: v.validate(twin, "p.xml"))
    case = Case("extreme", "longest-strings", spec_id, mutate_json.dump(longest), "p.json")
    found = violations(as_json) + violations(as_xml)
    if not found:
        found += twin_violations(as_json.result, as_xml.result)
        found += [f"extreme-rejected: {r.encoding} {r.verdict} {sorted(r.rule_ids)}"
                  for r in (as_json.result, as_xml.result) if r.verdict != "conformant"]
    assert not _new(found, case), json.dumps(longest, ensure_ascii=False)[:2000]
