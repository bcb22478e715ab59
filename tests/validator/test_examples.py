"""Data-driven: every bundled example gets the verdict its folder names, in both encodings.

``examples/valid/*`` must be conformant; ``examples/invalid/<RULE-ID>/*`` must be
nonconformant with exactly that rule id (and no other). XML and JSON twins must be the same
record and get the same verdict and rule ids.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from hegui.validator.codec import xml_to_json
from hegui.validator.loader import load_spec
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.safe_xml import parse_xml
from hegui.validator.versions import bundled_names


def _examples() -> list[tuple[str, Path]]:
    out = []
    for sid in bundled_names():
        folder = Path(load_spec(sid).folder) / "examples"
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".json", ".xml") and path.parent.name != "examples":
                out.append((sid, path))
    return out


EXAMPLES = _examples()


def _validate(spec_id: str, path: Path) -> Result:
    batch = Runner(RunConfig(spec=spec_id)).run([str(path)])
    return batch.results[-1]  # context-document results (if any) come first


def _id(case: tuple[str, Path]) -> str:
    sid, path = case
    return f"{sid}:{path.relative_to(Path(load_spec(sid).folder) / 'examples')}"


@pytest.mark.parametrize("case", EXAMPLES, ids=[_id(c) for c in EXAMPLES])
def test_example_gets_the_verdict_of_its_folder(case: tuple[str, Path]) -> None:
    spec_id, path = case
    result = _validate(spec_id, path)
    messages = [(f.rule_id, f.message.en) for f in result.findings]
    if path.parent.name == "valid":
        assert result.verdict == "conformant", messages
        assert not [f for f in result.findings if f.severity == "error"], messages
        if load_spec(spec_id).status == "deprecated":
            assert result.rule_ids == {"specVersion@deprecated"}, messages
    else:
        rule_id = path.parent.name
        spec = load_spec(spec_id)
        rule = spec.rule(rule_id)
        # A deprecated version's payloads are also told so (specVersion@deprecated, warning).
        retired = {"specVersion@deprecated"} if spec.status == "deprecated" else set()
        assert rule_id in result.rule_ids, messages
        assert result.rule_ids == {rule_id} | retired, messages
        expected = "nonconformant" if rule is None or rule.severity == "error" else "conformant"
        assert result.verdict == expected, messages


def test_every_rule_has_an_invalid_example() -> None:
    for sid in bundled_names():
        spec = load_spec(sid)
        folder = Path(spec.folder) / "examples" / "invalid"
        covered = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
        missing = [r.id for r in spec.rules if r.id not in covered]
        assert not missing, f"{sid}: rules without an invalid example: {missing}"


def test_every_message_type_has_valid_examples_in_both_encodings() -> None:
    for sid in bundled_names():
        spec = load_spec(sid)
        folder = Path(spec.folder) / "examples" / "valid"
        for mt in spec.message_types:
            for ext in (".json", ".xml"):
                found = [p for p in folder.glob(f"*{ext}") if _message_type(p) == mt]
                assert found, f"{sid}: no valid {ext} example of {mt}"


def _message_type(path: Path) -> str | None:
    if path.suffix == ".json":
        mt = orjson.loads(path.read_bytes()).get("messageType")
        return str(mt) if mt else None
    from lxml import etree

    return str(etree.QName(parse_xml(path.read_bytes()).root).localname)


PAIRS = [(sid, p) for sid, p in EXAMPLES if p.suffix == ".json" and p.with_suffix(".xml").exists()]


@pytest.mark.parametrize("case", PAIRS, ids=[_id(c) for c in PAIRS])
def test_xml_twin_is_the_same_record_with_the_same_outcome(case: tuple[str, Path]) -> None:
    spec_id, path = case
    spec = load_spec(spec_id)
    twin = path.with_suffix(".xml")
    doc = orjson.loads(path.read_bytes())
    root = parse_xml(twin.read_bytes()).root
    mt = spec.message_types.get(str(doc.get("messageType")))
    if mt is not None:
        converted, _ = xml_to_json(root, spec, mt)
        assert converted == doc
        assert xml_to_json(root, spec, mt, traced=False)[0] == doc  # the validator's fast path
    j, x = _validate(spec_id, path), _validate(spec_id, twin)
    assert j.verdict == x.verdict
    assert j.rule_ids == x.rule_ids


def test_every_json_example_has_an_xml_twin() -> None:
    lonely = [str(p) for _, p in EXAMPLES if p.suffix == ".json"
              and not p.with_suffix(".xml").exists()]
    assert not lonely
