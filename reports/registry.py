"""The table of report formats, and writing rendered reports to files or standard output.

Renderers are pure: ``(batch, specs, *, lang, sources) -> str``. This module is the only place
in the package that does I/O.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TextIO

from hegui.reports.errors import ReportWriteError
from hegui.reports.github import render_github
from hegui.reports.html import render_html
from hegui.reports.json_result import render_json
from hegui.reports.junit import render_junit
from hegui.reports.markdown import render_markdown
from hegui.reports.sarif import render_sarif
from hegui.reports.text import render_text
from hegui.validator.errors import UsageError
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec

#: Standard output, as a destination.
STDOUT = "-"


class Renderer(Protocol):
    """A report renderer: a pure function of the batch, the specs and the language."""

    def __call__(self, batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None) -> str: ...


#: Format name -> renderer.
RENDERERS: Mapping[str, Renderer] = MappingProxyType({
    "text": render_text,
    "json": render_json,
    "html": render_html,
    "markdown": render_markdown,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
})

#: Format names, in the order help texts list them.
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def renderer(fmt: str) -> Renderer:
    """The renderer of ``fmt``, or a :class:`UsageError` listing the known formats."""
    try:
        return RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"unknown report format {fmt!r} (known: {', '.join(FORMATS)})") from None


def render(fmt: str, batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
           sources: Mapping[str, bytes] | None = None) -> str:
    """Render ``batch`` in format ``fmt``."""
    return renderer(fmt)(batch, specs, lang=lang, sources=sources)


def parse_output(value: str) -> tuple[str, str]:
    """``FMT=PATH`` (or ``FMT`` alone, meaning standard output) as ``(fmt, path)``."""
    fmt, sep, path = value.partition("=")
    fmt = fmt.strip()
    renderer(fmt)
    if sep and not path:
        raise UsageError(f"--output {value!r}: empty path (use FMT=PATH, or FMT=- for stdout)")
    return fmt, path if sep else STDOUT


def output_pairs(fmt: str, outputs: Sequence[str]) -> list[tuple[str, str]]:
    """``--format`` (standard output) plus every ``--output FMT=PATH`` as ``(fmt, path)``
    pairs; standard output gets ``fmt`` unless an ``--output`` took it."""
    pairs = [parse_output(value) for value in outputs]
    if not any(path == STDOUT for _, path in pairs):
        pairs.insert(0, (fmt, STDOUT))
    return pairs


def write_outputs(batch: Batch, specs: Mapping[str, Spec], outputs: Sequence[tuple[str, str]],
                  lang: Lang, sources: Mapping[str, bytes] | None = None, *,
                  stdout: TextIO | None = None) -> None:
    """Render each ``(fmt, path)`` of ``outputs`` and write it (``"-"``: standard output).

    Every format is checked before anything is written. Parent folders are created. A file
    that cannot be written is a :class:`ReportWriteError` (exit code 2).
    """
    for fmt, _ in outputs:
        renderer(fmt)
    for fmt, path in outputs:
        text = render(fmt, batch, specs, lang=lang, sources=sources)
        if path == STDOUT:
            stream = stdout if stdout is not None else sys.stdout
            stream.write(text)
            stream.flush()
            continue
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise ReportWriteError(
                f"cannot write {fmt} report to {path}: {exc.strerror or exc}") from None
