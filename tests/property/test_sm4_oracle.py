"""Whole-body SM4 and HMAC-SM3 envelopes against an independent implementation (gmalg, pure
Python, used by the tests only): what hegui seals, gmalg decrypts and verifies; what gmalg
seals, hegui opens without a finding. Jiangxi's scheme and its variants, arbitrary bodies and
keys."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from typing import Any

import gmalg
import orjson
import pytest
from gmalg.bcmode import BlockCipherModeCBC, BlockCipherModeECB
from hypothesis import given
from hypothesis import strategies as st

from hegui.validator.envelope_scheme import Security
from hegui.validator.envelope_security import open_sealed, seal, sign_string
from hegui.validator.keys import Keys
from hegui.validator.platform_loader import load_platform

pytestmark = pytest.mark.slow

NOW = dt.datetime(2025, 3, 25, 2, 15, tzinfo=dt.UTC)
BODIES = st.dictionaries(st.text(min_size=1, max_size=8),
                         st.one_of(st.text(max_size=30), st.integers(-2**31, 2**31)),
                         max_size=6)
HEX32 = st.binary(min_size=16, max_size=16).map(bytes.hex)
SECRETS = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=40)


def jiangxi() -> Security:
    env = load_platform("jiangxi-2.3.0").envelope
    assert env is not None and env.security is not None
    return env.security


def oracle_sm3(data: bytes) -> bytes:
    h = gmalg.SM3()
    h.update(data)
    return bytes(h.value())


def oracle_hmac(key: bytes, data: bytes) -> bytes:
    """RFC 2104 over gmalg's SM3 (64-byte blocks)."""
    block = key if len(key) <= 64 else oracle_sm3(key)
    block = block.ljust(64, b"\0")
    inner = oracle_sm3(bytes(b ^ 0x36 for b in block) + data)
    return oracle_sm3(bytes(b ^ 0x5C for b in block) + inner)


def oracle_cipher(mode: str, key: bytes, iv: bytes) -> Any:
    sm4 = gmalg.SM4(key)
    return BlockCipherModeCBC(sm4, iv) if mode == "CBC" else BlockCipherModeECB(sm4)


def pad(data: bytes) -> bytes:
    n = 16 - len(data) % 16
    return data + bytes([n]) * n


def unpad(data: bytes) -> bytes:
    assert 1 <= data[-1] <= 16 and data.endswith(bytes([data[-1]]) * data[-1])
    return data[:-data[-1]]


def envelope(body: dict[str, Any]) -> dict[str, Any]:
    return {"appKey": "", "timestamp": "", "requestId": "", "version": "1.0.0", "data": body}


@given(body=BODIES, key=HEX32, iv=HEX32, secret=SECRETS, mode=st.sampled_from(["CBC", "ECB"]))
def test_hegui_seal_opens_under_the_oracle(body: dict[str, Any], key: str, iv: str,
                                           secret: str, mode: str) -> None:
    """hegui's data is plain SM4 (gmalg decrypts it to the UTF-8 JSON body) and its signature
    is gmalg's HMAC-SM3 over the string the guide prints."""
    sec = jiangxi()
    assert sec.cipher is not None and sec.signature is not None
    sec = dataclasses.replace(sec, cipher=dataclasses.replace(sec.cipher,
                                                              algorithm=f"SM4-{mode}"))
    keys = Keys({"appKey": "k", "appSecret": secret, "sm4Key": key, "sm4Iv": iv})
    sealed = seal(envelope(body), sec, keys, NOW)
    cipher = oracle_cipher(mode, bytes.fromhex(key), bytes.fromhex(iv))
    plain = unpad(cipher.decrypt(base64.b64decode(sealed["data"])))
    assert json.loads(plain) == body
    text = "&".join(f"{k}={sealed[k]}" for k in sorted(("appKey", "timestamp", "requestId",
                                                        "data")) if sealed[k] != "")
    want = oracle_hmac(secret.encode(), text.encode())
    assert base64.b64decode(sealed["signature"]) == want


@given(body=BODIES, key=HEX32, iv=HEX32, secret=SECRETS)
def test_oracle_seal_opens_under_hegui(body: dict[str, Any], key: str, iv: str,
                                       secret: str) -> None:
    """An envelope gmalg encrypts and signs (over the string hegui builds: the first test
    checks that string independently), hegui verifies and decrypts to the body."""
    sec = jiangxi()
    assert sec.signature is not None
    keys = Keys({"appKey": "k", "appSecret": secret, "sm4Key": key, "sm4Iv": iv})
    cipher = oracle_cipher("CBC", bytes.fromhex(key), bytes.fromhex(iv))
    doc: dict[str, Any] = {"appKey": "k", "timestamp": str(int(NOW.timestamp() * 1000)),
                           "requestId": "r-1", "version": "1.0.0",
                           "data": base64.b64encode(cipher.encrypt(pad(orjson.dumps(body))))
                           .decode()}
    doc["signature"] = base64.b64encode(oracle_hmac(
        secret.encode(), sign_string(doc, sec.signature).encode())).decode()
    opened = open_sealed(doc, sec, keys, NOW)
    assert opened.problems == []
    assert opened.doc is not None and opened.doc["data"] == body
