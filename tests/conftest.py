"""Shared fixtures: the minispec test spec (with generated schemas) and Hypothesis profiles.

Also the fast tier: tests in the folders and files of ``SLOW`` are marked ``slow``, so
``pytest -m "not slow"`` (``make check``) runs the rest in seconds; ``make test`` runs all.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from hegui.generators.schemas import write_schemas
from hegui.validator.loader import load_spec
from hegui.validator.spec import Spec

DATA = Path(__file__).parent / "data"

# Property tests: a fast profile for `make test`, a thorough one for HEGUI_HYPOTHESIS_PROFILE.
settings.register_profile("fast", max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HEGUI_HYPOTHESIS_PROFILE", "fast"))

TESTS = Path(__file__).parent

#: Test folders and files of the slow tier (property, fuzz, pack generation, browser), relative
#: to tests/. Single slow tests elsewhere carry ``@pytest.mark.slow`` themselves.
SLOW = (
    "property",
    "generators/test_pack.py",
    "generators/test_strategies.py",
    "generators/test_schema_lexical.py",
    "reports/test_browser.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under a ``SLOW`` folder or file as ``slow``."""
    slow = [TESTS / s for s in SLOW]
    for item in items:
        path = Path(str(item.path))
        if any(path == s or s in path.parents for s in slow):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def minispec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    """The test-only spec of tests/data/minispec, copied with freshly generated schemas."""
    folder = tmp_path_factory.mktemp("spec") / "minispec"
    shutil.copytree(DATA / "minispec", folder)
    write_schemas(load_spec(str(folder)))
    return load_spec(str(folder))


@pytest.fixture(scope="session")
def egspec() -> Spec:
    """The bundled e-guarantee spec (its generated schemas are committed)."""
    return load_spec("eguarantee")


@pytest.fixture(scope="session")
def wcspec() -> Spec:
    """The bundled window-checklist spec (its applications read the sample checklist)."""
    return load_spec("window-checklist")
