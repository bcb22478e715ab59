"""Compare a validation batch with a test-pack manifest (``hegui validate --expect``).

Results and manifest entries are matched by resolved path (manifest paths are relative to the
manifest's folder). Every difference is one human-readable line: a verdict or a set of rule
ids other than expected, a file of the manifest that was not validated, a validated file the
manifest does not list, a result judged against another spec or version. Context documents
(a checklist the rules read) and the manifest itself are not payloads and are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hegui.validator.errors import UsageError
from hegui.validator.loader import bundled_spec_ids, load_spec
from hegui.validator.result import Batch, Result
from hegui.validator.verdicts import SEVERITY_ORDER, fails
from hegui.validator.verdicts import expected_verdict as expected


def load_manifest(path: Path) -> dict[str, Any]:
    """Read a test-pack manifest; a broken one is a :class:`UsageError` naming the file."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
        raise UsageError(f"{path}: not a test-pack manifest (no 'files' list)")
    for i, entry in enumerate(doc["files"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) \
                or entry.get("verdict") not in ("conformant", "nonconformant", "error"):
            raise UsageError(f"{path}: files[{i}] needs a 'path' and a 'verdict'")
    return doc


def expected_verdict(entry: dict[str, Any], fail_on: str) -> str:
    """The verdict a manifest entry expects under ``--fail-on`` (``severity`` decides)."""
    severity = entry.get("severity")
    if severity in SEVERITY_ORDER and fail_on in SEVERITY_ORDER:
        return expected(severity, fail_on)
    return str(entry["verdict"])


def _context_files(batch: Batch) -> set[Path]:
    """Context documents the run loaded (given ones and the specs' defaults)."""
    options = batch.options or {}
    out = {Path(str(p)).resolve() for p in (options.get("contexts") or {}).values()}
    refs = {(r.spec.id, r.spec.version) for r in batch.results if r.spec is not None}
    specs = []
    if options.get("spec"):
        specs.append(load_spec(str(options["spec"])))
    specs += [load_spec(f"{sid}@{version}") for sid, version in sorted(refs)
              if sid in bundled_spec_ids()]
    for spec in specs:
        for ctx in spec.contexts.values():
            if ctx.default is not None:
                out.add((Path(spec.folder) / ctx.default).resolve())
    return out


def _ids(ids: Any) -> str:
    return "[" + ", ".join(sorted(ids)) + "]"


def _result_line(rel: str, entry: dict[str, Any], result: Result, want: str,
                 notes: set[str]) -> str | None:
    expected_ids = set(entry.get("rule_ids") or []) | notes
    if result.verdict == want and set(result.rule_ids) == expected_ids:
        return None
    got = f"{result.verdict} {_ids(result.rule_ids)}"
    if result.error:
        got += f" ({result.error.en})"
    return f"{rel}: expected {want} {_ids(expected_ids)}, got {got}"


def compare_manifest(batch: Batch, manifest_path: Path) -> list[str]:
    """Mismatch lines between ``batch`` and the manifest at ``manifest_path`` ([] = all match).
    """
    manifest_path = Path(manifest_path)
    doc = load_manifest(manifest_path)
    base = manifest_path.resolve().parent
    entries = {(base / e["path"]).resolve(): e for e in doc["files"]}
    spec_ref = doc.get("spec") or {}
    fail_on = str((batch.options or {}).get("fail_on") or "error")
    # Findings every file of the pack also gets (a deprecated version's note): their ids are
    # expected beside each file's own, and their severity counts towards its verdict.
    given = [n for n in doc.get("notes") or [] if isinstance(n, dict) and "rule_id" in n]
    notes = {str(n["rule_id"]) for n in given}
    notes_fail = any(n.get("severity") in SEVERITY_ORDER and fails(n["severity"], fail_on)
                     for n in given)
    skip = _context_files(batch) | {manifest_path.resolve()}
    lines: list[str] = []
    seen: set[Path] = set()
    for result in batch.results:
        path = Path(result.source).resolve()
        if path in skip:
            continue
        entry = entries.get(path)
        if entry is None:
            lines.append(f"{result.source}: not in the manifest (got {result.verdict} "
                         f"{_ids(result.rule_ids)})")
            continue
        seen.add(path)
        rel = str(entry["path"])
        if result.spec is not None and spec_ref and (result.spec.id, result.spec.version) != (
                spec_ref.get("id"), spec_ref.get("version")):
            lines.append(f"{rel}: validated against {result.spec.id} {result.spec.version}, "
                         f"the pack is for {spec_ref.get('id')} {spec_ref.get('version')}")
        want = "nonconformant" if notes_fail else expected_verdict(entry, fail_on)
        line = _result_line(rel, entry, result, want, notes)
        if line is not None:
            lines.append(line)
    for path, entry in entries.items():
        if path not in seen:
            lines.append(f"{entry['path']}: in the manifest but not validated")
    return lines
