"""The Python code blocks of the docs run as written (docs/python-api.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "python-api.md").read_text("utf-8"),
                    re.DOTALL)


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_python_api_doc_block_runs(index: int) -> None:
    assert len(BLOCKS) == 2
    exec(compile(BLOCKS[index], f"docs/python-api.md#block{index}", "exec"), {})
