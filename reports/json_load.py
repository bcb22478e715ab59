"""Read a saved ``hegui-result`` JSON document back into a :class:`Batch`.

``hegui report RESULT.json --format html`` uses this to re-render a saved result. The round trip
is exact: ``render_json(batch_from_json(render_json(b))) == render_json(b)``. Any problem with the
document is a :class:`ResultFileError` naming what is wrong, never a traceback.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

from hegui.reports.errors import ResultFileError
from hegui.reports.json_result import FORMAT_NAME, FORMAT_VERSION
from hegui.validator.pipeline import StageRun
from hegui.validator.result import Batch, Finding, Location, Result, SpecRef, Unchecked
from hegui.validator.spec import Lang, Text


@dataclass(frozen=True)
class LoadedResult:
    """A result document read back: the batch and the language its messages were written in."""

    batch: Batch
    lang: Lang


@functools.cache
def result_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the ``hegui-result`` document, from package data."""
    text = resources.files("hegui.reports").joinpath("schemas/result.schema.json").read_text(
        encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _check_schema(doc: Any) -> None:
    import jsonschema  # imported here: slow to import and only needed to read saved results

    validator = jsonschema.Draft202012Validator(result_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if error is not None:
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        raise ResultFileError(f"not a valid hegui result: at {where}: {error.message}")


def _location(d: dict[str, Any]) -> Location:
    return Location(pointer=d.get("pointer"), xpath=d.get("xpath"), line=d.get("line"),
                    column=d.get("column"), decrypted=d.get("decrypted"))


def _finding(d: dict[str, Any]) -> Finding:
    return Finding(
        rule_id=d["rule_id"], severity=d["severity"], stage=d["stage"],
        message=Text(zh=d["message_zh"], en=d["message_en"]),
        location=_location(d["location"]), basis=d.get("basis"), value=d.get("value"),
        related=tuple(_location(x) for x in d.get("related", [])),
        layer=d.get("layer", "core"))


def _result(d: dict[str, Any]) -> Result:
    spec = d.get("spec")
    return Result(
        source=d["source"], verdict=d["verdict"],
        spec=None if spec is None else SpecRef(spec["id"], spec["version"], spec["sha256"],
                                             spec.get("profile"), spec.get("platform"),
                                             spec.get("platform_sha256")),
        message_type=d.get("message_type"), encoding=d.get("encoding"),
        input_sha256=d["input_sha256"],
        findings=tuple(_finding(f) for f in d["findings"]),
        rules_evaluated=tuple(d.get("rules_evaluated", [])), error=_error(d),
        stages=tuple(StageRun(x["stage"], x["status"], _reason(x))
                     for x in d.get("stages", [])),
        rules_unchecked=tuple(Unchecked(x["rule_id"], Text(zh=x["reason_zh"], en=x["reason_en"]),
                                        tuple(x.get("paths", [])))
                              for x in d.get("rules_unchecked", [])),
        elapsed_ms=d.get("elapsed_ms"), native_message=d.get("native_message"))


def _error(d: dict[str, Any]) -> Text | None:
    """The error reason: both languages since 1.2, the one written before."""
    if d.get("error") is None:
        return None
    return Text(zh=d.get("error_zh") or d["error"], en=d.get("error_en") or d["error"])


def _reason(d: dict[str, Any]) -> Text | None:
    """A stage's reason: both languages since 1.2, the one written before."""
    if d.get("reason") is None:
        return None
    return Text(zh=d.get("reason_zh") or d["reason"], en=d.get("reason_en") or d["reason"])


def load_result(text: str | bytes) -> LoadedResult:
    """Parse and check a ``hegui-result`` document (format version 1.x)."""
    try:
        doc = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ResultFileError(f"not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ResultFileError(f'not a hegui result: "format" is not "{FORMAT_NAME}"')
    version = str(doc.get("format_version", ""))
    if version.split(".")[0] != FORMAT_VERSION.split(".")[0]:
        raise ResultFileError(f"unsupported format_version {version!r} "
                              f"(this hegui reads {FORMAT_VERSION.split('.')[0]}.x)")
    if version == FORMAT_VERSION:
        _check_schema(doc)  # newer minor versions may add keys: read those leniently
    try:
        batch = Batch(
            results=tuple(_result(r) for r in doc["results"]),
            tool_version=str(doc["tool"]["version"]), started_at=str(doc["started_at"]),
            options=dict(doc.get("options", {})))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ResultFileError(f"not a valid hegui result: missing or bad {exc}") from None
    lang = doc.get("lang", "zh")
    return LoadedResult(batch, cast(Lang, lang if lang in ("zh", "en") else "zh"))


def batch_from_json(text: str | bytes) -> Batch:
    """The :class:`Batch` of a ``hegui-result`` JSON document (see :func:`load_result`)."""
    return load_result(text).batch
