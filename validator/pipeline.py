"""The pipeline's parts: one work object, the stage protocol, and the loop that runs stages.

Each stage is a small object with a ``name``, a ``skip_reason(work)`` (None: run it) and a
``run(work)``; the loop records for every stage whether it ran or was skipped and why, so a
result can say what was not checked (the model is the KoSIT validator's check actions). A
stage that finds the payload cannot be evaluated further calls :meth:`Work.stop`; the stages
after it are skipped. An exception escaping a stage stops the payload with a processing error
that names the stage; it never escapes the pipeline, so one payload cannot break a batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from lxml import etree

from hegui.validator.codec import XmlTrace
from hegui.validator.identify import Encoding
from hegui.validator.limits import DEFAULT_LIMITS, Limits
from hegui.validator.record import Record
from hegui.validator.result import Finding, Location, Unchecked
from hegui.validator.result import Stage as FindingStage
from hegui.validator.runtime import Runtime
from hegui.validator.spec import MessageType, Severity, Text
from hegui.validator.xml_trace import trace_pointers

if TYPE_CHECKING:
    from hegui.validator.keys import Keys
    from hegui.validator.mapping import Mapped
    from hegui.validator.platform_model import Platform


@dataclass(frozen=True)
class Options:
    """Options that change verdicts (recorded in every report's provenance)."""

    message_type: str | None = None
    encoding: Encoding | None = None
    fail_on: Severity = "error"
    limits: Limits = DEFAULT_LIMITS
    #: Say when the payload names a deprecated spec version (``specVersion@deprecated``).
    #: The runner, which picks the version, asks for it; a Validator built for one spec
    #: version judges the content alone.
    version_notes: bool = False
    #: The native message of a platform profile's payload (``--native-message``); None:
    #: recognised from the body.
    native_message: str | None = None
    #: Of a batch message (a platform profile's ``each``): the item to map (internal: the
    #: Validator judges every item).
    native_item: int = 0


@dataclass(frozen=True)
class StageRun:
    """Whether one stage ran for a payload, or why it was skipped."""

    stage: str
    status: Literal["ran", "stopped", "skipped"]  # stopped: ran and ended the evaluation
    reason: Text | None = None


@dataclass
class Work:
    """Everything the stages know about one payload, filled in as they run."""

    runtime: Runtime
    source: str
    data: bytes
    options: Options
    contexts: Mapping[str, Any] = field(default_factory=dict)
    encoding: Encoding | None = None
    doc: dict[str, Any] | None = None  # the canonical (JSON) document
    root: etree._Element | None = None  # the XML source, for XML payloads
    mt: MessageType | None = None
    findings: list[Finding] = field(default_factory=list)
    invalid: frozenset[str] = frozenset()  # pointers the schema rejected
    record: Record | None = None
    evaluated: tuple[str, ...] = ()
    failures: list[Text] = field(default_factory=list)  # rules that could not be evaluated
    unchecked: list[Unchecked] = field(default_factory=list)  # rules left unchecked, and why
    stopped: str | None = None  # why evaluation could not go on (English, for stage reasons)
    stopped_text: Text | None = None  # the same, in both languages (the result's ``error``)
    runs: list[StageRun] = field(default_factory=list)
    #: Findings left out by the limits: rule id -> (count, stage).
    suppressed: dict[str, tuple[int, FindingStage]] = field(default_factory=dict)
    truncated: bool = False  # the schema check stopped at Limits.max_schema_errors
    #: The platform profile native payloads are mapped with, and the mapping's result.
    platform: Platform | None = None
    mapped: Mapped | None = None
    #: Key material for sealed envelopes (never printed), the time of validation (the
    #: timestamp window).
    keys: Keys | None = None
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    #: The pointers (as sent) of the members the envelope stage decrypted.
    decrypted: tuple[str, ...] = ()
    #: A sealed envelope's request id (pointer, value): unique within a run (runner).
    request_id: tuple[str, str] | None = None
    native_upto: int = 0  # findings before this index are located in the native document
    _counts: dict[str, int] = field(default_factory=dict)

    def add(self, rule_id: str, severity: Severity, message: Text, stage: FindingStage,
            pointer: str, *, value: Any = None, basis: str | None = None,
            related: tuple[Location, ...] = ()) -> None:
        """Record a finding at a JSON Pointer of the canonical document (or count it as
        suppressed beyond the findings limits)."""
        n = self._counts[rule_id] = self._counts.get(rule_id, 0) + 1
        limits = self.options.limits
        if n > limits.max_findings_per_rule or len(self.findings) >= limits.max_findings:
            count, _ = self.suppressed.get(rule_id, (0, stage))
            self.suppressed[rule_id] = (count + 1, stage)
            return
        self.findings.append(Finding(rule_id, severity, message, stage, Location(pointer=pointer),
                                     basis, None if value is None else shorten(str(value)),
                                     related))

    def stop(self, rule_id: str, text: Text, location: Location | None = None,
             reason: str | None = None) -> None:
        """The payload cannot be evaluated further: an error finding, and no more stages."""
        self.findings.append(Finding(rule_id, "error", text, "parse", location or Location()))
        self.stopped = reason or text.en
        self.stopped_text = text

    def suppression_notes(self) -> list[Finding]:
        """One note per rule whose findings went over the limits: how many were left out."""
        limits = self.options.limits
        return [Finding("payload@suppressed", "info", Text(
            f"规则 {rule_id} 另有 {count} 条发现未列出（每条规则最多 {limits.max_findings_per_rule}"
            f" 条，每个载荷最多 {limits.max_findings} 条）",
            f"{count} more findings of {rule_id} not listed (limits: "
            f"{limits.max_findings_per_rule} per rule, {limits.max_findings} per payload)"),
            stage, Location(pointer=""), value=str(count))
            for rule_id, (count, stage) in sorted(self.suppressed.items())]

    def xml_trace(self, pointers: Iterable[str]) -> XmlTrace | None:
        """Where ``pointers`` (and their ancestors) sit in the XML source; None for JSON."""
        if self.root is None or self.mt is None:
            return None
        return trace_pointers(self.root, self.runtime.spec, self.mt, pointers)


#: Values longer than this are shortened in findings (a 2 MB base64 field is not repeated).
MAX_VALUE_CHARS = 200


def shorten(value: str) -> str:
    """``value``, or its head, its length and its SHA-256 when it is over MAX_VALUE_CHARS."""
    if len(value) <= MAX_VALUE_CHARS:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{value[:MAX_VALUE_CHARS - 80]}…[{len(value)}] sha256={digest}"


class Stage(Protocol):
    """One step of the pipeline over a :class:`Work`."""

    name: str

    def skip_reason(self, work: Work) -> Text | None:
        """Why this stage does not run for ``work``, or None to run it."""

    def run(self, work: Work) -> None:
        """Do the stage's job, recording findings (or :meth:`Work.stop`) on ``work``."""


def run_stages(stages: Sequence[Stage], work: Work) -> None:
    """Run ``stages`` in order over ``work``, recording what ran and what was skipped."""
    for stage in stages:
        reason = (_not_reached(work.stopped_text) if work.stopped_text is not None
                  else stage.skip_reason(work))
        if reason is not None:
            work.runs.append(_stage_run(stage.name, "skipped", reason))
            continue
        before = work.stopped
        try:
            stage.run(work)
        except RecursionError:
            work.stop("payload@limit", Text("嵌套过深", "nesting too deep"))
        except Exception as exc:  # a bug or an unforeseen input: this payload's error only
            detail = f"{type(exc).__name__}: {exc}"[:300]
            work.stop("payload@internal", Text(
                f"阶段 {stage.name} 内部错误，未完成检查：{detail}",
                f"internal error in stage {stage.name}, evaluation did not finish: {detail}"))
        stopped = work.stopped is not None and before is None
        work.runs.append(_stage_run(stage.name, "stopped" if stopped else "ran",
                                    work.stopped_text if stopped else None))


#: Stage runs made so far (immutable, so shared): most payloads' runs are the same few, and a
#: shared one is pickled once per chunk of results a worker sends back, not once per payload.
_RUNS: dict[tuple[str, str, Text | None], StageRun] = {}


def _stage_run(stage: str, status: Literal["ran", "stopped", "skipped"],
               reason: Text | None) -> StageRun:
    key = (stage, status, reason)
    found = _RUNS.get(key)
    if found is None:
        found = StageRun(stage, status, reason)
        if len(_RUNS) < 256:  # reasons that quote a payload are not kept
            _RUNS[key] = found
    return found


def _not_reached(why: Text) -> Text:
    return Text(f"未执行：{why.zh}", f"not reached: {why.en}")
