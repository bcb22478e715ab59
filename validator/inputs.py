"""Expand command-line inputs into payloads: files, folders (recursive), ``-`` (stdin), JSON Lines.

Nothing is lost: an unreadable file or an over-long line becomes an input with a read error, so
it appears in the results with verdict ``error``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson

from hegui.validator.limits import DEFAULT_LIMITS, Limits
from hegui.validator.reading import read_bounded, read_lines
from hegui.validator.spec import Text

_EOL = re.compile(rb"\r\n|\r|\n")

#: Extensions picked up when walking folders.
PAYLOAD_EXTENSIONS = (".json", ".xml", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Payload:
    """One payload to validate: its name (``file``, ``file.jsonl:LINE``, ``-``) and bytes."""

    source: str
    data: bytes
    read_error: Text | None = None  # why no bytes could be read
    encoding_hint: Literal["json", "xml"] | None = None  # "json" for JSON Lines entries


def expand(paths: Iterable[str], limits: Limits = DEFAULT_LIMITS,
           skip: frozenset[Path] = frozenset()) -> Iterator[Payload]:
    """Yield payloads in a stable order: arguments as given, folder contents sorted.

    ``skip``: resolved paths of files met in folders that are not payloads (a test-pack
    manifest given to ``--expect``)."""
    yield from expand_units(paths, limits, skip)  # no ranges: every item is a Payload


def expand_units(paths: Iterable[str], limits: Limits = DEFAULT_LIMITS,
                 skip: frozenset[Path] = frozenset(),
                 range_bytes: int | None = None) -> Iterator[Any]:
    """:func:`expand`, with each JSON Lines file given as byte ranges of whole lines for
    workers to read (:mod:`hegui.validator.jsonl_ranges`; ``range_bytes`` per range)."""
    for arg in paths:
        if arg == "-":
            yield from _stdin(sys.stdin.buffer, limits)
            continue
        yield from _argument(Path(arg), arg, limits, skip, range_bytes or 0)


def _argument(p: Path, arg: str, limits: Limits, skip: frozenset[Path],
              ranges: int = 0) -> Iterator[Any]:
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        yield Payload(arg, b"", read_error=_missing(p, exc))
        return
    if stat.S_ISDIR(mode):
        found = walk(p, skip)
        if not found:
            yield Payload(arg, b"", read_error=Text("文件夹中没有 .json/.xml/.jsonl 文件",
                                                    "folder holds no .json/.xml/.jsonl files"))
        for path, problem in found:
            if problem is not None:
                yield Payload(str(path), b"", read_error=problem)
            else:
                yield from _from_file(path, limits, ranges)
    elif stat.S_ISREG(mode):
        yield from _from_file(p, limits, ranges)
    else:
        yield Payload(arg, b"", read_error=not_regular(mode))


def walk(folder: Path, skip: frozenset[Path] = frozenset()) -> list[tuple[Path, Text | None]]:
    """Every input under ``folder``, sorted: ``(path, None)`` for a payload file to read,
    ``(path, why)`` for one that cannot be read — an unreadable sub-folder, a dangling or
    looping symbolic link, a FIFO or device with a payload's name. Symbolic links to folders
    are followed once (a loop is not walked twice)."""
    found: list[tuple[Path, Text | None]] = []
    seen: set[tuple[int, int]] = set()
    todo = [folder]
    while todo:
        here = todo.pop()
        try:
            info = here.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as exc:
            found.append((here, Text(f"无法读取文件夹：{os_error_text(exc).zh}",
                                     f"cannot read folder: {os_error_text(exc).en}")))
            continue
        for entry in entries:
            path = Path(entry.path)
            named = path.suffix.lower() in PAYLOAD_EXTENSIONS
            try:
                mode = os.stat(entry.path).st_mode
            except OSError as exc:
                if named:
                    found.append((path, _missing(path, exc)))
                continue
            if stat.S_ISDIR(mode):
                todo.append(path)
            elif named and path.resolve() not in skip:
                found.append((path, None if stat.S_ISREG(mode) else not_regular(mode)))
    return sorted(found, key=lambda x: x[0])


def not_regular(mode: int) -> Text:
    """Why a FIFO, device or socket is not read (it may never end, or never begin)."""
    kind = ("FIFO", "命名管道") if stat.S_ISFIFO(mode) else (
        ("device", "设备文件") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
        ("socket", "套接字") if stat.S_ISSOCK(mode) else ("special file", "特殊文件"))
    return Text(f"不是普通文件（{kind[1]}），未读取；管道请用标准输入 -",
                f"not a regular file ({kind[0]}), not read; pipe it to standard input (-)")


def _missing(path: Path, exc: OSError) -> Text:
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return Text("符号链接指向不存在的目标", "dangling symbolic link")
    return os_error_text(exc)


def _from_file(path: Path, limits: Limits, ranges: int = 0) -> Iterator[Any]:
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    if jsonl and ranges:
        from hegui.validator.jsonl_ranges import split_jsonl  # it imports this module

        yield from split_jsonl(path, str(path), limits, ranges)
        return
    try:
        with path.open("rb") as stream:
            if jsonl:  # streamed: memory stays flat whatever the size
                yield from jsonl_payloads(str(path), stream, limits)
                return
            got = read_bounded(stream, limits.max_bytes)
    except OSError as exc:
        yield Payload(str(path), b"", read_error=os_error_text(exc))
        return
    if got.over:
        yield Payload(str(path), b"", read_error=_too_big("文件", "file", limits.max_bytes))
        return
    yield Payload(str(path), got.data)


def _too_big(zh: str, en: str, limit: int) -> Text:
    return Text(f"{zh}超过 {limit} 字节的上限", f"{en} is over the limit of {limit} bytes")


def _stdin(stream: BinaryIO, limits: Limits) -> Iterator[Payload]:
    """Standard input: one payload, or JSON Lines when its first line is a whole JSON object
    and more lines follow (a pretty-printed object's first line is ``{`` alone). Read with the
    file limit; JSON Lines beyond it are streamed, each line with the line limit."""
    try:
        got = read_bounded(stream, limits.max_bytes)
    except OSError as exc:
        yield Payload("-", b"", read_error=os_error_text(exc))
        return
    first = _first_line(got.data)
    records = first is not None and looks_like_record(first)
    if records and (got.over or len([x for x in _EOL.split(got.data) if x.strip()]) > 1):
        yield from jsonl_payloads("-", stream, limits, head=got.data)
    elif got.over:
        yield Payload("-", b"", read_error=_too_big("标准输入", "standard input",
                                                    limits.max_bytes))
    else:
        yield Payload("-", got.data)


def _first_line(data: bytes) -> bytes | None:
    for line in _EOL.split(data):
        if line.strip():
            return line
    return None


def looks_like_record(line: bytes) -> bool:
    """Whether ``line`` holds one whole JSON object."""
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def jsonl_payloads(name: str, stream: BinaryIO, limits: Limits, head: bytes = b"",
                   first_line: int = 1, whole_file: bool = True) -> Iterator[Payload]:
    """The payloads of the JSON Lines in ``head`` and ``stream`` (``name:LINE``, lines
    numbered from ``first_line``; blank lines skipped); a whole file without any is one
    error payload (``whole_file=False``: a part of a file, which may hold none)."""
    with_lines = not whole_file
    for line in read_lines(stream, limits.max_jsonl_line_bytes, head, first_line):
        if line.data is not None and not line.data.strip():
            continue
        with_lines = True
        if line.data is None:
            yield Payload(f"{name}:{line.number}", b"", read_error=Text(
                f"该行有 {line.size} 字节，超过上限 {limits.max_jsonl_line_bytes}",
                f"line is {line.size} bytes, over the limit of {limits.max_jsonl_line_bytes}"))
            continue
        yield Payload(f"{name}:{line.number}", line.data, encoding_hint="json")
    if not with_lines:
        yield Payload(name, b"", read_error=Text("JSON Lines 文件中没有载荷",
                                                 "JSON Lines file holds no payload"))


_ERRNO_ZH = {
    errno.ENOENT: "没有这个文件或文件夹", errno.EACCES: "没有读取权限",
    errno.EPERM: "不允许的操作", errno.EISDIR: "是文件夹", errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "文件名过长", errno.EIO: "输入输出错误",
}


def os_error_text(exc: OSError) -> Text:
    """Why the operating system refused a read, in both languages."""
    en = exc.strerror or str(exc)
    name = errno.errorcode.get(exc.errno or 0, "")
    zh = _ERRNO_ZH.get(exc.errno or 0) or f"操作系统错误 {name or exc.errno}"
    return Text(zh, en)
