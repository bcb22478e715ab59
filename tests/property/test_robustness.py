"""Whatever the input, the validator answers with one of its three verdicts and never raises:
arbitrary bytes, arbitrary JSON values (whole payloads or planted in a conformant record),
arbitrary XML trees made of the spec's own vocabulary."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from hegui.generators.strategies import records
from hegui.validator.codec import namespace_of
from hegui.validator.engine import Validator
from hegui.validator.result import Result
from hegui.validator.spec import Spec

SPECS = ["minispec", "egspec", "wcspec"]

JSON_SCALARS = (st.none() | st.booleans() | st.integers() | st.text(max_size=20)
                | st.floats(allow_nan=False, allow_infinity=False)
                | st.integers(min_value=2**62, max_value=2**80))
KEYS = st.text(max_size=8) | st.sampled_from(["¹", "٣", "0", "order", "messageType"])
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20)


def well_formed(result: Result) -> None:
    """A verdict, and the reason for anything but ``conformant``."""
    assert result.verdict in ("conformant", "nonconformant", "error")
    if result.verdict == "error":
        assert result.error and result.findings
    if result.verdict == "nonconformant":
        assert any(f.severity == "error" for f in result.findings)
    if result.verdict == "conformant":
        assert not any(f.severity == "error" for f in result.findings)


@given(data=st.binary(max_size=2000), source=st.sampled_from(["p.json", "p.xml", "p"]))
def test_arbitrary_bytes(spec: Spec, data: bytes, source: str) -> None:
    well_formed(Validator(spec).validate(data, source))


@given(value=JSON_VALUES)
def test_arbitrary_json_document(spec: Spec, value: Any) -> None:
    if isinstance(value, dict):
        value.setdefault("messageType", next(iter(spec.message_types)))
    well_formed(Validator(spec).validate(json.dumps(value).encode(), "p.json"))


def _plant(doc: dict[str, Any], path: list[int], value: Any) -> None:
    """Replace the value reached by choosing keys/items by the indexes in ``path``."""
    node: Any = doc
    for i in path:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        key, child = children[i % len(children)]
        if not isinstance(child, dict | list) or not child:
            node[key] = value
            return
        node = child
    if isinstance(node, dict) and node:
        node[next(iter(node))] = value


@given(data=st.data())
def test_arbitrary_json_value_inside_a_record(spec: Spec, data: st.DataObject) -> None:
    doc = data.draw(records(spec))
    _plant(doc, data.draw(st.lists(st.integers(0, 40), min_size=1, max_size=5)),
           data.draw(JSON_VALUES))
    well_formed(Validator(spec).validate(json.dumps(doc).encode(), "p.json"))


def _names(spec: Spec) -> list[str]:
    names = {s.name for mt in spec.message_types.values() for s in mt.sections}
    names |= {e.name for g in spec.groups.values() for e in g.elements}
    return sorted(names | {"item", "x"})


@st.composite
def xml_trees(draw: Any, spec: Spec) -> bytes:
    names = _names(spec)
    ns = draw(st.sampled_from([namespace_of(spec), "urn:other", None]))
    prefix = draw(st.sampled_from([None, "m"])) if ns else None

    def tag(name: str) -> str:
        return f"{{{ns}}}{name}" if ns else name

    root = etree.Element(tag(draw(st.sampled_from([*sorted(spec.message_types), "x"]))),
                         nsmap={prefix: ns} if ns else None)
    todo = [(root, 0)]
    while todo:
        parent, depth = todo.pop()
        for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
            child = etree.SubElement(parent, tag(draw(st.sampled_from(names))))
            child.text = draw(st.one_of(st.none(), st.text(
                st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")),
                max_size=12), st.sampled_from(["0", "1.50", "2025-02-30", "true", "-1"])))
            todo.append((child, depth + 1))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


@given(data=st.data())
def test_arbitrary_xml_tree(spec: Spec, data: st.DataObject) -> None:
    well_formed(Validator(spec).validate(data.draw(xml_trees(spec)), "p.xml"))
