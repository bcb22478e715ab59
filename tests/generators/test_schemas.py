"""Generated XSD and JSON Schema: no drift, every engine loads them, examples pass, and payloads
built from the spec pass (or, mutated, fail) the same way in both encodings.

Sources: every bundled spec, plus ``schema_fixture/`` (a small spec using every datatype, list
form, override and condition form, so the generators are covered whatever the bundled specs hold).
"""

from __future__ import annotations

import copy
import functools
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import xmlschema
from hypothesis import find, settings
from hypothesis import strategies as st
from lxml import etree

from hegui.generators.json_schema import json_schema
from hegui.generators.schema_conditions import requirement, requirements
from hegui.generators.schema_parts import TYPE_PATTERNS, list_item, members, scalar
from hegui.generators.schemas import check_schemas, schema_paths, write_schemas
from hegui.generators.xsd import target_namespace, xsd_text
from hegui.validator.loader import load_spec, spec_folder
from hegui.validator.spec import Element, Group, MessageType, Spec
from hegui.validator.versions import bundled_names

FIXTURE = str(Path(__file__).parent / "schema_fixture")
BUNDLED = bundled_names()
SOURCES = [*BUNDLED, FIXTURE]
XMLLINT = shutil.which("xmllint")
Record = dict[str, Any]


def _source_id(source: str) -> str:
    return Path(source).name


@dataclass
class Engines:
    spec: Spec
    xsd_file: Path
    lxml: etree.XMLSchema
    xmlschema: xmlschema.XMLSchema
    jsonschema: jsonschema.Draft202012Validator
    jsonschema_rs: Any

    def xml_errors(self, payload: bytes, xmllint: bool = True) -> dict[str, bool]:
        """Engine name -> does it accept the XML payload."""
        out = {"lxml": self.lxml.validate(etree.fromstring(payload)),
               "xmlschema": self.xmlschema.is_valid(payload.decode())}
        if xmllint and XMLLINT:
            run = subprocess.run([XMLLINT, "--noout", "--schema", str(self.xsd_file), "-"],
                                 input=payload, capture_output=True, check=False)
            out["xmllint"] = run.returncode == 0
        return out

    def json_errors(self, payload: Any) -> dict[str, bool]:
        """Engine name -> does it accept the JSON payload."""
        return {"jsonschema": self.jsonschema.is_valid(payload),
                "jsonschema_rs": self.jsonschema_rs.is_valid(payload)}


@functools.cache
def engines(source: str, tmp: Path) -> Engines:
    spec = load_spec(source)
    text = xsd_text(spec)
    xsd_file = tmp / f"{spec.id}-{spec.version}.xsd"
    xsd_file.write_text(text, encoding="utf-8")
    schema = json_schema(spec)
    return Engines(spec, xsd_file, etree.XMLSchema(etree.fromstring(text.encode())),
                   xmlschema.XMLSchema(text), jsonschema.Draft202012Validator(schema),
                   jsonschema_rs.validator_for(schema))


