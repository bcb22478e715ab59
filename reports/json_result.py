"""The JSON result contract (``hegui-result``, docs/result-format.md): render a Batch as JSON.

The document is versioned (``format_version``); its JSON Schema ships as
``hegui.reports/schemas/result.schema.json``. :func:`hegui.reports.json_load.batch_from_json`
reads it back, so a saved result can be re-rendered in any other format.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from typing import Any

from hegui.reports.coverage import coverage
from hegui.reports.provenance import jsonable
from hegui.validator.result import Batch, Finding, Result
from hegui.validator.spec import Lang, Spec

FORMAT_NAME = "hegui-result"
FORMAT_VERSION = "1.5"


def finding_dict(f: Finding, lang: Lang) -> dict[str, Any]:
    """A finding in contract form: ``Finding.to_dict`` plus its related locations."""
    out = f.to_dict(lang)
    out.setdefault("related", [loc.to_dict() for loc in f.related])
    return out


def result_dict(r: Result, lang: Lang) -> dict[str, Any]:
    """One payload's result in contract form (:meth:`Result.to_dict`)."""
    return r.to_dict(lang)


def result_document(batch: Batch, specs: Mapping[str, Spec], lang: Lang) -> dict[str, Any]:
    """The whole ``hegui-result`` document as plain data."""
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "tool": {"name": "hegui", "version": batch.tool_version},
        "started_at": batch.started_at,
        "lang": lang,
        "options": dict(batch.options),
        "results": [result_dict(r, lang) for r in batch.results],
        "summary": batch.summary(),
        "coverage": {sid: c.to_dict(lang) for sid, c in coverage(batch, specs).items()},
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=jsonable)


def render_json(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                sources: Mapping[str, bytes] | None = None) -> str:
    """Render ``batch`` as the documented ``hegui-result`` JSON (UTF-8 text, 2-space indent)."""
    return _dumps(result_document(batch, specs, lang)) + "\n"


def iter_json(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
              sources: Mapping[str, bytes] | None = None) -> Iterator[str]:
    """:func:`render_json`'s text in chunks, one result at a time (the same bytes: each
    result is indented as ``json.dumps`` indents it inside the document)."""
    doc = result_document(dataclasses.replace(batch, results=()), specs, lang)
    head = {k: v for k, v in doc.items() if k in _HEAD}
    tail = {k: v for k, v in doc.items() if k not in _HEAD and k != "results"}
    yield _dumps(head)[:-2] + ',\n  "results": ['
    first = True
    for r in batch.results:
        yield ("\n    " if first else ",\n    ") + _dumps(result_dict(r, lang)).replace(
            "\n", "\n    ")
        first = False
    yield "]" if first else "\n  ]"
    tail["summary"] = batch.summary()
    tail["coverage"] = {sid: c.to_dict(lang) for sid, c in coverage(batch, specs).items()}
    yield ",\n" + _dumps(tail)[2:] + "\n"


#: The members of the document before ``results``.
_HEAD = ("format", "format_version", "tool", "started_at", "lang", "options")
