"""The parts of a sealed envelope's scheme, as a platform profile's ``security`` block declares
them (docs/platform-profiles.md, Sealed envelopes), and what each needs from the key file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hegui.validator.sm2 import DEFAULT_SIGNER_ID
from hegui.validator.spec import Text

#: Signature algorithms: keyed SM3 constructions, a bare SM3 digest, and SM3withSM2.
SIGNATURES = ("hmac-sm3", "sm3-secret-appended", "sm3-secret-prepended", "sm3-secret-joined",
              "md5-secret-joined", "sm3", "sm3withsm2")
#: Ciphers: whole values in SM4 (CBC or ECB) or SM2 public-key encryption.
CIPHERS = ("SM4-CBC", "SM4-ECB", "SM2")


@dataclass(frozen=True)
class SignatureScheme:
    """How the string to sign is built and signed.

    The string: the envelope's members (``members`` in that order, else all of them but the
    signature and ``exclude``, in ASCII or document ``order``), empty ones left out when
    ``skip_empty``, each ``k=v`` (or its value alone when not ``pairs``), joined by ``join``;
    the body as sent (``over`` ciphertext) or as plaintext JSON text (``over`` plaintext)."""

    field: str = "signature"
    algorithm: str = "hmac-sm3"
    secret: str = "appSecret"  # the key-file member keying hmac-sm3 / sm3-secret-*
    order: str = "ascii"  # ascii | document | listed
    skip_empty: bool = True
    exclude: tuple[str, ...] = ()
    join: str = "&"
    encoding: str = "hex"
    members: tuple[str, ...] = ()
    pairs: bool = True
    over: str = "ciphertext"  # ciphertext | plaintext
    signer_id: str | None = DEFAULT_SIGNER_ID  # sm3withsm2: the signer id in Z_A (None: no Z_A)
    form: str = "der"  # sm3withsm2: der | raw (r‖s)
    public_key: str = "sm2PublicKey"  # sm3withsm2: the member verifying (the sender's)
    private_key: str = "sm2PrivateKey"  # sm3withsm2: the member signing (sealing)
    #: *-secret-joined: the secret goes after the string as ``join`` + ``secret_name=`` (when
    #: named) + the secret (Quanzhou: ``…&appsecret=SECRET``; Manyan: ``…&SECRET``).
    secret_name: str | None = None
    #: Whose members are signed: the envelope's (``envelope``) or the body's (``body``, when
    #: the signature travels in a header beside the body).
    scope: str = "envelope"


@dataclass(frozen=True)
class CipherScheme:
    """How a value (the body, a field, or an SM4 key) is encrypted."""

    algorithm: str = "SM4-CBC"
    padding: bool = True  # SM4: PKCS#7
    key: str = "sm4Key"  # SM4: the key member; SM2: the private key member (opening)
    iv: str = "sm4Iv"  # SM4-CBC
    encoding: str = "base64"
    layout: str = "C1C3C2"  # SM2
    form: str = "raw"  # SM2: raw | der
    prefix: bool = True  # SM2 raw: 04 before C1
    public_key: str = "sm2PublicKey"  # SM2: the member encrypting (sealing)
    #: An SM2 digital envelope: the SM4 key travels encrypted in this member (then ``key``
    #: is not read from the key file).
    key_envelope: KeyEnvelope | None = None


@dataclass(frozen=True)
class KeyEnvelope:
    """The member carrying the body's SM4 key, SM2-encrypted (a digital envelope)."""

    field: str
    cipher: CipherScheme


@dataclass(frozen=True)
class EncryptFlag:
    """A member saying whether the body is encrypted (XIB ``encrypt``: 1 yes, 0 no)."""

    field: str
    on: str = "1"
    off: str = "0"


