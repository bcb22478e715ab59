"""One Finding type and one Result type for every stage (parse, schema, datatypes, rules)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from hegui.validator.spec import Lang, Severity, Text
from hegui.validator.verdicts import SEVERITY_ORDER, Verdict, verdict_of

if TYPE_CHECKING:
    from hegui.validator.pipeline import StageRun

__all__ = ["SEVERITY_ORDER", "Batch", "Finding", "Location", "Result", "SpecRef", "Stage",
           "Unchecked", "Verdict", "decide_verdict"]

Stage = Literal["parse", "envelope", "map", "schema", "datatype", "rule", "context"]


@dataclass(frozen=True)
class Location:
    """Where a finding is: JSON Pointer (JSON) or XPath (XML), and line/column when known."""

    pointer: str | None = None
    xpath: str | None = None
    line: int | None = None
    column: int | None = None
    #: The sealed envelope member (``/data``) whose DECRYPTED content the location is in.
    decrypted: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-contract form: only the keys that have values, plus line and column."""
        out: dict[str, Any] = {}
        if self.pointer is not None:
            out["pointer"] = self.pointer
        if self.xpath is not None:
            out["xpath"] = self.xpath
        out["line"] = self.line
        out["column"] = self.column
        if self.decrypted is not None:
            out["decrypted"] = self.decrypted
        return out


@dataclass(frozen=True)
class Finding:
    """One problem (or note) about a payload.

    ``rule_id`` is stable: a business rule id (``EG-001``) or a structural id
    (``guarantee.amount@pattern``, see docs/spec-format.md). ``basis`` is the clause or article,
    or None for purely structural findings of our own schemas.
    """

    rule_id: str
    severity: Severity
    message: Text
    stage: Stage
    location: Location = field(default_factory=Location)
    basis: str | None = None
    value: str | None = None
    related: tuple[Location, ...] = ()
    #: The layer the finding comes from: ``core``, or the profile layer that introduced it.
    layer: str = "core"

    def sort_key(self) -> tuple[int, int, int, str]:
        """Order by position in the source, then severity, then rule id."""
        loc = self.location
        return (loc.line or 0, loc.column or 0, SEVERITY_ORDER[self.severity], self.rule_id)

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """JSON-contract form (docs/result-format.md) with the message in ``lang``."""
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "stage": self.stage,
            "message": self.message.get(lang),
            "message_zh": self.message.zh,
            "message_en": self.message.en,
            "basis": self.basis,
            "location": self.location.to_dict(),
            "value": self.value,
            "related": [loc.to_dict() for loc in self.related],
            "layer": self.layer,
        }


@dataclass(frozen=True)
class Unchecked:
    """A business rule that applies to a payload but could not be checked, and why."""

    rule_id: str
    reason: Text
    paths: tuple[str, ...] = ()  # the values it reads that failed the schema or datatype checks

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """JSON-contract form (docs/result-format.md) with the reason in ``lang``."""
        return {"rule_id": self.rule_id, "reason": self.reason.get(lang),
                "reason_zh": self.reason.zh, "reason_en": self.reason.en,
                "paths": list(self.paths)}


@dataclass(frozen=True)
class SpecRef:
    """Which spec a result was judged against."""

    id: str
    version: str
    sha256: str
    profile: str | None = None  # the profile layer applied, if any
    #: The platform profile native payloads were mapped with, and its content hash.
    platform: str | None = None
    platform_sha256: str | None = None

    @property
    def name(self) -> str:
        """``<id>@<version>``, with ``+<profile>`` when a profile layer was applied (as
        :attr:`hegui.validator.spec.Spec.name`)."""
        return f"{self.id}@{self.version}" + (f"+{self.profile}" if self.profile else "")


