"""Sealed envelopes beyond Jiangxi: XIB (SM3withSM2 signature, SM2-encrypted data, the encrypt
flag), Epoint V4.0 (an SM2 digital envelope carrying the SM4 key), Quanzhou (SM3 with the
appsecret joined, SM4 fields), Manyan (MD5 with the appsecret joined, the spec's own example),
request ids unique within a batch, and locations inside decrypted content."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from hegui.cli import cli
from hegui.validator import sm2
from hegui.validator.engine import Validator
from hegui.validator.envelope_scheme import Security, SignatureScheme
from hegui.validator.envelope_security import open_sealed, seal
from hegui.validator.envelope_sign import sign_string
from hegui.validator.gm_crypto import sm3
from hegui.validator.keys import Keys, load_keys
from hegui.validator.loader import load_spec
from hegui.validator.platform_loader import load_platform
from hegui.validator.result import Result

ROOT = Path(__file__).resolve().parent.parent.parent
KEYS_FILE = ROOT / "tests" / "data" / "keys" / "test-keys.json"
PLATFORMS = ROOT / "specs" / "eguarantee" / "platforms"
NOW = dt.datetime(2025, 6, 19, 2, 30, tzinfo=dt.UTC)


def keys() -> Keys:
    k = load_keys(str(KEYS_FILE))
    assert k is not None
    return k


def example(pid: str, name: str) -> dict[str, Any]:
    return json.loads((PLATFORMS / pid / "examples" / name).read_text(encoding="utf-8"))


def validator(pid: str, with_keys: Keys | None = None) -> Validator:
    platform = load_platform(pid)
    return Validator(load_spec(platform.spec, platform.layer), platform=platform,
                     keys=keys() if with_keys is None else with_keys, now=NOW)


def security(pid: str, envelope: str = "default") -> Security:
    s = load_platform(pid).envelopes[envelope].security
    assert s is not None
    return s


def check(v: Validator, doc: dict[str, Any], source: str = "sealed.json") -> Result:
    return v.validate(json.dumps(doc, ensure_ascii=False).encode(), source)


def ids(r: Result) -> list[str]:
    return sorted(f.rule_id for f in r.findings if f.severity != "info")


# -- XIB -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["valid/dlg-order-apply.json",
                                  "invalid/apply-bidder-uscc-check.json",
                                  "invalid/order-result-status-3.json"])
def test_xib_sealed_gets_the_plain_bodys_findings(name: str) -> None:
    v, body = validator("xib-1.0"), example("xib-1.0", name)
    sealed = seal(body, security("xib-1.0"), keys(), NOW)
    assert sealed["encrypt"] == "1" and sealed["data"][:2] == "04"
    assert sealed["data"] == sealed["data"].upper()  # HEX, like the manual's request demo
    # the plain example, judged without keys (its sign is a stand-in: with keys it fails)
    got, want = check(v, sealed), check(validator("xib-1.0", Keys()), body)
    assert ids(got) == ids(want)
    assert [f.location.pointer for f in got.findings if f.severity != "info"] == [
        f.location.pointer for f in want.findings if f.severity != "info"]


def test_xib_signature_is_over_the_plaintext_and_the_three_members() -> None:
    """The string signed is data's plaintext + encrypt + nonceStr + timeStamp, as the manual's
    template says; checked against gmssl-free arithmetic (hegui's verify) over that string."""
    body = example("xib-1.0", "valid/dlg-order-apply.json")
    sec = security("xib-1.0")
    sealed = seal(body, sec, keys(), NOW)
    plain = json.dumps(body["data"], ensure_ascii=False, separators=(",", ":"))
    message = (plain + sealed["encrypt"] + sealed["nonceStr"] + sealed["timeStamp"]).encode()
    key = sm2.load_key(public=keys().get("sm2PublicKey"))
    assert sm2.verify(key, message, base64.b64decode(sealed["sign"]))
    assert not sm2.verify(key, message + b"x", base64.b64decode(sealed["sign"]))


def _resigned(doc: dict[str, Any], sec: Security, scheme: SignatureScheme,
              plain: str) -> dict[str, Any]:
    out = dict(doc)
    key = sm2.load_key(private=keys().get("sm2PrivateKey"))
    data = sign_string(out, scheme, sec.body, plain).encode()
    raw = sm2.sign(key, data, scheme.signer_id, scheme.form)
    out["sign"] = base64.b64encode(raw).decode()
    return out


@pytest.mark.parametrize(("change", "said"), [
    ({"form": "raw"}, "RAW-encoded"),
    ({"signer_id": None}, "without Z_A"),
    ({"over": "ciphertext"}, "over the ciphertext"),
])
def test_xib_wrong_signature_constructions_are_diagnosed(change: dict[str, Any],
                                                         said: str) -> None:
    body = example("xib-1.0", "valid/dlg-order-apply.json")
    sec = security("xib-1.0")
    assert sec.signature is not None
    sealed = seal(body, sec, keys(), NOW)
    plain = json.dumps(body["data"], ensure_ascii=False, separators=(",", ":"))
    wrong = _resigned(sealed, sec, dataclasses.replace(sec.signature, **change), plain)
    r = check(validator("xib-1.0"), wrong)
    assert ids(r) == ["envelope.signature@invalid"]
    assert said in r.findings[0].message.en


def test_xib_c1c2c3_ciphertext_is_diagnosed() -> None:
    body = example("xib-1.0", "valid/dlg-order-apply.json")
    sec = security("xib-1.0")
    assert sec.cipher is not None
    other = dataclasses.replace(sec, cipher=dataclasses.replace(sec.cipher, layout="C1C2C3"))
    r = check(validator("xib-1.0"), seal(body, other, keys(), NOW))
    assert r.verdict == "error"
    assert r.findings[-1].rule_id == "envelope.data@decrypt"
    assert "laid out C1C2C3" in r.findings[-1].message.en


def test_xib_unencrypted_data_still_has_its_signature_checked() -> None:
    """encrypt=0: the plaintext data the manual allows; the signature still covers it."""
    body = example("xib-1.0", "valid/dlg-order-apply.json")
    sec = security("xib-1.0")
    assert sec.signature is not None
    doc = {"data": json.dumps(body["data"], ensure_ascii=False, separators=(",", ":")),
           "encrypt": "0", "nonceStr": "n0nce123", "timeStamp": str(int(NOW.timestamp() * 1000))}
    signed = _resigned(doc, sec, sec.signature, doc["data"])
    opened = open_sealed(signed, sec, keys(), NOW)
    assert opened.problems == []
    signed["nonceStr"] = "changed1"
    assert [p.rule_id for p in open_sealed(signed, sec, keys(), NOW).problems] == [
        "envelope.signature@invalid"]


def test_xib_without_keys_cannot_be_evaluated() -> None:
    sealed = seal(example("xib-1.0", "valid/dlg-order-apply.json"), security("xib-1.0"),
                  keys(), NOW)
    r = check(validator("xib-1.0", Keys()), sealed)
    assert r.verdict == "error" and ids(r) == ["envelope.keys@missing"]
    assert "sm2PrivateKey" in r.findings[0].message.en


# -- Epoint V4.0 digital envelope ------------------------------------------------------------

def test_epoint_digital_envelope_round_trip() -> None:
    body = example("epoint-4.0", "valid/baohanapply.json")
    sec = security("epoint-4.0", "applydata")
    sealed = seal(body, sec, keys(), NOW)
    assert isinstance(sealed["applydata"], str) and sealed["digitalenvelope"]
    wrapped = base64.b64decode(sealed["digitalenvelope"])
    sm4_key = sm2.decrypt(sm2.load_key(private=keys().get("sm2PrivateKey")), wrapped)
    assert len(sm4_key) == 16  # a fresh SM4 key, SM2-encrypted for the bidder
    v = validator("epoint-4.0")
    assert ids(check(v, sealed)) == ids(check(v, body)) == []
    other = seal(body, sec, keys(), NOW)
    assert other["digitalenvelope"] != sealed["digitalenvelope"]  # a new key every time
    sealed["digitalenvelope"] = other["digitalenvelope"]  # the wrong key for this applydata
    r = check(v, sealed)
    assert r.verdict == "error" and r.findings[-1].rule_id == "envelope.data@decrypt"


# -- Quanzhou --------------------------------------------------------------------------------

def test_quanzhou_signature_is_the_printed_construction() -> None:
    """Quanzhou's 报文签名: sorted non-empty key=value joined by &, then &appsecret=…, SM3,
    lower-case hex (the spec's example turns {key1: 1, key2: "", key3: 3, key4: null} into
    key1=1&key3=3&appsecret=XXXX)."""
    sec = security("quanzhou-1.3")
    assert sec.signature is not None
    doc = {"headers": {}, "body": {"key1": "1", "key2": "", "key3": "3", "key4": None}}
    assert sign_string(doc, sec.signature, "body") == "key1=1&key3=3"
    sealed = seal(doc, dataclasses.replace(sec, fields=None), Keys({"appSecret": "XXXX"}), NOW)
    assert sealed["headers"]["sign"] == sm3(b"key1=1&key3=3&appsecret=XXXX").hex()


def test_quanzhou_fields_decrypt_and_findings_say_they_are_in_decrypted_content() -> None:
    body = example("quanzhou-1.3", "valid/apply.json")
    body["body"]["fbidtime"] = "2025/07/01 09:30:00"  # a wrong date form, inside SM4
    sec = security("quanzhou-1.3")
    sealed = seal(body, sec, keys(), NOW)
    assert sealed["body"]["fbidtime"] != body["body"]["fbidtime"]
    v = validator("quanzhou-1.3")
    got, want = check(v, sealed), check(validator("quanzhou-1.3", Keys()), body)
    assert ids(got) == ids(want) != []
    inside = [f for f in got.findings if f.location.pointer == "/body/fbidtime"]
    assert inside and all(f.location.decrypted == "/body/fbidtime" for f in inside)
    assert inside[0].location.line is None
    assert all(f.location.decrypted is None for f in want.findings)


def test_quanzhou_tampered_field_breaks_the_signature() -> None:
    sec = security("quanzhou-1.3")
    sealed = seal(example("quanzhou-1.3", "valid/apply.json"), sec, keys(), NOW)
    sealed["body"]["centerprisename"] = "另一家公司"
    assert ids(check(validator("quanzhou-1.3"), sealed)) == ["envelope.signature@invalid"]


# -- Manyan ----------------------------------------------------------------------------------

def test_manyan_signature_reproduces_the_specs_example() -> None:
    """Manyan 1.4 prints a test appsecret, a body, the string to sign and its MD5."""
    sec = security("manyan-1.0")
    assert sec.signature is not None
    doc = {"headers": {"outorg": "x"}, "body": {"a": "123", "d": "abc", "b": "321", "c": ""}}
    assert sign_string(doc, sec.signature, "body") == "a=123&b=321&d=abc"
    sealed = seal(doc, sec, Keys({"appSecret": "MeTKJnC3fIAxeer8erADRTlJ"}), NOW)
    assert sealed["headers"]["sign"] == "5be870ea7db73c392b079767940e8cc3"
    assert sealed["headers"]["outorg"] == "x"


# -- batches ---------------------------------------------------------------------------------

def test_a_repeated_request_id_in_a_batch_is_a_finding(tmp_path: Path) -> None:
    jx = PLATFORMS / "jiangxi-2.3.0" / "examples" / "valid" / "lg-apply.json"
    runner = CliRunner()
    r = runner.invoke(cli, ["envelope", "seal", "--profile", "jiangxi-2.3.0", "--keys",
                            str(KEYS_FILE), str(jx)])
    assert r.exit_code == 0, r.output
    for n in ("a", "b"):
        (tmp_path / f"{n}.json").write_text(r.stdout, encoding="utf-8")
    r = runner.invoke(cli, ["validate", "--profile", "jiangxi-2.3.0", "--keys", str(KEYS_FILE),
                            "--format", "json", str(tmp_path / "a.json"),
                            str(tmp_path / "b.json")])
    doc = json.loads(r.stdout)
    got = {Path(x["source"]).name: [f["rule_id"] for f in x["findings"]]
           for x in doc["results"]}
    assert got == {"a.json": [], "b.json": ["envelope.requestId@duplicate"]}
    assert r.exit_code == 1


def test_no_sm2_key_material_in_outputs(tmp_path: Path) -> None:
    k = keys()
    sealed = seal(example("xib-1.0", "valid/dlg-order-apply.json"), security("xib-1.0"), k, NOW)
    sealed["sign"] = "MEQCIAAA" + sealed["sign"][8:]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(sealed), encoding="utf-8")
    for fmt in ("text", "json", "sarif", "html"):
        r = CliRunner().invoke(cli, ["validate", "--profile", "xib-1.0", "--keys",
                                     str(KEYS_FILE), "--format", fmt, str(path)])
        assert r.exit_code == 1, r.output
        for secret in k.secrets():
            assert secret.lower() not in r.output.lower()


