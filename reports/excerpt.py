"""A few lines of a payload around a finding, for reports that show the source.

Minified payloads put everything on one line, so long lines are cut to a window around the
column. Bytes that are not UTF-8 are shown replaced; control characters are made visible.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Characters shown either side of the column on a long line.
HALF_WIDTH = 60


@dataclass(frozen=True)
class ExcerptLine:
    """One line of an excerpt; ``caret`` is the 0-based column to mark on the focus line."""

    number: int
    text: str
    focus: bool
    caret: int | None = None


def _visible(text: str) -> str:
    return "".join(ch if ch == "\t" or (ch >= " " and ch != "\x7f") else "\ufffd" for ch in text)


def _window(text: str, column: int | None) -> tuple[str, int | None]:
    """Cut ``text`` to at most 2*HALF_WIDTH characters around ``column`` (1-based)."""
    col = (column - 1) if column else 0
    if len(text) <= 2 * HALF_WIDTH:
        return text, col if column else None
    start = max(0, min(col - HALF_WIDTH, len(text) - 2 * HALF_WIDTH))
    cut = text[start:start + 2 * HALF_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + 2 * HALF_WIDTH < len(text) else ""
    caret = col - start + len(prefix) if column else None
    return prefix + cut + suffix, caret


def source_lines(source: bytes) -> list[str]:
    """The lines of a payload as parsers count them (split at "\\n" only; not at U+2028 as
    ``str.splitlines`` would). Split once per payload, then take many excerpts."""
    return [ln.removesuffix("\r") for ln in source.decode("utf-8", errors="replace").split("\n")]


def excerpt(source: bytes | list[str], line: int | None, column: int | None = None,
            context: int = 2) -> tuple[ExcerptLine, ...]:
    """Lines ``line - context`` .. ``line + context`` of ``source`` (bytes, or the result of
    :func:`source_lines`), the finding's line marked; empty when the line is unknown or past the
    end."""
    if not line or line < 1:
        return ()
    lines = source_lines(source) if isinstance(source, bytes) else source
    if line > len(lines):
        return ()
    out = []
    for n in range(max(1, line - context), min(len(lines), line + context) + 1):
        focus = n == line
        text, caret = _window(_visible(lines[n - 1]), column if focus else None)
        out.append(ExcerptLine(n, text, focus, caret if focus else None))
    return tuple(out)
