"""Profile layers (docs/spec-format.md, Profiles): a profile requires, forbids, tightens and
adds rules on top of the core, never loosens it, and findings say which layer fired.

Runs on a copy of tests/data/minispec with a profile written here, so the format is tested
apart from any real platform's data.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from hegui.validator.catalogue import Catalogue
from hegui.validator.codec import json_to_xml
from hegui.validator.engine import Validator
from hegui.validator.errors import SpecError
from hegui.validator.spec import Spec

DATA = Path(__file__).resolve().parents[1] / "data" / "minispec"

SHOP: dict[str, Any] = {
    "id": "shop",
    "title": {"zh": "测试商店", "en": "Test shop"},
    "basis": {"text": "test fixture", "inferred": True},
    "messageTypes": {"order": {
        "require": ["order.dueDate", "order.buyer", "order.buyer.uscc"],
        "forbid": ["order.tags"]}},
    "elements": {"party.name": {"maxLength": 20}, "order.kind": {"codes": ["1"]},
                 "line.sku": {"pattern": "[A-Z]+"}},
    "rules": [{
        "id": "MS-101", "severity": "error",
        "title": {"zh": "份数不超过 10", "en": "At most 10 copies"},
        "message": {"zh": "份数 {order.copies} 超过 10", "en": "{order.copies} copies is over 10"},
        "basis": {"text": "test fixture", "inferred": True},
        "appliesTo": ["order"], "fields": ["order.copies"], "expr": "order.copies <= 10"}],
}

#: An order that carries exactly what the core requires.
CORE_ORDER: dict[str, Any] = {
    "messageType": "order", "specVersion": "0.1",
    "order": {"orderNo": "A1", "kind": "1", "amount": "10.00",
              "placedAt": "2025-01-01 10:00:00"},
    "lines": [{"sku": "X", "qty": 1}],
}


def _folder(tmp_path: Path, profile: dict[str, Any] | None = None,
            scoped: list[str] | None = None, schemas: bool = True) -> Path:
    """A minispec copy with ``profile`` as profiles/shop.yaml and MS-002 scoped to
    ``scoped`` (its schemas generated)."""
    folder = tmp_path / "minispec"
    shutil.copytree(DATA, folder)
    if profile is not None:
        (folder / "profiles").mkdir()
        (folder / "profiles" / "shop.yaml").write_text(
            yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if scoped is not None:
        rules = yaml.safe_load((folder / "rules.yaml").read_text(encoding="utf-8"))
        rules["rules"][1]["scope"] = scoped
        (folder / "rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True),
                                           encoding="utf-8")
    if schemas:
        from hegui.generators.schemas import write_schemas

        write_schemas(Catalogue().spec(str(folder)))
    return folder


@pytest.fixture()
def shop(tmp_path: Path) -> tuple[Spec, Spec]:
    """(core, core + shop) of a minispec copy with the shop profile, MS-002 scoped to it."""
    folder = _folder(tmp_path, SHOP, scoped=["shop"])
    cat = Catalogue()
    return cat.spec(str(folder)), cat.spec(str(folder), "shop")


def _ids(spec: Spec, doc: dict[str, Any], encoding: str = "json") -> list[tuple[str, str]]:
    """(rule id, layer) of every finding of ``doc`` in ``encoding``."""
    data = (json.dumps(doc).encode() if encoding == "json"
            else json_to_xml(doc, spec))
    result = Validator(spec).validate(data)
    assert result.verdict != "error", result.error
    return sorted((f.rule_id, f.layer) for f in result.findings)


@pytest.mark.parametrize("encoding", ["json", "xml"])
def test_core_only_message_passes_the_core_and_fails_the_profile(
        shop: tuple[Spec, Spec], encoding: str) -> None:
    core, layered = shop
    assert _ids(core, CORE_ORDER, encoding) == []
    assert _ids(layered, CORE_ORDER, encoding) == [
        ("order.buyer@required", "shop"), ("order.dueDate@required", "shop")]


@pytest.mark.parametrize("encoding", ["json", "xml"])
def test_profile_requires_inside_a_nested_group(shop: tuple[Spec, Spec], encoding: str) -> None:
    core, layered = shop
    doc = {**CORE_ORDER, "order": {**CORE_ORDER["order"], "dueDate": "2025-01-02",
                                   "buyer": {"name": "N"}}}
    assert _ids(core, doc, encoding) == []
    assert _ids(layered, doc, encoding) == [("order.buyer.uscc@required", "shop")]
    # The nested requirement is this message type's: the dictionary's party group is unchanged.
    assert layered.groups["party"].element("uscc").use == "optional"  # type: ignore[union-attr]
    assert layered.message_types["order"].fields["order.buyer.uscc"].use == "required"


#: One change each to a record that meets core and profile, and the one finding it gives
#: under the profile (the core accepts every one of them).
TIGHTENED = [
    ({"order": {"copies": 11}}, "MS-101"),
    ({"order": {"buyer": {"name": "N" * 30, "uscc": "91350100M000100Y43"}}},
     "order.buyer.name@maxLength"),
    ({"order": {"kind": "2", "reason": "r"}}, "order.kind@enum"),
    ({"order": {"tags": ["a"]}}, "order.tags@unexpected"),
    ({"lines": [{"sku": "X1", "qty": 1}]}, "lines[].sku@pattern"),
]


@pytest.mark.parametrize("encoding", ["json", "xml"])
@pytest.mark.parametrize(("change", "rule_id"), TIGHTENED, ids=[r for _, r in TIGHTENED])
def test_profile_forbids_tightens_and_adds_rules(shop: tuple[Spec, Spec], encoding: str,
                                                 change: dict[str, Any], rule_id: str) -> None:
    core, layered = shop
    full = {**CORE_ORDER, "order": {**CORE_ORDER["order"], "dueDate": "2025-01-02",
                                    "buyer": {"name": "N", "uscc": "91350100M000100Y43"}}}
    assert _ids(layered, full, encoding) == []
    doc = {**full, "order": {**full["order"], **change.get("order", {})},
           "lines": change.get("lines", full["lines"])}
    assert _ids(core, doc, encoding) == []
    assert _ids(layered, doc, encoding) == [(rule_id, "shop")]


def test_requiring_a_nested_element_requires_what_holds_it(tmp_path: Path) -> None:
    only = {**SHOP, "messageTypes": {"order": {"require": ["order.buyer.uscc"]}},
            "elements": {}, "rules": []}
    layered = Catalogue().spec(str(_folder(tmp_path, only)), "shop")
    assert _ids(layered, CORE_ORDER) == [("order.buyer@required", "shop")]
    # the core requires party.name already: not the layer's
    doc = {**CORE_ORDER, "order": {**CORE_ORDER["order"], "buyer": {}}}
    assert _ids(layered, doc) == [("order.buyer.name@required", "core"),
                                  ("order.buyer.uscc@required", "shop")]


def test_scoped_rule_runs_only_in_its_profile(shop: tuple[Spec, Spec]) -> None:
    core, layered = shop
    doc = {**CORE_ORDER, "order": {**CORE_ORDER["order"], "dueDate": "2024-01-01"}}
    assert "MS-002" not in {r.id for r in core.rules}
    assert _ids(core, doc) == []
    found = _ids(layered, doc)
    assert ("MS-002", "shop") in found
    assert layered.rule("MS-002").scope == ("shop",)  # type: ignore[union-attr]


def test_core_rules_and_ids_say_core(shop: tuple[Spec, Spec]) -> None:
    _, layered = shop
    doc = {**CORE_ORDER, "order": {**CORE_ORDER["order"], "orderNo": "a-1"}}
    assert ("order.orderNo@pattern", "core") in _ids(layered, doc)


def test_layered_schemas_are_built_in_memory(shop: tuple[Spec, Spec]) -> None:
    from hegui.generators.json_schema import json_schema

    core, layered = shop
    order = json_schema(layered)["$defs"]["section.order.order"]
    assert "dueDate" in order["required"] and "tags" not in order["properties"]
    assert order["properties"]["buyer"]["required"] == ["name", "uscc"]
    assert "dueDate" not in json_schema(core)["$defs"]["section.order.order"]["required"]


LOOSENING = [
    ({"messageTypes": {"order": {"forbid": ["order.orderNo"]}}},
     "the core requires 'order.orderNo' in order"),
    ({"messageTypes": {"cancel": {"require": ["order.buyer"]}}}, "the core excludes"),
    ({"messageTypes": {"order": {"require": ["order.nothing"]}}}, "has no element"),
    ({"messageTypes": {"nope": {"require": ["order.dueDate"]}}}, "unknown message type"),
    ({"elements": {"party.name": {"maxLength": 80}}}, "above the core's 50"),
    ({"elements": {"order.copies": {"minimum": -1}}}, "below the core's 0"),
    ({"elements": {"order.kind": {"codes": ["1", "3"]}}}, "'3'"),
    ({"elements": {"order.orderNo": {"pattern": "[A]+"}}}, "already has a pattern"),
    ({"elements": {"order.amount": {"pattern": "1"}}}, "does not apply to datatype money"),
    ({"rules": [{**SHOP["rules"][0], "id": "MS-001"}]}, "already used"),
]


@pytest.mark.parametrize(("change", "says"), LOOSENING)
def test_a_profile_that_would_loosen_the_core_is_a_load_error(
        tmp_path: Path, change: dict[str, Any], says: str) -> None:
    base = {k: v for k, v in SHOP.items() if k not in ("messageTypes", "elements", "rules")}
    folder = _folder(tmp_path, {**base, **change})
    with pytest.raises(SpecError) as err:
        Catalogue().spec(str(folder), "shop")
    problem = err.value.problems[0]
    assert problem.file == "profiles/shop.yaml" and problem.line is not None
    assert says in problem.problem


def test_a_profile_cannot_say_optional(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {**SHOP, "messageTypes": {"order": {"optional": ["order.kind"]}}})
    with pytest.raises(SpecError) as err:
        Catalogue().spec(str(folder), "shop")
    assert "optional" in str(err.value) and "profiles/shop.yaml" in str(err.value)


def test_scope_must_name_a_profile(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SHOP, scoped=["shopp"], schemas=False)
    with pytest.raises(SpecError, match="unknown profile 'shopp'"):
        Catalogue().spec(str(folder))


def test_profile_rule_cel_error_names_the_profile_file(tmp_path: Path) -> None:
    broken = {**SHOP, "rules": [{**SHOP["rules"][0], "expr": "order.copiez <= 10"}]}
    folder = _folder(tmp_path, broken)
    with pytest.raises(SpecError) as err:
        Catalogue().spec(str(folder), "shop")
    assert err.value.problems[0].file == "profiles/shop.yaml"


def test_unknown_profile_lists_the_profiles(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SHOP)
    with pytest.raises(SpecError, match=r"no profile 'bank'.*profiles: shop"):
        Catalogue().spec(str(folder), "bank")


def test_cli_profile_through_a_subprocess(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SHOP)
    payload = tmp_path / "order.json"
    payload.write_text(json.dumps(CORE_ORDER), encoding="utf-8")
    hegui = [sys.executable, "-P", "-m", "hegui", "validate", "--spec", str(folder),
             str(payload), "--format", "json"]
    core = subprocess.run(hegui, capture_output=True, text=True, check=False)
    assert core.returncode == 0, core.stdout + core.stderr
    layered = subprocess.run([*hegui, "--profile", "shop"], capture_output=True, text=True,
                             check=False)
    assert layered.returncode == 1, layered.stderr
    out = json.loads(layered.stdout)
    result = out["results"][0]
    assert result["spec"]["profile"] == "shop"
    assert {(f["rule_id"], f["layer"]) for f in result["findings"]} == {
        ("order.buyer@required", "shop"), ("order.dueDate@required", "shop")}
    unknown = subprocess.run([*hegui, "--profile", "bank"], capture_output=True, text=True,
                             check=False)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert "no profile 'bank'" in unknown.stderr


def test_cli_prints_the_layered_schemas(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SHOP)
    base = [sys.executable, "-P", "-m", "hegui", "specs", "schemas", str(folder), "--print"]
    layered = subprocess.run([*base, "json", "--profile", "shop"], capture_output=True,
                             text=True, check=False)
    assert layered.returncode == 0, layered.stderr
    order = json.loads(layered.stdout)["$defs"]["section.order.order"]
    assert "dueDate" in order["required"]
    core = json.loads(subprocess.run([*base, "json"], capture_output=True, text=True,
                                     check=True).stdout)
    assert "dueDate" not in core["$defs"]["section.order.order"]["required"]
    xsd = subprocess.run([*base, "xsd", "--profile", "shop"], capture_output=True, text=True,
                         check=True).stdout
    assert xsd.startswith("<?xml") and 'name="dueDate"' in xsd
