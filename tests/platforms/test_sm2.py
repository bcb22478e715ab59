"""SM2 (validator/sm2.py): the standard's worked examples, an OpenSSL-made key pair and
signature, key parsing and its errors, altered and malformed ciphertexts and signatures.

The oracles beside the standard: ``gmssl_pyx`` (GmSSL, C) and ``gmalg`` (pure Python); both are
first checked against the same worked examples, so a later agreement with them means something.
The Hypothesis comparisons with them are in tests/property/test_sm2_oracle.py.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import gmalg
import gmssl_pyx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from hegui.validator import sm2
from hegui.validator.gm_crypto import CryptoError

KEYS = Path(__file__).resolve().parent.parent / "data" / "keys"
UID = b"1234567812345678"

# GM/T 0003.5-2012 Annex A (also GB/T 32918.5), recommended curve, as reproduced in OpenSSL's
# test/sm2_internal_test.c: the key pair, message, signer id, k and the signature (r, s).
D_A = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"
X_A = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
Y_A = "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
MSG_A = b"message digest"
ID_A = "1234567812345678"
K_A = int("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21", 16)
R_A = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
S_A = "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
RAW_A = bytes.fromhex(R_A + S_A)

# GM/T 0003.5-2012 Annex C encryption, same key, plaintext b"encryption standard", same k; DER
# (GM/T 0009-2012 §7.2) ciphertext SEQUENCE{x1, y1, C3, C2}:
PLAIN_C = b"encryption standard"
DER_C = bytes.fromhex(
    "307C022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73022100E858F9D8"
    "1E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0042059983C18F809E262923C53AEC2"
    "95D30383B54E39D609D160AFCB1908D0BD8766041321886CA989CA9C7D58087307CA93092D651EFA")
# Its parts, read off the DER by hand: 30 7C | 02 20 x1 | 02 21 00 y1 | 04 20 C3 | 04 13 C2.
X1_C, Y1_C = DER_C[4:36], DER_C[39:71]
C3_C, C2_C = DER_C[73:105], DER_C[107:]
RAW_C = b"\x04" + X1_C + Y1_C + C3_C + C2_C  # C1C3C2 with the 04 prefix

# The OpenSSL 3.0 fixture (`openssl genpkey -algorithm SM2`): a signature (DER) of this message
# with signer id 1234567812345678 under tests/data/keys/sm2-openssl-*.pem.
OPENSSL_MSG = b"appKey=hegui&data=abc"
OPENSSL_SIG = bytes.fromhex(
    "30440220671ef6fba3366f985eb06495121f911d5b394f7e6c0ffcc98ae6890b24ae13d5022041898d8f70"
    "ace7aaf5d86fc9de5c1aa6bd87828d0c90ef84aa78f34fd9599194")
# The same private key as SEC1, written by OpenSSL 3.0 `openssl ec -in sm2-openssl-private.pem`
# (which labels it "SM2 PRIVATE KEY").
SEC1_BODY = (
    "MHcCAQEEIJuvQhckaFQeQBAeqWAUqT2HOJbVLm2UKSOh3KFXY8zCoAoGCCqBHM9V\n"
    "AYItoUQDQgAEJ+GrEk2Q+wlcOAzyi7XYocYjLi5s4EO3QdAu15xr738No0NPVa2I\n"
    "+Cct6fO/lECWp/C0CMwczLjcCAm0pfNdJQ==\n")


def _annex_key() -> sm2.Sm2Key:
    return sm2.load_key(private=D_A)


def _pem(name: str) -> str:
    return (KEYS / name).read_text(encoding="ascii")


def _flip(data: bytes, i: int) -> bytes:
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


# -- the curve and keys ---------------------------------------------------------------------

def test_annex_a_public_key_is_derived_from_the_private_key() -> None:
    """d·G for the Annex A private key is the printed public point, however the key is
    written (upper or lower case hex, public key given or derived)."""
    point = (int(X_A, 16), int(Y_A, 16))
    assert _annex_key().public == point
    assert sm2.load_key(private=D_A.lower()).public == point
    assert sm2.multiply(int(D_A, 16), sm2.G) == point
    assert sm2.load_key(public="04" + X_A + Y_A).public == point
    assert sm2.load_key(public=X_A + Y_A).public == point
    assert _annex_key().public_bytes == bytes.fromhex(X_A + Y_A)
    assert _annex_key().private == int(D_A, 16)


def test_compressed_public_keys_decompress_to_the_point() -> None:
    """A compressed public key (02/03 ‖ x, as gmalg writes it) gives back the full point;
    the other parity byte gives the negated point."""
    for key in (_annex_key(), sm2.load_key(private=_pem("sm2-openssl-private.pem"))):
        d = key.private
        assert d is not None
        compressed = gmalg.SM2(pc_mode=gmalg.PC_MODE.COMPRESS).generate_pk(d.to_bytes(32, "big"))
        assert compressed[0] in (2, 3) and len(compressed) == 33
        assert sm2.load_key(public=compressed.hex()).public == key.public
        other = bytes([5 - compressed[0]]) + compressed[1:]
        assert sm2.load_key(public=other.hex()).public == (key.public[0],
                                                           sm2.P - key.public[1])


def test_scalar_multiplication_agrees_with_gmalg() -> None:
    """d·G equals gmalg's public key for edge and random scalars; G is on the curve and a
    point off it is not; N·G is the point at infinity and (N−1)·G is −G."""
    ref = gmalg.SM2()
    for d in (1, 2, 3, sm2.N - 2, sm2.N - 1, *(secrets.randbelow(sm2.N - 1) + 1 for _ in range(3))):
        x, y = sm2.multiply(d, sm2.G)
        assert b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big") == ref.generate_pk(
            d.to_bytes(32, "big")), hex(d)
        assert sm2.on_curve((x, y))
    gx, gy = sm2.G
    assert sm2.on_curve(sm2.G)
    assert not sm2.on_curve((gx, gy + 1))
    assert not sm2.on_curve((gx + sm2.P, gy))  # the same residue, but not a field element
    assert sm2.multiply(sm2.N - 1, sm2.G) == (gx, sm2.P - gy)
    with pytest.raises(CryptoError):
        sm2.multiply(sm2.N, sm2.G)
    for d in (1, sm2.N - 2):  # the ends of the private key range [1, N−2]
        assert sm2.load_key(private=f"{d:064x}").public == sm2.multiply(d, sm2.G)


def test_generated_keys_are_valid_pairs() -> None:
    """generate() gives private scalars in [1, N−2] whose public point is d·G (checked with
    gmalg), and a new pair each time."""
    ref = gmalg.SM2()
    keys = [sm2.generate() for _ in range(3)]
    for key in keys:
        assert key.private is not None and 1 <= key.private <= sm2.N - 2
        assert b"\x04" + key.public_bytes == ref.generate_pk(key.private.to_bytes(32, "big"))
    assert len({k.private for k in keys}) == 3


def test_generated_private_keys_stay_in_range(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the ends of the random source, generate() gives the private keys 1 and N−2, never 0
    or N−1."""
    for pick, expected in ((lambda n: 0, 1), (lambda n: n - 1, sm2.N - 2)):
        monkeypatch.setattr(sm2.secrets, "randbelow", pick)
        key = sm2.generate()
        assert key.private == expected
        assert key.public == sm2.multiply(expected, sm2.G)


