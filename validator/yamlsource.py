"""Read YAML while remembering where every value sits, so spec errors can name a line.

A parsed document is kept in a small on-disk cache keyed by the text's SHA-256 (``marshal``
data: plain values only, nothing executable), so a command that starts, reads its specs and
validates one file does not parse the same YAML every time. ``$HEGUI_CACHE`` names the
folder (default ``$XDG_CACHE_HOME/hegui`` or ``~/.cache/hegui``); ``off`` turns it off; a
folder that cannot be written is no cache, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

#: Bumped when what a cached document holds changes.
_CACHE_FORMAT = 1

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Parsed YAML data plus a map from each value's path to its 1-based (line, column)."""

    data: Any
    marks: dict[Path, tuple[int, int]]
    #: Paths whose values were written in another file (a profile's rules laid into the
    #: rules document) -> that file's name, relative to the version folder.
    sources: dict[Path, str] = field(default_factory=dict)

    def file_of(self, path: Path, default: str) -> str:
        """The file the value at ``path`` was written in (``default``: this document's)."""
        p = tuple(path)
        while p:
            if p in self.sources:
                return self.sources[p]
            p = p[:-1]
        return default

    def where(self, path: Path) -> tuple[int, int] | None:
        """Position of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if p in self.marks:
                return self.marks[p]
            if not p:
                return None
            p = p[:-1]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps every scalar a string-typed YAML value would have."""


def _cache_file(text: str) -> FsPath | None:
    where = os.environ.get("HEGUI_CACHE", "")
    if where == "off":
        return None
    base = FsPath(where) if where else FsPath(
        os.environ.get("XDG_CACHE_HOME") or FsPath.home() / ".cache") / "hegui"
    key = hashlib.sha256(f"{_CACHE_FORMAT}:{sys.version_info[:2]}:{yaml.__version__}:"
                         f"{text}".encode()).hexdigest()
    return base / "yaml" / key[:2] / f"{key}.marshal"


def _cached(text: str) -> Located | None:
    path = _cache_file(text)
    if path is None:
        return None
    try:
        data, marks = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return Located(data, marks)


def _keep(text: str, located: Located) -> None:
    path = _cache_file(text)
    if path is None:
        return
    try:
        blob = marshal.dumps((located.data, located.marks))
    except ValueError:  # a value marshal cannot hold (a YAML date): not cached
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)


def load_located(text: str, filename: str) -> Located:
    """Parse ``text``; raise ``yaml.YAMLError`` (with its own mark) on bad YAML."""
    hit = _cached(text)
    if hit is not None:
        return hit
    located = _parse(text)
    _keep(text, located)
    return located


def _parse(text: str) -> Located:
    # libyaml's C composer when present (about 10x faster; same nodes and marks).
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", _Loader))
    marks: dict[Path, tuple[int, int]] = {}
    if node is None:
        return Located(None, marks)
    constructor = _Loader(text)
    data = _build(node, (), marks, constructor)
    return Located(data, marks)


def _build(node: yaml.Node, path: Path, marks: dict[Path, tuple[int, int]],
           constructor: yaml.SafeLoader) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            out[key] = _build(value_node, (*path, key), marks, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, (*path, i), marks, constructor) for i, v in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
