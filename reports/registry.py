"""The table of report formats, and writing rendered reports to files or standard output.

Renderers are pure: ``(batch, specs, *, lang, sources) -> str``; the CI formats (SARIF, JUnit,
GitHub annotations) also take ``base_dir``, a :class:`~hegui.reports.sources.BaseDir` built
here by :func:`locate_sources`. This module and the streaming JSON Lines writer
(reports.jsonl) are the only places in the package that do I/O.
Report files are written atomically: a temporary file in the destination's folder, flushed to
disk, then renamed over the destination, so a reader never sees half a report.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TextIO

from hegui.reports.errors import ReportWriteError
from hegui.reports.sources import STDIN, BaseDir, file_and_line
from hegui.validator.errors import UsageError
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec

#: Standard output, as a destination.
STDOUT = "-"


class Renderer(Protocol):
    """A report renderer: a pure function of the batch, the specs and the language."""

    def __call__(self, batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None) -> str: ...


class LocatingRenderer(Protocol):
    """A renderer that names payload files relative to a base directory (the CI formats)."""

    def __call__(self, batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None,
                 base_dir: BaseDir | None = None) -> str: ...


class _Lazy(Mapping[str, Any]):
    """Format name -> renderer, each renderer's module imported on first use (a run that
    writes text does not import the HTML templates)."""

    def __init__(self, where: Mapping[str, str]):
        self._where = MappingProxyType(dict(where))

    def __getitem__(self, name: str) -> Any:
        module, _, attr = self._where[name].partition(":")
        return getattr(importlib.import_module(module), attr)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


#: Format name -> renderer.
RENDERERS: Mapping[str, Renderer] = _Lazy({
    "text": "hegui.reports.text:render_text",
    "json": "hegui.reports.json_result:render_json",
    "jsonl": "hegui.reports.jsonl:render_jsonl",
    "html": "hegui.reports.html:render_html",
    "markdown": "hegui.reports.markdown:render_markdown",
    "junit": "hegui.reports.junit:render_junit",
    "sarif": "hegui.reports.sarif:render_sarif",
    "github": "hegui.reports.github:render_github",
})

#: The formats whose renderers take ``base_dir``.
LOCATING_RENDERERS: Mapping[str, LocatingRenderer] = _Lazy({
    "junit": "hegui.reports.junit:render_junit",
    "sarif": "hegui.reports.sarif:render_sarif",
    "github": "hegui.reports.github:render_github",
})

#: Formats whose report is also produced piece by piece (``iter_<format>``: an iterator of
#: text chunks, the same text as the renderer's), so a report of a million payloads is
#: written without being held in memory.
CHUNKED: Mapping[str, Any] = _Lazy({
    "text": "hegui.reports.text:iter_text",
    "json": "hegui.reports.json_result:iter_json",
    "junit": "hegui.reports.junit:iter_junit",
    "markdown": "hegui.reports.markdown:iter_markdown",
    "github": "hegui.reports.github:iter_github",
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
           sources: Mapping[str, bytes] | None = None, base_dir: BaseDir | None = None) -> str:
    """Render ``batch`` in format ``fmt`` (``base_dir`` is used by the CI formats)."""
    if base_dir is not None and fmt in LOCATING_RENDERERS:
        return LOCATING_RENDERERS[fmt](batch, specs, lang=lang, sources=sources,
                                       base_dir=base_dir)
    return renderer(fmt)(batch, specs, lang=lang, sources=sources)


def render_chunks(fmt: str, batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                  sources: Mapping[str, bytes] | None = None,
                  base_dir: BaseDir | None = None) -> Iterable[str]:
    """The report of ``fmt`` as text chunks: piece by piece where the format streams
    (:data:`CHUNKED`), else the whole text as one chunk."""
    if fmt not in CHUNKED:
        return (render(fmt, batch, specs, lang=lang, sources=sources, base_dir=base_dir),)
    if fmt in LOCATING_RENDERERS:
        return CHUNKED[fmt](batch, specs, lang=lang, sources=sources,  # type: ignore[no-any-return]
                            base_dir=base_dir)
    return CHUNKED[fmt](batch, specs, lang=lang, sources=sources)  # type: ignore[no-any-return]


def _under(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def locate_sources(batch: Batch, base_dir: str | os.PathLike[str] = ".") -> BaseDir:
    """Where each payload file of ``batch`` lies relative to ``base_dir``.

    Relative sources are taken relative to the current directory (where ``hegui validate``
    named them). A file is under the base directory when its path, made absolute, is; or when
    it is once symbolic links in its folder and in the base directory are resolved (so
    ``/tmp/x`` and ``/private/tmp/x`` agree). The file itself is not resolved: a link in the
    repository is named where it is, not where it points.
    """
    root = Path(os.path.normpath(Path(base_dir).absolute()))
    real_root = root.resolve()
    inside: dict[str, str] = {}
    outside: dict[str, str] = {}
    for r in batch.results:
        path, _ = file_and_line(r.source)
        if path == STDIN or path in inside or path in outside:
            continue
        absolute = Path(os.path.normpath(Path(path).absolute()))
        rel = _under(absolute, root)
        if rel is None:
            rel = _under(absolute.parent.resolve() / absolute.name, real_root)
        if rel is None:
            outside[path] = str(absolute)
        else:
            inside[path] = rel
    return BaseDir(str(root), inside, outside)


def write_text_atomically(target: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (UTF-8; a string or its chunks) to ``target`` through a temporary file
    in its folder: written, flushed to disk, then renamed over ``target``. On any failure the
    temporary file is removed and ``target`` is left as it was. An existing ``target`` keeps
    its permissions.
    """
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    # os.open applies the umask to 0o666, as a plain open() would (mkstemp would give 0o600).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in (text,) if isinstance(text, str) else text:
                f.write(chunk.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_folder(target.parent)


def _make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents; a file in the way is "not a directory" (mkdir
    would say "file exists", which names the wrong problem)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk where the platform allows it (not on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
                  stdout: TextIO | None = None,
                  base_dir: str | os.PathLike[str] | None = None) -> None:
    """Render each ``(fmt, path)`` of ``outputs`` and write it (``"-"``: standard output).

    Every format is checked before anything is written. Parent folders are created; files are
    written atomically (:func:`write_text_atomically`). A file that cannot be written is a
    :class:`ReportWriteError` (exit code 2) naming the file, in ``lang``. ``base_dir``: the
    folder the CI formats name payload files relative to (None: as the results name them).
    """
    for fmt, _ in outputs:
        renderer(fmt)
    located = None
    if base_dir is not None and any(fmt in LOCATING_RENDERERS for fmt, _ in outputs):
        located = locate_sources(batch, base_dir)
    for fmt, path in outputs:
        text = render_chunks(fmt, batch, specs, lang=lang, sources=sources, base_dir=located)
        if path == STDOUT:
            stream = stdout if stdout is not None else sys.stdout
            for chunk in text:
                stream.write(chunk)
            stream.flush()
            continue
        target = Path(path)
        try:
            _make_folder(target.parent)
            write_text_atomically(target, text)
        except OSError as exc:
            raise ReportWriteError.of(fmt, path, exc, lang) from None
