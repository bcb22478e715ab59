"""The sealed-envelope stage: verify the signature and timestamp, decrypt the business body.

It runs after parsing when the platform profile's envelope has a ``security`` block
(docs/platform-profiles.md, Sealed envelopes). A body already in plaintext is left as it is,
with a note that the seal was not checked; an encrypted one needs the keys (``--keys``):
without them the payload cannot be evaluated (verdict ``error``), never conformant. The
decrypted body then goes through the map stage like a plaintext one; findings inside it point
into ``data`` of the sealed document.
"""

from __future__ import annotations

import orjson

from hegui.validator.envelope_security import missing_keys, open_sealed
from hegui.validator.native_docs import get_path
from hegui.validator.pipeline import Work
from hegui.validator.result import Finding, Location
from hegui.validator.spec import Text

NOT_SEALED = Text("平台配置未规定信封的签名与加密", "the profile defines no sealed envelope")
NO_PROFILE = Text("未指定平台配置", "no platform profile")


class EnvelopeStage:
    """A sealed envelope as sent -> the envelope with its business body in plaintext."""

    name = "envelope"

    def skip_reason(self, work: Work) -> Text | None:
        """Runs only with a platform profile whose envelope is sealed."""
        if work.platform is None:
            return NO_PROFILE
        if not any(e.security for e in work.platform.envelopes.values()):
            return NOT_SEALED
        return None

    def run(self, work: Work) -> None:
        """Check the seal and put the decrypted body in ``work.doc``, or stop."""
        platform, doc = work.platform, work.doc
        assert platform is not None
        if doc is None:
            return
        env = next((e for e in platform.envelopes_of(doc) if e.security is not None), None)
        if env is None or env.security is None:
            return  # a bare body, or another envelope: the map stage says so
        body = get_path(doc, env.body)
        if isinstance(body, dict) or _json_object(body):
            work.add("envelope.seal@plaintext", "info", Text(
                f"信封中的业务数据 {env.body} 是明文：签名、时间戳与加密未检查",
                f"the envelope's business data {env.body} is plaintext: its signature, "
                "timestamp and encryption were not checked"), "envelope", f"/{env.body}")
            return
        if not isinstance(body, str) or not body:
            return  # empty: the map stage reports it
        keys = work.keys.for_profile(platform.id) if work.keys is not None else None
        missing = missing_keys(env.security, keys)
        if missing or keys is None:
            names = "、".join(missing), ", ".join(missing)
            text = Text(f"无法评估：未提供平台配置 {platform.id} 所需的密钥 {names[0]}（--keys）",
                        f"cannot evaluate: no {names[1]} for platform profile {platform.id} "
                        "(--keys)")
            work.findings.append(Finding("envelope.keys@missing", "error", text, "envelope",
                                         Location(pointer=f"/{env.body}")))
            work.stopped, work.stopped_text = text.en, text
            return
        opened = open_sealed(doc, env.security, keys, work.now)
        for p in opened.problems:
            if p.stop:
                work.findings.append(Finding(p.rule_id, "error", p.text, "envelope",
                                             Location(pointer=p.pointer)))
                work.stopped, work.stopped_text = p.text.en, p.text
                return
            work.add(p.rule_id, "error", p.text, "envelope", p.pointer)
        if opened.doc is not None:
            work.doc = opened.doc
            work.decrypted = env.body


def _json_object(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return isinstance(orjson.loads(value), dict)
    except orjson.JSONDecodeError:
        return False
