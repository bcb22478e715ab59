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

from hegui.validator.envelope_scheme import Security
from hegui.validator.envelope_security import (
    flag_off,
    looks_encrypted,
    missing_keys,
    open_sealed,
)
from hegui.validator.keys import Keys
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
        sec = env.security
        body = get_path(doc, env.body)
        allowed_off = flag_off(doc, sec.flag)  # plaintext the platform allows: seal still holds
        plain_body = isinstance(body, dict) or _json_object(body) or allowed_off
        encrypted_fields = [] if sec.fields is None or not isinstance(body, dict) else [
            p for p in sec.fields.paths if looks_encrypted(body.get(p), sec.fields.cipher)]
        keys = work.keys.for_profile(platform.id) if work.keys is not None else None
        missing = missing_keys(sec, keys)
        allowed_plain = allowed_off or sec.cipher is None  # a plaintext body the seal covers
        if plain_body and not encrypted_fields and (missing or not allowed_plain):
            work.add("envelope.seal@plaintext", "info", _plaintext(sec, env.body), "envelope",
                     f"/{env.body}")
            return
        if not plain_body and (not isinstance(body, str) or not body):
            return  # empty: the map stage reports it
        if missing:
            names = "、".join(missing), ", ".join(missing)
            text = Text(f"无法评估：未提供平台配置 {platform.id} 所需的密钥 {names[0]}（--keys）",
                        f"cannot evaluate: no {names[1]} for platform profile {platform.id} "
                        "(--keys)")
            work.findings.append(Finding("envelope.keys@missing", "error", text, "envelope",
                                         Location(pointer=f"/{env.body}")))
            work.stopped, work.stopped_text = text.en, text
            return
        _request_id(work, sec, doc)
        opened = open_sealed(doc, sec, keys or Keys(), work.now)
        for p in opened.problems:
            if p.stop:
                work.findings.append(Finding(p.rule_id, "error", p.text, "envelope",
                                             Location(pointer=p.pointer)))
                work.stopped, work.stopped_text = p.text.en, p.text
                return
            work.add(p.rule_id, "error", p.text, "envelope", p.pointer)
        if opened.doc is not None:
            work.doc = opened.doc
            if not plain_body:
                work.decrypted = (f"/{env.body}",)
            else:
                work.decrypted = tuple(f"/{env.body}/{p}" for p in encrypted_fields)


def _plaintext(sec: Security, body: str) -> Text:
    if sec.cipher is None and sec.fields is not None:
        zh, en = "、".join(sec.fields.paths), ", ".join(sec.fields.paths)
        return Text(f"信封中的加密字段（{zh}）是明文：签名、时间戳与加密未检查",
                    f"the envelope's encrypted fields ({en}) are plaintext: their signature, "
                    "timestamp and encryption were not checked")
    return Text(f"信封中的业务数据 {body} 是明文：签名、时间戳与加密未检查",
                f"the envelope's business data {body} is plaintext: its signature, "
                "timestamp and encryption were not checked")


def _request_id(work: Work, sec: Security, doc: dict[str, object]) -> None:
    """Keep the request id: the runner checks it is unique within the run (a replay, or a
    copied envelope, is ``envelope.requestId@duplicate``)."""
    if not sec.request_id:
        return
    rid = get_path(doc, sec.request_id)
    if isinstance(rid, str | int) and not isinstance(rid, bool) and rid != "":
        work.request_id = ("/" + sec.request_id.replace(".", "/"), str(rid))


def _json_object(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return isinstance(orjson.loads(value), dict)
    except orjson.JSONDecodeError:
        return False
