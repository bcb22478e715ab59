"""SM2 against two independent implementations (Hypothesis): ``gmssl_pyx`` (GmSSL, C) and
``gmalg`` (pure Python), both checked against GM/T 0003.5-2012's worked examples in
tests/platforms/test_sm2.py.

For arbitrary keys, plaintexts, messages and signer ids: hegui's ciphertexts (every layout and
form) decrypt under the oracles and theirs under hegui; hegui's signatures verify under the
oracles and theirs under hegui. Then whole sealed envelopes of the XIB profile (and variants of
its scheme): seal -> open is the identity on the body, and the XIB envelope's ``data`` and
``sign`` open and verify under gmalg as the manual describes them.

The DER here is read and written by the small strict helpers below, not by hegui's, so a DER
agreement is a real one. Keys are drawn as private scalars (reproducible, the ends of [1, N−2]
included) rather than taken from ``sm2.generate()``, which tests/platforms/test_sm2.py checks.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import gmalg
import gmssl_pyx
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hegui.validator import sm2
from hegui.validator.envelope_scheme import Security
from hegui.validator.envelope_security import open_sealed, seal
from hegui.validator.gm_crypto import CryptoError
from hegui.validator.keys import Keys
from hegui.validator.platform_loader import load_platform

pytestmark = pytest.mark.slow

KEYS_FILE = Path(__file__).resolve().parent.parent / "data" / "keys" / "test-keys.json"
NOW = dt.datetime(2025, 3, 25, 2, 15, tzinfo=dt.UTC)
UID = sm2.DEFAULT_SIGNER_ID.encode()


def _sized(low: int, high: int) -> st.SearchStrategy[bytes]:
    """Bytes of a length drawn from [low, high] (st.binary alone stays near low: the DER
    lengths of one and two octets, past 127 and 255 bytes, would hardly be reached)."""
    return st.integers(low, high).flatmap(lambda n: st.binary(min_size=n, max_size=n))


SCALARS = st.integers(1, sm2.N - 2)
PLAINTEXTS = st.one_of(st.binary(min_size=1, max_size=32), _sized(1, 600))
GMSSL_PLAINTEXTS = st.one_of(st.binary(min_size=1, max_size=32), _sized(1, 255))  # its limit
MESSAGES = st.one_of(st.binary(max_size=32), _sized(0, 300))
SIGNER_IDS = st.one_of(st.just(sm2.DEFAULT_SIGNER_ID), st.text(min_size=1, max_size=24))
# orjson's integer range: beyond it the opened body holds a float, not the integer sent
# (safe_json.parse_json reads with orjson), and orjson.dumps refuses to write one.
JSON_INTS = st.integers(-(2**63), 2**64 - 1)
BODIES = st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=40), JSON_INTS),
                         max_size=8)


def _key(d: int) -> sm2.Sm2Key:
    return sm2.load_key(private=f"{d:064x}")


def _gmalg(key: sm2.Sm2Key, uid: bytes | None = UID) -> Any:
    assert key.private is not None
    return gmalg.SM2(sk=key.private.to_bytes(32, "big"), uid=uid, pk=b"\x04" + key.public_bytes)


# -- a small strict DER, independent of hegui's -----------------------------------------------

def _tlv(buf: bytes, i: int) -> tuple[int, bytes, int]:
    tag, n = buf[i], buf[i + 1]
    i += 2
    if n & 0x80:
        width = n & 0x7F
        assert 1 <= width <= 4 and buf[i] != 0, "non-minimal DER length"
        n = int.from_bytes(buf[i:i + width], "big")
        assert n >= 0x80, "non-minimal DER length"
        i += width
    assert i + n <= len(buf), "truncated DER"
    return tag, buf[i:i + n], i + n


def _der_read(data: bytes) -> list[tuple[int, bytes]]:
    """The tags and values inside one DER SEQUENCE (nothing may follow it)."""
    tag, body, end = _tlv(data, 0)
    assert tag == 0x30 and end == len(data)
    out, i = [], 0
    while i < len(body):
        t, v, i = _tlv(body, i)
        out.append((t, v))
    return out


def _der_uint(value: bytes) -> int:
    """A non-negative INTEGER's value, checking it is minimally encoded."""
    assert value and value[0] < 0x80, "negative or empty INTEGER"
    assert not (len(value) > 1 and value[0] == 0 and value[1] < 0x80), "padded INTEGER"
    return int.from_bytes(value, "big")


