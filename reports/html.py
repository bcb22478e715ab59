"""Self-contained HTML report: one file, inline CSS, no scripts, no network references.

Built for the standards office and for vendors' reviewers: provenance header, verdict summary
(``id="summary"``), rule coverage, per-rule table, findings aggregated by rule, then one section
per payload with its findings and source excerpts. Everything from payloads is escaped
(Jinja2 autoescape); control characters are made visible.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from hegui.reports.catalogue import RuleInfo, rule_catalogue, rule_stats
from hegui.reports.coverage import coverage
from hegui.reports.excerpt import excerpt, source_lines
from hegui.reports.labels import label, severity_label, verdict_label
from hegui.reports.provenance import option_items, provenance
from hegui.validator.result import Batch, Finding, Result
from hegui.validator.spec import Lang, Spec

if TYPE_CHECKING:
    import jinja2

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _template_source(name: str) -> str:
    return resources.files("hegui.reports").joinpath("templates", name).read_text(
        encoding="utf-8")


def _finalize(value: Any) -> Any:
    # Characters XML/HTML cannot carry become U+FFFD before escaping, so the file stays parsable.
    return _CONTROL.sub("\ufffd", value) if isinstance(value, str) else value


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescape on, strict undefined)."""
    import jinja2  # imported here: keeps CLI start-up fast for formats that need no templates

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source), autoescape=True,
        undefined=jinja2.StrictUndefined, finalize=_finalize, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)


def _location_text(f: Finding) -> str:
    return f.location.pointer or f.location.xpath or ""


def _line_col(f: Finding) -> str:
    loc = f.location
    if loc.line is None:
        return ""
    return f"{loc.line}:{loc.column}" if loc.column is not None else str(loc.line)


def _payload(index: int, r: Result, lang: Lang, catalogue: Mapping[str, RuleInfo],
             sources: Mapping[str, bytes] | None) -> dict[str, Any]:
    raw = sources.get(r.source) if sources else None
    lines = source_lines(raw) if raw is not None else None
    findings = []
    for f in sorted(r.findings, key=Finding.sort_key):
        info = catalogue.get(f.rule_id)
        basis = f.basis or (info.basis_text(lang) if info else None)
        findings.append({
            "rule_id": f.rule_id, "anchor": _anchor(f.rule_id), "severity": f.severity,
            "severity_label": severity_label(f.severity, lang), "message": f.message.get(lang),
            "location": _location_text(f), "line_col": _line_col(f), "value": f.value,
            "basis": basis, "stage": f.stage,
            "excerpt": excerpt(lines, f.location.line, f.location.column) if lines else (),
        })
    return {
        "index": index, "anchor": f"payload-{index}", "source": r.source, "verdict": r.verdict,
        "verdict_label": verdict_label(r.verdict, lang), "message_type": r.message_type,
        "encoding": r.encoding, "sha256": r.input_sha256,
        "error": r.reason(lang) if r.error else None,
        "spec": r.spec, "native_message": r.native_message, "counts": r.counts(),
        "findings": findings,
        "unchecked": [(u.rule_id, u.reason.get(lang)) for u in r.rules_unchecked],
    }


def _anchor(rule_id: str) -> str:
    return "rule-" + re.sub(r"[^A-Za-z0-9_.-]", "_", rule_id)


#: Payloads an HTML report details: all of a run up to this many; of a longer run, the first
#: this many that are not conformant (the summary and the rule table count every payload).
DETAILS = 200


def report_context(batch: Batch, specs: Mapping[str, Spec], lang: Lang,
                   sources: Mapping[str, bytes] | None = None) -> dict[str, Any]:
    """The data the HTML template shows (also handy for tests and other templates)."""
    catalogue = rule_catalogue(batch, specs)
    stats = rule_stats(batch.results)
    cov = coverage(batch, specs)
    index_of: dict[str, int] = {}
    payloads: list[dict[str, Any]] = []
    total = len(batch.results)
    every = total <= DETAILS  # a long run: the first DETAILS payloads that are not conformant
    for i, r in enumerate(batch.results, start=1):
        if every or (r.verdict != "conformant" and len(payloads) < DETAILS):
            index_of.setdefault(r.source, i)
            payloads.append(_payload(i, r, lang, catalogue, sources))
    rules = []
    for info in catalogue.values():
        st = stats.get(info.id)
        status = "structural" if info.structural else (
            cov[info.spec_id].status[info.id] if info.spec_id in cov else "")
        rules.append({
            "id": info.id, "anchor": _anchor(info.id), "severity": info.severity,
            "severity_label": severity_label(info.severity, lang), "title": info.title.get(lang),
            "basis": info.basis_text(lang), "failed": st.failed if st else 0,
            "reached": st.reached if st else 0, "status": status,
            "status_label": label("cov_" + status, lang) if status else "",
        })
    order = {rule_id: n for n, rule_id in enumerate(catalogue)}
    failing = sorted((rid for rid, st in stats.items() if st.failed and rid in catalogue),
                     key=lambda rid: (-stats[rid].failed, order[rid]))
    aggregate = [
        {"id": rid, "anchor": _anchor(rid), "title": catalogue[rid].title.get(lang),
         "severity": catalogue[rid].severity, "findings": stats[rid].findings,
         "count": stats[rid].failed,
         "payloads": [(index_of[s], s) for s in stats[rid].failed_first if s in index_of]}
        for rid in failing]
    prov = provenance(batch, specs)
    return {
        "lang": lang, "html_lang": "zh-CN" if lang == "zh" else "en",
        "t": lambda key, **kw: label(key, lang, **kw),
        "prov": prov, "options": option_items(prov.options), "summary": batch.summary(),
        "coverage": [(sid, c, c.counts(), c.sentence(lang)) for sid, c in cov.items()],
        "rules": rules, "aggregate": aggregate, "payloads": payloads,
        "shown_note": None if every else label(
            "payloads_shown", lang, total=total, shown=len(payloads), rest=total - len(payloads)),
    }


def render_html(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                sources: Mapping[str, bytes] | None = None) -> str:
    """Render ``batch`` as one self-contained HTML page (source excerpts when ``sources``)."""
    template = environment().get_template("report.html.j2")
    return template.render(report_context(batch, specs, lang, sources))
