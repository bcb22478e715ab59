"""Per-rule mutations break exactly their rule, in both encodings; any mutation of a record
gets the same verdict and rule ids in JSON and in XML. Structural mutations are drawn by
*kind* of mistake (generators/_facets.py: ``string:length``, ``money:scale``,
``code:blank`` ...), every kind the specs' data uses, so each is exercised in every profile.
(Divergences found here are kept as minimal examples in tests/regressions.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.generators._facets import DATATYPE_CHECKS, REFERENCES, facets_used
from hegui.generators._records import Draft, encode_json
from hegui.generators._structural import apply_structural
from hegui.generators.mutations import apply_changes, copy_doc, rule_candidates
from hegui.generators.strategies import (
    facet_targets,
    invalid_records,
    records,
    rule_targets,
    target_rule_ids,
)
from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Validator
from hegui.validator.errors import HeguiError
from hegui.validator.loader import bundled_spec_ids, load_spec
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import DATATYPES, Element, Spec

MINISPEC = Path(__file__).parent.parent / "data" / "minispec"

#: Kinds of mistake a spec's data allows that no one mutation makes alone, and why. The
#: coverage test fails on any other untargeted kind: a facet a spec starts using is either
#: exercised below or listed here with its reason.
UNTARGETED = {
    ("eguarantee", "base64:maxLength"):
        "document.content maxLength 10,000,000: each example would be a 10 MB payload "
        "(tests/regressions checks it once, in both encodings)",
}


def validator(spec: Spec) -> Validator:
    return Runner(RunConfig(spec=spec.folder)).validator(spec)


def both(spec: Spec, doc: dict[str, Any]) -> tuple[Result, Result]:
    v = validator(spec)
    return v.validate(encode_json(doc), "m.json"), v.validate(json_to_xml(doc, spec), "m.xml")


def _business_rules() -> list[tuple[str, str]]:
    """(spec, rule id) for every business rule of every bundled spec and of the minispec."""
    out = []
    for spec_id in ("minispec", *bundled_spec_ids()):
        spec = _load(spec_id)
        out += [(spec_id, r.id) for r in spec.rules] if spec is not None else []
    return out


def _load(spec_id: str) -> Spec | None:
    try:
        return load_spec(str(MINISPEC) if spec_id == "minispec" else spec_id)
    except HeguiError:
        return None  # a broken bundled spec fails its own loading tests


def _facet_kinds() -> list[tuple[str, str]]:
    """(spec, kind) for every kind of mistake the data of each spec allows."""
    out = []
    for spec_id in ("minispec", *bundled_spec_ids()):
        spec = _load(spec_id)
        out += [(spec_id, kind) for kind in facets_used(spec)] if spec is not None else []
    return out


def _elements(spec: Spec) -> list[Element]:
    out = []
    for g in spec.groups.values():
        for e in g.elements:
            out.append(e)
            of = e.facet("of")
            out += [of] if isinstance(of, Element) else []
    return out


def test_every_facet_kind_the_spec_uses_has_a_target(spec: Spec, spec_name: str) -> None:
    """Read independently of the generators: every datatype and dictionary facet key the
    spec's elements use is a kind, and every kind has targets (but the listed exceptions)."""
    assert set(DATATYPE_CHECKS) == set(DATATYPES)
    kinds = set(facets_used(spec))
    reached = {f"{e.datatype}:{k}" for e in _elements(spec) for k in e.facets
               if k not in REFERENCES}
    reached |= {f"{e.datatype}:{c}" for e in _elements(spec) for c in DATATYPE_CHECKS[e.datatype]}
    assert reached <= kinds  # (elements no message type reaches would show here too)
    targets = facet_targets(spec)
    assert set(targets) == kinds
    assert {k for k, ids in targets.items() if not ids} == {
        k for (s, k) in UNTARGETED if s == spec_name}
    every = set(target_rule_ids(spec))
    assert all(set(ids) <= every for ids in targets.values())


