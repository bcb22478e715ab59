"""The pointer-by-pointer XML trace gives what the full traced conversion gives, for every
pointer of every bundled XML example, of the regression payloads and of payloads with
repeated and unknown elements (the full conversion is the oracle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from hegui.validator.codec import xml_to_json
from hegui.validator.loader import load_spec
from hegui.validator.safe_xml import parse_xml
from hegui.validator.spec import Spec
from hegui.validator.versions import bundled_names
from hegui.validator.xml_trace import trace_pointers, unknown_pointers

ROOT = Path(__file__).resolve().parents[2]


def _cases() -> list[tuple[str, Path]]:
    out = []
    for name in bundled_names():
        folder = Path(load_spec(name).folder) / "examples"
        out += [(name, p) for p in sorted(folder.rglob("*.xml"))]
    out += [("eguarantee@1.0", p) for p in sorted((ROOT / "tests" / "regressions").glob("*.xml"))]
    return out


CASES = _cases()

#: An apply with a repeated known element, repeated unknown ones and an unknown section.
ODD = b"""<apply xmlns="urn:hegui:spec:eguarantee:1.0">
  <guarantee><orderNo>A</orderNo><orderNo>B</orderNo><nope>1</nope><nope>2</nope></guarantee>
  <extra><x/></extra>
  <attachments><attachment><type>716</type><what/></attachment><attachment/></attachments>
</apply>"""


def _compare(spec: Spec, root: etree._Element) -> None:
    mt = spec.message_types[etree.QName(root).localname]
    _, full = xml_to_json(root, spec, mt, traced=True)
    assert full is not None
    assert unknown_pointers(root, spec, mt) == full.unknown
    for pointer in full.xpaths:  # one pointer at a time, and all at once
        one = trace_pointers(root, spec, mt, [pointer])
        assert (one.xpaths[pointer], one.lines[pointer]) == (full.xpaths[pointer],
                                                             full.lines[pointer]), pointer
        assert one.elements[pointer] is full.elements[pointer]
    every = trace_pointers(root, spec, mt, list(full.xpaths))
    assert every.xpaths == full.xpaths and every.lines == full.lines


@pytest.mark.parametrize(("name", "path"), CASES, ids=[f"{n}:{p.name}" for n, p in CASES])
def test_same_answers_as_the_full_trace(name: str, path: Path) -> None:
    root = parse_xml(path.read_bytes()).root
    if etree.QName(root).localname not in load_spec(name).message_types:
        pytest.skip("not a message of the spec (a parse or root case)")
    _compare(load_spec(name), root)


def test_repeated_and_unknown_elements() -> None:
    spec = load_spec("eguarantee@1.0")
    root = parse_xml(ODD).root
    _compare(spec, root)
    trace = trace_pointers(root, spec, spec.message_types["apply"],
                           ["/guarantee/nope", "/attachments/1/type", "/nothing/here"])
    assert trace.xpaths["/guarantee/nope"] == "/apply/guarantee/nope"
    assert trace.elements["/guarantee/nope"].text == "2"  # the last unknown, as the full trace
    assert trace.xpaths["/attachments/1"] == "/apply/attachments/attachment[2]"
    assert "/attachments/1/type" not in trace.xpaths and "/nothing" not in trace.xpaths
