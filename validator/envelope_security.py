"""Sealed platform envelopes: the signature, the timestamp and the SM4-encrypted body, as the
profile's ``security`` block describes them (docs/platform-profiles.md, Sealed envelopes).

:func:`open_sealed` verifies and decrypts an envelope as sent and says what is wrong, each
problem a :class:`Problem` with its own rule id; when a signature does not verify it tries
the constructions vendors get wrong (document order instead of ASCII order, empty members
included, the secret appended instead of HMAC, the other hex case) and names the one that
matches. :func:`seal` is the other direction. No key value is ever part of a message.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from hegui.validator.gm_crypto import (
    CryptoError,
    decode,
    encode,
    equal,
    hmac_sm3,
    sm3,
    sm4_decrypt,
    sm4_encrypt,
)
from hegui.validator.keys import Keys
from hegui.validator.safe_json import JsonParseError, parse_json
from hegui.validator.spec import Text


@dataclass(frozen=True)
class SignatureScheme:
    """How the string to sign is built and signed."""

    field: str = "signature"
    algorithm: str = "hmac-sm3"  # hmac-sm3 | sm3-secret-appended | sm3-secret-prepended
    secret: str = "appSecret"  # the key-file member
    order: str = "ascii"  # ascii | document
    skip_empty: bool = True
    exclude: tuple[str, ...] = ()  # members left out besides the signature itself
    join: str = "&"
    encoding: str = "hex"


@dataclass(frozen=True)
class CipherScheme:
    """How the business body is encrypted."""

    algorithm: str = "SM4-CBC"  # SM4-CBC | SM4-ECB
    padding: bool = True  # PKCS#7
    key: str = "sm4Key"
    iv: str = "sm4Iv"
    encoding: str = "base64"


@dataclass(frozen=True)
class TimestampScheme:
    """Where the send time is and how far from the time of validation it may be."""

    field: str = "timestamp"
    form: str = "epoch-ms"  # epoch-ms | epoch-s
    window: int = 300  # seconds


@dataclass(frozen=True)
class Security:
    """A sealed envelope's scheme; ``basis`` says where it comes from and what is inferred."""

    body: str
    signature: SignatureScheme | None = None
    cipher: CipherScheme | None = None
    timestamp: TimestampScheme | None = None
    basis: Text | None = None
    key_member: str | None = "appKey"  # the envelope member the key file's appKey fills


@dataclass(frozen=True)
class Problem:
    """A finding about the envelope (``stop``: nothing after it can be checked)."""

    rule_id: str
    text: Text
    pointer: str
    stop: bool = False


@dataclass
class Opened:
    """The envelope with its body decrypted (``doc``), and the problems found."""

    doc: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)


def _dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (integers beyond 64 bits too)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _needs(security: Security) -> list[str]:
    out = []
    if security.signature is not None:
        out.append(security.signature.secret)
    if security.cipher is not None:
        out.append(security.cipher.key)
        if security.cipher.algorithm == "SM4-CBC":
            out.append(security.cipher.iv)
    return out


def missing_keys(security: Security, keys: Keys | None) -> list[str]:
    """The key-file members the scheme needs and ``keys`` lacks."""
    return [k for k in _needs(security) if keys is None or not keys.get(k)]


def sign_string(doc: Mapping[str, Any], scheme: SignatureScheme) -> str:
    """The string to sign: ``k=v`` pairs of the envelope's members (not the signature)."""
    names = [k for k in doc if k != scheme.field and k not in scheme.exclude]
    if scheme.order == "ascii":
        names.sort()
    pairs = []
    for k in names:
        v = doc[k]
        text = v if isinstance(v, str) else _dumps(v).decode()
        if scheme.skip_empty and (v is None or text == ""):
            continue
        pairs.append(f"{k}={text}")
    return scheme.join.join(pairs)


def signature_of(doc: Mapping[str, Any], scheme: SignatureScheme, secret: str) -> bytes:
    """The signature bytes of ``doc`` under ``scheme``."""
    data = sign_string(doc, scheme).encode("utf-8")
    key = secret.encode("utf-8")
    if scheme.algorithm == "sm3-secret-appended":
        return sm3(data + key)
    if scheme.algorithm == "sm3-secret-prepended":
        return sm3(key + data)
    return hmac_sm3(key, data)