def test_openssl_pem_keys_load() -> None:
    """The OpenSSL-made PKCS#8 private key and SubjectPublicKeyInfo public key load, and the
    public point derived from the private key is the public PEM's."""
    private = sm2.load_key(private=_pem("sm2-openssl-private.pem"))
    public = sm2.load_key(public=_pem("sm2-openssl-public.pem"))
    assert private.private is not None and public.private is None
    assert private.public == public.public
    assert sm2.on_curve(public.public)
    both = sm2.load_key(private=_pem("sm2-openssl-private.pem"),
                        public=_pem("sm2-openssl-public.pem"))
    assert both.private == private.private and both.public == public.public


def test_sec1_private_key_loads() -> None:
    """The SEC1 form (ECPrivateKey with the SM2 curve id) of the OpenSSL key loads to the
    same key as its PKCS#8 form."""
    pem = f"-----BEGIN EC PRIVATE KEY-----\n{SEC1_BODY}-----END EC PRIVATE KEY-----\n"
    pkcs8 = sm2.load_key(private=_pem("sm2-openssl-private.pem"))
    assert sm2.load_key(private=pem) == pkcs8


def test_sec1_private_key_with_openssls_sm2_label_loads() -> None:
    """The SEC1 key exactly as OpenSSL 3.0 writes it, labelled SM2 PRIVATE KEY (a digit in
    the armour), loads."""
    pem = f"-----BEGIN SM2 PRIVATE KEY-----\n{SEC1_BODY}-----END SM2 PRIVATE KEY-----\n"
    assert sm2.load_key(private=pem) == sm2.load_key(private=_pem("sm2-openssl-private.pem"))


