"""Byte-level mutations of any payload: flips, truncation, splices, BOMs, other encodings.

Every mutator is ``f(rng, data, other) -> bytes`` (``other``: a second seed, for splices) and
is deterministic given the ``random.Random`` it is handed, so a driver seed replays a run.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Mutator = Callable[[random.Random, bytes, bytes], bytes]

#: Bytes that mean something to a JSON or XML parser, or to a UTF-8 decoder.
INTERESTING = b'\x00\x01\x7f\x80\xbf\xc0\xc3\xed\xef\xf0\xf4\xf5\xfe\xff"\\{}[]<>&;:,/?!=\'\n\r\t '

#: Byte-order marks and look-alikes: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE, GB18030, UTF-7.
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff",
        b"\x84\x31\x95\x33", b"+/v8-", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xef\xbb")


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def bit_flips(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Flip one to eight random bits."""
    if not data:
        return data
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def interesting_byte(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Overwrite or insert a byte that parsers care about."""
    b = bytes([rng.choice(INTERESTING)])
    i = _pos(rng, data)
    return data[:i] + b + data[i + (1 if rng.random() < 0.5 else 0):]


def truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Cut the payload short (sometimes to its first bytes only)."""
    return data[:rng.choice([_pos(rng, data), rng.randrange(8)])]


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """The head of this payload and the tail of another."""
    return data[:_pos(rng, data)] + other[_pos(rng, other):]


def chunk_duplicate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Repeat a random slice in place (one to a thousand times)."""
    i = _pos(rng, data)
    j = min(len(data), i + rng.randint(1, 200))
    return data[:j] + data[i:j] * rng.choice([1, 2, 10, 1000]) + data[j:]


def chunk_delete(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Drop a random slice."""
    i = _pos(rng, data)
    return data[:i] + data[i + rng.randint(1, 64):]


def random_insert(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Insert random bytes."""
    i = _pos(rng, data)
    return data[:i] + rng.randbytes(rng.randint(1, 16)) + data[i:]


def bom(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """A byte-order mark (or a broken one) in front, or in the middle."""
    mark = rng.choice(BOMS)
    if rng.random() < 0.7:
        return mark + data
    i = _pos(rng, data)
    return data[:i] + mark + data[i:]


def reencode(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """The same text in another encoding, with or without its BOM (the declaration, if any,
    still says UTF-8: a mismatch is part of the point)."""
    text = data.decode("utf-8", "replace")
    codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "gb18030",
                        "gbk", "big5", "latin-1", "utf-8-sig", "cp1252"])
    return text.encode(codec, "replace")


def line_endings(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """CRLF, lone CR, or no line breaks at all."""
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"", b"\n\n", b"\x85", b"\xe2\x80\xa8"]))


def nul_tail(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """NUL bytes or garbage after the document."""
    return data + rng.choice([b"\x00", b"\x00" * 4096, b" x", b"{}", b"<a/>", rng.randbytes(9)])


MUTATORS: tuple[Mutator, ...] = (bit_flips, interesting_byte, truncate, splice, chunk_duplicate,
                                 chunk_delete, random_insert, bom, reencode, line_endings, nul_tail)


def mutate(rng: random.Random, data: bytes, other: bytes, rounds: int = 0) -> tuple[bytes, str]:
    """Apply one to three (or ``rounds``) byte mutators; returns the bytes and their names."""
    names = []
    for _ in range(rounds or rng.choice([1, 1, 1, 2, 3])):
        m = rng.choice(MUTATORS)
        data = m(rng, data, other)
        names.append(m.__name__)
    return data, "+".join(names)


def random_bytes(rng: random.Random) -> bytes:
    """Pure noise, sometimes behind a plausible start of a payload."""
    noise = rng.randbytes(rng.choice([0, 1, 2, 7, 64, 512, 4096]))
    head = rng.choice([b"", b"", b"{", b"[", b'{"messageType": "apply", ', b"<?xml ", b"<",
                       b'<apply xmlns="urn:hegui:spec:eguarantee:1.0">', b"\xef\xbb\xbf{"])
    return head + noise
