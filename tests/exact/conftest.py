"""Fixtures of the exact tests: a valid minispec order, a minispec with an info rule and a rule
that fails to evaluate, and a way to judge payload bytes through the public Runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import ric, uscc

from hegui.generators.schemas import write_schemas
from hegui.validator.loader import load_spec
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner

DATA = Path(__file__).parent.parent / "data"

#: Rules added to the minispec for these tests: an info rule (fires on 3 or 4 copies), a
#: warning rule at the same place (fires on 4 copies) and a rule that cannot be evaluated on a
#: schema-valid payload with 7 copies (64-bit overflow).
EXTRA_RULES = """
  - id: MS-090
    severity: info
    title: {zh: 三份提示, en: Three copies note}
    message: {zh: 订单为三或四份, en: the order is for three or four copies}
    basis: {text: test fixture, inferred: true}
    appliesTo: [order]
    fields: [order.copies]
    expr: order.copies < 3 || order.copies > 4
  - id: MS-092
    severity: warning
    title: {zh: 四份提醒, en: Four copies warning}
    message: {zh: 订单为四份, en: the order is for four copies}
    basis: {text: test fixture, inferred: true}
    appliesTo: [order]
    fields: [order.copies]
    expr: order.copies != 4
  - id: MS-091
    severity: error
    title: {zh: 溢出, en: Overflow}
    message: {zh: 不应出现, en: never shown}
    basis: {text: test fixture, inferred: true}
    appliesTo: [order]
    fields: [order.copies]
    expr: order.copies != 7 || order.copies * 4611686018427387904 > 0
"""

Judge = Callable[..., Result]


def a_uscc() -> str:
    """A unified social credit code with a correct check character."""
    body = "91441900MA4UABCD1"
    return body + uscc.calc_check_digit(body)


def an_id(body: str = "44190019900101123") -> str:
    """A resident ID number with a correct check digit (stdnum wants all 18 characters)."""
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture()
def order() -> dict[str, Any]:
    """A conformant minispec order (JSON encoding), fresh for each test to change."""
    return {
        "messageType": "order", "specVersion": "0.1",
        "order": {"orderNo": "A1", "kind": "1", "amount": "500000.00",
                  "amountInWords": "伍拾万元整", "rate": "0.005000", "fee": "2500.00",
                  "copies": 2, "urgent": False, "placedAt": "2025-03-01 09:30:00",
                  "dueDate": "2025-03-02",
                  "buyer": {"name": "示例公司", "uscc": a_uscc(), "idNo": an_id(),
                            "region": "441900"},
                  "tags": ["a", "b"]},
        "lines": [{"sku": "S1", "qty": 2}, {"sku": "S2", "qty": 5}],
    }


@pytest.fixture(scope="session")
def plusspec(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Folder of the minispec plus the rules of ``EXTRA_RULES``, schemas generated."""
    folder = tmp_path_factory.mktemp("plus") / "minispec"
    shutil.copytree(DATA / "minispec", folder)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA_RULES,
                     encoding="utf-8")
    write_schemas(load_spec(str(folder)))
    return str(folder)


@pytest.fixture()
def judge(tmp_path: Path) -> Judge:
    """Validate bytes written to a file of the given name with the public Runner."""
    def run(spec: str, name: str, data: bytes, **options: Any) -> Result:
        from hegui.validator.engine import Options

        path = tmp_path / name
        path.write_bytes(data)
        config = RunConfig(spec=spec, options=Options(**options)) if options \
            else RunConfig(spec=spec)
        batch = Runner(config).run([str(path)])
        assert len(batch.results) == 1
        return batch.results[0]
    return run
