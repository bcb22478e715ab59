"""Per-rule mutations break exactly their rule, in both encodings; any mutation of a record
gets the same verdict and rule ids in JSON and in XML. (Divergences found here are kept as
minimal examples in tests/regressions.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.generators._records import Draft, encode_json
from hegui.generators._structural import apply_structural
from hegui.generators.mutations import apply_changes, copy_doc, rule_candidates
from hegui.generators.strategies import invalid_records, records, target_rule_ids
from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Validator
from hegui.validator.errors import HeguiError
from hegui.validator.loader import bundled_spec_ids, load_spec
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import Spec

MINISPEC = Path(__file__).parent.parent / "data" / "minispec"

def validator(spec: Spec) -> Validator:
    return Runner(RunConfig(spec=spec.folder)).validator(spec)


def both(spec: Spec, doc: dict[str, Any]) -> tuple[Result, Result]:
    v = validator(spec)
    return v.validate(encode_json(doc), "m.json"), v.validate(json_to_xml(doc, spec), "m.xml")


def _business_rules() -> list[tuple[str, str]]:
    """(spec, rule id) for every business rule of every bundled spec and of the minispec."""
    out = []
    for spec_id in ("minispec", *bundled_spec_ids()):
        if spec_id == "minispec":
            out += [(spec_id, r.id) for r in load_spec(str(MINISPEC)).rules]
            continue
        try:
            out += [(spec_id, r.id) for r in load_spec(spec_id).rules]
        except HeguiError:
            continue  # a broken bundled spec fails its own loading tests
    return out


@given(data=st.data())
def test_mutation_for_any_target_gives_exactly_that_rule(
        spec: Spec, data: st.DataObject) -> None:
    rule_id = data.draw(st.sampled_from(target_rule_ids(spec)), label="rule_id")
    doc = data.draw(invalid_records(spec, rule_id))
    as_json, as_xml = both(spec, doc)
    assert as_json.rule_ids == {rule_id}
    assert as_xml.rule_ids == {rule_id}, [(f.rule_id, f.message.en) for f in as_xml.findings]
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
    rules = [r for r in spec.rules_for(d.mt.id)]
    targets = [r.id for r in rules] + list(target_rule_ids(spec, d.mt.id))
    rule_id = data.draw(st.sampled_from(targets), label="rule_id")
    rule = spec.rule(rule_id)
    if rule is None:
        apply_structural(d, rule_id)
    else:
        candidates = list(rule_candidates(d, rule))
        if candidates:
            apply_changes(d, data.draw(st.sampled_from(candidates), label="changes"))
    as_json, as_xml = both(spec, d.doc)
    assert (as_json.verdict, as_json.rule_ids) == (as_xml.verdict, as_xml.rule_ids), (
        [(f.rule_id, f.message.en) for f in as_json.findings],
        [(f.rule_id, f.message.en) for f in as_xml.findings])
