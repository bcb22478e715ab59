"""Reports: pure renderers of a :class:`~hegui.validator.result.Batch` into every output format.

``RENDERERS`` maps a format name (text, json, html, markdown, junit, sarif, github) to a
renderer ``(batch, specs, *, lang, sources=None) -> str``; :func:`write_outputs` renders and
writes several at once; :func:`batch_from_json` reads a saved JSON result back.
"""

from hegui.reports.coverage import RuleCoverage, coverage
from hegui.reports.errors import ReportWriteError, ResultFileError
from hegui.reports.json_load import LoadedResult, batch_from_json, load_result
from hegui.reports.registry import (
    FORMATS,
    RENDERERS,
    STDOUT,
    Renderer,
    output_pairs,
    parse_output,
    render,
    write_outputs,
)

__all__ = [
    "FORMATS",
    "RENDERERS",
    "STDOUT",
    "LoadedResult",
    "Renderer",
    "ReportWriteError",
    "ResultFileError",
    "RuleCoverage",
    "batch_from_json",
    "coverage",
    "load_result",
    "output_pairs",
    "parse_output",
    "render",
    "write_outputs",
]
