"""SM2 (GB/T 32918, GM/T 0003-2012) as platform envelopes use it: SM3withSM2 signatures with a
signer id, in DER or raw r‖s; public-key encryption with the ciphertext laid out C1C3C2 or
C1C2C3, raw (``04‖x‖y‖…``, with or without the ``04``) or DER (GM/T 0009-2012 §7.2); keys in
hex or PEM text.

Signing runs on ``gmssl-pyx`` (GmSSL, C). Verifying and encryption do their point arithmetic
here, in Python: GmSSL prints a trace to standard error for every signature that does not
verify (and the diagnosis tries many), and refuses plaintexts over 255 bytes, while the
platforms encrypt whole messages. The
tests check both against the standard's worked examples and against ``gmalg``, an independent
implementation. Nothing here formats a key: errors say what is wrong with a value, never it.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from gmssl_pyx import sm2_sign

from hegui.validator.gm_crypto import CryptoError, sm3

# The recommended curve (GB/T 32918.5-2017, GM/T 0003.5-2012).
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
G = (0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
     0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0)

#: The signer id GM/T 0009-2012 §10 sets when the parties agree no other.
DEFAULT_SIGNER_ID = "1234567812345678"
#: Ciphertext layouts: GM/T 0003-2012 orders C1C3C2; the 2010 draft (and old libraries) C1C2C3.
LAYOUTS = ("C1C3C2", "C1C2C3")
_SM2_OID = bytes.fromhex("06082a811ccf5501822d")  # 1.2.156.10197.1.301

Point = tuple[int, int]


@dataclass(frozen=True)
class Sm2Key:
    """An SM2 key: the private scalar (or None) and the public point."""

    public: Point
    private: int | None = None

    @property
    def public_bytes(self) -> bytes:
        """The public key as 64 bytes x‖y."""
        return self.public[0].to_bytes(32, "big") + self.public[1].to_bytes(32, "big")

    def __repr__(self) -> str:
        return "Sm2Key(private)" if self.private is not None else "Sm2Key(public)"


# -- point arithmetic (Jacobian coordinates) ------------------------------------------------

_Jac = tuple[int, int, int]


def _double(p: _Jac) -> _Jac:
    x, y, z = p
    if y == 0 or z == 0:
        return (0, 1, 0)
    yy = y * y % P
    s = 4 * x * yy % P
    zz = z * z % P
    m = (3 * x * x + A * zz * zz) % P
    x3 = (m * m - 2 * s) % P
    return x3, (m * (s - x3) - 8 * yy * yy) % P, 2 * y * z % P


def _add(p: _Jac, q: _Jac) -> _Jac:
    if p[2] == 0:
        return q
    if q[2] == 0:
        return p
    x1, y1, z1 = p
    x2, y2, z2 = q
    z1z1, z2z2 = z1 * z1 % P, z2 * z2 % P
    u1, u2 = x1 * z2z2 % P, x2 * z1z1 % P
    s1, s2 = y1 * z2 * z2z2 % P, y2 * z1 * z1z1 % P
    if u1 == u2:
        return _double(p) if s1 == s2 else (0, 1, 0)
    h, r = (u2 - u1) % P, (s2 - s1) % P
    hh = h * h % P
    hhh = h * hh % P
    v = u1 * hh % P
    x3 = (r * r - hhh - 2 * v) % P
    return x3, (r * (v - x3) - s1 * hhh) % P, h * z1 * z2 % P


def multiply(k: int, point: Point) -> Point:
    """``k`` times ``point`` on the recommended curve (raises at the point at infinity)."""
    acc: _Jac = (0, 1, 0)
    add: _Jac = (point[0], point[1], 1)
    for bit in bin(k % N)[2:]:
        acc = _double(acc)
        if bit == "1":
            acc = _add(acc, add)
    x, y, z = acc
    if z == 0:
        raise CryptoError("the point at infinity")
    zi = pow(z, -1, P)
    zi2 = zi * zi % P
    return x * zi2 % P, y * zi2 * zi % P


def on_curve(point: Point) -> bool:
    """Whether ``point`` lies on the recommended curve."""
    x, y = point
    return 0 <= x < P and 0 <= y < P and (y * y - x * x * x - A * x - B) % P == 0


# -- keys -----------------------------------------------------------------------------------

def _point(raw: bytes) -> Point:
    if len(raw) == 65 and raw[0] == 4:
        raw = raw[1:]
    if len(raw) == 64:
        pt = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    elif len(raw) == 33 and raw[0] in (2, 3):
        x = int.from_bytes(raw[1:], "big")
        y = pow((x * x * x + A * x + B) % P, (P + 1) // 4, P)
        if y % 2 != raw[0] - 2:
            y = P - y
        pt = x, y
    else:
        raise CryptoError("an SM2 public key is 64 bytes x‖y, 65 with the 04 prefix, or 33 "
                          "compressed")
    if not on_curve(pt):
        raise CryptoError("the SM2 public key is not a point of the curve")
    return pt


def _der_items(data: bytes) -> list[tuple[int, bytes]]:
    """The TLVs of a DER string, nested ones flattened (enough to find the key in a PEM)."""
    out: list[tuple[int, bytes]] = []
    i = 0
    while i < len(data):
        tag, value, i = _tlv(data, i)
        out.append((tag, value))
        if tag in (0x30, 0xA0, 0xA1) or (tag == 0x04 and value[:1] == b"\x30"):
            try:
                out += _der_items(value)
            except CryptoError:
                if tag != 0x04:
                    raise
    return out


def _tlv(data: bytes, i: int) -> tuple[int, bytes, int]:
    if i + 2 > len(data):
        raise CryptoError("truncated DER")
    tag, length = data[i], data[i + 1]
    i += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or i + n > len(data):
            raise CryptoError("bad DER length")
        length = int.from_bytes(data[i:i + n], "big")
        if length < 0x80 or data[i] == 0:
            raise CryptoError("not DER: a length in more octets than it needs")
        i += n
    if i + length > len(data):
        raise CryptoError("truncated DER")
    return tag, data[i:i + length], i + length


def _pem(text: str) -> bytes:
    body = re.sub(r"-----[A-Z0-9 ]+-----", "", text)
    try:
        return base64.b64decode("".join(body.split()), validate=True)
    except ValueError:
        raise CryptoError("the PEM text is not base64") from None


def load_key(private: str | None = None, public: str | None = None) -> Sm2Key:
    """An SM2 key from hex (private 64 digits; public 128, 130 with 04, or 66 compressed) or
    PEM text (PKCS#8 / SEC1 private key, SubjectPublicKeyInfo public key); the public point is
    derived from the private key when not given."""
    d = None
    if private:
        d = _private(private.strip())
    pub = _public(public.strip()) if public else None
    if pub is None:
        if d is None:
            raise CryptoError("no SM2 key")
        pub = multiply(d, G)
    return Sm2Key(pub, d)


def _private(text: str) -> int:
    if text.startswith("-----"):
        items = _der_items(_pem(text))
        if not any(tag == 0x06 and b"\x06" + bytes([len(v)]) + v == _SM2_OID
                   for tag, v in items):
            raise CryptoError("the PEM key is not an SM2 key (no curve id 1.2.156.10197.1.301)")
        octets = [v for tag, v in items if tag == 0x04 and len(v) in (32, 33)]
        if not octets:
            raise CryptoError("no private key in the PEM text")
        d = int.from_bytes(octets[0], "big")
    else:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise CryptoError("an SM2 private key is 64 hex digits or PEM text") from None
        if len(raw) != 32:
            raise CryptoError("an SM2 private key is 32 bytes (64 hex digits)")
        d = int.from_bytes(raw, "big")
    if not 0 < d < N - 1:
        raise CryptoError("the SM2 private key is out of range")
    return d


def _public(text: str) -> Point:
    if text.startswith("-----"):
        items = _der_items(_pem(text))
        bits = [v for tag, v in items if tag == 0x03 and len(v) > 1]
        if not bits:
            raise CryptoError("no public key in the PEM text")
        return _point(bits[-1][1:])
    try:
        return _point(bytes.fromhex(text))
    except ValueError:
        raise CryptoError("an SM2 public key is hex or PEM text") from None


def generate() -> Sm2Key:
    """A fresh key pair."""
    d = secrets.randbelow(N - 2) + 1
    return Sm2Key(multiply(d, G), d)


# -- signatures -----------------------------------------------------------------------------

def _int_der(n: int) -> bytes:
    raw = n.to_bytes((n.bit_length() + 8) // 8 or 1, "big")
    return b"\x02" + _len(len(raw)) + raw


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _der_int(value: bytes) -> int:
    """A DER INTEGER's value, which must be minimal and not negative (as GmSSL and OpenSSL
    require of a signature)."""
    if not value or value[0] & 0x80:
        raise CryptoError("not DER: a negative or empty INTEGER")
    if len(value) > 1 and value[0] == 0 and not value[1] & 0x80:
        raise CryptoError("not DER: an INTEGER with a needless leading zero")
    return int.from_bytes(value, "big")


def _seq(body: bytes) -> bytes:
    return b"\x30" + _len(len(body)) + body


def der_to_raw(sig: bytes) -> bytes:
    """A DER signature SEQUENCE{r, s} as 64 bytes r‖s."""
    tag, body, end = _tlv(sig, 0)
    if tag != 0x30 or end != len(sig):
        raise CryptoError("not a DER signature")
    t1, r, i = _tlv(body, 0)
    t2, s, j = _tlv(body, i)
    if t1 != 2 or t2 != 2 or j != len(body):
        raise CryptoError("not a DER signature")
    ri, si = _der_int(r), _der_int(s)
    if ri >= 1 << 256 or si >= 1 << 256:
        raise CryptoError("not an SM2 signature")
    return ri.to_bytes(32, "big") + si.to_bytes(32, "big")


def raw_to_der(sig: bytes) -> bytes:
    """64 bytes r‖s as a DER SEQUENCE{r, s}."""
    if len(sig) != 64:
        raise CryptoError("a raw SM2 signature is 64 bytes r‖s")
    return _seq(_int_der(int.from_bytes(sig[:32], "big")) +
                _int_der(int.from_bytes(sig[32:], "big")))


def sign(key: Sm2Key, message: bytes, signer_id: str | None = DEFAULT_SIGNER_ID,
         form: str = "der") -> bytes:
    """The SM3withSM2 signature of ``message`` (``signer_id`` None: without Z_A), ``form``
    ``der`` or ``raw``."""
    if key.private is None:
        raise CryptoError("signing needs an SM2 private key")
    uid = None if signer_id is None else signer_id.encode("utf-8")
    der = sm2_sign(key.private.to_bytes(32, "big"), key.public_bytes, message, uid)
    return der if form == "der" else der_to_raw(der)


def z_a(key: Sm2Key, signer_id: str) -> bytes:
    """Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) (GB/T 32918.2-2016 §5.5)."""
    uid = signer_id.encode("utf-8")
    parts = [A, B, G[0], G[1], key.public[0], key.public[1]]
    return sm3((len(uid) * 8).to_bytes(2, "big") + uid +
               b"".join(v.to_bytes(32, "big") for v in parts))


def verify(key: Sm2Key, message: bytes, signature: bytes,
           signer_id: str | None = DEFAULT_SIGNER_ID, form: str = "der") -> bool:
    """Whether ``signature`` (in ``form``) is ``key``'s SM3withSM2 signature of ``message``
    (GB/T 32918.2-2016 §7; computed here, so a failure prints nothing)."""
    try:
        raw = der_to_raw(signature) if form == "der" else signature
    except CryptoError:
        return False
    if len(raw) != 64:
        return False
    r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    if not (0 < r < N and 0 < s < N):
        return False
    t = (r + s) % N
    if t == 0:
        return False
    digest = sm3((z_a(key, signer_id) if signer_id is not None else b"") + message)
    try:
        x1 = _sum(multiply(s, G), multiply(t, key.public))[0]
    except CryptoError:
        return False
    return (int.from_bytes(digest, "big") + x1) % N == r


def _sum(p: Point, q: Point) -> Point:
    x, y, z = _add((p[0], p[1], 1), (q[0], q[1], 1))
    if z == 0:
        raise CryptoError("the point at infinity")
    zi = pow(z, -1, P)
    return x * zi * zi % P, y * zi * zi * zi % P


# -- encryption -----------------------------------------------------------------------------

def _kdf(z: bytes, length: int) -> bytes:
    out = bytearray()
    counter = 1
    while len(out) < length:
        out += sm3(z + counter.to_bytes(4, "big"))
        counter += 1
    return bytes(out[:length])


def encrypt(key: Sm2Key, plain: bytes, layout: str = "C1C3C2", form: str = "raw",
            prefix: bool = True, nonce: Callable[[], int] | None = None) -> bytes:
    """SM2 public-key encryption of ``plain`` (any length). ``form`` ``raw``: C1 as ``04‖x‖y``
    (without the ``04`` when not ``prefix``) then C3 and C2 in ``layout`` order; ``der``: the
    GM/T 0009 SEQUENCE{x, y, C3, C2}. ``nonce`` fixes k (for the standard's examples)."""
    _check_shape(layout, form)
    if not plain:
        raise CryptoError("SM2 encryption needs a non-empty plaintext")
    while True:
        k = nonce() if nonce is not None else secrets.randbelow(N - 1) + 1
        c1 = multiply(k, G)
        x2, y2 = multiply(k, key.public)
        xb, yb = x2.to_bytes(32, "big"), y2.to_bytes(32, "big")
        t = _kdf(xb + yb, len(plain))
        if any(t) or nonce is not None:
            break
    c2 = bytes(a ^ b for a, b in zip(plain, t, strict=True))
    c3 = sm3(xb + plain + yb)
    if form == "der":
        return _seq(_int_der(c1[0]) + _int_der(c1[1]) + b"\x04" + _len(32) + c3 +
                    b"\x04" + _len(len(c2)) + c2)
    head = (b"\x04" if prefix else b"") + c1[0].to_bytes(32, "big") + c1[1].to_bytes(32, "big")
    return head + (c3 + c2 if layout == "C1C3C2" else c2 + c3)


def _check_shape(layout: str, form: str) -> None:
    if layout not in LAYOUTS or form not in ("raw", "der"):
        raise CryptoError(f"unknown SM2 ciphertext layout {layout!r} or form {form!r}")


def _split_raw(data: bytes, layout: str) -> tuple[Point, bytes, bytes]:
    """C1, C3, C2 of a raw ciphertext, with the 04 prefix or without (C1 must be on the curve;
    a wrong split lands on it with negligible probability)."""
    for skip in ((1, 0) if data[:1] == b"\x04" else (0,)):
        body = data[skip:]
        if len(body) < 97:
            continue
        c1 = int.from_bytes(body[:32], "big"), int.from_bytes(body[32:64], "big")
        if not on_curve(c1):
            continue
        rest = body[64:]
        c3, c2 = (rest[:32], rest[32:]) if layout == "C1C3C2" else (rest[-32:], rest[:-32])
        return c1, c3, c2
    raise CryptoError("not an SM2 ciphertext: C1 is not a point of the curve, or it is too "
                      "short")


def decrypt(key: Sm2Key, data: bytes, layout: str = "C1C3C2", form: str = "raw") -> bytes:
    """The plaintext of an SM2 ciphertext; raises :class:`CryptoError` when it is not one, or
    C3 does not match (wrong key, layout or altered)."""
    _check_shape(layout, form)
    if key.private is None:
        raise CryptoError("decryption needs an SM2 private key")
    if form == "der":
        tag, body, end = _tlv(data, 0)
        if tag != 0x30 or end != len(data):
            raise CryptoError("not a DER SM2 ciphertext")
        parts = []
        i = 0
        while i < len(body):
            tag, v, i = _tlv(body, i)
            parts.append((tag, v))
        if [tag for tag, _ in parts] != [2, 2, 4, 4] or len(parts[2][1]) != 32:
            raise CryptoError("not a DER SM2 ciphertext (SEQUENCE{x, y, C3, C2})")
        c1 = _der_int(parts[0][1]), _der_int(parts[1][1])
        c3, c2 = parts[2][1], parts[3][1]
    else:
        c1, c3, c2 = _split_raw(data, layout)
    if not on_curve(c1):
        raise CryptoError("C1 is not a point of the curve (not SM2, or another layout)")
    x2, y2 = multiply(key.private, c1)
    xb, yb = x2.to_bytes(32, "big"), y2.to_bytes(32, "big")
    t = _kdf(xb + yb, len(c2))
    plain = bytes(a ^ b for a, b in zip(c2, t, strict=True))
    if sm3(xb + plain + yb) != c3:
        raise CryptoError("C3 does not match (wrong key, ciphertext layout, or altered)")
    return plain
