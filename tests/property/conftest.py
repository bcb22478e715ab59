"""Property-test fixtures: bundled specs ready for generation, and help for the test minispec."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from hegui.generators.schemas import write_schemas
from hegui.generators.strategies import Draft, Help, register_help
from hegui.validator.errors import HeguiError
from hegui.validator.loader import load_spec
from hegui.validator.spec import Spec
from hegui.validator.structure import schema_files


def _minispec_repair(d: Draft) -> None:
    """Cross-field rules of tests/data/minispec (MS-001 fee, MS-002 due date, MS-004 qty)."""
    for path, high in (("order.amount", 10**13), ("order.rate", 10**5)):
        value = d.minor(path)
        if value is not None and value > high:  # keeps amount x rate inside CEL's int64
            d.set_minor(path, high)
    amount, rate = d.minor("order.amount"), d.minor("order.rate")
    if d.active("MS-001") and amount is not None and rate is not None and d.has("order.fee"):
        d.set_minor("order.fee", (amount * rate + 500_000) // 1_000_000)
    placed, due = d.time("order.placedAt"), d.time("order.dueDate")
    if d.active("MS-002") and placed and due and due < placed - dt.timedelta(hours=24):
        d.set_time("order.dueDate", placed)
    for i, line in enumerate(d.get("lines") or []):
        if d.active("MS-004") and isinstance(line.get("qty"), int) and line["qty"] > 5:
            d.set(f"lines.{i}.qty", 5)


MINISPEC_HELP = Help(repair=_minispec_repair)
register_help("minispec", MINISPEC_HELP)


def ready_spec(spec_id: str, tmp: pytest.TempPathFactory) -> Spec:
    """A bundled spec with its schemas: as installed, else a copy with generated schemas;
    skips while the spec is still being written (broken or without examples)."""
    try:
        spec = load_spec(spec_id)
    except HeguiError as exc:
        pytest.skip(f"spec {spec_id} does not load yet: {exc}")
    if not (Path(spec.folder) / "examples" / "valid").is_dir():
        pytest.skip(f"spec {spec_id} has no examples yet")
    if all(p.is_file() for p in schema_files(spec)):
        return spec
    folder = tmp.mktemp("spec") / spec_id
    shutil.copytree(spec.folder, folder)
    write_schemas(load_spec(str(folder)))
    return load_spec(str(folder))


@pytest.fixture(scope="session")
def egspec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    """The bundled e-guarantee spec, ready for generation."""
    return ready_spec("eguarantee", tmp_path_factory)


@pytest.fixture(scope="session")
def wcspec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    """The bundled window-checklist spec, ready for generation."""
    return ready_spec("window-checklist", tmp_path_factory)
