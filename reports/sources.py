"""Where a result's source sits: JSON Lines records are lines of their file, and files lie
inside or outside the run's base directory.

A record of ``batch.jsonl`` is named ``batch.jsonl:11``; CI formats (SARIF, GitHub
annotations, JUnit) point at the file ``batch.jsonl``, line 11, and findings inside the record
are shifted to that line.

Paths in CI formats are relative to a base directory (``--base-dir``, default the current
directory) so that they do not depend on where hegui ran: :class:`BaseDir` holds, as plain data,
where each payload file lies relative to it. It is built (asking the file system) by
:func:`hegui.reports.registry.locate_sources`; renderers only read it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from hegui.validator.result import Location

_RECORD = re.compile(r"^(?P<path>.+\.(?:jsonl|ndjson)|-):(?P<line>[1-9][0-9]*)$", re.IGNORECASE)

#: The source name of standard input.
STDIN = "-"


def file_and_line(source: str) -> tuple[str, int]:
    """``(file, line of the source's first line in it)``: ``("b.jsonl", 11)`` for
    ``b.jsonl:11``, ``(source, 1)`` otherwise."""
    m = _RECORD.match(source)
    if m is None:
        return source, 1
    return m.group("path"), int(m.group("line"))


def in_file(loc: Location, first_line: int) -> Location:
    """``loc`` (relative to a record) as a location in the record's file; a location without
    a line points at the record's line."""
    if first_line == 1:
        return loc
    line = first_line if loc.line is None else loc.line + first_line - 1
    column = loc.column if loc.line is not None else None
    return dataclasses.replace(loc, line=line, column=column)


@dataclass(frozen=True)
class BaseDir:
    """The base directory of a run's reports and where each payload file lies relative to it.

    ``root`` is the directory's absolute path. ``inside`` maps a file, as the results name it,
    to its path relative to ``root`` (``/``-separated); ``outside`` maps the files that do not
    lie under ``root`` to their absolute paths. A file in neither (standard input ``-``, or a
    file this object was not built for) is shown as the results name it.
    """

    root: str
    inside: Mapping[str, str] = field(default_factory=dict)
    outside: Mapping[str, str] = field(default_factory=dict)

    def relative(self, path: str) -> str | None:
        """``path`` relative to the base directory, or None when it does not lie under it."""
        return self.inside.get(path)

    def shown(self, path: str) -> str:
        """How reports name the file ``path``: relative to the base directory when under it,
        else its absolute path (else ``path`` itself)."""
        return self.inside.get(path) or self.outside.get(path) or path


def shown_path(path: str, base: BaseDir | None) -> str:
    """The file ``path`` as CI reports name it (``path`` itself without a base directory)."""
    return path if base is None else base.shown(path)


def shown_source(source: str, base: BaseDir | None) -> str:
    """A result's source as CI reports name it: its file as :func:`shown_path` names it, with
    the record's line kept for JSON Lines records (``sub/b.jsonl:11``)."""
    path, first = file_and_line(source)
    shown = shown_path(path, base)
    return shown if path == source else f"{shown}:{first}"
