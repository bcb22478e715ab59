"""Conformance test packs: a folder of generated payloads and a manifest of expected verdicts.

Layout under the output folder::

    manifest.json                      spec id/version/sha256, seed, counts, every file
    valid/<message type>/<mt>-0001.json|.xml
    invalid/<rule id>/<mt>-0001.json|.xml

A conformant file is expected to be ``conformant`` with no rule id; an invalid file to carry
exactly the rule it was made to break, with the verdict its severity gives (``nonconformant``
for errors). Expectations come from how a file was made, not from validating it, so
``hegui validate --expect manifest.json`` checks the validator against the spec.

Reproducibility: the payloads are drawn by Hypothesis itself, run as a ``@given`` test with
``@seed`` (one seed per stream, derived from ``--seed`` and the stream's name with SHA-256),
no example database, the generate phase only and fixed settings. A seeded Hypothesis run is
deterministic, so the same seed, spec, hegui version and Hypothesis version give the same pack
byte for byte; the manifest records those versions and no timestamps.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import hypothesis
import hypothesis.errors
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from hegui import __version__
from hegui.generators.strategies import (
    Encoding,
    encode,
    invalid_attempts,
    records,
    structural_rule_ids,
)
from hegui.validator.errors import UsageError
from hegui.validator.platform_model import Platform
from hegui.validator.spec import Spec
from hegui.validator.verdicts import expected_verdict

if TYPE_CHECKING:
    from hegui.generators.native_pack import Sealing

MANIFEST = "manifest.json"
FORMAT = "hegui-test-pack/1"


@dataclass(frozen=True)
class PackConfig:
    """What to generate (frozen: parsed once from the CLI or the API)."""

    spec: Spec
    message_types: tuple[str, ...]
    count: int = 100  # conformant records in all, spread over the message types
    seed: int = 0
    encodings: tuple[Encoding, ...] = ("json", "xml")
    invalid: bool = False
    per_rule: int = 1  # invalid records per targeted rule id
    structural: bool = True  # with ``invalid``: structural ids too, not only business rules


@dataclass(frozen=True)
class PackFile:
    """One file of a pack and what validating it must give."""

    path: str  # relative to the pack folder, with forward slashes
    message_type: str
    encoding: str
    verdict: Literal["conformant", "nonconformant"]
    severity: str | None  # of the expected finding (None for conformant files)
    rule_ids: tuple[str, ...]


class _Enough(Exception):
    """Raised inside the collecting test once enough examples are in."""


class _GiveUp(Exception):
    """Raised inside the collecting test once the attempt budget of a stream is spent."""


def draw_examples(strategy: st.SearchStrategy[Any], count: int, seed: int,
                  budget: int = 20) -> list[Any]:
    """``count`` distinct examples of ``strategy``, the same ones for the same ``seed``.

    A None example is a failed attempt; after ``budget`` x ``count`` attempts the stream
    gives up and returns what it has.
    """
    out: list[Any] = []
    seen: set[str] = set()
    tries = [0]
    if count <= 0:
        return out

    @settings(database=None, max_examples=max(10, count * budget), deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck),
              derandomize=False, verbosity=Verbosity.quiet, print_blob=False,
              report_multiple_bugs=False)
    @hypothesis.seed(seed)
    @given(strategy)
    def collect(value: Any) -> None:
        tries[0] += 1
        if value is not None:
            key = json.dumps(value, sort_keys=True, ensure_ascii=False)
            if key not in seen:
                seen.add(key)
                out.append(value)
        if len(out) >= count:
            raise _Enough
        if tries[0] >= count * budget:
            raise _GiveUp

    # Too few examples is not an error here: the caller says what could not be drawn.
    with contextlib.suppress(_Enough, _GiveUp, hypothesis.errors.Unsatisfiable):
        collect()
    return out[:count]


def stream_seed(seed: int, name: str) -> int:
    """A seed for one stream of a pack (``valid/apply``, ``invalid/EG-001`` ...)."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{name}".encode()).digest()[:8], "big")


