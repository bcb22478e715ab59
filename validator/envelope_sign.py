"""The signature of a sealed envelope: the string to sign, signing, and checking a signature —
and when it does not verify, trying the constructions vendors get wrong (the members in
another order, empty members included, the secret in another place, the ciphertext signed
instead of the plaintext, DER instead of raw r‖s, no signer id) to name the one that matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import orjson

from hegui.validator import sm2
from hegui.validator.envelope_cipher import sm2_key
from hegui.validator.envelope_scheme import Problem, SignatureScheme
from hegui.validator.gm_crypto import CryptoError, decode, encode, equal, hmac_sm3, sm3
from hegui.validator.keys import Keys
from hegui.validator.native_docs import get_path
from hegui.validator.spec import Text


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (integers beyond 64 bits too)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign_string(doc: Mapping[str, Any], scheme: SignatureScheme, body: str | None = None,
                plain: str | None = None) -> str:
    """The string to sign (``plain``: the body member ``body`` as plaintext JSON text, used
    when the scheme signs ``over`` the plaintext)."""
    if scheme.scope == "body":
        inner = doc.get(body) if body is not None else None
        doc = inner if isinstance(inner, Mapping) else {}
        body = None
    if scheme.order == "listed" and scheme.members:
        names = [k for k in scheme.members if k in doc]
    else:
        names = [k for k in doc if k != scheme.field and k not in scheme.exclude]
        if scheme.members:
            names = [k for k in names if k in scheme.members]
        if scheme.order == "ascii":
            names.sort()
    parts = []
    for k in names:
        v = plain if k == body and plain is not None and scheme.over == "plaintext" else doc[k]
        text = v if isinstance(v, str) else dumps(v).decode()
        if scheme.skip_empty and (v is None or text == ""):
            continue
        parts.append(f"{k}={text}" if scheme.pairs else text)
    return scheme.join.join(parts)


def _keyed(data: bytes, scheme: SignatureScheme, keys: Keys) -> bytes:
    key = (keys.get(scheme.secret) or "").encode("utf-8")
    if scheme.algorithm == "sm3-secret-appended":
        return sm3(data + key)
    if scheme.algorithm == "sm3-secret-prepended":
        return sm3(key + data)
    if scheme.algorithm == "sm3":
        return sm3(data)
    if scheme.algorithm.endswith("-secret-joined"):
        name = f"{scheme.secret_name}=".encode() if scheme.secret_name else b""
        joined = data + scheme.join.encode() + name + key
        return sm3(joined) if scheme.algorithm.startswith("sm3") else hashlib.md5(joined).digest()
    return hmac_sm3(key, data)


def make_signature(doc: Mapping[str, Any], scheme: SignatureScheme, keys: Keys,
                   body: str | None = None, plain: str | None = None) -> str:
    """The signature of ``doc``, as text in the scheme's encoding."""
    data = sign_string(doc, scheme, body, plain).encode("utf-8")
    if scheme.algorithm == "sm3withsm2":
        key = sm2_key(keys, scheme.private_key, None)  # the public point from the private key
        raw = sm2.sign(key, data, scheme.signer_id, scheme.form)
    else:
        raw = _keyed(data, scheme, keys)
    return encode(raw, scheme.encoding)


def _matches(given: bytes, doc: Mapping[str, Any], scheme: SignatureScheme, keys: Keys,
             body: str | None, plain: str | None) -> bool:
    data = sign_string(doc, scheme, body, plain).encode("utf-8")
    if scheme.algorithm == "sm3withsm2":
        return sm2.verify(sm2_key(keys, None, scheme.public_key), data, given,
                          scheme.signer_id, scheme.form)
    return equal(given, _keyed(data, scheme, keys))


