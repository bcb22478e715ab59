"""Property-test fixtures: bundled specs ready for generation (the test minispec's generator
help is hegui.generators.help_minispec)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hegui.generators.schemas import write_schemas
from hegui.validator.errors import HeguiError
from hegui.validator.loader import load_spec
from hegui.validator.spec import Spec
from hegui.validator.structure import schema_files


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