# -- sealed test packs -----------------------------------------------------------------------

def test_a_sealed_native_pack_validates_as_its_manifest_says(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    runner = CliRunner()
    r = runner.invoke(cli, ["generate", "--profile", "xib-1.0", "--keys", str(KEYS_FILE),
                            "--sealed", "--count", "1", "--invalid", "--out", str(out)])
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sealed_at"] and manifest["files"]
    first = json.loads((out / manifest["files"][0]["path"]).read_text(encoding="utf-8"))
    assert first["encrypt"] == "1" and isinstance(first["data"], str)  # really sealed
    assert all("envelope.seal@plaintext" not in f["rule_ids"] for f in manifest["files"])
    args = ["validate", str(out), "--profile", "xib-1.0", "--keys", str(KEYS_FILE), "-q"]
    r = runner.invoke(cli, [*args, "--expect", str(out / "manifest.json")])
    assert r.exit_code == 0, r.output  # judged at sealed_at, from the manifest
    r = runner.invoke(cli, [*args, "--now", "2040-01-01T00:00:00+08:00", "--format", "json",
                            "--output", f"json={tmp_path / 'late.json'}"])
    late = json.loads((tmp_path / "late.json").read_text(encoding="utf-8"))
    assert late["options"]["now"] == "2040-01-01T00:00:00+08:00"
    assert all("envelope.timestamp@expired" in {f["rule_id"] for f in x["findings"]}
               for x in late["results"] if x["source"].endswith(".json")
               and not x["source"].endswith("manifest.json"))


def test_sealed_packs_need_a_profile_and_keys(tmp_path: Path) -> None:
    runner = CliRunner(env={"HEGUI_KEYS": ""})
    r = runner.invoke(cli, ["generate", "--profile", "xib-1.0", "--sealed", "--count", "1",
                            "--out", str(tmp_path / "a")])
    assert r.exit_code == 2 and "needs a key file" in r.output
    r = runner.invoke(cli, ["generate", "--spec", "eguarantee", "--sealed", "--keys",
                            str(KEYS_FILE), "--count", "1", "--out", str(tmp_path / "b")])
    assert r.exit_code == 2 and "--sealed needs --profile" in r.output
    r = runner.invoke(cli, ["validate", "--now", "yesterday", str(KEYS_FILE)])
    assert r.exit_code == 2 and "ISO 8601" in r.output
