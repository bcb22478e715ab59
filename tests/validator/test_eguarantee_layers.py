"""eguarantee 1.1's layering on its real data: a message carrying only the core of its type is
conformant under the core, and nonconformant under every profile layer that requires more at
that step, each finding that layer's; each profile rule's example breaks exactly that rule
under its profile and passes the core (tests/data/eguarantee-1.1/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hegui.validator.engine import Validator
from hegui.validator.loader import load_spec

SPEC = load_spec("eguarantee@1.1")
FOLDER = Path(SPEC.folder)
CORE_ONLY = sorted((FOLDER / "examples" / "valid").glob("*-core.*"))
#: Rule id -> the profiles it belongs to, from every layer.
SPEC_RULE_SCOPES = {r.id: r.scope for p in SPEC.profiles for r in load_spec(
    "eguarantee@1.1", p).rules if r.scope}
PROFILE_RULES = sorted((Path(__file__).resolve().parents[1] / "data" / "eguarantee-1.1"
                        / "profile-rules").glob("*/*/*.*"))


def _demands(profile: str) -> dict[str, list[str]]:
    data = yaml.safe_load((FOLDER / "profiles" / f"{profile}.yaml").read_text(encoding="utf-8"))
    return {mt: d.get("require", []) for mt, d in (data.get("messageTypes") or {}).items()}


def test_there_is_a_core_only_example_of_every_exchanged_type() -> None:
    have = {p.name.split("-core.")[0] for p in CORE_ONLY}
    asked = {mt for name in SPEC.profiles for mt in _demands(name)}
    assert asked <= have, f"no core-only example of {sorted(asked - have)}"
    assert len(SPEC.profiles) == 5


@pytest.mark.parametrize("path", CORE_ONLY, ids=[p.name for p in CORE_ONLY])
def test_core_only_message_passes_the_core_and_fails_each_profile_that_asks_more(
        path: Path) -> None:
    data = path.read_bytes()
    mt = path.name.split("-core.")[0]
    core = Validator(SPEC).validate(data, path.name)
    assert core.verdict == "conformant", [(f.rule_id, f.message.en) for f in core.findings]
    stricter = [p for p in SPEC.profiles if _demands(p).get(mt)]
    for profile in stricter:
        result = Validator(load_spec("eguarantee@1.1", profile)).validate(data, path.name)
        assert result.verdict == "nonconformant", (profile, mt)
        assert result.findings and {f.layer for f in result.findings if
                                    f.severity == "error"} == {profile}, (profile, mt)
        # what the layer requires, or a rule of the layer's (EG-035 reads what Epoint requires)
        assert all(f.rule_id.endswith(("@required", "@minItems"))
                   or profile in SPEC_RULE_SCOPES.get(f.rule_id, ()) for f in result.findings
                   if f.severity == "error"), (profile, [f.rule_id for f in result.findings])


@pytest.mark.parametrize("path", PROFILE_RULES,
                         ids=[f"{p.parent.parent.name}/{p.parent.name}/{p.name}"
                              for p in PROFILE_RULES])
def test_profile_rule_example_breaks_that_rule_in_its_profile_only(path: Path) -> None:
    profile, rule_id = path.parent.parent.name, path.parent.name
    data = path.read_bytes()
    core = Validator(SPEC).validate(data, path.name)
    assert core.verdict == "conformant", [(f.rule_id, f.message.en) for f in core.findings]
    layered = load_spec("eguarantee@1.1", profile)
    assert layered.rule(rule_id) is not None and SPEC.rule(rule_id) is None
    result = Validator(layered).validate(data, path.name)
    assert {(f.rule_id, f.layer) for f in result.findings} == {(rule_id, profile)}


def test_the_api_lays_a_profile_over_a_loaded_spec_too() -> None:
    import hegui

    data = (FOLDER / "examples" / "valid" / "apply-core.json").read_bytes()
    assert hegui.validate(data, SPEC).verdict == "conformant"
    for spec in (SPEC, "eguarantee@1.1", "eguarantee", None):
        result = hegui.validate(data, spec, profile="jiangxi")
        assert result.spec is not None and result.spec.profile == "jiangxi", spec
        assert result.verdict == "nonconformant"
        assert {f.layer for f in result.findings if f.severity == "error"} == {"jiangxi"}
