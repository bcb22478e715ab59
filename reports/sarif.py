"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, IDE viewers).

One run: ``tool.driver`` is hegui with the rule catalogue of the specs used (plus the structural
rule ids that occur), one artifact per payload with its SHA-256, one result per finding, and
one invocation carrying the options and a notification per payload that could not be evaluated
(with the region of the finding that stopped it, e.g. a parse error's line and column).
``partialFingerprints`` hash the rule id, source, location path and value — not line numbers —
so a finding keeps its identity when unrelated lines move.

Given a :class:`~hegui.reports.sources.BaseDir`, the run declares it as
``originalUriBaseIds["SRCROOT"]`` and every payload under it is located by a URI relative to it
(``uriBaseId: "SRCROOT"``), so URIs do not depend on the working directory; payloads outside it
get absolute ``file://`` URIs, standard input stays ``-``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from hegui.reports.catalogue import RuleInfo, rule_catalogue
from hegui.reports.labels import label
from hegui.reports.provenance import jsonable, provenance
from hegui.reports.sources import BaseDir, file_and_line, in_file, shown_source
from hegui.validator.result import Batch, Finding, Location, Result
from hegui.validator.spec import Lang, Spec

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: hegui severity -> SARIF level
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: Key of hegui's fingerprint in ``partialFingerprints``; bump the suffix if the recipe changes.
FINGERPRINT_KEY = "hegui/v1"
#: The ``uriBaseId`` of the base directory (the name GitHub code scanning and SARIF tools expect).
SRCROOT = "SRCROOT"


def artifact_uri(source: str) -> str:
    """A URI reference for a payload source: relative paths stay relative, absolute ones become
    ``file://`` URIs; unsafe characters are percent-encoded."""
    path = source.replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", path):
        return "file:///" + quote(path, safe="/:")
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")


def artifact_location(path: str, base: BaseDir | None) -> dict[str, Any]:
    """The SARIF ``artifactLocation`` of the file ``path``: relative to ``SRCROOT`` when it lies
    under the base directory, else :func:`artifact_uri` of its absolute path (of ``path`` as
    given without a base directory, or for standard input)."""
    if base is None:
        return {"uri": artifact_uri(path)}
    rel = base.relative(path)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": artifact_uri(base.shown(path))}


def base_uri(root: str) -> str:
    """The ``file://`` URI of the base directory, ending in ``/`` as SARIF requires."""
    uri = artifact_uri(root)
    return uri if uri.endswith("/") else uri + "/"


def fingerprint(f: Finding, source: str) -> str:
    """Stable identity of a finding: SHA-256 of rule id, source (as reports name it: relative
    to the base directory when under it), location path and value."""
    path = f.location.pointer or f.location.xpath or ""
    raw = "\0".join((f.rule_id, source, path, f.value or ""))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _utc(started_at: str) -> str | None:
    try:
        t = datetime.fromisoformat(started_at)
    except ValueError:
        return None
    if t.tzinfo is None:
        return None  # a local time of unknown zone cannot be stated as UTC
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace(".000000Z", "Z")


def _pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", text))


def _rule(info: RuleInfo, lang: Lang) -> dict[str, Any]:
    title = info.title.get(lang)
    basis = info.basis_text(lang)
    full = info.message.get(lang) if info.message else title
    help_text = f"{title}. {label('basis', lang)}: {basis}" if basis else title
    props: dict[str, Any] = {
        "severity": info.severity, "structural": info.structural,
        "title_zh": info.title.zh, "title_en": info.title.en,
        "tags": [t for t in (info.spec_id, "structural" if info.structural else "business-rule")
                 if t],
    }
    if basis is not None and info.basis is not None:
        props["basis"] = info.basis.text
        props["basis_inferred"] = info.basis.inferred
    if info.spec_id:
        props["spec"] = info.spec_id
    out: dict[str, Any] = {"id": info.id}
    if not info.structural and _pascal(info.title.en):
        out["name"] = _pascal(info.title.en)
    out.update({
        "shortDescription": {"text": title}, "fullDescription": {"text": full},
        "help": {"text": help_text}, "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": props,
    })
    return out


def _logical(loc: Location) -> list[dict[str, Any]]:
    if loc.pointer is not None:
        return [{"fullyQualifiedName": loc.pointer, "kind": "value"}]
    if loc.xpath is not None:
        kind = "attribute" if "/@" in loc.xpath else "element"
        return [{"fullyQualifiedName": loc.xpath, "kind": kind}]
    return []


def _region(loc: Location) -> dict[str, Any] | None:
    if loc.line is None or loc.line < 1:
        return None
    region: dict[str, Any] = {"startLine": loc.line}
    if loc.column is not None and loc.column >= 1:
        region["startColumn"] = loc.column
    return region


def _location(loc: Location, artifact: dict[str, Any], index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {**artifact, "index": index}}
    region = _region(loc)
    if region is not None:
        physical["region"] = region
    out: dict[str, Any] = {"physicalLocation": physical}
    logical = _logical(loc)
    if logical:
        out["logicalLocations"] = logical
    return out


def _result(f: Finding, source: str, index: int, rule_index: int, lang: Lang,
            base: BaseDir | None) -> dict[str, Any]:
    path, first = file_and_line(source)
    artifact = artifact_location(path, base)
    props: dict[str, Any] = {"stage": f.stage, "message_zh": f.message.zh,
                             "message_en": f.message.en, "source": source}
    if f.basis is not None:
        props["basis"] = f.basis
    if f.value is not None:
        props["value"] = f.value
    out: dict[str, Any] = {
        "ruleId": f.rule_id, "ruleIndex": rule_index, "level": LEVELS[f.severity],
        "message": {"text": f.message.get(lang) or f.rule_id},
        "locations": [_location(in_file(f.location, first), artifact, index)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f, shown_source(source, base))},
        "properties": props,
    }
    if f.related:
        out["relatedLocations"] = [{"id": n, **_location(in_file(loc, first), artifact, index)}
                                   for n, loc in enumerate(f.related, start=1)]
    return out