def _variants(scheme: SignatureScheme) -> Iterator[tuple[SignatureScheme, Text]]:
    """The constructions vendors get wrong, each with what to change."""
    yield (replace(scheme, order="document" if scheme.order == "ascii" else "ascii"), Text(
        "签名按报文中的字段顺序计算，而不是按 ASCII 升序：请先排序",
        "the signature matches the fields in document order, not ASCII order: sort them")
        if scheme.order == "ascii" else Text(
        "签名按 ASCII 升序计算，而平台要求按报文顺序", "the signature matches ASCII order, "
        "the platform expects document order"))
    yield (replace(scheme, skip_empty=not scheme.skip_empty), Text(
        "签名把空值字段也拼了进去：空值字段应跳过", "the signature includes the empty members: "
        "leave them out") if scheme.skip_empty else Text(
        "签名跳过了空值字段：空值字段也应拼入", "the signature leaves out empty members: "
        "include them"))
    for algorithm in ("hmac-sm3", "sm3-secret-appended", "sm3-secret-prepended"):
        if algorithm != scheme.algorithm:
            yield (replace(scheme, algorithm=algorithm), Text(
                f"签名的算法是 {algorithm}，平台要求 {scheme.algorithm}",
                f"the signature was made with {algorithm}, the platform expects "
                f"{scheme.algorithm}"))


def _given_bytes(text: str, scheme: SignatureScheme) -> list[tuple[bytes, str]]:
    """The given signature decoded in the scheme's encoding and in the others it may be."""
    out = []
    for enc in (scheme.encoding, "hex", "base64"):
        try:
            out.append((decode(text, enc), enc))
        except CryptoError:
            continue
    return out


def check_signature(doc: Mapping[str, Any], scheme: SignatureScheme, secret: str
                    ) -> Problem | None:
    """None when the signature verifies; else what is wrong (diagnosed where possible)."""
    ptr = f"/{scheme.field}"
    given = doc.get(scheme.field)
    if not isinstance(given, str) or not given:
        return Problem("envelope.signature@missing", Text(
            f"缺少签名 {scheme.field}", f"the signature {scheme.field} is missing"), ptr)
    want = signature_of(doc, scheme, secret)
    candidates = _given_bytes(given, scheme)
    for raw, enc in candidates:
        if equal(raw, want):
            if enc == scheme.encoding and encode(raw, enc) == given:
                return None
            return Problem("envelope.signature@encoding", Text(
                f"签名正确，但编码不是平台要求的 {scheme.encoding}",
                f"the signature is right but not written in {scheme.encoding}"), ptr)
    for variant, why in _variants(scheme):
        other = signature_of(doc, variant, secret)
        if any(equal(raw, other) for raw, _ in candidates):
            return Problem("envelope.signature@invalid", Text(
                f"签名不正确：{why.zh}", f"the signature does not verify: {why.en}"), ptr)
    return Problem("envelope.signature@invalid", Text(
        "签名不正确（密钥、待签字符串或报文被改动）",
        "the signature does not verify (wrong secret, string to sign, or altered message)"), ptr)


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


def _key(keys: Keys, name: str) -> bytes:
    return bytes.fromhex(keys.get(name) or "")


def decrypt_body(text: str, scheme: CipherScheme, keys: Keys, ptr: str
                 ) -> tuple[Any, Problem | None]:
    """The decrypted, parsed body; or the problem (diagnosed where a variant works)."""
    try:
        data = decode(text, scheme.encoding)
    except CryptoError:
        return None, Problem("envelope.data@decode", Text(
            f"业务数据不是 {scheme.encoding} 文本", f"the business data is not {scheme.encoding} "
            "text"), ptr, stop=True)
    mode = scheme.algorithm.removeprefix("SM4-")
    key = _key(keys, scheme.key)
    iv = _key(keys, scheme.iv) if mode == "CBC" else None
    try:
        plain = sm4_decrypt(data, key, mode, iv, scheme.padding)
    except CryptoError as exc:
        hint = _cipher_hint(data, key, mode, iv)
        return None, Problem("envelope.data@decrypt", Text(
            f"业务数据无法解密：{hint.zh if hint else str(exc)}",
            f"the business data cannot be decrypted: {hint.en if hint else exc}"), ptr,
            stop=True)
    try:
        return parse_json(plain).value, None
    except (JsonParseError, UnicodeDecodeError):
        return None, Problem("envelope.data@json", Text(
            "解密后的业务数据不是 JSON（密钥、IV 或模式不对？）",
            "the decrypted business data is not JSON (wrong key, IV or mode?)"), ptr, stop=True)


