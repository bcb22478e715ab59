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

#: The slow tier (property, fuzz, Hypothesis searches, pack generation, subprocesses, browser):
#: folders, files and ``file::test`` names relative to tests/ (every parametrization of a test).
#: Tests elsewhere may carry ``@pytest.mark.slow`` themselves.
SLOW = (
    "property",
    "generators/test_pack.py",
    "generators/test_strategies.py",
    "generators/test_schema_lexical.py",
    # these build whole records, drawing pattern values with Hypothesis' find (seconds)
    "generators/test_schemas.py::test_built_payloads_pass_everywhere",
    "generators/test_schemas.py::test_mutated_payloads_fail_everywhere",
    "generators/test_schemas.py::test_unexpected_elements_fail_everywhere",
    "generators/test_schemas.py::test_json_only_constraints",
    "generators/test_schemas.py::test_simple_conditions_are_stated_in_json_only",
    "generators/test_data_only_spec.py::test_pack_validates_as_its_manifest_says",
    "generators/test_data_only_spec.py::test_strategies_draw_conformant_and_per_rule_invalid_records",
    "test_baseline.py",  # the whole recorded baseline (examples and packs)
    "cli/test_validate_cli.py::test_subprocess_exit_codes_and_contract",
    "cli/test_validate_cli.py::test_broken_spec_folder_is_a_clear_error",
    "cli/test_validate_cli.py::test_expect_skips_the_manifest_inside_the_pack",
    "reports/test_browser.py",
    "platforms/test_sealed_profiles.py::test_a_sealed_native_pack_validates_as_its_manifest_says",
    "cli/test_dask_cli.py",  # a LocalCluster, and a scheduler that never answers
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under a ``SLOW`` folder or file, or named there, as ``slow``."""
    places = [(TESTS / s.partition("::")[0], s.partition("::")[2]) for s in SLOW]
    for item in items:
        path = Path(str(item.path))
        name = item.name.partition("[")[0]
        for place, test in places:
            if (path == place and test in ("", name)) or (not test and place in path.parents):
                item.add_marker(pytest.mark.slow)
                break


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
    return load_spec("eguarantee@1.0")


@pytest.fixture(scope="session")
def wcspec() -> Spec:
    """The bundled window-checklist spec (its applications read the sample checklist)."""
    return load_spec("window-checklist")
