"""Bounded reads: every byte hegui takes from a file or standard input goes through here.

Nothing trusts a reported size (a FIFO or ``/dev/zero`` reports 0): a read asks for one byte
more than the limit and stops there, so memory stays bounded whatever the input is. JSON Lines
are split into lines with each line bounded, so a line that never ends costs no more than the
limit either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

#: Line ends of JSON Lines: LF and CR LF (RFC 7464 / jsonlines.org) and, leniently, a lone CR
#: (raw CR cannot occur inside a JSON text's strings, so a CR always ends a line).
_EOL = re.compile(rb"\r\n|\r|\n")

#: Bytes read at a time when splitting lines.
CHUNK = 1 << 20


@dataclass(frozen=True)
class Bounded:
    """Bytes read up to a limit: ``data`` (at most ``limit`` bytes) and whether there was more."""

    data: bytes
    over: bool


def read_bounded(stream: BinaryIO, limit: int) -> Bounded:
    """Read ``stream`` to its end or to ``limit`` bytes, whichever comes first."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return Bounded(b"".join(parts), over=False)
        parts.append(chunk)
        size += len(chunk)
    data = b"".join(parts)
    return Bounded(data[:limit], over=True)


@dataclass(frozen=True)
class Line:
    """One line of a JSON Lines input: its number (1-based), its bytes without the line end,
    and its size; ``data`` is None when the line is longer than the limit (then ``size`` is
    its full length)."""

    number: int
    data: bytes | None
    size: int


def read_lines(stream: BinaryIO, limit: int, head: bytes = b"",
               first: int = 1) -> Iterator[Line]:
    """The lines of ``head`` followed by the rest of ``stream``, each held to ``limit`` bytes
    and numbered from ``first``.

    Line ends are LF, CR LF and a lone CR; a last line without a line end is a line.
    """
    number, size, over = first, 0, False
    parts: list[bytes] = []
    pending, eof = head, False

    def take(piece: bytes) -> None:
        nonlocal size, over
        size += len(piece)
        if over:
            return
        if size > limit:
            over = True
            parts.clear()
        elif piece:
            parts.append(piece)

    def line() -> Line:
        return Line(number, None if over else b"".join(parts), size)

    while True:
        if not pending:
            pending = stream.read(CHUNK)
            if not pending:
                break
        while pending.endswith(b"\r") and not eof:  # CR LF may straddle two chunks
            more = stream.read(CHUNK)
            eof = not more
            pending += more
        start = 0
        for m in _EOL.finditer(pending):
            take(pending[start:m.start()])
            yield line()
            number, size, over = number + 1, 0, False
            parts.clear()
            start = m.end()
        take(pending[start:])
        pending = b""
        if eof:
            break
    if size:
        yield line()
