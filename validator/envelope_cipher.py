"""Encrypting and decrypting one value of a sealed envelope (the body, a field, or a digital
envelope's SM4 key) as its :class:`CipherScheme` says, and, when a value does not decrypt,
finding the wrong construction it was made with (ECB for CBC, an all-zero IV, no padding,
the other SM2 layout or form, another text encoding)."""

from __future__ import annotations

import functools
import secrets

import orjson

from hegui.validator import sm2
from hegui.validator.envelope_scheme import CipherScheme
from hegui.validator.gm_crypto import (
    ENCODINGS,
    CryptoError,
    decode,
    encode,
    sm4_decrypt,
    sm4_encrypt,
)
from hegui.validator.keys import Keys
from hegui.validator.spec import Text


class CipherFailure(CryptoError):
    """A value that does not decrypt; ``hint`` names the wrong construction when one fits."""

    def __init__(self, what: str, hint: Text | None = None, stage: str = "decrypt"):
        super().__init__(what)
        self.hint = hint
        self.stage = stage  # decode | decrypt


@functools.lru_cache(maxsize=32)
def _sm2_key(private: str | None, public: str | None) -> sm2.Sm2Key:
    return sm2.load_key(private, public)


def sm2_key(keys: Keys, private: str | None, public: str | None) -> sm2.Sm2Key:
    """The SM2 key of the key-file members ``private`` / ``public`` (parsed once)."""
    return _sm2_key(keys.get(private) if private else None,
                    keys.get(public) if public else None)


def _hex(keys: Keys, name: str) -> bytes:
    return bytes.fromhex(keys.get(name) or "")


def decode_text(text: str, encoding: str) -> bytes:
    """``text`` in ``encoding``; a :class:`CipherFailure` (naming the encoding it is in, when
    it is in another) when it is not."""
    try:
        return decode(text, encoding)
    except CryptoError:
        pass
    for other in ENCODINGS:
        if other.lower() == encoding.lower() and other != encoding:
            continue
        try:
            decode(text, other)
        except CryptoError:
            continue
        raise CipherFailure(f"not {encoding} text", Text(
            f"它是 {other} 文本，平台要求 {encoding}", f"it is {other} text, the platform "
            f"expects {encoding}"), "decode")
    raise CipherFailure(f"not {encoding} text", None, "decode")


def encrypt_value(plain: bytes, c: CipherScheme, keys: Keys, sm4_key: bytes | None = None
                  ) -> str:
    """``plain`` encrypted and written in the scheme's text encoding."""
    if c.algorithm == "SM2":
        data = sm2.encrypt(sm2_key(keys, None, c.public_key), plain, c.layout, c.form, c.prefix)
    else:
        mode = c.algorithm.removeprefix("SM4-")
        data = sm4_encrypt(plain, sm4_key if sm4_key is not None else _hex(keys, c.key), mode,
                           _hex(keys, c.iv) if mode == "CBC" else None, c.padding)
    return encode(data, c.encoding)


def decrypt_value(text: str, c: CipherScheme, keys: Keys, sm4_key: bytes | None = None,
                  expect_json: bool = True) -> bytes:
    """The plaintext of ``text``; a :class:`CipherFailure` when it does not decrypt."""
    data = decode_text(text, c.encoding)
    if c.algorithm == "SM2":
        key = sm2_key(keys, c.key, None)
        try:
            return sm2.decrypt(key, data, c.layout, c.form)
        except CryptoError as exc:
            raise CipherFailure(str(exc), _sm2_hint(data, key, c)) from None
    mode = c.algorithm.removeprefix("SM4-")
    k = sm4_key if sm4_key is not None else _hex(keys, c.key)
    iv = _hex(keys, c.iv) if mode == "CBC" else None
    try:
        return sm4_decrypt(data, k, mode, iv, c.padding)
    except CryptoError as exc:
        raise CipherFailure(str(exc), _sm4_hint(data, k, mode, iv, expect_json)) from None


def new_sm4_key() -> bytes:
    """A fresh SM4 key for a digital envelope."""
    return secrets.token_bytes(16)


def _sm2_hint(data: bytes, key: sm2.Sm2Key, c: CipherScheme) -> Text | None:
    other = "C1C2C3" if c.layout == "C1C3C2" else "C1C3C2"
    tries = [(other, c.form, Text(f"密文按 {other} 排列，平台要求 {c.layout}",
                                  f"the ciphertext is laid out {other}, the platform expects "
                                  f"{c.layout}"))]
    flip = "der" if c.form == "raw" else "raw"
    tries += [(lay, flip, Text(f"密文是 {flip.upper()} 格式（{lay}），平台要求 {c.form.upper()}",
                               f"the ciphertext is {flip.upper()}-encoded ({lay}), the platform "
                               f"expects {c.form.upper()}")) for lay in (c.layout, other)]
    for layout, form, why in tries:
        try:
            sm2.decrypt(key, data, layout, form)
        except CryptoError:
            continue
        return why
    return None


def _sm4_hint(data: bytes, key: bytes, mode: str, iv: bytes | None, expect_json: bool
              ) -> Text | None:
    tries = [("ECB" if mode == "CBC" else "CBC", iv or bytes(16), True,
              Text("密文是 SM4-ECB 加密的，平台要求 SM4-CBC", "it was encrypted with SM4-ECB, "
                   "the platform expects SM4-CBC") if mode == "CBC" else Text(
              "密文是 SM4-CBC 加密的，平台要求 SM4-ECB", "it was encrypted with SM4-CBC, the "
              "platform expects SM4-ECB")),
             (mode, bytes(16), True, Text("密文用全零 IV 加密，而不是约定的 IV",
                                          "it was encrypted with an all-zero IV, not the "
                                          "agreed one")),
             (mode, iv, False, Text("密文没有 PKCS#7 填充", "it has no PKCS#7 padding"))]
    if mode == "ECB":
        del tries[1]  # ECB has no IV
    for m, v, pad, why in tries:
        try:
            plain = sm4_decrypt(data, key, m, v, pad)
            if expect_json:
                orjson.loads(plain.rstrip(b"\0 "))
            else:
                plain.rstrip(b"\0 ").decode("utf-8")
        except (CryptoError, orjson.JSONDecodeError, UnicodeDecodeError):
            continue
        return why
    return None
