"""An independent oracle for test packs: the Python ``jsonschema`` and ``xmlschema`` engines
(not the ones hegui validates with) against the committed schemas.

Every conformant file of a pack must be schema-valid for them, and every file made to break a
structural id other than presence must be schema-invalid for them (presence and require rules
are partly the engine's own, see docs/spec-format.md). Business rules have no independent
implementation; their expectations stay circular (see test_pack.py).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import xmlschema

from hegui.generators.pack import PackConfig, build_pack
from hegui.validator.loader import load_spec
from hegui.validator.runtime import schema_files
from hegui.validator.versions import bundled_names

#: Facets the schemas state alone (`required` and `unexpected` depend on message-type
#: definitions and require rules the engine also adds; `type` of XML text is lexical).
SCHEMA_FACETS = ("pattern", "enum", "maxLength", "minLength", "length", "minimum", "maximum",
                 "maxItems", "minItems")


@pytest.mark.slow
@pytest.mark.parametrize("spec_id", bundled_names())
def test_other_engines_agree_with_the_pack(spec_id: str) -> None:
    spec = load_spec(spec_id)
    xsd_path, json_path = schema_files(spec)
    schema = json.loads(json_path.read_text(encoding="utf-8"))
    json_check = jsonschema.Draft202012Validator(schema)
    xml_check = xmlschema.XMLSchema(str(xsd_path))
    files, _ = build_pack(PackConfig(spec=spec, message_types=tuple(spec.message_types),
                                     count=4, seed=3, invalid=True))
    checked = {"valid": 0, "invalid": 0}
    for pack_file, data in files:
        structural = pack_file.rule_ids and "@" in pack_file.rule_ids[0]
        facet = pack_file.rule_ids[0].rsplit("@", 1)[1] if structural else None
        if pack_file.rule_ids and facet not in SCHEMA_FACETS:
            continue
        if pack_file.encoding == "json":
            ok = json_check.is_valid(_json(data))
        else:
            ok = xml_check.is_valid(data.decode("utf-8"))
        want = not pack_file.rule_ids
        assert ok is want, (pack_file.path, pack_file.rule_ids)
        checked["valid" if want else "invalid"] += 1
    assert checked["valid"] >= 8 and checked["invalid"] >= 10, checked


def _json(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))