@dataclass(frozen=True)
class FieldCipher:
    """Fields of the body encrypted one by one (``paths`` inside the body)."""

    paths: tuple[str, ...]
    cipher: CipherScheme


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
    flag: EncryptFlag | None = None
    fields: FieldCipher | None = None
    request_id: str | None = None  # the member unique within a batch
    nonce: str | None = None  # a member filled with a random string when sealing


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

    doc: dict[str, object] | None
    problems: list[Problem] = field(default_factory=list)


def _cipher_needs(c: CipherScheme, sealing: bool) -> list[str]:
    if c.key_envelope is not None:
        return _cipher_needs(c.key_envelope.cipher, sealing) + (
            [c.iv] if c.algorithm == "SM4-CBC" else [])
    if c.algorithm == "SM2":
        return [c.public_key if sealing else c.key]
    return [c.key] + ([c.iv] if c.algorithm == "SM4-CBC" else [])


def needs(security: Security, sealing: bool = False) -> list[str]:
    """The key-file members opening (or, ``sealing``, making) the envelope takes."""
    out: list[str] = []
    s = security.signature
    if s is not None:
        if s.algorithm == "sm3withsm2":
            out.append(s.private_key if sealing else s.public_key)
        elif s.algorithm != "sm3":
            out.append(s.secret)
    if security.cipher is not None:
        out += _cipher_needs(security.cipher, sealing)
    if security.fields is not None:
        out += _cipher_needs(security.fields.cipher, sealing)
    return list(dict.fromkeys(out))


def _cipher(raw: Mapping[str, Any]) -> CipherScheme:
    ke = raw.get("keyEnvelope")
    return CipherScheme(
        raw.get("algorithm", "SM4-CBC"), raw.get("padding", "PKCS7") == "PKCS7",
        raw.get("key", "sm2PrivateKey" if raw.get("algorithm") == "SM2" else "sm4Key"),
        raw.get("iv", "sm4Iv"), raw.get("encoding", "base64"), raw.get("layout", "C1C3C2"),
        raw.get("form", "raw"), raw.get("prefix", True), raw.get("publicKey", "sm2PublicKey"),
        None if ke is None else KeyEnvelope(ke["field"], _cipher({"algorithm": "SM2", **ke})))


def parse_security(body: str, raw: Mapping[str, Any] | None) -> Security | None:
    """The scheme of a profile envelope's ``security`` block (checked by the meta-schema)."""
    if raw is None:
        return None
    sig, cip, ts = raw.get("signature"), raw.get("cipher"), raw.get("timestamp")
    flag, fields = raw.get("flag"), raw.get("fields")
    basis = raw["basis"]
    text = basis if isinstance(basis, str) else basis["text"]
    members = tuple(sig.get("members", ())) if sig else ()
    return Security(
        body,
        None if sig is None else SignatureScheme(
            sig.get("field", "signature"), sig.get("algorithm", "hmac-sm3"),
            sig.get("secret", "appSecret"), sig.get("order", "listed" if members else "ascii"),
            sig.get("skipEmpty", True), tuple(sig.get("exclude", ())), sig.get("join", "&"),
            sig.get("encoding", "hex"), members, sig.get("pairs", True),
            sig.get("over", "ciphertext"), sig.get("signerId", DEFAULT_SIGNER_ID),
            sig.get("form", "der"), sig.get("publicKey", "sm2PublicKey"),
            sig.get("privateKey", "sm2PrivateKey"), sig.get("secretName"),
            sig.get("scope", "envelope")),
        None if cip is None else _cipher(cip),
        None if ts is None else TimestampScheme(
            ts.get("field", "timestamp"), ts.get("form", "epoch-ms"), ts.get("window", 300)),
        Text(text, text), raw.get("keyMember", "appKey"),
        None if flag is None else EncryptFlag(flag["field"], str(flag.get("on", "1")),
                                              str(flag.get("off", "0"))),
        None if fields is None else FieldCipher(tuple(fields["paths"]),
                                                _cipher(fields.get("cipher", {}))),
        raw.get("requestId"), raw.get("nonce"))
