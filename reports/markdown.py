"""Markdown report (for pull-request comments, wikis, job summaries): provenance, verdict
summary, rule coverage, per-rule table and findings per payload.

Payload text is escaped so it cannot open HTML tags, break table cells or start Markdown syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from hegui.reports.catalogue import rule_catalogue, rule_stats
from hegui.reports.chunks import joined
from hegui.reports.coverage import coverage
from hegui.reports.labels import label, severity_label, verdict_label
from hegui.reports.provenance import option_items, provenance
from hegui.validator.result import Batch, Finding
from hegui.validator.spec import Lang, Spec

# Content never starts a line here (it follows a label, "### " or a cell border), so only the
# inline constructs need escaping: emphasis, code, links, strike-through and table pipes.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_escape(text: str) -> str:
    """Escape ``text`` for a Markdown table cell or line: HTML, emphasis, pipes, newlines."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return _SPECIAL.sub(r"\\\1", text)


def md_code(text: str) -> str:
    """``text`` as inline code, safe inside a table cell."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                    sources: Mapping[str, bytes] | None = None) -> str:
    """Render ``batch`` as Markdown (``sources`` is not used by this format)."""
    return "".join(iter_markdown(batch, specs, lang=lang))


def iter_markdown(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                  sources: Mapping[str, bytes] | None = None) -> Iterator[str]:
    """:func:`render_markdown`'s text, line by line (a run of any length at flat memory)."""
    return joined(_lines(batch, specs, lang))


def _lines(batch: Batch, specs: Mapping[str, Spec], lang: Lang) -> Iterator[str]:
    def t(key: str, **kw: object) -> str:
        return label(key, lang, **kw)

    prov = provenance(batch, specs)
    yield from [f"# {t('report_title')}", ""]
    for s in prov.specs:
        yield from [f"**{md_escape(s.title_text(lang))}**", "",
                f"- {t('spec')}: {md_code(s.id)}",
                f"- {t('standard_number')}: {md_escape(s.standard_number or t('unknown'))}",
                f"- {t('version')}: {md_escape(s.version)}",
                f"- {t('content_sha256')}: {md_code(s.sha256)}"]
        if s.platform is not None:
            yield (f"- {t('platform')}: {md_code(s.platform_text())}")
        if s.changed:
            yield (f"- {md_escape(t('spec_changed', sha=s.loaded_sha256))}")
    if not prov.specs:
        yield (f"- {t('spec')}: {t('unknown')}")
    opts = "; ".join(f"{k}={v}" for k, v in option_items(prov.options)) or t("none")
    yield from [f"- {t('tool')}: {prov.tool_name} {md_escape(prov.tool_version)}",
            f"- {t('started_at')}: {md_escape(prov.started_at)}",
            f"- {t('options')}: {md_code(opts)}", ""]

    summary = batch.summary()
    yield from [f"## {t('summary')}", "", _row([t("verdict"), t("count")]), "|---|---:|"]
    yield from [_row([t(v), str(summary[v])]) for v in ("conformant", "nonconformant", "error")]
    yield from [_row([f"**{t('total')}**", f"**{summary['total']}**"]), ""]

    for sid, cov in coverage(batch, specs).items():
        yield from [f"## {t('coverage')}: {md_code(sid)}", "", md_escape(cov.sentence(lang)), ""]

    catalogue = rule_catalogue(batch, specs)
    stats = rule_stats(batch.results)
    yield from [f"## {t('rules')}", "",
            _row([t("rule"), t("severity"), t("title"), t("basis"), t("failed")]),
            "|---|---|---|---|---:|"]
    for info in catalogue.values():
        st = stats.get(info.id)
        yield (_row([md_code(info.id), severity_label(info.severity, lang),
                         md_escape(info.title.get(lang)), md_escape(info.basis_text(lang) or "—"),
                         str(st.failed if st else 0)]))
    yield ""

    yield from [f"## {t('findings')}", ""]
    for r in batch.results:
        yield (f"### {md_escape(r.source)} — {verdict_label(r.verdict, lang)}")
        yield from ["", f"SHA-256: {md_code(r.input_sha256)}"]
        if r.error:
            yield from ["", f"{t('reason')}: {md_escape(r.reason(lang))}"]
        if r.rules_unchecked:
            yield from ["", f"{t('unchecked')}:", ""]
            yield from [f"- {md_code(u.rule_id)}: {md_escape(u.reason.get(lang))}"
                    for u in r.rules_unchecked]
        yield ""
        if not r.findings:
            yield from [t("no_findings"), ""]
            continue
        yield from [_row([t("rule"), t("severity"), t("message"), t("location"), t("line_col")]),
                "|---|---|---|---|---|"]
        for f in sorted(r.findings, key=Finding.sort_key):
            where = f.location.pointer or f.location.xpath
            line_col = "" if f.location.line is None else (
                f"{f.location.line}:{f.location.column}" if f.location.column is not None
                else str(f.location.line))
            yield (_row([md_code(f.rule_id), severity_label(f.severity, lang),
                             md_escape(f.message.get(lang)), md_code(where) if where else "—",
                             line_col]))
        yield ""
