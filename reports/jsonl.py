"""The JSON Lines result (``--format jsonl``): one JSON object per line, written as results are
produced, so a run of any length is reported at flat memory (docs/result-format.md).

Line 1 is ``{"type": "header", format, format_version, tool, started_at, lang, options}``;
then one ``{"type": "result", ...}`` per input in input order (the same members as an entry of
the JSON result's ``results``); the last line is ``{"type": "summary", total, conformant,
nonconformant, error}``. A file that stops before its summary line was cut short.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import orjson

from hegui.reports.json_result import FORMAT_NAME, FORMAT_VERSION
from hegui.reports.provenance import jsonable
from hegui.validator.result import Batch, Result
from hegui.validator.spec import Lang, Spec


def _line(obj: dict[str, Any]) -> bytes:
    try:
        return orjson.dumps(obj, default=jsonable) + b"\n"
    except TypeError:  # integers beyond 64 bits in a value
        import json

        return (json.dumps(obj, ensure_ascii=False, default=jsonable) + "\n").encode("utf-8")


def header(tool_version: str, started_at: str, lang: Lang, options: Mapping[str, Any]
           ) -> dict[str, Any]:
    """The first line."""
    return {"type": "header", "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
            "tool": {"name": "hegui", "version": tool_version}, "started_at": started_at,
            "lang": lang, "options": dict(options)}


def render_jsonl(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None) -> str:
    """``batch`` as JSON Lines (the whole run at once: :class:`JsonlWriter` streams)."""
    out = [_line(header(batch.tool_version, batch.started_at, lang, batch.options))]
    out += [_line({"type": "result", **r.to_dict(lang)}) for r in batch.results]
    out.append(_line({"type": "summary", **batch.summary()}))
    return b"".join(out).decode("utf-8")


class JsonlWriter:
    """Writes a JSON Lines report as the results come, to standard output (``"-"``) or to a
    file that appears whole when :meth:`close` succeeds (a temporary file renamed over it)."""

    def __init__(self, path: str, lang: Lang) -> None:
        self.path, self.lang = path, lang
        self.counts = {"total": 0, "conformant": 0, "nonconformant": 0, "error": 0}
        self._tmp: Path | None = None
        self._out: IO[bytes]
        if path == "-":
            self._out = sys.stdout.buffer
        else:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            self._out = open(self._tmp, "wb")  # noqa: SIM115 - closed in close()/abort()

    def start(self, tool_version: str, started_at: str, options: Mapping[str, Any]) -> None:
        """Write the header line."""
        self._out.write(_line(header(tool_version, started_at, self.lang, options)))

    def add(self, result: Result) -> None:
        """Write one result line."""
        self.counts["total"] += 1
        self.counts[result.verdict] += 1
        self._out.write(_line({"type": "result", **result.to_dict(self.lang)}))

    def close(self) -> None:
        """Write the summary line and put the file in place."""
        self._out.write(_line({"type": "summary", **self.counts}))
        self._out.flush()
        if self._tmp is not None:
            os.fsync(self._out.fileno())
            self._out.close()
            os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Drop a file report that did not finish (the destination is left as it was)."""
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._out.close()
                self._tmp.unlink()
