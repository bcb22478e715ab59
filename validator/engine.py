"""Validate one payload: run the stages of :mod:`hegui.validator.stages` and decide a verdict.

``Validator`` is built once per spec (its :class:`~hegui.validator.runtime.Runtime` holds the
compiled schemas and rules) and turns bytes into a :class:`Result`. It never raises on bad
input: unparseable or unidentifiable payloads get verdict ``error`` with a finding that says
why, and so does a payload whose evaluation did not finish for any other reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
from collections.abc import Mapping, Sequence
from typing import Any

from hegui.validator.catalogue import runtime_for
from hegui.validator.keys import Keys
from hegui.validator.pipeline import Options, Stage, StageRun, Work, run_stages
from hegui.validator.platform_model import Platform
from hegui.validator.result import Finding, Result, SpecRef
from hegui.validator.runtime import Runtime
from hegui.validator.spec import Severity, Spec, Text
from hegui.validator.stages import STAGES
from hegui.validator.verdicts import verdict_of

__all__ = ["Options", "StageRun", "Validator"]

_DEFAULT = Options()


class Validator:
    """Validates payloads against one spec. Reuse it: schemas and rules compile once."""

    def __init__(self, spec: Spec | Runtime, contexts: Mapping[str, Any] | None = None,
                 stages: Sequence[Stage] = STAGES, platform: Platform | None = None,
                 keys: Keys | None = None, now: dt.datetime | None = None):
        self.runtime = spec if isinstance(spec, Runtime) else runtime_for(spec)
        self.spec = self.runtime.spec
        #: The platform profile payloads are native messages of (None: canonical payloads).
        self.platform = platform
        #: Key material for sealed envelopes, and a fixed time of validation (tests).
        self.keys = keys
        self.now = now
        self.ref = SpecRef(self.spec.id, self.spec.version, self.spec.content_sha256,
                           self.spec.profile, platform.id if platform else None,
                           platform.sha256 if platform else None)
        #: Typed values of context documents, bound as CEL variables by name.
        self.contexts = dict(contexts or {})
        self.stages = tuple(stages)

    def validate(self, data: bytes, source: str = "-", options: Options = _DEFAULT) -> Result:
        """Validate one payload's bytes; never raises for bad input."""
        started = time.perf_counter()
        work = self._work(source, data, options)
        run_stages(self.stages, work)
        result = self.result(work)
        batch = work.mapped.batch if work.mapped is not None and work.stopped is None else 1
        if batch > 1:  # a batch message: every item is one message, judged as one payload
            items = [result]
            for i in range(1, batch):
                more = self._work(source, data, dataclasses.replace(options, native_item=i))
                run_stages(self.stages, more)
                items.append(self.result(more))
            result = merged(items, options.fail_on)
        elapsed = round((time.perf_counter() - started) * 1000, 3)
        native = (work.mapped.message.name if work.mapped is not None
                  and work.mapped.message is not None else None)
        return dataclasses.replace(result, elapsed_ms=elapsed, native_message=native,
                                   request_id=work.request_id)

    def _work(self, source: str, data: bytes, options: Options) -> Work:
        work = Work(self.runtime, source, data, options, self.contexts,
                    platform=self.platform, keys=self.keys)
        if self.now is not None:
            work.now = self.now
        return work

    def result(self, work: Work) -> Result:
        """The Result of a work object the stages have run over."""
        sha = hashlib.sha256(work.data).hexdigest()
        mt = work.mt.id if work.mt else None
        runs, unchecked = tuple(work.runs), tuple(work.unchecked)
        if work.stopped is not None:  # findings as recorded: the stopping one last
            return Result(work.source, "error", self.ref, mt, work.encoding, sha,
                          tuple(self._mapping_layer(f) for f in work.findings),
                          error=work.stopped_text, stages=runs)
        findings = tuple(sorted(work.findings + work.suppression_notes(), key=Finding.sort_key))
        if work.decrypted:
            findings = tuple(_in_decrypted(f, work.decrypted) for f in findings)
        if self.spec.layers:
            findings = tuple(self._layered(f, mt) for f in findings)
        if self.platform is not None:
            findings = tuple(self._mapping_layer(f) for f in findings)
        if work.failures:
            return Result(work.source, "error", self.ref, mt, work.encoding, sha, findings,
                          work.evaluated, error=_joined(work.failures), stages=runs,
                          rules_unchecked=unchecked)
        verdict = verdict_of((f.severity for f in findings), work.options.fail_on)
        return Result(work.source, verdict, self.ref, mt, work.encoding, sha, findings,
                      work.evaluated, stages=runs, rules_unchecked=unchecked)


    def _mapping_layer(self, f: Finding) -> Finding:
        """``f`` with the platform profile as its layer when the mapping found it."""
        if self.platform is None or f.stage not in ("map", "envelope"):
            return f
        return dataclasses.replace(f, layer=self.platform.id)

    def _layered(self, f: Finding, mt: str | None) -> Finding:
        """``f`` with the layer that introduced its rule id (structural ids per type)."""
        layers = self.spec.layers
        layer = layers.get(f"{mt}:{f.rule_id}") or layers.get(f.rule_id)
        return f if layer is None else dataclasses.replace(f, layer=layer)


def _in_decrypted(f: Finding, members: tuple[str, ...]) -> Finding:
    """``f`` with its location marked as inside a decrypted member (no line and column: the
    bytes as sent hold ciphertext there)."""
    ptr = f.location.pointer
    if ptr is None or f.stage == "envelope":
        return f
    for m in members:
        if ptr == m or ptr.startswith(m + "/"):
            loc = dataclasses.replace(f.location, line=None, column=None, decrypted=m)
            return dataclasses.replace(f, location=loc)
    return f


def merged(items: Sequence[Result], fail_on: Severity) -> Result:
    """One Result for the items of a batch message (each validated as a message): their
    findings (each once), rules and unchecked rules together; an error if any item's
    evaluation did not finish."""
    first = items[0]
    seen: set[tuple[str, str | None, str]] = set()
    findings = []
    for f in sorted((f for r in items for f in r.findings), key=Finding.sort_key):
        key = (f.rule_id, f.location.pointer, f.message.en)
        if key not in seen:
            seen.add(key)
            findings.append(f)
    failed = [r for r in items if r.verdict == "error"]
    verdict = "error" if failed else verdict_of((f.severity for f in findings), fail_on)
    unchecked = {(u.rule_id, u.reason.en): u for r in items for u in r.rules_unchecked}
    return dataclasses.replace(
        first, verdict=verdict, findings=tuple(findings),
        rules_evaluated=tuple(dict.fromkeys(x for r in items for x in r.rules_evaluated)),
        rules_unchecked=tuple(unchecked.values()),
        error=failed[0].error if failed else None)


def _joined(texts: Sequence[Text]) -> Text:
    """Several reasons as one, in both languages."""
    return Text("；".join(t.zh for t in texts), "; ".join(t.en for t in texts))