def _p256() -> tuple[str, str, str]:
    """A P-256 (not SM2) key pair as PKCS#8 and SubjectPublicKeyInfo PEM, and its private
    scalar in hex."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")
    return private, public, f"{key.private_numbers().private_value:064x}"


def _bad_keys() -> list[tuple[str, str, str]]:
    """(id, which argument, key text) of keys that must not load."""
    gx, gy = sm2.G
    off_curve = f"04{gx:064x}{gy + 1:064x}"
    p256_private, p256_public, _ = _p256()
    return [
        ("private-62-digits", "private", D_A[:-2]),
        ("private-66-digits", "private", D_A + "00"),
        ("private-not-hex", "private", D_A[:-1] + "g"),
        ("private-zero", "private", "00" * 32),
        ("private-n-minus-1", "private", f"{sm2.N - 1:064x}"),
        ("private-n", "private", f"{sm2.N:064x}"),
        ("public-126-digits", "public", X_A + Y_A[:-2]),
        ("public-not-on-curve", "public", off_curve),
        # x = 5: x³ + ax + b is not a square mod p
        ("public-compressed-not-on-curve", "public", "02" + "00" * 31 + "05"),
        ("public-not-hex", "public", "04" + X_A + Y_A[:-1] + "z"),
        ("private-p256-pem", "private", p256_private),
        ("public-p256-pem", "public", p256_public),
        ("private-is-a-public-pem", "private", _pem("sm2-openssl-public.pem")),
        ("private-pem-not-base64", "private",
         "-----BEGIN PRIVATE KEY-----\nMIGH!AgEAMBMGByqGSM49AgEG\n-----END PRIVATE KEY-----"),
    ]


def _key_text_chunks(text: str) -> list[str]:
    """Pieces of a key's text (no PEM armour) that an error message must not contain."""
    body = "".join(line for line in text.splitlines() if not line.startswith("-----"))
    body = "".join(body.split())
    return [body[i:i + 12].lower() for i in range(0, max(len(body) - 11, 1), 6)]


BAD_KEYS = _bad_keys()


@pytest.mark.parametrize(("which", "text"), [(w, t) for _, w, t in BAD_KEYS],
                         ids=[i for i, _, _ in BAD_KEYS])
def test_bad_keys_raise_without_naming_the_key(which: str, text: str) -> None:
    """Wrong lengths, bad digits, out-of-range scalars, points off the curve and non-SM2 PEM
    keys raise CryptoError, and the message quotes no part of the key."""
    with pytest.raises(CryptoError) as info:
        sm2.load_key(**{which: text})
    message = str(info.value).lower()
    assert message
    for chunk in _key_text_chunks(text):
        assert chunk not in message


def test_p256_private_key_error_does_not_name_its_scalar() -> None:
    """The error for a P-256 PEM key says it is not SM2 and quotes neither the PEM nor the
    private scalar inside it."""
    private, _, scalar = _p256()
    with pytest.raises(CryptoError, match="not an SM2 key") as info:
        sm2.load_key(private=private)
    assert scalar not in str(info.value).lower()


def test_no_key_and_public_only_keys_raise() -> None:
    """No key at all, signing or decrypting with a public key only: CryptoError."""
    with pytest.raises(CryptoError):
        sm2.load_key()
    public = sm2.load_key(public=X_A + Y_A)
    with pytest.raises(CryptoError):
        sm2.sign(public, MSG_A)
    with pytest.raises(CryptoError):
        sm2.decrypt(public, RAW_C)


def test_key_repr_shows_no_key_material() -> None:
    """repr of a key says private or public and nothing of its value."""
    key = _annex_key()
    for text in (repr(key), str(key), repr(sm2.load_key(public=X_A + Y_A))):
        assert D_A.lower() not in text.lower() and X_A.lower() not in text.lower()
        assert str(key.private) not in text and str(key.public[0]) not in text


