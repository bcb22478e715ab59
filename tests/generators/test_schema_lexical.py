"""Both encodings accept the same lexical space: every scalar type of the generated XSD and JSON
Schema, probed with the same strings in all four engines (lxml, xmlschema, jsonschema,
jsonschema-rs); plus the pattern, decimal and ``when`` helpers.

Known, documented differences are kept out of the comparison: XSD collapses whitespace around
decimals before its patterns apply, and Python's ``re`` (hence jsonschema) lets ``$`` match
before a final newline.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jsonschema
import jsonschema_rs
import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from hegui.generators.json_schema import json_schema
from hegui.generators.schema_conditions import parse_when
from hegui.generators.schema_parts import (
    SchemaGenerationError,
    decimal_pattern,
    portable_pattern,
)
from hegui.generators.xsd import XS, target_namespace, xsd_text
from hegui.validator.cel_ast import SimpleTest
from hegui.validator.loader import load_spec
from hegui.validator.versions import bundled_names

FIXTURE = str(Path(__file__).parent / "schema_fixture")

# type name -> strings to probe, with the expected verdict
CASES: dict[str, dict[str, bool]] = {
    "element.guarantee.amount": {
        "500000.00": True, "0": True, "1.5": True, "1234567890123456.99": True,
        "12345678901234567": False, "1.": False, ".5": False, "1.234": False, "+1": False,
        "-1": False, "1e2": False, "1,000.00": False, "１.00": False, "١٢": False, "": False},
    "element.guarantee.rate": {"0.005000": True, "1234.123456": True, "0.0050001": False},
    "element.guarantee.share": {"0.25": True, "0": True, "1.0": False, "0.12345": False},
    "element.guarantee.validFrom": {"2024-05-01": True, "2024-5-1": False,
                                    "２０２４-０５-０１": False, "2024/05/01": False},
    "element.header.sentAt": {"2024-05-01 09:30:00": True, "2024-05-01T09:30:00": False},
    "element.bidder.uscc": {"91350100M000100Y43": True, "91350100M000100O43": False,
                            "9135010OM000100Y43": False, "91350100m000100y43": False},
    "element.bidder.legalRepIdNo": {"11010519491231002X": True, "11010519491231002x": False,
                                    "1101051949123100": False},
    "element.bidder.region": {"441900": True, "44190": False, "４４１９００": False},
    "element.guarantee.fileHash": {"AB" * 32: True, "ab" * 32: False, "AB" * 31: False},
    "element.guarantee.fileMd5": {"d41d8cd98f00b204e9800998ecf8427e": True, "z" * 32: False},
    "element.guarantee.fileUrl": {"https://example.com/a?b=1": True, "http://x": True,
                                  "ftp://x": False, "https://a b": False,
                                  "https://例子.cn": False, "https://a\u3000b": False},
    "element.guarantee.content": {"aGVndWk=": True, "aGVn": True, "aGVndQ==": True,
                                  "aGVnd": False, "aGVn dWk=": False, "a===": False},
    "element.guarantee.currency": {"CNY": True, "cny": False, " CNY": False},
    "element.header.messageId": {"a-b_1": True, "a b": False, "a٣": False},
    "element.guarantee.verifyCode": {"12345678": True, "1234567": False, "合规合规合规合规": True},
    "element.account.number": {"0123": True, "12a": False, "１２": False},
}


SOURCES = [*bundled_names(), FIXTURE]


@dataclass(frozen=True)
class Probes:
    """lxml and xmlschema schemas with one global ``probe.<type>`` element per simple type."""

    lxml: Any
    xmlschema: Any
    ns: str
    defs: dict[str, Any]
    types: dict[str, tuple[str, tuple[str, ...]]]  # simple type -> (XSD built-in base, patterns)


@functools.cache
def probes(source: str = FIXTURE) -> Probes:
    spec = load_spec(source)
    root = etree.fromstring(xsd_text(spec).encode())
    named = {t.get("name"): t for t in root.findall(f"{{{XS}}}simpleType")}
    types = {str(name): _chain(named, str(name)) for name in named}
    for name in named:
        etree.SubElement(root, f"{{{XS}}}element", name=f"probe.{name}", type=name)
    text = etree.tostring(root, encoding="unicode")
    return Probes(etree.XMLSchema(root), xmlschema.XMLSchema(text), target_namespace(spec),
                  json_schema(spec)["$defs"], types)


def _chain(named: dict[Any, Any], name: str) -> tuple[str, tuple[str, ...]]:
    """The XSD built-in a simple type derives from, and every pattern along the way."""
    patterns: list[str] = []
    node = named[name]
    while True:
        patterns += [p.get("value") for p in node.iter(f"{{{XS}}}pattern")]
        bases = [r.get("base") for r in node.iter(f"{{{XS}}}restriction") if r.get("base")]
        base = bases[-1]
        if base.startswith("xs:"):
            return base, tuple(patterns)
        node = named[base]


@functools.cache
def json_validators(source: str, type_name: str) -> tuple[Any, Any]:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$defs": probes(source).defs, "$ref": f"#/$defs/{type_name}"}
    return jsonschema.Draft202012Validator(schema), jsonschema_rs.validator_for(schema)


def verdicts(type_name: str, value: str, source: str = FIXTURE) -> dict[str, bool]:
    p = probes(source)
    text = escape(value, {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})
    doc = f'<probe.{type_name} xmlns="{p.ns}">{text}</probe.{type_name}>'
    js, rs = json_validators(source, type_name)
    found = {"lxml": p.lxml.validate(etree.fromstring(doc.encode())),
             "xmlschema": p.xmlschema.is_valid(doc), "jsonschema_rs": rs.is_valid(value)}
    if not value.endswith("\n"):  # Python's `$` matches before a final newline: see docstring
        found["jsonschema"] = js.is_valid(value)
    return found


@pytest.mark.parametrize(("type_name", "value", "expected"), [
    (t, v, ok) for t, cases in CASES.items() for v, ok in cases.items()])
def test_engines_agree_on_lexical_forms(type_name: str, value: str, expected: bool) -> None:
    assert verdicts(type_name, value) == dict.fromkeys(
        ("lxml", "xmlschema", "jsonschema", "jsonschema_rs"), expected)


_ALPHABET = list("0123456789.-+eE ABCDFXYZabcf/:=_@\n١２\u3000合")
_XML_CHAR = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: Path(s).name)
@given(data=st.data())
def test_engines_agree_on_random_strings(source: str, data: st.DataObject) -> None:
    """Every string type of every spec: near-valid strings (drawn from its patterns) and noise
    get one verdict from all four engines."""
    for type_name, (base, patterns) in probes(source).types.items():
        if base in ("xs:integer", "xs:boolean"):
            continue  # JSON integers and booleans are not strings
        sources = [st.text(st.sampled_from(_ALPHABET), max_size=24)]
        sources += [st.from_regex(p, fullmatch=True, alphabet=_XML_CHAR) for p in patterns]
        value = data.draw(st.one_of(sources), label=type_name)
        if base == "xs:decimal":
            value = value.strip() or "0"  # XSD collapses whitespace around decimals
        found = verdicts(type_name, value, source)
        assert len(set(found.values())) == 1, (type_name, value, found)


def test_python_jsonschema_dollar_caveat() -> None:
    """Documented difference: jsonschema (Python ``re``) accepts a final newline."""
    js, rs = json_validators(FIXTURE, "element.bidder.region")
    assert verdicts("element.bidder.region", "441900\n") == dict.fromkeys(
        ("lxml", "xmlschema", "jsonschema_rs"), False)
    assert js.is_valid("441900\n") and not rs.is_valid("441900\n")


def test_portable_pattern() -> None:
    assert portable_pattern(r"^\d{2}[\dA-F]\w$", "x") == "[0-9]{2}[0-9A-F][A-Za-z0-9_]"
    assert portable_pattern(r"a\.b\D[^@\s]", "x") == r"a\.b[^0-9][^@ \t\n\r]"
    for bad in (r"(?:ab)", r"\bword", r"(a)\1", r"\p{L}+", r"[\D]"):
        with pytest.raises(SchemaGenerationError):
            portable_pattern(bad, "g.e")


def test_decimal_pattern() -> None:
    assert decimal_pattern(18, 2) == r"[0-9]{1,16}(\.[0-9]{1,2})?"
    assert decimal_pattern(4, 4) == r"0(\.[0-9]{1,4})?"
    assert decimal_pattern(5, 0) == "[0-9]{1,5}"


def test_parse_when() -> None:
    t = parse_when('(a.b == "1") && c in ["x", \'y\'] && d != true && 5 == e && f && !g.h')
    assert t is not None
    assert [(x.path, x.op, x.values) for x in t] == [
        ("a.b", "==", ("1",)), ("c", "in", ("x", "y")), ("d", "!=", (True,)), ("e", "==", (5,)),
        ("f", "==", (True,)), ("g.h", "==", (False,))]
    # Read from the parsed tree: escapes are literals' content, `!!a` is `a`.
    assert parse_when('a == "x\\"y" && !!b') == (
        SimpleTest("a", "==", ('x"y',)), SimpleTest("b", "==", (True,)))
    for bad in ('a == "1" || b == "2"', "size(a) > 0", "a > 1", "a in [b]", "!(!a && b)",
                "a == b", "a ==", "a == 1.5"):
        assert parse_when(bad) is None, bad
