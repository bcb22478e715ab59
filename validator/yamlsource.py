"""Read YAML while remembering where every value sits, so spec errors can name a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

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


def load_located(text: str, filename: str) -> Located:
    """Parse ``text``; raise ``yaml.YAMLError`` (with its own mark) on bad YAML."""
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
