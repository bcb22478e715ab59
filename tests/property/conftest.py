"""Property-test fixtures: every test taking ``spec`` runs once per bundled spec and once for
the test-only ``minispec`` (tests/conftest.py), so a new bundled spec is covered without
editing a test. All generation knowledge comes from the specs' data (``generate:`` blocks)."""

from __future__ import annotations

import pytest

from hegui.validator.loader import bundled_spec_ids, load_spec
from hegui.validator.spec import Spec

#: Specs the property tests run on: the test minispec, then every bundled spec.
SPEC_NAMES = ("minispec", *bundled_spec_ids())


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise ``spec_name`` over :data:`SPEC_NAMES` (unless a test does it itself)."""
    if "spec_name" in metafunc.fixturenames and not any(
            m.name == "parametrize" and "spec_name" in str(m.args[0])
            for m in metafunc.definition.iter_markers()):
        metafunc.parametrize("spec_name", SPEC_NAMES, scope="session")


@pytest.fixture(scope="session")
def spec(spec_name: str, request: pytest.FixtureRequest) -> Spec:
    """The spec named ``spec_name``: the minispec fixture, or a bundled spec."""
    if spec_name == "minispec":
        found: Spec = request.getfixturevalue("minispec")
        return found
    return load_spec(spec_name)
