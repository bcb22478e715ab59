"""Checks across the payloads of one run, applied to results in input order as they come (so
they hold for parallel and streaming runs alike): a sealed envelope's request id must not repeat
within the run (``envelope.requestId@duplicate``)."""

from __future__ import annotations

import dataclasses

from hegui.validator.result import Finding, Location, Result
from hegui.validator.spec import Severity, Text
from hegui.validator.verdicts import verdict_of


class RequestIds:
    """The request ids seen so far in a run, each with the input it first came in."""

    def __init__(self, fail_on: Severity = "error", layer: str | None = None) -> None:
        self.seen: dict[str, str] = {}
        self.fail_on: Severity = fail_on
        self.layer = layer

    def check(self, result: Result) -> Result:
        """``result``, with a finding when its request id came before in this run."""
        if result.request_id is None:
            return result
        pointer, rid = result.request_id
        first = self.seen.setdefault(rid, result.source)
        if first == result.source:
            return result
        name = pointer.rsplit("/", 1)[-1]
        finding = Finding("envelope.requestId@duplicate", "error", Text(
            f"请求标识 {name} 与本批次的 {first} 重复（重放？）",
            f"the request id {name} repeats the one of {first} in this run (a replay?)"),
            "envelope", Location(pointer=pointer), layer=self.layer or "core")
        findings = tuple(sorted((*result.findings, finding), key=Finding.sort_key))
        verdict = result.verdict if result.verdict == "error" else verdict_of(
            (f.severity for f in findings), self.fail_on)
        return dataclasses.replace(result, findings=findings, verdict=verdict)