def _few() -> int:
    """Examples per kind: a few in the fast profile, a fortieth of the thorough one's."""
    return max(2, settings.default.max_examples // 40)


@pytest.mark.parametrize(("spec_name", "kind"), _facet_kinds(), scope="session")
def test_each_kind_of_mistake_gives_exactly_its_rule_once_in_both_encodings(
        spec: Spec, spec_name: str, kind: str) -> None:
    ids = facet_targets(spec)[kind]
    if not ids:
        pytest.skip(UNTARGETED[(spec_name, kind)])

    @settings(max_examples=_few())
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        rule_id = data.draw(st.sampled_from(ids), label="rule_id")
        doc = data.draw(invalid_records(spec, rule_id, kind=kind))
        as_json, as_xml = both(spec, doc)
        for result in (as_json, as_xml):
            assert [f.rule_id for f in result.findings] == [rule_id], [
                (f.rule_id, f.location.pointer, f.message.en) for f in result.findings]
            assert result.verdict == "nonconformant"

    check()


@pytest.mark.parametrize(("spec_name", "kind"), _facet_kinds(), scope="session")
def test_each_kind_of_mistake_gets_the_same_ids_in_both_encodings(
        spec: Spec, spec_name: str, kind: str) -> None:
    """Unselected: the mistake made in any conformant record, whatever else it breaks."""
    ids = facet_targets(spec)[kind]
    if not ids:
        pytest.skip(UNTARGETED[(spec_name, kind)])

    @settings(max_examples=_few())
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        rule_id = data.draw(st.sampled_from(ids), label="rule_id")
        doc = copy_doc(data.draw(records(spec)))
        d = Draft(spec, spec.message_types[doc["messageType"]], doc, data.draw)
        apply_structural(d, rule_id, kind)
        assert_twins(*both(spec, d.doc))

    check()


def assert_twins(as_json: Result, as_xml: Result) -> None:
    """The same verdict and rule ids, and as many findings, in both encodings."""
    assert (as_json.verdict, as_json.rule_ids, len(as_json.findings)) == (
        as_xml.verdict, as_xml.rule_ids, len(as_xml.findings)), (
        [(f.rule_id, f.location.pointer, f.message.en) for f in as_json.findings],
        [(f.rule_id, f.location.pointer, f.message.en) for f in as_xml.findings])


@given(data=st.data())
def test_mutation_for_any_target_gives_exactly_that_rule(
        spec: Spec, data: st.DataObject) -> None:
    rule_id, kind = data.draw(rule_targets(spec), label="target")
    doc = data.draw(invalid_records(spec, rule_id, kind=kind))
    as_json, as_xml = both(spec, doc)
    assert as_json.rule_ids == {rule_id}
    assert as_xml.rule_ids == {rule_id}, [(f.rule_id, f.message.en) for f in as_xml.findings]
    if kind is not None:  # one mistake, one finding
        assert len(as_json.findings) == len(as_xml.findings) == 1
    rule = spec.rule(rule_id)
    severity = rule.severity if rule is not None else "error"
    assert as_json.verdict == ("nonconformant" if severity == "error" else "conformant")


@pytest.mark.parametrize(("spec_name", "rule_id"), _business_rules(), scope="session")
def test_every_business_rule_can_be_broken_alone(spec: Spec, rule_id: str) -> None:

    @settings(max_examples=max(2, settings.default.max_examples // 10))
    @given(invalid_records(spec, rule_id))
    def check(doc: dict[str, Any]) -> None:
        as_json, as_xml = both(spec, doc)
        assert as_json.rule_ids == as_xml.rule_ids == {rule_id}

    check()


@given(data=st.data())
def test_any_mutation_gets_the_same_ids_in_both_encodings(
        spec: Spec, data: st.DataObject) -> None:
    """Unselected mutations (every candidate, not only those that break one rule)."""
    doc = copy_doc(data.draw(records(spec)))
    d = Draft(spec, spec.message_types[doc["messageType"]], doc, data.draw)
    rule_id, kind = data.draw(rule_targets(spec, d.mt.id), label="target")
    rule = spec.rule(rule_id)
    if rule is None:
        apply_structural(d, rule_id, kind)
    else:
        candidates = list(rule_candidates(d, rule))
        if candidates:
            apply_changes(d, data.draw(st.sampled_from(candidates), label="changes"))
    assert_twins(*both(spec, d.doc))
