"""Rule coverage: which business rules of a spec the payloads of a batch exercised.

A rule is *exercised* when some payload fails it and some payload reaches it and passes: the
test pack shows both sides of the rule. The other rules are *failed only* (every payload that
reached it failed it), *passed only* (no payload failed it) or *never reached* (no payload was
evaluated against it, e.g. it applies to a message type the batch does not contain).
Payloads that could not be evaluated (verdict ``error``) do not count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hegui.reports.catalogue import rule_stats, used_specs
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec

CoverageStatus = Literal["exercised", "failed_only", "passed_only", "never_reached"]

#: The statuses in the order reports list them.
STATUSES: tuple[CoverageStatus, ...] = ("exercised", "failed_only", "passed_only", "never_reached")


@dataclass(frozen=True)
class RuleCoverage:
    """Coverage of one spec's rule catalogue by one batch."""

    spec_id: str
    rules: tuple[str, ...]  # catalogue order
    status: Mapping[str, CoverageStatus]  # rule id -> status

    def of(self, status: CoverageStatus) -> tuple[str, ...]:
        """Rule ids with ``status``, in catalogue order."""
        return tuple(r for r in self.rules if self.status[r] == status)

    def counts(self) -> dict[str, int]:
        """How many rules have each status, and the total."""
        out = {"total": len(self.rules)}
        for s in STATUSES:
            out[s] = len(self.of(s))
        return out

    def sentence(self, lang: Lang) -> str:
        """One sentence for humans, e.g. "your payloads exercised 23 of 31 rules; ..."."""
        n, total = len(self.of("exercised")), len(self.rules)
        parts = [
            (f"测试报文覆盖了 {total} 条规则中的 {n} 条（每条既有失败也有通过）" if lang == "zh"
             else f"your payloads exercised {n} of {total} rules (each both failed and passed)"),
        ]
        names: dict[CoverageStatus, tuple[str, str]] = {
            "passed_only": ("从未失败", "never failed"),
            "failed_only": ("从未通过", "never passed"),
            "never_reached": ("从未评估", "never reached"),
        }
        for status, (zh, en) in names.items():
            ids = self.of(status)
            if ids:
                parts.append(f"{zh}：{'、'.join(ids)}" if lang == "zh"
                             else f"{en}: {', '.join(ids)}")
        return ("；".join(parts) + "。") if lang == "zh" else ("; ".join(parts) + ".")

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """JSON-contract form (docs/result-format.md, ``coverage``)."""
        out: dict[str, Any] = {"rules_total": len(self.rules)}
        for s in STATUSES:
            out[s] = list(self.of(s))
        out["sentence"] = self.sentence(lang)
        return out


def spec_coverage(batch: Batch, spec: Spec) -> RuleCoverage:
    """Coverage of ``spec``'s rules by the evaluated payloads of ``batch`` judged against it."""
    results = (r for r in batch.results
               if r.spec is not None and r.spec.name == spec.name and r.verdict != "error")
    stats = rule_stats(results)
    status: dict[str, CoverageStatus] = {}
    for rule in spec.rules:
        st = stats.get(rule.id)
        failed = bool(st and st.failed)
        passed = bool(st and st.passed)
        status[rule.id] = ("exercised" if failed and passed else "failed_only" if failed
                           else "passed_only" if passed else "never_reached")
    return RuleCoverage(spec.name, tuple(r.id for r in spec.rules), status)


def coverage(batch: Batch, specs: Mapping[str, Spec]) -> dict[str, RuleCoverage]:
    """Coverage per spec (``<id>@<version>``, ``+<profile>`` when layered), for every loaded
    spec that ``batch``'s results were judged against."""
    return {spec.name: spec_coverage(batch, spec) for spec in used_specs(batch, specs)}