# -- signatures -----------------------------------------------------------------------------

def test_annex_a_signature_verifies() -> None:
    """The Annex A signature verifies as raw r‖s and as DER (raw_to_der), with and without
    naming the default signer id (Z_A of 1234567812345678)."""
    key = _annex_key()
    assert sm2.verify(key, MSG_A, RAW_A, ID_A, "raw")
    assert sm2.verify(key, MSG_A, sm2.raw_to_der(RAW_A), ID_A, "der")
    assert sm2.verify(key, MSG_A, sm2.raw_to_der(RAW_A))
    assert sm2.verify(sm2.load_key(public=X_A + Y_A), MSG_A, RAW_A, ID_A, "raw")


def _changed(raw: bytes, part: int, delta: int) -> bytes:
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    r, s = (r + delta, s) if part == 0 else (r, s + delta)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


@pytest.mark.parametrize(("message", "signer_id", "raw"), [
    (b"message digesT", ID_A, RAW_A),
    (MSG_A + b"\0", ID_A, RAW_A),
    (MSG_A, "1234567812345679", RAW_A),
    (MSG_A, "", RAW_A),
    (MSG_A, None, RAW_A),
    (MSG_A, ID_A, _changed(RAW_A, 0, 1)),
    (MSG_A, ID_A, _changed(RAW_A, 0, -1)),
    (MSG_A, ID_A, _changed(RAW_A, 1, 1)),
    (MSG_A, ID_A, _changed(RAW_A, 1, -1)),
    (MSG_A, ID_A, RAW_A[32:] + RAW_A[:32]),
], ids=["message", "message-longer", "signer-id", "signer-id-empty", "no-signer-id",
        "r+1", "r-1", "s+1", "s-1", "s-r"])
def test_annex_a_signature_fails_when_anything_changes(message: bytes, signer_id: str | None,
                                                       raw: bytes) -> None:
    """A changed message, signer id, r or s: the Annex A signature does not verify (raw or
    DER)."""
    key = _annex_key()
    assert not sm2.verify(key, message, raw, signer_id, "raw")
    assert not sm2.verify(key, message, sm2.raw_to_der(raw), signer_id, "der")


def test_annex_a_signature_fails_under_another_key() -> None:
    """The Annex A signature does not verify under another public key."""
    assert not sm2.verify(sm2.load_key(public=_pem("sm2-openssl-public.pem")), MSG_A, RAW_A,
                          ID_A, "raw")


def test_oracles_reproduce_annex_a() -> None:
    """gmalg, given the Annex A k, makes the printed (r, s); GmSSL verifies it: the oracles of
    the property tests agree with the standard."""
    d = int(D_A, 16).to_bytes(32, "big")
    ref = gmalg.SM2(sk=d, uid=ID_A.encode(), rnd_fn=lambda _bits: K_A)
    r, s = ref.sign(MSG_A)
    assert r.rjust(32, b"\0") + s.rjust(32, b"\0") == RAW_A
    assert gmssl_pyx.sm2_verify(bytes.fromhex(X_A + Y_A), MSG_A, sm2.raw_to_der(RAW_A), UID)


@pytest.mark.parametrize("signer_id", [ID_A, None, "alice@example.com"])
def test_signatures_verify_under_gmssl_and_gmalg(signer_id: str | None) -> None:
    """hegui's signature (DER and raw) of the Annex A key verifies under GmSSL (and gmalg,
    which needs a signer id), and under hegui, but not for another message."""
    key = _annex_key()
    uid = None if signer_id is None else signer_id.encode()
    der = sm2.sign(key, MSG_A, signer_id)
    raw = sm2.sign(key, MSG_A, signer_id, "raw")
    assert len(raw) == 64 and der[0] == 0x30
    for sig in (der, sm2.raw_to_der(raw)):
        assert gmssl_pyx.sm2_verify(key.public_bytes, MSG_A, sig, uid)
    for r_s in (sm2.der_to_raw(der), raw):
        assert sm2.verify(key, MSG_A, r_s, signer_id, "raw")
        assert not sm2.verify(key, MSG_A + b"!", r_s, signer_id, "raw")
        if uid is not None:
            assert gmalg.SM2(pk=b"\x04" + key.public_bytes, uid=uid).verify(MSG_A, r_s[:32],
                                                                            r_s[32:])