def _der(*items: tuple[int, bytes]) -> bytes:
    """A DER SEQUENCE of ``(tag, value)`` items."""
    def length(n: int) -> bytes:
        if n < 0x80:
            return bytes([n])
        octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return bytes([0x80 | len(octets)]) + octets
    body = b"".join(bytes([t]) + length(len(v)) + v for t, v in items)
    return b"\x30" + length(len(body)) + body


def _int(n: int) -> tuple[int, bytes]:
    return 0x02, n.to_bytes(n.bit_length() // 8 + 1, "big")


def _raw_ciphertext(der: bytes) -> bytes:
    """A DER SEQUENCE{x, y, C3, C2} as raw 04‖x‖y‖C3‖C2."""
    parts = _der_read(der)
    assert [t for t, _ in parts] == [2, 2, 4, 4] and len(parts[2][1]) == 32
    x, y = _der_uint(parts[0][1]), _der_uint(parts[1][1])
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big") + parts[2][1] + parts[3][1]


def _der_ciphertext(raw: bytes) -> bytes:
    """Raw 04‖x‖y‖C3‖C2 as a DER SEQUENCE{x, y, C3, C2}."""
    x, y = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:65], "big")
    return _der(_int(x), _int(y), (0x04, raw[65:97]), (0x04, raw[97:]))


def _rs(der: bytes) -> bytes:
    """A DER SEQUENCE{r, s} as 64 bytes r‖s."""
    parts = _der_read(der)
    assert [t for t, _ in parts] == [2, 2]
    return b"".join(_der_uint(v).to_bytes(32, "big") for _, v in parts)


def _der_signature(raw: bytes) -> bytes:
    return _der(_int(int.from_bytes(raw[:32], "big")), _int(int.from_bytes(raw[32:], "big")))


def _c1c2c3(c1c3c2: bytes) -> bytes:
    """A raw C1C3C2 ciphertext (with 04) laid out C1C2C3."""
    return c1c3c2[:65] + c1c3c2[97:] + c1c3c2[65:97]


# -- encryption -----------------------------------------------------------------------------

@given(d=SCALARS, plain=PLAINTEXTS, where=st.integers(min_value=0))
def test_encrypt_then_decrypt_is_identity(d: int, plain: bytes, where: int) -> None:
    """hegui encrypt -> hegui decrypt is the identity in both layouts and both forms, the raw
    form with and without the 04 (hegui agreeing with itself; the raw ciphertext is
    len(plain) + 96 bytes, one more with the 04); any one byte changed raises CryptoError."""
    key = _key(d)
    for layout in sm2.LAYOUTS:
        for form, prefix in (("raw", True), ("raw", False), ("der", True)):
            data = sm2.encrypt(key, plain, layout, form, prefix)
            if form == "raw":
                assert len(data) == len(plain) + 96 + prefix
            assert sm2.decrypt(key, data, layout, form) == plain
            i = where % len(data)
            with pytest.raises(CryptoError):
                sm2.decrypt(key, data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:], layout,
                            form)


@given(d=SCALARS, plain=PLAINTEXTS)
def test_hegui_ciphertexts_decrypt_under_gmalg(d: int, plain: bytes) -> None:
    """hegui's raw C1C3C2 ciphertext (with the 04) decrypts under gmalg; so do its C1C2C3,
    no-04 and DER ciphertexts once rearranged to that layout by the test."""
    key = _key(d)
    ref = _gmalg(key)
    assert ref.decrypt(sm2.encrypt(key, plain, "C1C3C2", "raw", True)) == plain
    assert ref.decrypt(b"\x04" + sm2.encrypt(key, plain, "C1C3C2", "raw", False)) == plain
    c1c2c3 = sm2.encrypt(key, plain, "C1C2C3", "raw", True)
    assert ref.decrypt(c1c2c3[:65] + c1c2c3[-32:] + c1c2c3[65:-32]) == plain
    assert ref.decrypt(_raw_ciphertext(sm2.encrypt(key, plain, "C1C3C2", "der"))) == plain


@given(d=SCALARS, plain=PLAINTEXTS)
def test_gmalg_ciphertexts_decrypt_under_hegui(d: int, plain: bytes) -> None:
    """gmalg's ciphertext (raw C1C3C2 with the 04) decrypts under hegui as it is, without the
    04, rearranged to C1C2C3 and written as DER."""
    key = _key(d)
    data = _gmalg(key).encrypt(plain)
    assert data[0] == 4 and len(data) == len(plain) + 97
    assert sm2.decrypt(key, data, "C1C3C2", "raw") == plain
    assert sm2.decrypt(key, data[1:], "C1C3C2", "raw") == plain
    assert sm2.decrypt(key, _c1c2c3(data), "C1C2C3", "raw") == plain
    assert sm2.decrypt(key, _c1c2c3(data)[1:], "C1C2C3", "raw") == plain
    assert sm2.decrypt(key, _der_ciphertext(data), "C1C3C2", "der") == plain