@pytest.fixture(params=SOURCES, ids=_source_id)
def eng(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engines:
    return engines(request.param, tmp_path_factory.getbasetemp())


# ---- payloads built from the spec ---------------------------------------------------------

SAMPLES = {"date": "2024-05-01", "datetime": "2024-05-01 09:30:00",
           "uscc": "91350100M000100Y43", "idcard": "11010519491231002X", "region": "441900",
           "sha256": "ab" * 32, "md5": "d41d8cd98f00b204e9800998ecf8427e",
           "url": "https://example.com/a.pdf", "base64": "aGVndWk="}


def sample(e: Element, spec: Spec) -> Any:
    """A value of scalar element ``e`` that its schema types accept."""
    sc = scalar(e)
    if sc.kind == "boolean":
        return True
    if sc.kind == "integer":
        low = sc.minimum if sc.minimum is not None else 0
        return low if sc.maximum is None else min(low, sc.maximum)
    if sc.kind == "decimal":
        whole, scale = int(e.facets["digits"]) - int(e.facets["scale"]), int(e.facets["scale"])
        return ("1" if whole > 0 else "0") + ("." + "5" * min(scale, 2) if scale else "")
    low = sc.length or sc.min_length or 0
    high = sc.length or sc.max_length or 1000
    patterns = [*([TYPE_PATTERNS[sc.builtin]] if sc.builtin else []), *sc.patterns]

    def fits(s: str) -> bool:
        return low <= len(s) <= high and all(re.fullmatch(p, s) for p in patterns)

    if sc.codelist:
        return spec.codelists[sc.codelist].codes[0].code
    first = SAMPLES.get(e.datatype, ("合规test" * 10)[:max(low, min(high, 6))])
    for candidate in (first, first.upper(), "A1", "1"):
        if fits(candidate) or not patterns:
            return candidate
    key = (tuple(patterns), low, high)
    if key not in _FOUND:  # `find` shrinks, which takes a while: once per pattern
        strategy = st.from_regex(patterns[-1], fullmatch=True)
        _FOUND[key] = find(strategy, fits, settings=settings(database=None, derandomize=True))
    return _FOUND[key]


_FOUND: dict[Any, str] = {}


def build(spec: Spec, group: Group, section_filter: Any, full: bool) -> Record:
    out: Record = {}
    for e, use in members(group, section_filter):
        if full or use == "required":
            out[e.name] = value(spec, e, full)
    return out


def value(spec: Spec, e: Element, full: bool) -> Any:
    if e.datatype == "group":
        return build(spec, spec.groups[e.facets["group"]], None, full)
    if e.datatype != "list":
        return sample(e, spec)
    n = max(int(e.facets.get("minItems", 0)), 1 if full else 0)
    of = e.facets["of"]
    return [build(spec, spec.groups[of], None, full) if isinstance(of, str) else sample(of, spec)
            for _ in range(n)]


def record(spec: Spec, mt: MessageType, full: bool) -> Record:
    """A valid JSON-encoding record: every element (``full``) or only the required ones, plus
    whatever the schema's conditional requirements then demand."""
    out: Record = {"messageType": mt.id, "specVersion": spec.version}
    for s in mt.sections:
        if full or s.use == "required" or s.name in _conditionally_required(spec, mt, out):
            group = spec.groups[s.group]
            if s.is_list:
                out[s.name] = [build(spec, group, s, full)
                               for _ in range(max(s.min_items, 1 if full else 0))]
            else:
                out[s.name] = build(spec, group, s, full)
    for _ in range(5):  # a requirement may make another one hold: iterate to a fixpoint
        for path in _conditionally_required(spec, mt, out):
            _ensure(spec, mt, out, path)
    return out


def _get(rec: Record, path: str) -> Any:
    node: Any = rec
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _conditionally_required(spec: Spec, mt: MessageType, rec: Record) -> list[str]:
    stated, _ = requirements(spec, mt)
    out = []
    for req in stated:
        values = [(_get(rec, t.path), t) for t in req.tests]
        if all(v is not None and ((v in t.values) != (t.op == "!=")) for v, t in values):
            out += [p for p in req.paths if _get(rec, p) is None]
    return out


def _ensure(spec: Spec, mt: MessageType, rec: Record, path: str) -> None:
    section = mt.section(path.split(".")[0])
    assert section is not None
    if "." not in path:
        rec[path] = build(spec, spec.groups[section.group], section, False)
        return
    node = rec.setdefault(section.name, build(spec, spec.groups[section.group], section, False))
    parts = path.split(".")
    for i in range(1, len(parts) - 1):
        node = node.setdefault(parts[i], value(spec, mt.fields[".".join(parts[:i + 1])].element,
                                               False))
    node[parts[-1]] = value(spec, mt.fields[path].element, False)


def to_xml(spec: Spec, mt: MessageType, rec: Record) -> bytes:
    """The XML encoding of JSON-encoding record ``rec`` (docs/spec-format.md)."""
    ns = target_namespace(spec)
    root = etree.Element(f"{{{ns}}}{mt.id}", nsmap={None: ns})
    for name, val in rec.items():
        if name in ("messageType", "specVersion"):
            continue  # carried by the root element's name and namespace
        section = mt.section(name)
        if section is None:
            etree.SubElement(root, f"{{{ns}}}{name}").text = _text(val)
            continue
        group = spec.groups[section.group]
        el = etree.SubElement(root, f"{{{ns}}}{name}")
        for item in val if section.is_list else [val]:
            target = etree.SubElement(el, f"{{{ns}}}{group.id}") if section.is_list else el
            _fill(spec, ns, target, group, item)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def _fill(spec: Spec, ns: str, el: etree._Element, group: Group, obj: Record) -> None:
    for name, val in obj.items():
        child = etree.SubElement(el, f"{{{ns}}}{name}")
        e = group.element(name)
        if e is not None and e.datatype == "group":
            _fill(spec, ns, child, spec.groups[e.facets["group"]], val)
        elif e is not None and e.datatype == "list":
            tag, _ = list_item(e)
            of = e.facets["of"]
            for item in val:
                sub = etree.SubElement(child, f"{{{ns}}}{tag}")
                if isinstance(of, str):
                    _fill(spec, ns, sub, spec.groups[of], item)
                else:
                    sub.text = _text(item)
        else:
            child.text = _text(val)


def _text(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _verdicts(eng: Engines, mt: MessageType, rec: Record) -> dict[str, bool]:
    return {**eng.xml_errors(to_xml(eng.spec, mt, rec)), **eng.json_errors(rec)}


# ---- the schema files ---------------------------------------------------------------------

@pytest.mark.parametrize("spec_id", BUNDLED)
def test_committed_schemas_are_up_to_date(spec_id: str) -> None:
    spec = load_spec(spec_id)
    stale = check_schemas(spec)
    assert not stale, (f"{stale} differ from the spec; regenerate with "
                       f"`hegui specs schemas --write` (write_schemas(load_spec({spec_id!r})))")


def test_write_then_check_round_trip(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "fx")
    spec = load_spec(str(tmp_path / "fx"))
    assert check_schemas(spec) == ["schema-fixture-0.1.xsd", "schema-fixture-0.1.schema.json"]
    assert write_schemas(spec) == list(schema_paths(spec))
    assert check_schemas(spec) == [] and write_schemas(spec) == []
    assert schema_paths(spec)[1].read_text(encoding="utf-8").endswith("}\n")


def test_engines_load_the_schemas(eng: Engines) -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema(eng.spec))
    assert eng.xmlschema.target_namespace == target_namespace(eng.spec)
    assert sorted(eng.xmlschema.elements) == sorted(eng.spec.message_types)


@pytest.mark.skipif(XMLLINT is None,
                    reason="xmllint missing (Debian: apt-get install libxml2-utils)")
def test_xmllint_reads_the_xsd(eng: Engines) -> None:
    mt = next(iter(eng.spec.message_types.values()))
    assert eng.xml_errors(to_xml(eng.spec, mt, record(eng.spec, mt, True)))["xmllint"]


# ---- bundled examples ---------------------------------------------------------------------

def _examples(suffix: str) -> list[Any]:
    cases = []
    for sid in BUNDLED:
        folder = Path(str(spec_folder(sid)), "manifest.yaml").resolve().parent
        for path in sorted((folder / "examples" / "valid").glob(f"*{suffix}")):
            cases.append(pytest.param(sid, path, id=f"{sid}/{path.name}"))
    return cases


@pytest.mark.parametrize(("spec_id", "path"), _examples(".xml"))
def test_valid_xml_examples(spec_id: str, path: Path, tmp_path_factory: Any) -> None:
    eng = engines(spec_id, tmp_path_factory.getbasetemp())
    verdicts = eng.xml_errors(path.read_bytes())
    assert all(verdicts.values()), (verdicts, eng.lxml.error_log)


@pytest.mark.parametrize(("spec_id", "path"), _examples(".json"))
def test_valid_json_examples(spec_id: str, path: Path, tmp_path_factory: Any) -> None:
    eng = engines(spec_id, tmp_path_factory.getbasetemp())
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert all(eng.json_errors(payload).values()), [
        e.message for e in eng.jsonschema.iter_errors(payload)]


def _invalid_examples() -> list[Any]:
    cases = []
    for sid in BUNDLED:
        folder = Path(str(spec_folder(sid)), "manifest.yaml").resolve().parent
        for path in sorted((folder / "examples" / "invalid").glob("*/*.*")):
            if path.suffix in (".json", ".xml"):
                cases.append(pytest.param(sid, path, id=f"{sid}/{path.parent.name}/{path.name}"))
    return cases


@pytest.mark.parametrize(("spec_id", "path"), _invalid_examples())
def test_rule_examples_are_structurally_valid(spec_id: str, path: Path,
                                              tmp_path_factory: Any) -> None:
    """An example that breaks one business rule passes the schemas, except the JSON Schema
    when the rule is a conditional requirement it states as if/then."""
    eng = engines(spec_id, tmp_path_factory.getbasetemp())
    if path.suffix == ".xml":
        verdicts = eng.xml_errors(path.read_bytes(), xmllint=False)
        assert all(verdicts.values()), (verdicts, eng.lxml.error_log)
        return
    payload = json.loads(path.read_text(encoding="utf-8"))
    rule = eng.spec.rule(path.parent.name)
    mt = eng.spec.message_types.get(payload.get("messageType"))
    stated = rule is not None and mt is not None and requirement(rule, mt) is not None
    verdicts = eng.json_errors(payload)
    assert set(verdicts.values()) == {not stated}, [
        e.message for e in eng.jsonschema.iter_errors(payload)]


# ---- payloads built from the spec ---------------------------------------------------------

@pytest.mark.parametrize("full", [False, True], ids=["minimal", "full"])
def test_built_payloads_pass_everywhere(eng: Engines, full: bool) -> None:
    for mt in eng.spec.message_types.values():
        rec = record(eng.spec, mt, full)
        verdicts = _verdicts(eng, mt, rec)
        assert all(verdicts.values()), (mt.id, verdicts, rec)


def _fields(mt: MessageType, rec: Record, pred: Any) -> list[str]:
    return [p for p, f in mt.fields.items() if _get(rec, p) is not None and pred(f)]


def _set(rec: Record, path: str, new: Any) -> Record:
    out = copy.deepcopy(rec)
    *parents, last = path.split(".")
    node = out
    for p in parents:
        node = node[p]
    if new is _DELETE:
        del node[last]
    else:
        node[last] = new
    return out


_DELETE = object()
# mutation -> (which fields it applies to, the bad value)
MUTATIONS: dict[str, tuple[Any, Any]] = {
    "decimal-scale": (lambda f: f.element.datatype in ("money", "rate"),
                      lambda f: "1." + "1" * (int(f.element.facets["scale"]) + 1)),
    "decimal-letters": (lambda f: f.element.datatype == "money", lambda f: "1O0.00"),
    "enum": (lambda f: f.element.datatype == "code", lambda f: "NOT-A-CODE"),
    "fullwidth-digits": (lambda f: f.element.datatype in ("region", "date"),
                         lambda f: "４４１９００" if f.element.datatype == "region" else
                         "２０２４-０５-０１"),
    "uscc-letter-O": (lambda f: f.element.datatype == "uscc", lambda f: "91350100M000100O43"),
    "maxLength": (lambda f: f.element.datatype == "string" and "maxLength" in f.element.facets,
                  lambda f: "9" * (int(f.element.facets["maxLength"]) + 1)),
    "integer-maximum": (lambda f: f.element.datatype == "integer" and "maximum" in f.element.facets,
                        lambda f: int(f.element.facets["maximum"]) + 1),
    "missing-required": (lambda f: f.use == "required", lambda f: _DELETE),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_mutated_payloads_fail_everywhere(eng: Engines, mutation: str) -> None:
    applies, bad = MUTATIONS[mutation]
    tried = 0
    for mt in eng.spec.message_types.values():
        rec = record(eng.spec, mt, True)
        for path in _fields(mt, rec, applies)[:3]:
            if mutation == "missing-required" and mt.section(path.split(".")[0]).use != "required":
                continue
            verdicts = _verdicts(eng, mt, _set(rec, path, bad(mt.fields[path])))
            assert not any(verdicts.values()), (mt.id, path, verdicts)
            tried += 1
    if not tried:
        pytest.skip(f"{eng.spec.id} has no field for mutation {mutation}")


def test_unexpected_elements_fail_everywhere(eng: Engines) -> None:
    for mt in eng.spec.message_types.values():
        rec = record(eng.spec, mt, True)
        section = next(s.name for s in mt.sections if not s.is_list)
        assert not any(_verdicts(eng, mt, _set(rec, f"{section}.notInSpec", "x")).values())
        assert not any(_verdicts(eng, mt, {**rec, "notInSpec": {}}).values())


def test_json_only_constraints(eng: Engines) -> None:
    for mt in eng.spec.message_types.values():
        rec = record(eng.spec, mt, True)
        for bad in ({**rec, "specVersion": "0.0"}, {**rec, "messageType": "nope"},
                    {k: v for k, v in rec.items() if k != "specVersion"}):
            assert not any(eng.json_errors(bad).values())
        typed = _fields(mt, rec, lambda f: f.element.datatype in ("boolean", "integer", "money"))
        for path in typed:
            v = _get(rec, path)
            wrong = float(v) if isinstance(v, str) else str(v).lower()
            assert not any(eng.json_errors(_set(rec, path, wrong)).values()), path


def test_simple_conditions_are_stated_in_json_only(eng: Engines) -> None:
    tried = 0
    for mt in eng.spec.message_types.values():
        for req in requirements(eng.spec, mt)[0]:
            rec = record(eng.spec, mt, True)
            for t in req.tests:
                if t.op != "!=":
                    rec = _set(rec, t.path, t.values[0])
            if not all(eng.json_errors(rec).values()):
                continue  # could not make the `when` hold with valid values
            broken = _set(rec, req.paths[0], _DELETE) if "." in req.paths[0] else {
                k: v for k, v in rec.items() if k != req.paths[0]}
            assert not any(eng.json_errors(broken).values()), req.rule
            # XSD 1.0 cannot state it: the rule engine reports it for XML.
            assert all(eng.xml_errors(to_xml(eng.spec, mt, broken), xmllint=False).values())
            tried += 1
    if not tried:
        pytest.skip(f"{eng.spec.id} has no require rule with a simple `when`")