def test_openssl_signature_verifies() -> None:
    """The OpenSSL-made signature verifies under the public PEM (and the private PEM's derived
    point), as DER and as raw r‖s; not for another message, signer id or key."""
    public = sm2.load_key(public=_pem("sm2-openssl-public.pem"))
    private = sm2.load_key(private=_pem("sm2-openssl-private.pem"))
    raw = sm2.der_to_raw(OPENSSL_SIG)
    assert sm2.verify(public, OPENSSL_MSG, OPENSSL_SIG)
    assert sm2.verify(private, OPENSSL_MSG, OPENSSL_SIG, ID_A, "der")
    assert sm2.verify(public, OPENSSL_MSG, raw, ID_A, "raw")
    assert sm2.raw_to_der(raw) == OPENSSL_SIG
    assert not sm2.verify(public, b"appKey=hegui&data=abd", OPENSSL_SIG)
    assert not sm2.verify(public, OPENSSL_MSG, OPENSSL_SIG, None)
    assert not sm2.verify(_annex_key(), OPENSSL_MSG, OPENSSL_SIG)


def test_signature_with_the_pem_key_verifies_under_gmssl() -> None:
    """hegui signs with the OpenSSL PEM private key; GmSSL and gmalg verify it under the
    public PEM's point."""
    private = sm2.load_key(private=_pem("sm2-openssl-private.pem"))
    public = sm2.load_key(public=_pem("sm2-openssl-public.pem")).public_bytes
    der = sm2.sign(private, OPENSSL_MSG)
    assert gmssl_pyx.sm2_verify(public, OPENSSL_MSG, der, UID)
    raw = sm2.der_to_raw(der)
    assert gmalg.SM2(pk=b"\x04" + public, uid=UID).verify(OPENSSL_MSG, raw[:32], raw[32:])


@pytest.mark.parametrize("signature", [
    b"", b"\x30", b"\x30\x00", b"\x30\x03\x02\x01\x01", b"\x00" * 64 + b"\x00",
    bytes(72), sm2.raw_to_der(RAW_A) + b"\x00", b"\x31" + sm2.raw_to_der(RAW_A)[1:],
], ids=["empty", "tag-only", "empty-seq", "one-int", "65-bytes", "zeros", "trailing",
        "set-tag"])
def test_malformed_der_signatures_do_not_verify(signature: bytes) -> None:
    """verify() says False (never raises) for signatures that are not DER SEQUENCE{r, s}."""
    assert sm2.verify(_annex_key(), MSG_A, signature) is False


def _noncanonical() -> list[bytes]:
    """Non-canonical spellings of the Annex A signature: r and s without the 00 their high
    bit needs (negative INTEGERs), with a needless extra 00, the SEQUENCE length in long
    form."""
    r, s = RAW_A[:32], RAW_A[32:]
    return [b"\x30\x44\x02\x20" + r + b"\x02\x20" + s,
            b"\x30\x48\x02\x22\x00\x00" + r + b"\x02\x22\x00\x00" + s,
            b"\x30\x81" + sm2.raw_to_der(RAW_A)[1:]]


@pytest.mark.parametrize("signature", _noncanonical(),
                         ids=["negative-ints", "extra-zeros", "long-form-length"])
def test_gmssl_refuses_noncanonical_der_signatures(signature: bytes) -> None:
    """GmSSL (like OpenSSL) refuses the signature spelled in non-canonical DER."""
    assert not gmssl_pyx.sm2_verify(bytes.fromhex(X_A + Y_A), MSG_A, signature, UID)


@pytest.mark.parametrize("signature", _noncanonical(),
                         ids=["negative-ints", "extra-zeros", "long-form-length"])
def test_noncanonical_der_signatures_do_not_verify(signature: bytes) -> None:
    """A signature that is right but not canonical DER does not verify (GmSSL and OpenSSL
    refuse it too), and der_to_raw refuses it."""
    assert not sm2.verify(_annex_key(), MSG_A, signature)
    with pytest.raises(CryptoError):
        sm2.der_to_raw(signature)


