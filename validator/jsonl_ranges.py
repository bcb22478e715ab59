"""JSON Lines files split into byte ranges, so workers read their own lines.

With ``--jobs`` or ``--dask``, the runner does not read a JSON Lines file line by line and ship
every line to a worker: it scans the file once for line ends (counting them, holding nothing)
and hands out ranges of whole lines with the number of their first line; each worker reads
its range and names its payloads ``file.jsonl:LINE`` as the serial reader does. Lines, their
numbers, blank lines, over-long lines and read errors come out as :func:`inputs.expand` gives
them (a file with nothing but white space is read the serial way, which says so).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hegui.validator.inputs import Payload, jsonl_payloads, os_error_text
from hegui.validator.limits import Limits
from hegui.validator.spec import Text

#: Bytes of lines per range for ``--jobs`` (about 70 apply messages); Dask tasks take larger.
RANGE_BYTES = 1 << 18


@dataclass(frozen=True)
class JsonlRange:
    """Whole lines of a JSON Lines file: bytes ``start`` to ``end``, the first one numbered
    ``first_line``; ``name`` is how the file is named in results."""

    name: str
    path: str
    start: int
    end: int
    first_line: int


Unit = Payload | JsonlRange


def split_jsonl(path: Path, name: str, limits: Limits,
                size: int = RANGE_BYTES) -> Iterator[Unit]:
    """The ranges of about ``size`` bytes of whole lines that make up ``path`` (cut after a
    line end: LF, or a CR not followed by LF), given out as the scan finds them once the file
    is known to hold more than white space."""
    held: list[JsonlRange] = []
    content = False
    try:
        with path.open("rb") as stream:
            for found, blank in _ranges(stream, name, str(path), size):
                content = content or not blank
                held.append(found)
                if content:
                    yield from held
                    held.clear()
    except OSError as exc:
        yield from held
        yield Payload(name, b"", read_error=os_error_text(exc))
        return
    if not content:  # nothing but white space: the serial reader words it
        with path.open("rb") as stream:
            yield from jsonl_payloads(name, stream, limits)


def _ranges(stream: BinaryIO, name: str, path: str,
            size: int) -> Iterator[tuple[JsonlRange, bool]]:
    """Each range, and whether all of the file read so far was white space."""
    start, first, ends, offset, blank = 0, 1, 0, 0, True
    while True:
        block = stream.read(size)
        if not block:
            break
        while block.endswith(b"\r"):  # a CR LF may straddle two reads: keep it whole
            more = stream.read(1)
            if not more:
                break
            block += more
        blank = blank and block.isspace()
        cut = max(block.rfind(b"\n"), block.rfind(b"\r")) + 1  # after the last line end
        if cut == 0:
            ends += _line_ends(block)
            offset += len(block)
            continue
        ends += _line_ends(block[:cut])
        yield JsonlRange(name, path, start, offset + cut, first), blank
        start, first = offset + cut, first + ends
        ends = _line_ends(block[cut:])
        offset += len(block)
    if offset > start:
        yield JsonlRange(name, path, start, offset, first), blank


def _line_ends(data: bytes) -> int:
    """Line ends in ``data`` (LF, CR LF, lone CR), none straddling its end."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


class _Window(io.RawIOBase):
    """The bytes ``start`` to ``end`` of an open file, read as a stream of their own."""

    def __init__(self, stream: BinaryIO, start: int, end: int) -> None:
        super().__init__()
        stream.seek(start)
        self._stream, self._left = stream, end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), self._left)
        if want <= 0:
            return 0
        got = self._stream.read(want)
        buffer[:len(got)] = got
        self._left -= len(got)
        return len(got)


def range_payloads(unit: JsonlRange, limits: Limits) -> Iterator[Payload]:
    """The payloads of the lines of ``unit`` (a worker reads them; memory stays bounded by
    the line limit, however long a range's line is)."""
    try:
        with open(unit.path, "rb") as f:
            window = io.BufferedReader(_Window(f, unit.start, unit.end))
            yield from jsonl_payloads(unit.name, window, limits, first_line=unit.first_line,
                                      whole_file=False)
    except OSError as exc:
        why = os_error_text(exc)
        yield Payload(unit.name, b"", read_error=Text(
            f"{why.zh}（工作进程按此路径读取 JSON Lines 文件；使用 --dask 时，文件须在各工作节点的"
            "同一路径下可读）",
            f"{why.en} (the worker reads the JSON Lines file at this path: with --dask, the file "
            "must be readable at the same path on every worker)"))


def payloads_of(units: Iterable[Unit], limits: Limits) -> Iterator[Payload]:
    """The payloads of ``units``: a payload as it is, a range's lines read."""
    for unit in units:
        if isinstance(unit, JsonlRange):
            yield from range_payloads(unit, limits)
        else:
            yield unit


def weight(unit: Unit) -> int:
    """About how many payloads ``unit`` holds (a range: one chunk's worth)."""
    return 64 if isinstance(unit, JsonlRange) else 1
