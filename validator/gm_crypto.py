"""The Chinese commercial cryptography platform envelopes use: SM3, HMAC-SM3, SM4 (GB/T 32905,
GB/T 32907), on the C-backed ``cryptography`` package; and the text encodings keys and
ciphertexts travel in (hex lower or upper case, base64 standard or URL-safe).

Nothing here logs or formats a key: errors say what is wrong with a value, never the value.
"""

from __future__ import annotations

import base64
import binascii
import hmac as std_hmac

from cryptography.hazmat.primitives import hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = [
    "CryptoError",
    "decode",
    "encode",
    "equal",
    "hmac_sm3",
    "sm3",
    "sm4_decrypt",
    "sm4_encrypt",
]

#: Text encodings of binary values (signatures, ciphertexts).
ENCODINGS = ("hex", "HEX", "base64", "base64url")


class CryptoError(ValueError):
    """A value that cannot be decoded, decrypted or unpadded (the message names no secret)."""


def sm3(data: bytes) -> bytes:
    """SM3 digest (32 bytes)."""
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC-SM3 of ``data`` under ``key`` (32 bytes)."""
    h = hmac.HMAC(key, hashes.SM3())
    h.update(data)
    return h.finalize()


def _cipher(key: bytes, mode: str, iv: bytes | None) -> Cipher[modes.CBC | modes.ECB]:
    if len(key) != 16:
        raise CryptoError(f"an SM4 key is 16 bytes (32 hex digits), this one is {len(key)}")
    if mode == "CBC":
        if iv is None or len(iv) != 16:
            raise CryptoError("SM4-CBC needs a 16-byte IV (32 hex digits)")
        return Cipher(algorithms.SM4(key), modes.CBC(iv))
    return Cipher(algorithms.SM4(key), modes.ECB())


def sm4_encrypt(plain: bytes, key: bytes, mode: str = "CBC", iv: bytes | None = None,
                pad: bool = True) -> bytes:
    """SM4 encryption (``mode`` CBC or ECB), PKCS#7-padded unless ``pad`` is False."""
    if pad:
        p = padding.PKCS7(128).padder()
        plain = p.update(plain) + p.finalize()
    elif len(plain) % 16:
        raise CryptoError("without padding the plaintext must be a multiple of 16 bytes")
    e = _cipher(key, mode, iv).encryptor()
    return e.update(plain) + e.finalize()


def sm4_decrypt(data: bytes, key: bytes, mode: str = "CBC", iv: bytes | None = None,
                pad: bool = True) -> bytes:
    """SM4 decryption; raises :class:`CryptoError` when the length or the padding is wrong."""
    if not data or len(data) % 16:
        raise CryptoError(f"SM4 ciphertext is a multiple of 16 bytes, this is {len(data)}")
    d = _cipher(key, mode, iv).decryptor()
    plain = d.update(data) + d.finalize()
    if not pad:
        return plain
    u = padding.PKCS7(128).unpadder()
    try:
        return u.update(plain) + u.finalize()
    except ValueError:
        raise CryptoError("the PKCS#7 padding is invalid (wrong key, IV or mode)") from None


def encode(data: bytes, encoding: str) -> str:
    """``data`` as text in ``encoding`` (one of :data:`ENCODINGS`)."""
    if encoding == "hex":
        return data.hex()
    if encoding == "HEX":
        return data.hex().upper()
    if encoding == "base64url":
        return base64.urlsafe_b64encode(data).decode("ascii")
    return base64.b64encode(data).decode("ascii")


def decode(text: str, encoding: str) -> bytes:
    """The bytes of ``text`` in ``encoding``; raises :class:`CryptoError` when it is not."""
    try:
        if encoding in ("hex", "HEX"):
            return bytes.fromhex(text)
        if encoding == "base64url":
            return base64.urlsafe_b64decode(text.encode("ascii"))
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, binascii.Error, UnicodeEncodeError):
        raise CryptoError(f"not {encoding} text") from None


def equal(a: bytes, b: bytes) -> bool:
    """Constant-time comparison."""
    return std_hmac.compare_digest(a, b)
