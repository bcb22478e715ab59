"""Expand command-line inputs into payloads: files, folders (recursive), ``-`` (stdin), JSON Lines.

Nothing is lost: an unreadable file or an over-long line becomes an input with a read error, so
it appears in the results with verdict ``error``.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import orjson

from hegui.validator.limits import DEFAULT_LIMITS, Limits
from hegui.validator.spec import Text

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
    for arg in paths:
        if arg == "-":
            yield from _stdin(sys.stdin.buffer.read(), limits)
            continue
        p = Path(arg)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*")
                           if f.is_file() and f.suffix.lower() in PAYLOAD_EXTENSIONS
                           and f.resolve() not in skip)
            if not files:
                yield Payload(arg, b"", read_error=Text("文件夹中没有 .json/.xml/.jsonl 文件",
                                                        "folder holds no .json/.xml/.jsonl files"))
            for f in files:
                yield from _from_file(f, limits)
        elif p.exists():
            yield from _from_file(p, limits)
        else:
            yield Payload(arg, b"", read_error=Text("没有这个文件或文件夹",
                                                          "no such file or folder"))


def _from_file(path: Path, limits: Limits) -> Iterator[Payload]:
    try:
        size = path.stat().st_size
        if size > limits.max_bytes and path.suffix.lower() not in (".jsonl", ".ndjson"):
            yield Payload(str(path), b"", read_error=Text(
                f"文件有 {size} 字节，超过上限 {limits.max_bytes}",
                f"file is {size} bytes, over the limit of {limits.max_bytes}"))
            return
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            with path.open("rb") as stream:  # streamed: memory stays flat whatever the size
                yield from _jsonl(str(path), stream, limits)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Payload(str(path), b"", read_error=os_error_text(exc))
        return
    yield Payload(str(path), data)


def _stdin(data: bytes, limits: Limits) -> Iterator[Payload]:
    """Standard input: one payload, or JSON Lines when its first line is a whole JSON object
    and more lines follow (a pretty-printed object's first line is ``{`` alone)."""
    lines = [x for x in data.splitlines() if x.strip()]
    if len(lines) > 1 and looks_like_record(lines[0]):
        yield from _jsonl("-", data.splitlines(keepends=True), limits)
    else:
        yield Payload("-", data)


def looks_like_record(line: bytes) -> bool:
    """Whether ``line`` holds one whole JSON object."""
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _jsonl(name: str, stream: Iterable[bytes], limits: Limits) -> Iterator[Payload]:
    with_lines = False
    for n, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        with_lines = True
        if len(line) > limits.max_jsonl_line_bytes:
            yield Payload(f"{name}:{n}", b"", read_error=Text(
                f"该行有 {len(line)} 字节，超过上限 {limits.max_jsonl_line_bytes}",
                f"line is {len(line)} bytes, over the limit of {limits.max_jsonl_line_bytes}"))
            continue
        yield Payload(f"{name}:{n}", line.rstrip(b"\r\n"), encoding_hint="json")
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
