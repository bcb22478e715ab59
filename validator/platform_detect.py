"""Which bundled platform profile a native message is, when the message says enough.

A body no bundled spec claims (it names no message type) is tried against every bundled
platform profile: its envelope's recognising members, then its messages' recognisers. Only a
message exactly one profile recognises is detected; anything else is left to ``--profile``.
"""

from __future__ import annotations

from typing import Any

from hegui.validator.limits import Limits
from hegui.validator.platform_loader import bundled_platform_ids, load_platform
from hegui.validator.platform_model import Platform
from hegui.validator.safe_json import JsonParseError, parse_json


def detect_platform(data: bytes, limits: Limits) -> Platform | None:
    """The one bundled platform profile whose message ``data`` is, or None."""
    try:
        doc = parse_json(data, limits).value
    except (JsonParseError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    found = [p for p in _platforms() if _recognises(p, doc)]
    return found[0] if len(found) == 1 else None


def _platforms() -> list[Platform]:
    return [load_platform(pid) for pid in bundled_platform_ids()]


def _recognises(platform: Platform, doc: dict[str, Any]) -> bool:
    for env in platform.envelopes_of(doc):
        body: Any = doc
        for part in env.body.split("."):
            body = body.get(part) if isinstance(body, dict) else None
        if not isinstance(body, dict):
            return True  # the envelope alone says whose it is (its body is checked later)
        if len(platform.recognise(body, env.name)) == 1:
            return True
    return len(platform.recognise(doc)) == 1
