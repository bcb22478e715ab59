"""Sealed platform envelopes: the signature, the timestamp and the encrypted body or fields, as
the profile's ``security`` block describes them (docs/platform-profiles.md, Sealed envelopes).

:func:`open_sealed` verifies and decrypts an envelope as sent and says what is wrong, each
problem a :class:`Problem` with its own rule id (the wrong construction named where one
matches: envelope_sign, envelope_cipher). :func:`seal` is the other direction. No key value is
ever part of a message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from hegui.validator.envelope_cipher import (
    CipherFailure,
    decode_text,
    decrypt_value,
    encrypt_value,
    new_sm4_key,
)
from hegui.validator.envelope_scheme import (
    CipherScheme,
    EncryptFlag,
    FieldCipher,
    KeyEnvelope,
    Opened,
    Problem,
    Security,
    SignatureScheme,
    TimestampScheme,
    needs,
)
from hegui.validator.envelope_sign import check_signature, dumps, make_signature, sign_string
from hegui.validator.keys import Keys
from hegui.validator.native_docs import get_path
from hegui.validator.safe_json import JsonParseError, parse_json
from hegui.validator.spec import Text

__all__ = [
    "CipherScheme", "EncryptFlag", "FieldCipher", "KeyEnvelope", "Opened", "Problem",
    "Security", "SignatureScheme", "TimestampScheme", "check_timestamp", "flag_off",
    "looks_encrypted",
    "missing_keys", "open_sealed", "seal", "sign_string",
]


def missing_keys(security: Security, keys: Keys | None, sealing: bool = False) -> list[str]:
    """The key-file members the scheme needs and ``keys`` lacks."""
    return [k for k in needs(security, sealing) if keys is None or not keys.get(k)]


def check_timestamp(doc: Mapping[str, Any], scheme: TimestampScheme,
                    now: dt.datetime) -> Problem | None:
    """None when the send time is within the window of ``now``; else what is wrong."""
    ptr = f"/{scheme.field}"
    raw = doc.get(scheme.field)
    text = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    if not text.isdigit():
        return Problem("envelope.timestamp@form", Text(
            f"时间戳 {scheme.field} 不是数字", f"the timestamp {scheme.field} is not a number"),
            ptr)
    seconds = int(text) / (1000 if scheme.form == "epoch-ms" else 1)
    delta = seconds - now.timestamp()
    if delta > scheme.window:
        return Problem("envelope.timestamp@future", Text(
            f"时间戳晚于验证时间 {int(delta)} 秒（允许 {scheme.window} 秒）",
            f"the timestamp is {int(delta)} s after the time of validation (allowed: "
            f"{scheme.window} s)"), ptr)
    if -delta > scheme.window:
        return Problem("envelope.timestamp@expired", Text(
            f"时间戳早于验证时间 {int(-delta)} 秒，超出 {scheme.window} 秒的有效期（可能是重放）",
            f"the timestamp is {int(-delta)} s before the time of validation, outside the "
            f"{scheme.window} s window (a replay?)"), ptr)
    return None


def looks_encrypted(value: Any, c: CipherScheme) -> bool:
    """Whether ``value`` could be a ciphertext of ``c`` (text in its encoding, of a length
    its algorithm makes)."""
    if not isinstance(value, str) or not value:
        return False
    try:
        data = decode_text(value, c.encoding)
    except CipherFailure:
        return False
    if c.algorithm == "SM2":
        return len(data) >= 96
    return len(data) >= 16 and len(data) % 16 == 0


def flag_off(doc: Mapping[str, Any], flag: EncryptFlag | None) -> bool:
    """Whether the envelope's encrypt flag says its body is sent in plaintext."""
    return flag is not None and str(doc.get(flag.field, "")) == flag.off