@given(d=SCALARS, plain=GMSSL_PLAINTEXTS)
def test_der_ciphertexts_agree_with_gmssl(d: int, plain: bytes) -> None:
    """Up to 255 bytes (GmSSL's limit): hegui's DER ciphertext decrypts under GmSSL and is
    strict DER; GmSSL's decrypts under hegui (as DER, and as raw after the test's
    conversion)."""
    key = _key(d)
    assert key.private is not None
    sk = key.private.to_bytes(32, "big")
    ours = sm2.encrypt(key, plain, form="der")
    assert gmssl_pyx.sm2_decrypt(sk, ours) == plain
    assert sm2.decrypt(key, _raw_ciphertext(ours)) == plain  # strict DER, read by the test
    theirs = gmssl_pyx.sm2_encrypt(key.public_bytes, plain)
    assert sm2.decrypt(key, theirs, form="der") == plain
    assert sm2.decrypt(key, _raw_ciphertext(theirs)) == plain


# -- signatures -----------------------------------------------------------------------------

@given(d=SCALARS, message=MESSAGES, signer_id=SIGNER_IDS)
def test_hegui_signatures_verify_under_both_oracles(d: int, message: bytes,
                                                    signer_id: str) -> None:
    """hegui's DER signature is strict DER and verifies under GmSSL and gmalg; its raw r‖s
    verifies under gmalg, and under GmSSL once written as DER by the test."""
    key = _key(d)
    uid = signer_id.encode()
    der = sm2.sign(key, message, signer_id, "der")
    rs = _rs(der)
    assert _der_signature(rs) == der
    assert gmssl_pyx.sm2_verify(key.public_bytes, message, der, uid)
    ref = gmalg.SM2(pk=b"\x04" + key.public_bytes, uid=uid)
    assert ref.verify(message, rs[:32], rs[32:])
    raw = sm2.sign(key, message, signer_id, "raw")
    assert len(raw) == 64
    assert ref.verify(message, raw[:32], raw[32:])
    assert gmssl_pyx.sm2_verify(key.public_bytes, message, _der_signature(raw), uid)


@given(d=SCALARS, message=MESSAGES, signer_id=SIGNER_IDS)
def test_oracle_signatures_verify_under_hegui(d: int, message: bytes, signer_id: str) -> None:
    """gmalg's and GmSSL's signatures verify under hegui, raw and DER; not for another
    message or signer id; der_to_raw and raw_to_der agree with the test's DER."""
    key = _key(d)
    uid = signer_id.encode()
    r, s = _gmalg(key, uid).sign(message)
    raw = r.rjust(32, b"\0") + s.rjust(32, b"\0")
    assert sm2.raw_to_der(raw) == _der_signature(raw)
    assert key.private is not None
    der = gmssl_pyx.sm2_sign(key.private.to_bytes(32, "big"), key.public_bytes, message, uid)
    assert sm2.der_to_raw(der) == _rs(der)
    assert sm2.raw_to_der(sm2.der_to_raw(der)) == der
    for sig_raw, sig_der in ((raw, _der_signature(raw)), (_rs(der), der)):
        assert sm2.verify(key, message, sig_raw, signer_id, "raw")
        assert sm2.verify(key, message, sig_der, signer_id, "der")
        assert not sm2.verify(key, message + b"\0", sig_raw, signer_id, "raw")
        assert not sm2.verify(key, message, sig_der, signer_id + "x", "der")
        assert not sm2.verify(key, message, sig_der, None, "der")


@given(d=SCALARS, message=MESSAGES)
def test_signatures_without_signer_id_agree_with_gmssl(d: int, message: bytes) -> None:
    """Signer id None (no Z_A; gmalg cannot, so GmSSL only): hegui's signature verifies under
    GmSSL, GmSSL's under hegui, and neither under the default signer id."""
    key = _key(d)
    assert key.private is not None
    ours = sm2.sign(key, message, None)
    assert gmssl_pyx.sm2_verify(key.public_bytes, message, ours, None)
    assert not sm2.verify(key, message, ours, sm2.DEFAULT_SIGNER_ID)
    raw = sm2.sign(key, message, None, "raw")
    assert gmssl_pyx.sm2_verify(key.public_bytes, message, _der_signature(raw), None)
    theirs = gmssl_pyx.sm2_sign(key.private.to_bytes(32, "big"), key.public_bytes, message,
                                None)
    assert sm2.verify(key, message, theirs, None)
    assert sm2.verify(key, message, _rs(theirs), None, "raw")
    assert not sm2.verify(key, message, theirs, sm2.DEFAULT_SIGNER_ID)


