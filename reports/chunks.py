"""Reports as a stream of text chunks: the lines of a report joined as they are produced."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def joined(lines: Iterable[str], end: str = "") -> Iterator[str]:
    """``"\\n".join(lines) + end``, chunk by chunk (one line at a time)."""
    first = True
    for line in lines:
        yield line if first else "\n" + line
        first = False
    yield end
