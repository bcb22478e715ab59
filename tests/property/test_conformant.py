"""Generated conformant records are conformant in both encodings, and survive a round trip.

The central property (after hypothesis-jsonschema's): draw a record from a spec, it validates.
The strategies only keep records the validator passes in JSON, so the XML half is the real
check here; how often the JSON filter rejects is measured in test_rejection_rate.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.generators._recipes import settle
from hegui.generators._records import Draft, document, encode_json
from hegui.generators.strategies import STATS, payloads, records
from hegui.validator.codec import json_to_xml, xml_to_json
from hegui.validator.engine import Options, Validator
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.safe_xml import parse_xml
from hegui.validator.spec import Spec


def validator(spec: Spec) -> Validator:
    """The validator of ``spec`` with its default context documents."""
    return Runner(RunConfig(spec=spec.folder)).validator(spec)


def findings(result: Result) -> list[tuple[str, str]]:
    return [(f.rule_id, f.message.en) for f in result.findings]


def back_to_json(spec: Spec, xml: bytes) -> dict[str, Any]:
    root = parse_xml(xml).root
    doc, _ = xml_to_json(root, spec, spec.message_types[root.tag.split("}")[-1]])
    return doc


@given(data=st.data())
def test_generated_records_are_conformant_in_both_encodings(
        spec: Spec, data: st.DataObject) -> None:
    doc = data.draw(records(spec))
    v = validator(spec)
    as_json = v.validate(encode_json(doc), "g.json")
    as_xml = v.validate(json_to_xml(doc, spec), "g.xml")
    assert as_json.verdict == "conformant" and not as_json.findings, findings(as_json)
    assert as_xml.verdict == "conformant" and not as_xml.findings, findings(as_xml)


@given(data=st.data())
def test_json_xml_json_round_trip_keeps_record_and_verdict(
        spec: Spec, data: st.DataObject) -> None:
    doc = data.draw(records(spec))
    xml = json_to_xml(doc, spec)
    again = back_to_json(spec, xml)
    assert again == doc
    v = validator(spec)
    results = [v.validate(encode_json(again), "r.json"), v.validate(xml, "r.xml")]
    assert {(r.verdict, r.rule_ids) for r in results} == {("conformant", frozenset())}


@pytest.mark.parametrize("encoding", ["json", "xml"])
@given(data=st.data())
def test_payload_bytes_are_conformant(encoding: str, data: st.DataObject,
                                      egspec: Spec) -> None:
    mt = data.draw(st.sampled_from(sorted(egspec.message_types)))
    raw = data.draw(payloads(egspec, mt, encoding))  # type: ignore[arg-type]
    result = validator(egspec).validate(raw, f"p.{encoding}", Options(encoding=encoding))
    assert result.verdict == "conformant" and result.message_type == mt, findings(result)


def test_rejection_rate(spec: Spec) -> None:
    """Structure plus repairs alone (no filter) give conformant records nearly always."""
    v = validator(spec)
    outcomes: list[bool] = []

    @st.composite
    def repaired(draw: Any, mt: str) -> dict[str, Any]:
        d = Draft(spec, spec.message_types[mt], draw(document(spec, spec.message_types[mt])),
                  draw)
        settle(d)
        return d.doc

    @settings(max_examples=40, database=None)
    @given(data=st.data())
    def sample(data: st.DataObject) -> None:
        doc = data.draw(st.sampled_from(sorted(spec.message_types)).flatmap(repaired))
        outcomes.append(not v.validate(encode_json(doc), "g.json").findings)

    sample()
    assert outcomes.count(False) / len(outcomes) <= 0.1, f"{outcomes.count(False)} rejected"


def test_stats_count_the_final_filter(minispec: Spec) -> None:
    STATS.reset()

    @settings(max_examples=5, database=None)
    @given(records(minispec, "cancel"))
    def draw(doc: dict[str, Any]) -> None:
        assert doc["messageType"] == "cancel"

    draw()
    assert STATS.drawn["conformant"] >= 5
    assert 0.0 <= STATS.rate("conformant") < 1.0
