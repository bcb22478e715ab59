"""Round trip through every bundled platform profile: standard -> native -> standard is the
identity on what the profile maps (Hypothesis, conformant records of the profile's spec
version and layer).

For a record D, N = native(D) says which of D's values it cannot carry (``lost``); then
standard(N) holds every other value of D at the same place (list items compared as a
multiset: a single native field's item is appended after the native list), and a second
round trip changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hegui.generators.strategies import records
from hegui.validator.loader import load_spec
from hegui.validator.mapping import map_native
from hegui.validator.platform_loader import bundled_platform_ids, load_platform
from hegui.validator.unmapping import to_native

CASES = [(pid, name) for pid in bundled_platform_ids()
         for name in load_platform(pid).messages]


def _kept(node: Any, ptr: str, lost: set[str]) -> Any:
    """``node`` without the values at (or under) the ``lost`` pointers; None when empty."""
    if ptr in lost:
        return None
    if isinstance(node, dict):
        out = {k: v for k, v in ((k, _kept(v, f"{ptr}/{k}", lost)) for k, v in node.items())
               if v is not None}
        return out or None
    if isinstance(node, list):
        items = [_kept(v, f"{ptr}/{i}", lost) for i, v in enumerate(node)]
        kept = [v for v in items if v is not None]
        return kept if kept or not node else None
    return node


def _normal(node: Any) -> Any:
    """Lists as sorted multisets, recursively (JSON text order)."""
    if isinstance(node, dict):
        return {k: _normal(v) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((_normal(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True))
    return node


def _within(small: Any, big: Any) -> bool:
    """Whether every value of ``small`` is in ``big`` at the same place (``big`` may hold
    more: the constants and copies a native field implies)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and _within(v, big[k])
                                             for k, v in small.items())
    if isinstance(small, list):  # a multiset: each item within an item of its own
        if not isinstance(big, list):
            return False
        free = list(big)
        for s in small:
            match = next((b for b in free if _within(s, b)), None)
            if match is None:
                return False
            free.remove(match)
        return True
    return bool(small == big)


@pytest.mark.parametrize(("pid", "name"), CASES)
@settings(max_examples=15, suppress_health_check=[HealthCheck.filter_too_much,
                                                HealthCheck.too_slow])
@given(data=st.data())
def test_standard_native_standard_is_identity_on_what_is_mapped(pid: str, name: str,
                                                                data: st.DataObject) -> None:
    platform = load_platform(pid)
    message = platform.messages[name]
    spec = load_spec(platform.spec, platform.layer)
    doc = data.draw(records(spec, message.message_type))
    native = to_native(platform, doc, message)
    back = map_native(platform, native.doc, name)
    assert back.stop is None and back.doc is not None
    placeholders = set()  # a value that is an example's placeholder is rejected on purpose
    for issue in back.issues:  # only where the native form could not carry the value
        sources = {c for c, (n, _) in back.origins.items() if n == issue.pointer}
        if issue.rule_id.endswith("@placeholder"):
            placeholders |= sources
            continue
        assert sources and sources <= set(native.lost), (issue.text.en, native.lost)
    kept = _kept(dict(doc), "", set(native.lost) | placeholders) or {}
    assert _within(kept, back.doc), (kept, back.doc, native.lost)
    again = map_native(platform, to_native(platform, back.doc, message).doc, name)
    assert _normal(again.doc) == _normal(back.doc)
