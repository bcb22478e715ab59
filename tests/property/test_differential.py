"""Differential: the hot-path schema engines agree with the reference ones on generated and
mutated payloads — lxml (libxml2) with xmlschema on the XSD, jsonschema-rs with jsonschema on
the JSON Schema. (Lexical probes of single values are in tests/generators/
test_schema_lexical.py, with the two documented differences: XSD whitespace collapsing around
decimals and Python's ``$`` before a final newline; neither occurs in these payloads.)"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import xmlschema
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from hegui.generators.strategies import invalid_records, records, rule_targets
from hegui.validator.codec import json_to_xml
from hegui.validator.spec import Spec
from hegui.validator.structure import schema_files


@functools.cache
def _engines(xsd_path: str, json_path: str) -> tuple[Any, Any, Any, Any]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    lxml_schema = etree.XMLSchema(etree.parse(xsd_path, parser))
    reference_xsd = xmlschema.XMLSchema(xsd_path)
    schema = json.loads(Path(json_path).read_text(encoding="utf-8"))
    return (lxml_schema, reference_xsd, jsonschema_rs.validator_for(schema),
            jsonschema.Draft202012Validator(schema))


def engines(spec: Spec) -> tuple[Any, Any, Any, Any]:
    xsd, js = schema_files(spec)
    return _engines(str(xsd), str(js))


@st.composite
def generated_or_mutated(draw: Any, spec: Spec) -> dict[str, Any]:
    if draw(st.booleans(), label="mutated"):
        rule_id, kind = draw(rule_targets(spec), label="target")  # every kind of mistake
        return dict(draw(invalid_records(spec, rule_id, kind=kind)))
    return dict(draw(records(spec)))


@given(data=st.data())
def test_xsd_engines_agree(spec: Spec, data: st.DataObject) -> None:
    doc = data.draw(generated_or_mutated(spec))
    xml = json_to_xml(doc, spec)
    lxml_schema, reference, _, _ = engines(spec)
    fast = bool(lxml_schema.validate(etree.fromstring(xml)))
    assert fast == reference.is_valid(xml.decode("utf-8")), xml.decode("utf-8")


@given(data=st.data())
def test_json_schema_engines_agree(spec: Spec, data: st.DataObject) -> None:
    doc = data.draw(generated_or_mutated(spec))
    _, _, fast, reference = engines(spec)
    assert fast.is_valid(doc) == reference.is_valid(doc), json.dumps(doc, ensure_ascii=False)