# -- sealed envelopes -----------------------------------------------------------------------

@functools.cache
def _keys() -> Keys:
    values = json.loads(KEYS_FILE.read_text(encoding="utf-8"))
    return Keys(values={k: v for k, v in values.items() if not k.startswith("_")})


@functools.cache
def _xib() -> Security:
    security = load_platform("xib-1.0").envelopes["default"].security
    assert security is not None and security.cipher is not None
    assert security.signature is not None
    return security


def _cipher(**changes: Any) -> Callable[[Security], Security]:
    def change(s: Security) -> Security:
        assert s.cipher is not None
        return replace(s, cipher=replace(s.cipher, **changes))
    return change


def _signature(**changes: Any) -> Callable[[Security], Security]:
    def change(s: Security) -> Security:
        assert s.signature is not None
        return replace(s, signature=replace(s.signature, **changes))
    return change


VARIANTS: dict[str, Callable[[Security], Security]] = {
    "xib": lambda s: s,
    "cipher-c1c2c3": _cipher(layout="C1C2C3"),
    "cipher-der": _cipher(form="der"),
    "cipher-base64": _cipher(encoding="base64"),
    "cipher-hex": _cipher(encoding="hex"),
    "signature-raw": _signature(form="raw"),
    "signature-no-signer-id": _signature(signer_id=None),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@given(body=BODIES)
def test_seal_then_open_is_identity_on_the_body(variant: str, body: dict[str, Any]) -> None:
    """Seal -> open under the XIB scheme (or a variant of it) gives back the body with no
    problem (hegui agreeing with itself); a variant is really in effect: the XIB scheme
    itself does not open it cleanly (the lower-case hex one: its data is lower case)."""
    security = VARIANTS[variant](_xib())
    sealed = seal({"data": body}, security, _keys(), NOW)
    assert isinstance(sealed["data"], str) and sealed["data"] != orjson.dumps(body).decode()
    opened = open_sealed(sealed, security, _keys(), NOW)
    assert opened.problems == []
    assert opened.doc is not None and opened.doc["data"] == body
    if variant == "xib":
        assert sealed["data"] == sealed["data"].upper()
    elif variant == "cipher-hex":
        assert sealed["data"] == sealed["data"].lower() != sealed["data"].upper()
    else:
        assert open_sealed(sealed, _xib(), _keys(), NOW).problems


@given(body=BODIES)
def test_sealed_xib_envelope_opens_under_gmalg(body: dict[str, Any]) -> None:
    """A sealed XIB envelope as the manual describes it, checked with gmalg: data is the hex
    of 04‖C1‖C3‖C2 of the compact JSON body (97 bytes longer); sign is base64 DER of the
    SM3withSM2 signature (signer id 1234567812345678) of data's plaintext + encrypt + nonceStr
    + timeStamp; timeStamp is the sealing time in milliseconds."""
    sealed = seal({"data": body}, _xib(), _keys(), NOW)
    assert set(sealed) == {"data", "encrypt", "nonceStr", "timeStamp", "sign"}
    assert sealed["encrypt"] == "1"
    assert sealed["timeStamp"] == str(int(NOW.timestamp() * 1000))
    plain = orjson.dumps(body)
    data = bytes.fromhex(sealed["data"])
    assert len(data) == len(plain) + 97
    private = bytes.fromhex(_keys().values["sm2PrivateKey"])
    public = bytes.fromhex(_keys().values["sm2PublicKey"])
    ref = gmalg.SM2(sk=private, uid=UID, pk=public)
    assert ref.decrypt(data) == plain
    signed = (plain.decode("utf-8") + sealed["encrypt"] + sealed["nonceStr"] +
              sealed["timeStamp"]).encode("utf-8")
    der = base64.b64decode(sealed["sign"], validate=True)
    raw = sm2.der_to_raw(der)
    assert ref.verify(signed, raw[:32], raw[32:])
    assert gmssl_pyx.sm2_verify(public[1:], signed, der, UID)