@pytest.mark.parametrize("raw", [
    bytes(64), RAW_A[:63], RAW_A + b"\x00",
    sm2.N.to_bytes(32, "big") + RAW_A[32:], RAW_A[:32] + sm2.N.to_bytes(32, "big"),
    (sm2.N - int(S_A, 16)).to_bytes(32, "big") + RAW_A[32:],  # r + s = N
], ids=["zero", "63-bytes", "65-bytes", "r=N", "s=N", "r+s=N"])
def test_out_of_range_raw_signatures_do_not_verify(raw: bytes) -> None:
    """verify() says False for raw signatures of the wrong length or with r, s or r+s out of
    range."""
    assert sm2.verify(_annex_key(), MSG_A, raw, ID_A, "raw") is False


def test_der_conversion_is_minimal_and_inverse() -> None:
    """raw_to_der writes minimal INTEGERs (a 00 before a high bit, no leading zeros) and
    der_to_raw undoes it, left-padding short values to 32 bytes."""
    r, s = int(R_A, 16), int(S_A, 16)
    assert sm2.raw_to_der(RAW_A) == (b"\x30\x46\x02\x21\x00" + r.to_bytes(32, "big") +
                                     b"\x02\x21\x00" + s.to_bytes(32, "big"))
    small = (1).to_bytes(32, "big") + (0x80).to_bytes(32, "big")
    assert sm2.raw_to_der(small) == bytes.fromhex("3007020101020200 80".replace(" ", ""))
    assert sm2.der_to_raw(bytes.fromhex("300702010102020080")) == small
    mid = (0x7F << 248).to_bytes(32, "big") + bytes(31) + b"\x01"
    assert sm2.raw_to_der(mid) == b"\x30\x25\x02\x20" + mid[:32] + b"\x02\x01\x01"
    for raw in (RAW_A, small, mid, sm2.der_to_raw(OPENSSL_SIG)):
        assert sm2.der_to_raw(sm2.raw_to_der(raw)) == raw


@pytest.mark.parametrize("der", [
    b"",
    sm2.raw_to_der(RAW_A) + b"\x00",  # trailing bytes after the SEQUENCE
    bytes.fromhex("3009020101020200800500"),  # trailing NULL inside the SEQUENCE
    bytes.fromhex("3107020101020200 80".replace(" ", "")),  # a SET, not a SEQUENCE
    bytes.fromhex("300703010102020080"),  # r a BIT STRING
    bytes.fromhex("300702010104020080"),  # s an OCTET STRING
    bytes.fromhex("3003020101"),  # no s
    bytes.fromhex("3008020101020200"),  # length past the end
    bytes.fromhex("30260221" + "01" * 33 + "020101"),  # r of 264 bits
    bytes.fromhex("3084000000070201010202008 0".replace(" ", "")),  # 4 length octets
], ids=["empty", "trailing", "trailing-inside", "set", "bitstring-r", "octets-s", "no-s",
        "truncated", "r-too-big", "long-length"])
def test_der_to_raw_rejects_malformed_input(der: bytes) -> None:
    """der_to_raw raises CryptoError for anything but a DER SEQUENCE of two INTEGERs of at
    most 256 bits, with nothing after it."""
    with pytest.raises(CryptoError):
        sm2.der_to_raw(der)


@pytest.mark.parametrize("raw", [b"", bytes(63), bytes(65), RAW_A * 2])
def test_raw_to_der_rejects_wrong_lengths(raw: bytes) -> None:
    """raw_to_der raises CryptoError unless given 64 bytes."""
    with pytest.raises(CryptoError):
        sm2.raw_to_der(raw)


# -- encryption -----------------------------------------------------------------------------

def test_annex_c_ciphertext_is_reproduced_exactly() -> None:
    """With the Annex C k, encryption gives the printed DER ciphertext byte for byte, and the
    same x1, y1, C3, C2 in each raw layout, with and without the 04."""
    key = _annex_key()

    def enc(layout: str = "C1C3C2", form: str = "raw", prefix: bool = True) -> bytes:
        return sm2.encrypt(key, PLAIN_C, layout, form, prefix, nonce=lambda: K_A)

    assert enc(form="der") == DER_C
    assert enc() == RAW_C
    assert enc(layout="C1C3C2", form="raw") == RAW_C
    assert enc(prefix=False) == RAW_C[1:]
    assert enc(layout="C1C2C3") == b"\x04" + X1_C + Y1_C + C2_C + C3_C
    assert enc(layout="C1C2C3", prefix=False) == X1_C + Y1_C + C2_C + C3_C


