"""Any JSON through any bundled platform profile: never an internal error, never a crash.

The native documents are built from each profile's own field names (so the mapping is
reached, at every depth) with values of every JSON type, plus members no profile knows;
each is validated with the profile, enveloped or bare. A payload the engine cannot judge must
be ``error`` with a reason, never ``payload@internal``.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.validator.engine import Options, Validator
from hegui.validator.loader import load_spec
from hegui.validator.platform_loader import bundled_platform_ids, load_platform
from hegui.validator.platform_model import Platform

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=30), st.sampled_from(["1", "2", "0", "", "xxx",
                                                           "2025-03-18 09:30:00",
                                                           "1742868900000", "[{", "[]"]))


def native_docs(platform: Platform) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects shaped by the profile's native paths, with any values."""
    paths = sorted({p for m in platform.messages.values() for p in m.fields}
                   | {p for e in platform.envelopes.values() for p in e.fields})

    def build(chosen: list[str], values: list[Any], extra: dict[str, Any]) -> dict[str, Any]:
        doc: dict[str, Any] = dict(extra)
        for path, value in zip(chosen, values, strict=False):
            node = doc
            parts = path.split(".")
            for part in parts[:-1]:
                name = part.removesuffix("[]")
                if part.endswith("[]"):
                    lst = node.setdefault(name, [{}]) if isinstance(node, dict) else [{}]
                    if not isinstance(lst, list) or not lst or not isinstance(lst[0], dict):
                        break
                    node = lst[0]
                else:
                    nxt = node.setdefault(name, {}) if isinstance(node, dict) else {}
                    if not isinstance(nxt, dict):
                        break
                    node = nxt
            else:
                node[parts[-1].removesuffix("[]")] = value
        return doc

    return st.builds(build, st.lists(st.sampled_from(paths), max_size=25),
                     st.lists(SCALARS, min_size=25, max_size=25),
                     st.dictionaries(st.text(max_size=8), SCALARS, max_size=3))


@pytest.mark.parametrize("pid", bundled_platform_ids())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_native_document_breaks_the_engine(pid: str, data: st.DataObject) -> None:
    platform = load_platform(pid)
    validator = Validator(load_spec(platform.spec, platform.layer), platform=platform)
    doc = data.draw(native_docs(platform))
    envelope = platform.envelope
    if envelope is not None and data.draw(st.booleans()):
        doc = {**{k: "1" for k in envelope.recognise}, envelope.body: doc}
    names = [None, *platform.messages]
    forced = data.draw(st.sampled_from(names))
    result = validator.validate(orjson.dumps(doc), "fuzz.json", Options(native_message=forced))
    assert "payload@internal" not in result.rule_ids, [f.message.en for f in result.findings]
    assert result.verdict in ("conformant", "nonconformant", "error")
    if result.verdict == "error":
        assert result.error is not None