@dataclass(frozen=True)
class Result:
    """The outcome for one payload: verdict, findings in source order, and provenance.

    ``rules_evaluated`` lists the business rules that applied to this payload (reached and
    evaluated), so reports can tell which rules a test pack exercised.
    """

    source: str
    verdict: Verdict
    spec: SpecRef | None
    message_type: str | None
    encoding: Literal["json", "xml"] | None
    input_sha256: str
    findings: tuple[Finding, ...]
    rules_evaluated: tuple[str, ...] = ()
    error: Text | None = None  # why evaluation could not finish (verdict "error")
    #: What each pipeline stage did for this payload (ran, stopped it, or skipped and why).
    stages: tuple[StageRun, ...] = ()
    #: Business rules that apply but could not be checked (a value they read is invalid).
    rules_unchecked: tuple[Unchecked, ...] = ()
    #: Wall time the evaluation took, in milliseconds (None: not evaluated, e.g. unreadable).
    elapsed_ms: float | None = None
    #: The platform's native message the payload was read as (with a platform profile).
    native_message: str | None = None
    #: A sealed envelope's request id (pointer, value), for the run's uniqueness check; not
    #: part of the JSON contract.
    request_id: tuple[str, str] | None = None

    def reason(self, lang: Lang) -> str:
        """Why evaluation did not finish, in ``lang`` (a generic reason when none was kept)."""
        if self.error is not None:
            return self.error.get(lang)
        return "未完成检查" if lang == "zh" else "evaluation did not finish"

    @property
    def rule_ids(self) -> frozenset[str]:
        """Set of rule ids among the findings."""
        return frozenset(f.rule_id for f in self.findings)

    def to_dict(self, lang: Lang = "zh") -> dict[str, Any]:
        """This result in the form of one entry of the JSON result (docs/result-format.md)."""
        return {
            "source": self.source,
            "verdict": self.verdict,
            "spec": None if self.spec is None else {
                "id": self.spec.id, "version": self.spec.version, "sha256": self.spec.sha256,
                "profile": self.spec.profile, "platform": self.spec.platform,
                "platform_sha256": self.spec.platform_sha256},
            "native_message": self.native_message,
            "message_type": self.message_type,
            "encoding": self.encoding,
            "input_sha256": self.input_sha256,
            "error": None if self.error is None else self.error.get(lang),
            "error_zh": None if self.error is None else self.error.zh,
            "error_en": None if self.error is None else self.error.en,
            "rules_evaluated": list(self.rules_evaluated),
            "findings": [f.to_dict(lang) for f in self.findings],
            "rules_unchecked": [u.to_dict(lang) for u in self.rules_unchecked],
            "stages": [{"stage": s.stage, "status": s.status,
                        "reason": None if s.reason is None else s.reason.get(lang),
                        "reason_zh": None if s.reason is None else s.reason.zh,
                        "reason_en": None if s.reason is None else s.reason.en}
                       for s in self.stages],
            "elapsed_ms": self.elapsed_ms,
        }

    def to_json(self, lang: Lang = "zh") -> str:
        """:meth:`to_dict` as JSON text (UTF-8, not ASCII-escaped, 2-space indent)."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=2)

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out


def decide_verdict(findings: Sequence[Finding], fail_on: Severity = "error") -> Verdict:
    """``nonconformant`` when a finding is at least as severe as ``fail_on``."""
    return verdict_of((f.severity for f in findings), fail_on)


@dataclass(frozen=True)
class Batch:
    """Results of one run over many inputs, with the options that change verdicts."""

    #: A tuple, or for a long run a :class:`~hegui.validator.spool.ResultSpool` (on disk).
    results: Sequence[Result]
    tool_version: str
    started_at: str  # ISO 8601, injectable for golden tests
    options: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """How many inputs got each verdict, and the total."""
        counted = getattr(self.results, "counts", None)  # a spool counts as it is filled
        if isinstance(counted, dict):
            return dict(counted)
        out = {"total": len(self.results), "conformant": 0, "nonconformant": 0, "error": 0}
        for r in self.results:
            out[r.verdict] += 1
        return out

    def exit_code(self) -> int:
        """0 all conformant, 1 any nonconformant, 2 any input that could not be evaluated."""
        s = self.summary()
        if s["error"]:
            return 2
        return 1 if s["nonconformant"] else 0