def _variants(scheme: SignatureScheme, body_encrypted: bool
              ) -> Iterator[tuple[SignatureScheme, Text]]:
    """The constructions vendors get wrong, each with what to change."""
    if scheme.order == "ascii":
        yield replace(scheme, order="document"), Text(
            "签名按报文中的字段顺序计算，而不是按 ASCII 升序：请先排序",
            "the signature matches the fields in document order, not ASCII order: sort them")
    else:
        yield replace(scheme, order="ascii"), Text(
            "签名按 ASCII 升序计算，而平台要求按约定的字段顺序",
            "the signature matches ASCII order, the platform expects the agreed field order")
    yield replace(scheme, skip_empty=not scheme.skip_empty), Text(
        "签名把空值字段也拼了进去：空值字段应跳过", "the signature includes the empty members: "
        "leave them out") if scheme.skip_empty else Text(
        "签名跳过了空值字段：空值字段也应拼入", "the signature leaves out empty members: "
        "include them")
    yield replace(scheme, pairs=not scheme.pairs), Text(
        "签名只拼了字段值，平台要求 k=v 形式", "the signature joins the values alone, the "
        "platform expects k=v pairs") if scheme.pairs else Text(
        "签名拼的是 k=v，平台只拼字段值", "the signature joins k=v pairs, the platform joins "
        "the values alone")
    if body_encrypted:
        yield replace(scheme, over="ciphertext" if scheme.over == "plaintext" else "plaintext"), (
            Text("签名计算在密文上，平台要求在明文上", "the signature was made over the "
                 "ciphertext, the platform signs the plaintext") if scheme.over == "plaintext"
            else Text("签名计算在明文上，平台要求在密文上", "the signature was made over the "
                      "plaintext, the platform signs the ciphertext"))
    if scheme.algorithm == "sm3withsm2":
        other = "raw" if scheme.form == "der" else "der"
        yield replace(scheme, form=other), Text(
            f"签名是 {other.upper()} 格式，平台要求 {scheme.form.upper()}"
            f"（{_form_zh(scheme.form)}）",
            f"the signature is {other.upper()}-encoded, the platform expects "
            f"{scheme.form.upper()} ({_form_en(scheme.form)})")
        yield replace(scheme, signer_id=None if scheme.signer_id else sm2.DEFAULT_SIGNER_ID), (
            Text("签名没有计算签名者标识杂凑值 Z_A（签名者 ID）", "the signature was made without "
                 "Z_A (no signer id)") if scheme.signer_id else Text(
                "签名计算了签名者 ID 1234567812345678 的 Z_A，平台不用", "the signature includes "
                "Z_A of signer id 1234567812345678, the platform uses none"))
        return
    family = ("md5-secret-joined",) if scheme.algorithm.startswith("md5") else (
        "hmac-sm3", "sm3-secret-appended", "sm3-secret-prepended", "sm3-secret-joined", "sm3")
    for algorithm in family:
        if algorithm != scheme.algorithm:
            yield replace(scheme, algorithm=algorithm), Text(
                f"签名的算法是 {algorithm}，平台要求 {scheme.algorithm}",
                f"the signature was made with {algorithm}, the platform expects "
                f"{scheme.algorithm}")


def _form_zh(form: str) -> str:
    return "ASN.1 SEQUENCE{r, s}" if form == "der" else "64 字节 r‖s"


def _form_en(form: str) -> str:
    return "an ASN.1 SEQUENCE{r, s}" if form == "der" else "64 bytes r‖s"


def _given_bytes(text: str, scheme: SignatureScheme) -> list[tuple[bytes, str]]:
    out = []
    for enc in (scheme.encoding, "hex", "base64", "base64url"):
        try:
            out.append((decode(text, enc), enc))
        except CryptoError:
            continue
    return out


def check_signature(doc: Mapping[str, Any], scheme: SignatureScheme, keys: Keys,
                    body: str | None = None, plain: str | None = None) -> Problem | None:
    """None when the signature verifies; else what is wrong (diagnosed where possible)."""
    ptr = "/" + scheme.field.replace(".", "/")
    given = get_path(doc, scheme.field)
    if not isinstance(given, str) or not given:
        return Problem("envelope.signature@missing", Text(
            f"缺少签名 {scheme.field}", f"the signature {scheme.field} is missing"), ptr)
    candidates = _given_bytes(given, scheme)
    for raw, enc in candidates:
        if _matches(raw, doc, scheme, keys, body, plain):
            if enc == scheme.encoding and encode(raw, enc) == given:
                return None
            return Problem("envelope.signature@encoding", Text(
                f"签名正确，但编码不是平台要求的 {scheme.encoding}",
                f"the signature is right but not written in {scheme.encoding}"), ptr)
    for variant, why in _variants(scheme, plain is not None):
        if any(_matches(raw, doc, variant, keys, body, plain) for raw, _ in candidates):
            return Problem("envelope.signature@invalid", Text(
                f"签名不正确：{why.zh}", f"the signature does not verify: {why.en}"), ptr)
    return Problem("envelope.signature@invalid", Text(
        "签名不正确（密钥、待签字符串或报文被改动）",
        "the signature does not verify (wrong key, string to sign, or altered message)"), ptr)
