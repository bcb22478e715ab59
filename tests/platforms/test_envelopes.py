"""Sealed envelopes (SM3/HMAC-SM3 signatures, SM4 encryption): the standards' test vectors,
seal and open, every kind of broken seal with its own finding, and no key in any output."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hegui.cli import cli
from hegui.validator.engine import Validator
from hegui.validator.envelope_security import (
    CipherScheme,
    Security,
    SignatureScheme,
    TimestampScheme,
    open_sealed,
    seal,
)
from hegui.validator.envelope_sign import make_signature
from hegui.validator.gm_crypto import CryptoError, decode, hmac_sm3, sm3, sm4_decrypt, sm4_encrypt
from hegui.validator.keys import Keys, load_keys
from hegui.validator.loader import load_spec
from hegui.validator.platform_loader import load_platform
from hegui.validator.result import Result

ROOT = Path(__file__).resolve().parent.parent.parent
KEYS_FILE = ROOT / "tests" / "data" / "keys" / "test-keys.json"
JX = ROOT / "specs" / "eguarantee" / "platforms" / "jiangxi-2.3.0" / "examples"
NOW = dt.datetime(2025, 3, 25, 2, 15, tzinfo=dt.UTC)


def test_sm3_and_sm4_standard_vectors() -> None:
    # GB/T 32905-2016 appendix A, example 1: SM3("abc")
    assert sm3(b"abc").hex() == ("66c7f0f462eeedd9d1f2d46bdc10e4e2"
                                 "4167c4875cf2f7a2297da02b8f4ba8e0")
    # GB/T 32905-2016 appendix A, example 2: "abcd" 16 times
    assert sm3(b"abcd" * 16).hex() == ("debe9ff92275b8a138604889c18e5a4d"
                                       "6fdb70e5387e5765293dcba39c0c5732")
    # GB/T 32907-2016 appendix A, example 1: one block, key = plaintext
    k = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert sm4_encrypt(k, k, "ECB", pad=False).hex() == "681edf34d206965e86b3e94f536e4246"
    assert sm4_decrypt(bytes.fromhex("681edf34d206965e86b3e94f536e4246"), k, "ECB",
                       pad=False) == k


def test_hmac_sm3_is_rfc_2104_over_sm3() -> None:
    """HMAC-SM3 from the library equals the HMAC construction written out over SM3."""
    key, msg = b"hegui-test-secret", b"appKey=a&timestamp=1"
    block = key.ljust(64, b"\0")
    inner = sm3(bytes(b ^ 0x36 for b in block) + msg)
    assert hmac_sm3(key, msg) == sm3(bytes(b ^ 0x5C for b in block) + inner)


def test_bad_ciphertexts_raise_crypto_errors() -> None:
    k = bytes(16)
    with pytest.raises(CryptoError):
        sm4_decrypt(b"short", k, "CBC", bytes(16))
    with pytest.raises(CryptoError):
        sm4_decrypt(sm4_encrypt(b"x", k, "CBC", bytes(16)), bytes(range(16)), "CBC", bytes(16))
    with pytest.raises(CryptoError):
        decode("not base64!", "base64")


@pytest.fixture(scope="module")
def jiangxi() -> tuple[Validator, Security, Keys]:
    platform = load_platform("jiangxi-2.3.0")
    keys = load_keys(str(KEYS_FILE))
    assert keys is not None and platform.envelope is not None
    assert platform.envelope.security is not None
    v = Validator(load_spec(platform.spec, platform.layer), platform=platform, keys=keys,
                  now=NOW)
    return v, platform.envelope.security, keys


def plain(name: str) -> dict[str, Any]:
    return json.loads((JX / name).read_text(encoding="utf-8"))


def check(v: Validator, doc: dict[str, Any]) -> Result:
    return v.validate(json.dumps(doc, ensure_ascii=False).encode(), "sealed.json")


def ids(r: Result) -> list[str]:
    return sorted(f.rule_id for f in r.findings if f.severity != "info")


@pytest.mark.parametrize("name", ["valid/lg-apply.json", "invalid/lg-apply-bidder-uscc-check.json",
                                  "invalid/lg-apply-deposit-after-opening.json"])
def test_a_sealed_envelope_gets_the_plain_bodys_findings(jiangxi: tuple[Validator, Security,
                                                         Keys], name: str) -> None:
    v, security, keys = jiangxi
    body = plain(name)
    sealed = seal(body, security, keys, NOW)
    assert isinstance(sealed["data"], str) and sealed["data"] != json.dumps(body["data"])
    got, want = check(v, sealed), check(v, body)
    assert ids(got) == ids(want)
    assert [f.location.pointer for f in got.findings if f.severity != "info"] == [
        f.location.pointer for f in want.findings if f.severity != "info"]
    assert "envelope.seal@plaintext" in want.rule_ids  # the plain one says it was not sealed


def _sealed(jiangxi: tuple[Validator, Security, Keys]) -> dict[str, Any]:
    _, security, keys = jiangxi
    return seal(plain("valid/lg-apply.json"), security, keys, NOW)


def test_tampered_data_breaks_the_signature(jiangxi: tuple[Validator, Security, Keys]) -> None:
    v, security, keys = jiangxi
    doc = _sealed(jiangxi)
    other = plain("valid/lg-apply.json")
    other["data"]["tenderDeposit"] = "1.00"
    doc["data"] = seal(other, security, keys, NOW)["data"]  # re-encrypted, not re-signed
    assert ids(check(v, doc)) == ["envelope.signature@invalid"]


def test_tampered_signature(jiangxi: tuple[Validator, Security, Keys]) -> None:
    v, _, _ = jiangxi
    doc = _sealed(jiangxi)
    doc["signature"] = ("0" if doc["signature"][0] != "0" else "1") + doc["signature"][1:]
    assert ids(check(v, doc)) == ["envelope.signature@invalid"]


def test_a_wrong_sm4_key_cannot_decrypt(jiangxi: tuple[Validator, Security, Keys]) -> None:
    v, _, keys = jiangxi
    doc = _sealed(jiangxi)
    wrong = Keys({**keys.values, "sm4Key": "fedcba98765432100123456789abcdef"})
    result = Validator(v.spec, platform=v.platform, keys=wrong, now=NOW).validate(
        json.dumps(doc).encode(), "sealed.json")
    assert result.verdict == "error"
    assert ids(result) in (["envelope.data@decrypt"], ["envelope.data@json"])


def test_an_expired_or_future_timestamp(jiangxi: tuple[Validator, Security, Keys]) -> None:
    v, security, keys = jiangxi
    old = seal(plain("valid/lg-apply.json"), security, keys, NOW - dt.timedelta(hours=1))
    assert ids(check(v, old)) == ["envelope.timestamp@expired"]
    new = seal(plain("valid/lg-apply.json"), security, keys, NOW + dt.timedelta(hours=1))
    assert ids(check(v, new)) == ["envelope.timestamp@future"]


def test_fields_signed_in_document_order_are_diagnosed(
        jiangxi: tuple[Validator, Security, Keys]) -> None:
    v, security, keys = jiangxi
    assert security.signature is not None
    doc = _sealed(jiangxi)
    wrong = SignatureScheme(**{**security.signature.__dict__, "order": "document"})
    doc.pop("signature")
    doc["signature"] = make_signature(doc, wrong, keys)
    result = check(v, doc)
    assert ids(result) == ["envelope.signature@invalid"]
    assert "document order, not ASCII order" in result.findings[0].message.en
    assert "ASCII 升序" in result.findings[0].message.zh


def test_ecb_instead_of_cbc_is_diagnosed(jiangxi: tuple[Validator, Security, Keys]) -> None:
    _, security, keys = jiangxi
    ecb = Security(security.body, security.signature, CipherScheme(algorithm="SM4-ECB"),
                   security.timestamp)
    doc = seal(plain("valid/lg-apply.json"), ecb, keys, NOW)
    opened = open_sealed(doc, security, keys, NOW)
    assert [p.rule_id for p in opened.problems] in (["envelope.data@decrypt"],
                                                    ["envelope.data@json"])
    assert "SM4-ECB" in opened.problems[0].text.en or "not JSON" in opened.problems[0].text.en


def test_no_key_is_an_error_with_exit_2(tmp_path: Path,
                                        jiangxi: tuple[Validator, Security, Keys]) -> None:
    path = tmp_path / "sealed.json"
    path.write_text(json.dumps(_sealed(jiangxi)), encoding="utf-8")
    r = CliRunner(env={"HEGUI_KEYS": ""}).invoke(
        cli, ["validate", "--profile", "jiangxi-2.3.0", str(path), "--lang", "en"])
    assert r.exit_code == 2
    assert "envelope.keys@missing" in r.output and "cannot evaluate" in r.output


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown", "html"])
def test_no_key_material_in_any_output(tmp_path: Path, fmt: str,
                                       jiangxi: tuple[Validator, Security, Keys]) -> None:
    _, _, keys = jiangxi
    doc = _sealed(jiangxi)
    doc["signature"] = "00" + doc["signature"][2:]
    path = tmp_path / "sealed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    r = CliRunner().invoke(cli, ["validate", "--profile", "jiangxi-2.3.0", "--keys",
                                 str(KEYS_FILE), "--format", fmt, str(path)])
    assert r.exit_code == 1, r.output
    for secret in keys.secrets():
        assert secret not in r.output and secret.upper() not in r.output
    assert "Keys(" not in repr(keys.values.keys()) and "0123456789abcdef" not in repr(keys)


def test_envelope_seal_and_open_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(cli, ["envelope", "seal", "--profile", "jiangxi-2.3.0", "--keys",
                            str(KEYS_FILE), str(JX / "valid" / "lg-apply.json")])
    assert r.exit_code == 0, r.output
    sealed = tmp_path / "sealed.json"
    sealed.write_text(r.stdout, encoding="utf-8")
    r = runner.invoke(cli, ["envelope", "open", "--profile", "jiangxi-2.3.0", "--keys",
                            str(KEYS_FILE), str(sealed)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["data"] == plain("valid/lg-apply.json")["data"]
    r = runner.invoke(cli, ["validate", "--profile", "jiangxi-2.3.0", "--keys",
                            str(KEYS_FILE), str(sealed), "-q"])
    assert r.exit_code == 0, r.output  # sealed just now: within the timestamp window
    for secret in load_keys(str(KEYS_FILE)).secrets():  # type: ignore[union-attr]
        assert secret not in r.output


#: (integers within 64 bits: hegui's JSON reader, orjson, reads larger ones as floats)
BODIES = st.dictionaries(st.text(min_size=1, max_size=8),
                         st.one_of(st.text(max_size=20), st.integers(-2**63, 2**63 - 1),
                                   st.booleans()), max_size=6)
HEX32 = st.binary(min_size=16, max_size=16).map(bytes.hex)


@settings(max_examples=60, deadline=None)
@given(body=BODIES, sm4=HEX32, iv=HEX32, secret=st.text(min_size=1, max_size=30),
       order=st.sampled_from(["ascii", "document"]), skip=st.booleans(),
       algorithm=st.sampled_from(["hmac-sm3", "sm3-secret-appended", "sm3-secret-prepended"]),
       sig_enc=st.sampled_from(["hex", "HEX", "base64"]),
       mode=st.sampled_from(["SM4-CBC", "SM4-ECB"]),
       enc=st.sampled_from(["base64", "base64url", "hex", "HEX"]),
       extra=st.dictionaries(st.sampled_from(["version", "note", "requestId"]),
                             st.text(max_size=10), max_size=3))
def test_seal_then_open_is_identity(body: dict[str, Any], sm4: str, iv: str, secret: str,
                                    order: str, skip: bool, algorithm: str, sig_enc: str,
                                    mode: str, enc: str, extra: dict[str, str]) -> None:
    security = Security("data", SignatureScheme(algorithm=algorithm, order=order,
                                                skip_empty=skip, encoding=sig_enc),
                        CipherScheme(algorithm=mode, encoding=enc), TimestampScheme())
    keys = Keys({"appKey": "k", "appSecret": secret, "sm4Key": sm4, "sm4Iv": iv})
    envelope = {"appKey": "", **extra, "data": copy.deepcopy(body)}
    sealed = seal(envelope, security, keys, NOW)
    opened = open_sealed(sealed, security, keys, NOW)
    assert opened.problems == []
    assert opened.doc is not None and opened.doc["data"] == body
    mode_name = mode.removeprefix("SM4-")
    raw = sm4_decrypt(decode(sealed["data"], enc), bytes.fromhex(sm4), mode_name,
                      bytes.fromhex(iv) if mode_name == "CBC" else None)
    assert json.loads(raw) == body  # plain SM4: any SM4 implementation gets the body back
