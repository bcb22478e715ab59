"""The rules a report talks about, and how each one fared across the payloads of a batch.

A report names two kinds of rule id: the business rules of a spec's catalogue (``EG-001``) and
the structural ids of schema and datatype checks (``guarantee.amount@pattern``), which have no
catalogue entry and are described from the dictionary and the facet instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hegui.reports.labels import facet_text
from hegui.validator.result import Batch, Finding, Result, SpecRef
from hegui.validator.spec import Basis, Severity, Spec, Text


@dataclass(frozen=True)
class RuleInfo:
    """What a report shows about one rule id: severity, title, basis, and where it comes from."""

    id: str
    severity: Severity
    title: Text
    basis: Basis | None
    structural: bool
    spec_id: str | None = None
    message: Text | None = None  # the catalogue's message template, for business rules

    def basis_text(self, lang: str) -> str | None:
        """The basis rendered for ``lang``, or None when there is none."""
        if self.basis is None:
            return None
        return self.basis.render("zh" if lang == "zh" else "en")


#: Sources of payloads that failed a rule, kept by name per rule (the rest are counted).
FAILED_NAMED = 500


@dataclass
class RuleStats:
    """How one rule fared in a batch: how many payloads failed it and reached it, with the
    first :data:`FAILED_NAMED` that failed it by name (counts do not grow with the run).

    A payload that failed a rule reached it, even when the engine did not list the rule in
    ``rules_evaluated``. Each input counts once (a file named twice is two inputs).
    """

    failed: int = 0
    reached: int = 0
    findings: int = 0
    failed_first: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        """Payloads that reached the rule and did not fail it."""
        return self.reached - self.failed


def is_structural(rule_id: str) -> bool:
    """Structural ids are ``<path>@<facet>``; business rule ids have no ``@``."""
    return "@" in rule_id


def spec_for_ref(specs: Mapping[str, Spec], ref: SpecRef | None) -> Spec | None:
    """The loaded spec a result's ``ref`` names: the same id, version and profile layer
    (however ``specs`` is keyed), else None."""
    if ref is None:
        return None
    found = specs.get(ref.name)
    if found is not None:
        return found
    return next((s for s in specs.values() if s.name == ref.name), None)


def used_specs(batch: Batch, specs: Mapping[str, Spec]) -> list[Spec]:
    """The loaded specs that results of ``batch`` were judged against, in first-use order."""
    out: dict[str, Spec] = {}
    for r in batch.results:
        spec = spec_for_ref(specs, r.spec)
        if spec is not None and spec.name not in out:
            out[spec.name] = spec
    return list(out.values())


def _structural_title(rule_id: str, spec: Spec | None) -> Text:
    path, _, facet = rule_id.partition("@")
    what = facet_text(facet)
    name = Text(zh=path, en=path)
    if spec is not None:
        for mt in spec.message_types.values():
            f = mt.fields.get(path)
            if f is not None:
                label = f.element.label
                name = Text(zh=f"{label.zh}（{path}）", en=f"{label.en} ({path})")
                break
    return Text(zh=f"{name.zh}：{what.zh}", en=f"{name.en}: {what.en}")


def rule_catalogue(batch: Batch, specs: Mapping[str, Spec]) -> dict[str, RuleInfo]:
    """Every rule a report about ``batch`` names: the catalogues of the specs used, in order,
    then the other rule ids that occur in findings (structural ids sorted)."""
    out: dict[str, RuleInfo] = {}
    for spec in used_specs(batch, specs):
        for rule in spec.rules:
            out.setdefault(rule.id, RuleInfo(
                id=rule.id, severity=rule.severity, title=rule.title, basis=rule.basis,
                structural=False, spec_id=spec.name, message=rule.message))
    extra: dict[str, tuple[Finding, Result]] = {}
    for r in batch.results:
        for f in r.findings:
            if f.rule_id not in out:
                extra.setdefault(f.rule_id, (f, r))
    for rule_id in sorted(extra):
        f, r = extra[rule_id]
        judged_by = spec_for_ref(specs, r.spec)
        structural = is_structural(rule_id)
        title = _structural_title(rule_id, judged_by) if structural else Text(rule_id, rule_id)
        out[rule_id] = RuleInfo(
            id=rule_id, severity=f.severity, title=title,
            basis=Basis(f.basis) if f.basis else None, structural=structural,
            spec_id=r.spec.name if r.spec is not None else None)
    return out


def rule_stats(results: Iterable[Result]) -> dict[str, RuleStats]:
    """Per rule id: how many payloads failed it (had a finding) and reached it."""
    out: dict[str, RuleStats] = {}
    for r in results:
        failed: dict[str, int] = {}
        for f in r.findings:
            failed[f.rule_id] = failed.get(f.rule_id, 0) + 1
        for rule_id in dict.fromkeys([*r.rules_evaluated, *failed]):
            stats = out.get(rule_id)
            if stats is None:
                stats = out[rule_id] = RuleStats()
            stats.reached += 1
            n = failed.get(rule_id)
            if n:
                stats.failed += 1
                stats.findings += n
                if len(stats.failed_first) < FAILED_NAMED:
                    stats.failed_first.append(r.source)
    return out
