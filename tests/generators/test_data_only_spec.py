"""Adding a spec needs no Python: a small spec written as data only, in a temporary folder, is
validated, gets its schemas generated, and feeds the strategies and a test pack — its
generation knowledge (a limit, repairs over list items, a draw, a break) all in ``generate:``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings

from hegui.cli_validate import validate
from hegui.generators.pack import PackConfig, write_pack
from hegui.generators.schemas import write_schemas
from hegui.generators.strategies import encode, invalid_records, records
from hegui.validator.loader import load_spec
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import Spec

TEXT = {"zh": "测试", "en": "test"}
BASIS = {"text": "test fixture", "inferred": True}

FILES: dict[str, Any] = {
    "manifest.yaml": {
        "id": "ledger", "title": {"zh": "台账", "en": "Ledger"}, "standard": {"number": None},
        "version": "0.1", "status": "draft", "provenance": {"zh": "测试", "en": "test"},
        "namespace": "urn:hegui:test:ledger", "rulePrefix": "LG"},
    "codelists.yaml": {"codelists": {"currency": {**TEXT, "basis": BASIS, "codes": [
        {"code": "CNY", "zh": "人民币", "en": "Yuan"},
        {"code": "HKD", "zh": "港币", "en": "HKD"}]}}},
    "dictionary.yaml": {"groups": {
        "invoice": {**TEXT, "elements": {
            "number": {**TEXT, "type": "string", "maxLength": 12, "pattern": "[A-Z0-9]+",
                       "use": "required"},
            "currency": {**TEXT, "type": "code", "codelist": "currency", "use": "required"},
            "issuedAt": {**TEXT, "type": "datetime", "use": "required"},
            "dueAt": {**TEXT, "type": "datetime", "use": "required"},
            "total": {**TEXT, "type": "money", "digits": 18, "scale": 2, "use": "required"},
            "taxRate": {**TEXT, "type": "rate", "digits": 6, "scale": 4, "use": "required"},
            "tax": {**TEXT, "type": "money", "digits": 18, "scale": 2, "use": "required"}}},
        "party": {**TEXT, "elements": {
            "name": {**TEXT, "type": "string", "maxLength": 40, "use": "required"},
            "uscc": {**TEXT, "type": "uscc", "use": "required"}}},
        "line": {**TEXT, "elements": {
            "sku": {**TEXT, "type": "string", "maxLength": 8, "pattern": "[A-Z0-9]+",
                    "use": "required"},
            "qty": {**TEXT, "type": "integer", "minimum": 1, "maximum": 99, "use": "required"}}}}},
    "messages.yaml": {"messageTypes": {"invoice": {
        **TEXT, "direction": "seller → buyer", "basis": BASIS, "description": TEXT,
        "sections": {"invoice": {}, "seller": {"group": "party"}, "buyer": {"group": "party"},
                     "lines": {"group": "line", "list": True, "minItems": 1, "maxItems": 4}}}}},
    "rules.yaml": {"rules": [
        {"id": "LG-001", "severity": "error", "title": TEXT, "message": TEXT, "basis": BASIS,
         "appliesTo": ["invoice"], "fields": ["invoice.tax", "invoice.total", "invoice.taxRate"],
         "expr": "invoice.tax == (invoice.total * invoice.taxRate + 5000) / 10000",
         "generate": {"limit": {"invoice.total": 10**12},
                      "repair": [{"set": {"invoice.tax":
                                          "(invoice.total * invoice.taxRate + 5000) / 10000"}}]}},
        {"id": "LG-002", "severity": "error", "title": TEXT, "message": TEXT, "basis": BASIS,
         "appliesTo": ["invoice"], "fields": ["invoice.dueAt", "invoice.issuedAt"],
         "expr": "invoice.dueAt >= invoice.issuedAt",
         "generate": {"repair": [
             {"set": {"invoice.dueAt": 'invoice.issuedAt + duration("720h")'}}]}},
        {"id": "LG-003", "kind": "each", "severity": "warning", "title": TEXT, "message": TEXT,
         "basis": BASIS, "appliesTo": ["invoice"], "fields": ["lines"],
         "expr": "lines.filter(l, lines.filter(m, m.sku == l.sku).size() > 1)",
         "generate": {
             "repair": [{"for": {"l": "lines"},
                         "when": "lines.exists(m, m._index < l._index && m.sku == l.sku)",
                         "set": {"l.sku": '"D" + string(l._index)'}}],
             "break": [{"when": "size(lines) < 4", "append": {"lines": "[lines[0]]"}}]}},
        {"id": "LG-004", "severity": "error", "title": TEXT, "message": TEXT, "basis": BASIS,
         "appliesTo": ["invoice"], "fields": ["buyer.uscc", "seller.uscc"],
         "expr": "buyer.uscc != seller.uscc",
         "generate": {"repair": [{"draw": ["buyer.uscc"]}]}},
    ]},
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    folder = tmp_path_factory.mktemp("third") / "ledger"
    folder.mkdir()
    for name, doc in FILES.items():
        (folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")
    write_schemas(load_spec(str(folder)))
    return load_spec(str(folder))


QUICK = settings(max_examples=15, database=None, deadline=None, phases=[Phase.generate],
                 suppress_health_check=list(HealthCheck))


def test_strategies_draw_conformant_and_per_rule_invalid_records(ledger: Spec) -> None:
    validator = Runner(RunConfig(spec=ledger.folder)).validator(ledger)

    @QUICK
    @given(records(ledger))
    def conformant(doc: dict[str, Any]) -> None:
        for enc in ("json", "xml"):
            result = validator.validate(encode(ledger, doc, enc), f"p.{enc}")  # type: ignore[arg-type]
            assert result.verdict == "conformant" and not result.findings, result.findings

    conformant()
    for rule in ledger.rules:
        _breaks_alone(ledger, rule.id)


def _breaks_alone(spec: Spec, rule_id: str) -> None:
    validator = Runner(RunConfig(spec=spec.folder)).validator(spec)

    @QUICK
    @given(invalid_records(spec, rule_id))
    def broken(doc: dict[str, Any]) -> None:
        result = validator.validate(encode(spec, doc, "xml"), "p.xml")
        assert result.rule_ids == {rule_id}

    broken()


def test_pack_validates_as_its_manifest_says(ledger: Spec, tmp_path: Path) -> None:
    manifest = write_pack(PackConfig(ledger, ("invoice",), count=5, seed=2, invalid=True),
                          tmp_path)
    broken = {f["rule_ids"][0] for f in manifest["files"] if f["rule_ids"]}
    assert {r.id for r in ledger.rules} <= broken and not manifest["skipped"]
    assert "invoice.total@pattern" in broken and "lines@maxItems" in broken
    run = CliRunner().invoke(validate, [str(tmp_path / "valid"), str(tmp_path / "invalid"),
                                        "--spec", ledger.folder, "--format", "json",
                                        "--expect", str(tmp_path / "manifest.json")])
    assert run.exit_code == 0, run.stderr
    sample = json.loads((tmp_path / "valid" / "invoice" / "invoice-0001.json").read_bytes())
    assert sample["messageType"] == "invoice"