def test_gmalg_reproduces_annex_c() -> None:
    """gmalg, given the Annex C k, makes the same raw C1C3C2 ciphertext (the oracle agrees
    with the standard), and GmSSL decrypts the DER one."""
    d = int(D_A, 16).to_bytes(32, "big")
    ref = gmalg.SM2(sk=d, pk=b"\x04" + bytes.fromhex(X_A + Y_A), rnd_fn=lambda _bits: K_A)
    assert ref.encrypt(PLAIN_C) == RAW_C
    assert gmssl_pyx.sm2_decrypt(d, DER_C) == PLAIN_C


@pytest.mark.parametrize(("data", "layout", "form"), [
    (DER_C, "C1C3C2", "der"),
    (DER_C, "C1C2C3", "der"),  # the layout does not apply to DER
    (RAW_C, "C1C3C2", "raw"),
    (RAW_C[1:], "C1C3C2", "raw"),
    (b"\x04" + X1_C + Y1_C + C2_C + C3_C, "C1C2C3", "raw"),
    (X1_C + Y1_C + C2_C + C3_C, "C1C2C3", "raw"),
], ids=["der", "der-any-layout", "raw", "raw-no-04", "c1c2c3", "c1c2c3-no-04"])
def test_annex_c_ciphertext_decrypts(data: bytes, layout: str, form: str) -> None:
    """The Annex C ciphertext decrypts to the plaintext in every form and layout, the raw
    form with and without the 04 prefix."""
    assert sm2.decrypt(_annex_key(), data, layout, form) == PLAIN_C


def _der_at(part: str) -> int:
    return {"x1": 10, "y1": 45, "c3": 80, "c2": 110}[part]


@pytest.mark.parametrize(("data", "form"), [
    (_flip(RAW_C, 1 + 64), "raw"),  # the first byte of C3
    (_flip(RAW_C, 1 + 64 + 31), "raw"),  # the last byte of C3
    (_flip(RAW_C, 1 + 96), "raw"),  # the first byte of C2
    (_flip(RAW_C, len(RAW_C) - 1), "raw"),  # the last byte of C2
    (_flip(RAW_C, 1 + 10), "raw"),  # x1: C1 is no longer on the curve
    (_flip(RAW_C, 1 + 40), "raw"),  # y1
    (RAW_C[:-1], "raw"),  # C2 one byte short
    (RAW_C + b"\x00", "raw"),  # C2 one byte longer
    (_flip(DER_C, _der_at("c3")), "der"),
    (_flip(DER_C, _der_at("c2")), "der"),
    (_flip(DER_C, _der_at("x1")), "der"),
    (_flip(DER_C, _der_at("y1")), "der"),
], ids=["c3-first", "c3-last", "c2-first", "c2-last", "x1", "y1", "c2-short", "c2-long",
        "der-c3", "der-c2", "der-x1", "der-y1"])
def test_altered_ciphertexts_raise(data: bytes, form: str) -> None:
    """A changed byte of C1, C2 or C3 (or a C2 of another length) raises CryptoError, not a
    wrong plaintext."""
    with pytest.raises(CryptoError):
        sm2.decrypt(_annex_key(), data, "C1C3C2", form)


def test_wrong_layout_form_or_key_raises() -> None:
    """C1C3C2 read as C1C2C3 and the reverse, raw read as DER and the reverse, and another
    private key: CryptoError."""
    key = _annex_key()
    c1c2c3 = b"\x04" + X1_C + Y1_C + C2_C + C3_C
    for data, layout, form in ((RAW_C, "C1C2C3", "raw"), (RAW_C[1:], "C1C2C3", "raw"),
                               (c1c2c3, "C1C3C2", "raw"), (RAW_C, "C1C3C2", "der"),
                               (DER_C, "C1C3C2", "raw")):
        with pytest.raises(CryptoError):
            sm2.decrypt(key, data, layout, form)
    other = sm2.load_key(private=_pem("sm2-openssl-private.pem"))
    for data, form in ((RAW_C, "raw"), (DER_C, "der")):
        with pytest.raises(CryptoError):
            sm2.decrypt(other, data, "C1C3C2", form)