def _spread(count: int, names: Sequence[str]) -> dict[str, int]:
    n = len(names)
    return {name: count // n + (1 if i < count % n else 0) for i, name in enumerate(names)}


def _targets(config: PackConfig) -> list[str]:
    spec, chosen = config.spec, set(config.message_types)
    out = [r.id for r in spec.rules if chosen & set(r.applies_to)]
    if config.structural:
        for mt in config.message_types:
            out.extend(i for i in structural_rule_ids(spec, mt) if i not in out)
    return out


def _severity(spec: Spec, rule_id: str) -> str:
    rule = spec.rule(rule_id)
    return "error" if rule is None else rule.severity


@dataclass(frozen=True)
class Skipped:
    """A rule id no record of the chosen message types could break alone."""

    rule_id: str
    message_types: tuple[str, ...]
    reason: str


def build_pack(config: PackConfig) -> tuple[list[tuple[PackFile, bytes]], list[Skipped]]:
    """Every file of the pack, in a stable order, with its bytes; and the rules skipped."""
    spec = config.spec
    files: list[tuple[PackFile, bytes]] = []
    skipped: list[Skipped] = []
    for mt, n in _spread(config.count, config.message_types).items():
        docs = draw_examples(records(spec, mt), n, stream_seed(config.seed, f"valid/{mt}"))
        if len(docs) < n:
            raise UsageError(f"could only generate {len(docs)} of {n} {mt} payloads")
        for i, doc in enumerate(docs, start=1):
            for enc in config.encodings:
                path = f"valid/{mt}/{mt}-{i:04d}.{enc}"
                files.append((PackFile(path, mt, enc, "conformant", None, ()),
                              encode(spec, doc, enc)))
    if not config.invalid:
        return files, skipped
    for rule_id in _targets(config):
        rule = spec.rule(rule_id)
        mts = [m for m in config.message_types if rule is None or m in rule.applies_to]
        if rule is None:
            mts = [m for m in mts if rule_id in structural_rule_ids(spec, m)]
        docs = draw_examples(invalid_attempts(spec, rule_id, mts), config.per_rule,
                             stream_seed(config.seed, f"invalid/{rule_id}"), budget=60)
        if not docs:  # e.g. EG-011 in claimRequest, where EG-020 implies it
            skipped.append(Skipped(rule_id, tuple(mts), "no record of these message types "
                                   "breaks this rule without breaking another"))
            continue
        severity = _severity(spec, rule_id)
        verdict = expected_verdict(severity)
        for i, doc in enumerate(docs, start=1):
            mt = str(doc["messageType"])
            for enc in config.encodings:
                path = f"invalid/{rule_id}/{mt}-{i:04d}.{enc}"
                files.append((PackFile(path, mt, enc, verdict, severity, (rule_id,)),
                              encode(spec, doc, enc)))
    return files, skipped


def manifest(config: PackConfig, files: Sequence[PackFile], skipped: Sequence[Skipped] = ()
             ) -> dict[str, Any]:
    """The manifest of a pack (no timestamps: the same inputs give the same bytes)."""
    spec = config.spec
    return {
        "format": FORMAT,
        "spec": {"id": spec.id, "version": spec.version, "sha256": spec.content_sha256},
        "generator": {"hegui": __version__, "hypothesis": hypothesis.__version__},
        "seed": config.seed,
        "count": config.count,
        "message_types": list(config.message_types),
        "encodings": list(config.encodings),
        "invalid": config.invalid,
        "per_rule": config.per_rule,
        "structural": config.structural,
        # Findings every file also gets when validated (beside its own rule_ids).
        "notes": ([{"rule_id": "specVersion@deprecated", "severity": "warning"}]
                  if spec.status == "deprecated" else []),
        "contexts": {name: c.default for name, c in spec.contexts.items()},
        "summary": {
            "files": len(files),
            "conformant": sum(1 for f in files if not f.rule_ids),
            "invalid": sum(1 for f in files if f.rule_ids),
            "rules": len({f.rule_ids[0] for f in files if f.rule_ids}),
        },
        "skipped": [{"rule_id": s.rule_id, "message_types": list(s.message_types),
                     "reason": s.reason} for s in skipped],
        "files": [asdict(f) | {"rule_ids": list(f.rule_ids)} for f in files],
    }


def _clear(out: Path) -> None:
    """Remove the files of an earlier pack in ``out`` (only those its manifest lists)."""
    old = out / MANIFEST
    if not out.exists():
        return
    if not old.is_file():
        if any(out.iterdir()):
            raise UsageError(f"--out {out} is not empty and holds no {MANIFEST} of a pack")
        return
    try:
        listed = [f["path"] for f in json.loads(old.read_text(encoding="utf-8"))["files"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{old}: not a test-pack manifest ({exc})") from None
    for rel in listed:
        target = (out / rel).resolve()
        if out.resolve() in target.parents and target.is_file():
            target.unlink()
    old.unlink()
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def write_pack(config: PackConfig, out: Path, platform: Platform | None = None,
               sealing: Sealing | None = None) -> dict[str, Any]:
    """Generate the pack of ``config`` into folder ``out``; return its manifest. With
    ``platform``, the files are that platform's native messages (generators.native_pack),
    sealed envelopes with ``sealing``."""
    files, skipped = build_pack(config)
    _clear(out)
    written: list[tuple[PackFile, bytes]] = files
    if platform is not None:
        from hegui.generators.native_pack import native_files, native_manifest

        kept, not_native = native_files(config, platform, files, sealing)
        written = [(f, data) for f, data, _ in kept]
        doc = native_manifest(manifest(config, [f for f, _ in files], skipped), platform,
                              kept, not_native, skipped, sealing)
    else:
        doc = manifest(config, [f for f, _ in files], skipped)
    for pack_file, data in written:
        target = out / pack_file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    (out / MANIFEST).write_bytes(text.encode("utf-8"))
    return doc