def _cipher_hint(data: bytes, key: bytes, mode: str, iv: bytes | None) -> Text | None:
    """Which wrong cipher construction the ciphertext was made with, if one decrypts it."""
    tries = [("ECB" if mode == "CBC" else "CBC", iv or bytes(16), True,
              Text("密文是 SM4-ECB 加密的，平台要求 SM4-CBC", "it was encrypted with SM4-ECB, "
                   "the platform expects SM4-CBC") if mode == "CBC" else Text(
              "密文是 SM4-CBC 加密的，平台要求 SM4-ECB", "it was encrypted with SM4-CBC, the "
              "platform expects SM4-ECB")),
             (mode, bytes(16), True, Text("密文用全零 IV 加密，而不是约定的 IV",
                                          "it was encrypted with an all-zero IV, not the "
                                          "agreed one")),
             (mode, iv, False, Text("密文没有 PKCS#7 填充", "it has no PKCS#7 padding"))]
    for m, v, pad, why in tries:
        try:
            plain = sm4_decrypt(data, key, m, v, pad)
            orjson.loads(plain.rstrip(b"\0 "))
        except (CryptoError, orjson.JSONDecodeError):
            continue
        return why
    return None


def open_sealed(doc: Mapping[str, Any], security: Security, keys: Keys,
                now: dt.datetime) -> Opened:
    """Verify and decrypt a sealed envelope (``keys`` has every member it needs)."""
    out = Opened(None)
    if security.signature is not None:
        p = check_signature(doc, security.signature,
                            keys.get(security.signature.secret) or "")
        if p is not None:
            out.problems.append(p)
    if security.timestamp is not None:
        p = check_timestamp(doc, security.timestamp, now)
        if p is not None:
            out.problems.append(p)
    body = doc.get(security.body)
    if security.cipher is not None and isinstance(body, str):
        plain, p = decrypt_body(body, security.cipher, keys, f"/{security.body}")
        if p is not None:
            out.problems.append(p)
            return out
        out.doc = {**doc, security.body: plain}
    else:
        out.doc = dict(doc)
    return out


def seal(envelope: Mapping[str, Any], security: Security, keys: Keys,
         now: dt.datetime) -> dict[str, Any]:
    """``envelope`` (its body a JSON object) sealed at ``now``: the missing key member and
    request id filled in, the timestamp set to ``now``, the body encrypted, the signature
    computed last."""
    doc = dict(envelope)
    if security.key_member and not doc.get(security.key_member) and keys.get("appKey"):
        doc[security.key_member] = keys.get("appKey")
    ts = security.timestamp
    if ts is not None:
        seconds = now.timestamp()
        doc[ts.field] = str(int(seconds * 1000) if ts.form == "epoch-ms" else int(seconds))
    if "requestId" in doc and not doc["requestId"]:
        doc["requestId"] = str(uuid.uuid4())
    c = security.cipher
    body = doc.get(security.body)
    if c is not None and not isinstance(body, str):
        mode = c.algorithm.removeprefix("SM4-")
        plain = _dumps(body)
        data = sm4_encrypt(plain, _key(keys, c.key), mode,
                           _key(keys, c.iv) if mode == "CBC" else None, c.padding)
        doc[security.body] = encode(data, c.encoding)
    s = security.signature
    if s is not None:
        doc.pop(s.field, None)
        doc[s.field] = encode(signature_of(doc, s, keys.get(s.secret) or ""), s.encoding)
    return doc