def _failure(rule: str, what: Text, exc: CipherFailure, ptr: str) -> Problem:
    if exc.stage == "decode":
        rule = rule.rsplit("@", 1)[0] + "@decode"
        zh, en = f"{what.zh}不是约定编码的文本", f"{what.en} is not text in the agreed encoding"
    else:
        zh, en = f"{what.zh}无法解密", f"{what.en} cannot be decrypted"
    if exc.hint is not None:
        zh, en = f"{zh}：{exc.hint.zh}", f"{en}: {exc.hint.en}"
    elif exc.stage != "decode":
        zh, en = f"{zh}（密钥、IV 或模式不对，或密文被改动）", \
            f"{en} (wrong key, IV or mode, or an altered ciphertext)"
    return Problem(rule, Text(zh, en), ptr, stop=True)


def _sm4_key(doc: Mapping[str, Any], c: CipherScheme, keys: Keys
             ) -> tuple[bytes | None, Problem | None]:
    """The body's SM4 key from the digital envelope (None: from the key file)."""
    ke = c.key_envelope
    if ke is None:
        return None, None
    ptr = f"/{ke.field}"
    text = doc.get(ke.field)
    if not isinstance(text, str) or not text:
        return None, Problem("envelope.key@missing", Text(
            f"缺少数字信封 {ke.field}", f"the digital envelope {ke.field} is missing"), ptr,
            stop=True)
    try:
        key = decrypt_value(text, ke.cipher, keys, expect_json=False)
    except CipherFailure as exc:
        return None, _failure("envelope.key@decrypt", Text(f"数字信封 {ke.field}",
                              f"the digital envelope {ke.field}"), exc, ptr)
    if len(key) == 32:  # the key as hex text
        with contextlib.suppress(UnicodeDecodeError, ValueError):
            key = bytes.fromhex(key.decode("ascii"))
    if len(key) != 16:
        return None, Problem("envelope.key@decrypt", Text(
            f"数字信封 {ke.field} 中不是 16 字节的 SM4 密钥", f"the digital envelope {ke.field} "
            "does not hold a 16-byte SM4 key"), ptr, stop=True)
    return key, None


def _open_body(doc: dict[str, Any], security: Security, keys: Keys, out: Opened
               ) -> str | None:
    """Decrypt the body in ``doc``; its plaintext JSON text, or None (a problem recorded)."""
    c = security.cipher
    assert c is not None
    ptr = f"/{security.body}"
    key, p = _sm4_key(doc, c, keys)
    if p is not None:
        out.problems.append(p)
        return None
    try:
        plain = decrypt_value(str(doc[security.body]), c, keys, key)
    except CipherFailure as exc:
        out.problems.append(_failure("envelope.data@decrypt", Text("业务数据", "the business "
                                     "data"), exc, ptr))
        return None
    try:
        doc[security.body] = parse_json(plain).value
        return plain.decode("utf-8")
    except (JsonParseError, UnicodeDecodeError):
        out.problems.append(Problem("envelope.data@json", Text(
            "解密后的业务数据不是 JSON（密钥、IV 或模式不对？）",
            "the decrypted business data is not JSON (wrong key, IV or mode?)"), ptr, stop=True))
        return None


def _open_fields(doc: dict[str, Any], security: Security, keys: Keys, out: Opened) -> None:
    fc = security.fields
    assert fc is not None
    body = doc.get(security.body)
    if not isinstance(body, dict):
        return
    for path in fc.paths:
        value = body.get(path)
        if not looks_encrypted(value, fc.cipher):
            continue
        ptr = f"/{security.body}/{path}"
        try:
            plain = decrypt_value(str(value), fc.cipher, keys, expect_json=False)
            body[path] = plain.decode("utf-8")
        except CipherFailure as exc:
            out.problems.append(_failure("envelope.field@decrypt", Text(
                f"加密字段 {path}", f"the encrypted field {path}"), exc, ptr))
            return
        except UnicodeDecodeError:
            out.problems.append(Problem("envelope.field@decrypt", Text(
                f"加密字段 {path} 解密后不是 UTF-8 文本（密钥或模式不对？）",
                f"the encrypted field {path} does not decrypt to UTF-8 text (wrong key or "
                "mode?)"), ptr, stop=True))
            return


