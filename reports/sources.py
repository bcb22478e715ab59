"""Where a result's source sits in a file: JSON Lines records are lines of their file.

A record of ``batch.jsonl`` is named ``batch.jsonl:11``; CI formats (SARIF, GitHub
annotations) point at the file ``batch.jsonl``, line 11, and findings inside the record are
shifted to that line.
"""

from __future__ import annotations

import dataclasses
import re

from hegui.validator.result import Location

_RECORD = re.compile(r"^(?P<path>.+\.(?:jsonl|ndjson)|-):(?P<line>[1-9][0-9]*)$", re.IGNORECASE)


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