_VERDICT_ORDER = ("conformant", "nonconformant", "error")


def _worst(a: str, b: str) -> str:
    return max(a, b, key=_VERDICT_ORDER.index)


def _stopped_at(r: Result) -> Location | None:
    """Where the evaluation of ``r`` stopped: its first error finding that has a line."""
    return next((f.location for f in sorted(r.findings, key=Finding.sort_key)
                 if f.severity == "error" and f.location.line is not None), None)


def sarif_document(batch: Batch, specs: Mapping[str, Spec], lang: Lang,
                   base: BaseDir | None = None) -> dict[str, Any]:
    """The SARIF log as plain data (URIs relative to ``base`` when given)."""
    catalogue = rule_catalogue(batch, specs)
    rule_index = {rid: i for i, rid in enumerate(catalogue)}
    prov = provenance(batch, specs)
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    files: dict[str, int] = {}  # one artifact per file: JSON Lines records share theirs
    for r in batch.results:
        path, first = file_and_line(r.source)
        index = files.get(path)
        if index is None:
            index = files[path] = len(artifacts)
            artifact: dict[str, Any] = {"location": artifact_location(path, base),
                                        "properties": {"source": path, "verdict": r.verdict}}
            if r.input_sha256 and first == 1 and path == r.source:
                artifact["hashes"] = {"sha-256": r.input_sha256}
            if r.encoding:
                artifact["mimeType"] = ("application/json" if r.encoding == "json"
                                        else "application/xml")
            artifacts.append(artifact)
        else:  # another record of a JSON Lines file: the file's verdict is its worst
            props = artifacts[index]["properties"]
            props["verdict"] = _worst(props["verdict"], r.verdict)
        location = artifact_location(path, base)
        where = {"physicalLocation": {"artifactLocation": {**location, "index": index}}}
        if first > 1 or path != r.source:
            where["physicalLocation"]["region"] = {"startLine": first}
        results += [_result(f, r.source, index, rule_index[f.rule_id], lang, base)
                    for f in sorted(r.findings, key=Finding.sort_key)]
        shown = shown_source(r.source, base)
        if r.verdict == "error":
            stopped = _stopped_at(r)
            notifications.append({
                "level": "error", "descriptor": {"id": "evaluation"},
                "message": {"text": f"{shown}: {r.reason(lang)}"},
                "locations": [where if stopped is None
                              else _location(in_file(stopped, first), location, index)],
            })
        notifications += [{  # a rule that applies but could not be checked
            "level": "note", "descriptor": {"id": "unchecked"},
            "associatedRule": {"id": u.rule_id},
            "message": {"text": f"{shown}: {label('unchecked', lang)} {u.rule_id}: "
                                f"{u.reason.get(lang)}"},
            "locations": [where],
        } for u in r.rules_unchecked]
    invocation: dict[str, Any] = {"executionSuccessful": batch.summary()["error"] == 0}
    start = _utc(batch.started_at)
    if start:
        invocation["startTimeUtc"] = start
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    invocation["properties"] = {"options": dict(batch.options), "started_at": batch.started_at}
    driver: dict[str, Any] = {
        "name": "hegui", "version": batch.tool_version,
        "rules": [_rule(info, lang) for info in catalogue.values()],
        "properties": {"specs": [
            {"id": s.id, "version": s.version, "sha256": s.sha256,
             "title": s.title_text(lang), "standard_number": s.standard_number,
             "platform": s.platform, "platform_sha256": s.platform_sha256}
            for s in prov.specs]},
    }
    run: dict[str, Any] = {"tool": {"driver": driver}}
    if base is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base_uri(base.root)}}
    run |= {
        "invocations": [invocation], "artifacts": artifacts,
        "results": results, "columnKind": "unicodeCodePoints",
        "properties": {"summary": batch.summary()},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                 sources: Mapping[str, bytes] | None = None,
                 base_dir: BaseDir | None = None) -> str:
    """Render ``batch`` as a SARIF 2.1.0 log, URIs relative to ``base_dir`` when given
    (``sources`` is not used by this format)."""
    doc = sarif_document(batch, specs, lang, base_dir)
    return json.dumps(doc, ensure_ascii=False, indent=2, default=jsonable) + "\n"