def open_sealed(doc: Mapping[str, Any], security: Security, keys: Keys,
                now: dt.datetime) -> Opened:
    """Verify and decrypt a sealed envelope (``keys`` has every member it needs)."""
    out = Opened(None)
    opened = dict(doc)
    plain = None
    encrypted = (security.cipher is not None and isinstance(doc.get(security.body), str)
                 and not flag_off(doc, security.flag))
    if encrypted:
        plain = _open_body(opened, security, keys, out)
        if plain is None:
            return out
    elif isinstance(doc.get(security.body), dict):
        plain = dumps(doc[security.body]).decode()
    if security.signature is not None:
        p = check_signature(doc, security.signature, keys, security.body,
                            plain if encrypted or security.signature.over == "plaintext"
                            else None)
        if p is not None:
            out.problems.append(p)
    if security.timestamp is not None:
        p = check_timestamp(doc, security.timestamp, now)
        if p is not None:
            out.problems.append(p)
    if security.fields is not None:
        opened[security.body] = dict(opened[security.body]) if isinstance(
            opened.get(security.body), dict) else opened.get(security.body)
        _open_fields(opened, security, keys, out)
        if any(p.stop for p in out.problems):
            return out
    out.doc = opened
    return out


def _has(doc: Mapping[str, Any], path: str) -> bool:
    *outer, last = path.split(".")
    node = get_path(doc, ".".join(outer)) if outer else doc
    return isinstance(node, Mapping) and last in node


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    """Set dotted ``path`` of ``doc``, copying the objects on the way (``doc``'s own)."""
    *outer, last = path.split(".")
    node = doc
    for part in outer:
        node[part] = dict(node.get(part) or {})
        node = node[part]
    node[last] = value


def seal(envelope: Mapping[str, Any], security: Security, keys: Keys,
         now: dt.datetime) -> dict[str, Any]:
    """``envelope`` (its body a JSON object) sealed at ``now``: the missing key member,
    request id and nonce filled in, the timestamp set to ``now``, the fields and the body
    encrypted, the signature computed last."""
    doc = dict(envelope)
    if (security.key_member and security.key_member in doc and not doc[security.key_member]
            and keys.get("appKey")):
        doc[security.key_member] = keys.get("appKey")
    ts = security.timestamp
    if ts is not None:
        seconds = now.timestamp()
        doc[ts.field] = str(int(seconds * 1000) if ts.form == "epoch-ms" else int(seconds))
    rid = security.request_id or "requestId"
    if _has(doc, rid) and not get_path(doc, rid):
        _put(doc, rid, str(uuid.uuid4()))
    if security.nonce and not doc.get(security.nonce):
        doc[security.nonce] = secrets.token_hex(4)
    body = doc.get(security.body)
    fc = security.fields
    if fc is not None and isinstance(body, dict):
        body = dict(body)
        for path in fc.paths:
            if isinstance(body.get(path), str) and body[path] and not looks_encrypted(
                    body[path], fc.cipher):
                body[path] = encrypt_value(body[path].encode("utf-8"), fc.cipher, keys)
        doc[security.body] = body
    plain = dumps(body).decode() if isinstance(body, dict | list) else None
    c = security.cipher
    if c is not None and plain is not None:
        if security.flag is not None:
            doc[security.flag.field] = security.flag.on
        key = None
        if c.key_envelope is not None:
            key = new_sm4_key()
            doc[c.key_envelope.field] = encrypt_value(key, c.key_envelope.cipher, keys)
        doc[security.body] = encrypt_value(plain.encode("utf-8"), c, keys, key)
    s = security.signature
    if s is not None:
        _put(doc, s.field, "")  # not part of the string to sign (a header: headers.sign)
        if "." not in s.field:
            doc.pop(s.field)  # signed last, written last
        _put(doc, s.field, make_signature(doc, s, keys, security.body, plain))
    return doc