@pytest.mark.parametrize(("data", "form"), [
    (b"", "raw"), (b"\x04", "raw"), (RAW_C[:97], "raw"), (RAW_C[1:97], "raw"),
    (bytes(200), "raw"), (b"\x04" + bytes(199), "raw"),
    (b"", "der"), (DER_C + b"\x00", "der"), (b"\x31" + DER_C[1:], "der"),
    (bytes.fromhex("3006020101020101"), "der"),
    (b"\x30\x7b" + DER_C[2:72] + b"\x1f" + DER_C[73:104] + DER_C[105:], "der"),  # C3 short
], ids=["empty", "04", "no-c2", "no-c2-no-04", "zeros", "04-zeros", "der-empty",
        "der-trailing", "der-set", "der-two-parts", "der-c3-31-bytes"])
def test_malformed_ciphertexts_raise(data: bytes, form: str) -> None:
    """Too short, not a point, not the DER SEQUENCE{x, y, C3, C2}: CryptoError."""
    with pytest.raises(CryptoError):
        sm2.decrypt(_annex_key(), data, "C1C3C2", form)


def test_encryption_is_randomised() -> None:
    """Two encryptions of the same plaintext differ (a fresh k), both decrypt."""
    key = _annex_key()
    one, two = sm2.encrypt(key, PLAIN_C), sm2.encrypt(key, PLAIN_C)
    assert one != two and one[:65] != two[:65]
    assert sm2.decrypt(key, one) == sm2.decrypt(key, two) == PLAIN_C


def test_empty_plaintext_is_refused() -> None:
    """SM2 encryption of nothing raises CryptoError."""
    with pytest.raises(CryptoError):
        sm2.encrypt(_annex_key(), b"")


@pytest.mark.parametrize(("layout", "form", "prefix"), [
    ("C1C3C2", "raw", True), ("C1C3C2", "raw", False), ("C1C2C3", "raw", True),
    ("C1C2C3", "raw", False), ("C1C3C2", "der", True)])
def test_plaintexts_over_255_bytes(layout: str, form: str, prefix: bool) -> None:
    """4 KiB (beyond GmSSL's 255-byte limit) encrypts to 4 KiB + 97 bytes (raw) and decrypts
    in every layout and form; gmalg decrypts the raw C1C3C2 one."""
    key = _annex_key()
    plain = secrets.token_bytes(4096)
    data = sm2.encrypt(key, plain, layout, form, prefix)
    if form == "raw":
        assert len(data) == 4096 + 96 + prefix
    assert sm2.decrypt(key, data, layout, form) == plain
    if (layout, form, prefix) == ("C1C3C2", "raw", True):
        d = int(D_A, 16).to_bytes(32, "big")
        assert gmalg.SM2(sk=d, pk=b"\x04" + key.public_bytes).decrypt(data) == plain


@pytest.mark.parametrize("size", [1, 21, 22, 127, 128, 150, 255])
def test_der_lengths_are_minimal(size: int) -> None:
    """DER ciphertexts whose SEQUENCE or C2 length needs one or two length octets decrypt
    under GmSSL and carry the minimal length octets."""
    key = _annex_key()
    plain = bytes(range(size))
    data = sm2.encrypt(key, plain, form="der")
    assert gmssl_pyx.sm2_decrypt(int(D_A, 16).to_bytes(32, "big"), data) == plain
    # the SEQUENCE's body: what is left after its tag and minimal length octets
    body = next(n for n in range(len(data) - 4, len(data) - 1)
                if 1 + len(_der_length(n)) + n == len(data))
    assert data.startswith(b"\x30" + _der_length(body))
    c2_head = b"\x04" + _der_length(size)
    assert data[-size - len(c2_head):-size] == c2_head


def _der_length(n: int) -> bytes:
    """The minimal DER length octets of ``n`` (below 64 KiB)."""
    return bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else (
        b"\x82" + n.to_bytes(2, "big"))


def test_der_ciphertext_of_64_kib_or_more() -> None:
    """A 70,000-byte plaintext encrypts to DER (three length octets) and decrypts back."""
    key = _annex_key()
    plain = bytes(range(256)) * 273 + b"x" * 112
    data = sm2.encrypt(key, plain, form="der")
    assert data[1] == 0x83 and data[-len(plain) - 5:-len(plain)] == b"\x04\x83\x01\x11\x70"
    assert sm2.decrypt(key, data, form="der") == plain
