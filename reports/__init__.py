"""Reports: pure renderers of a :class:`~hegui.validator.result.Batch` into every output format.

``RENDERERS`` maps a format name (text, json, html, markdown, junit, sarif, github) to a
renderer ``(batch, specs, *, lang, sources=None) -> str``; :func:`write_outputs` renders and
writes several at once; :func:`batch_from_json` reads a saved JSON result back.
"""

from typing import Any

from hegui.reports.errors import ReportWriteError, ResultFileError
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


#: Names imported on first use (reading a result file needs jsonschema; coverage, the rule
#: catalogue): a run that only writes a report does not pay for them.
_LAZY = {"LoadedResult": "hegui.reports.json_load", "batch_from_json": "hegui.reports.json_load",
         "load_result": "hegui.reports.json_load", "RuleCoverage": "hegui.reports.coverage",
         "coverage": "hegui.reports.coverage"}


def __getattr__(name: str) -> Any:
    """The lazily imported public names (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hegui.reports' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
