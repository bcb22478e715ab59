"""Plain-text report for terminals: one line per finding, then verdicts, then a summary.

Finding lines follow the compiler convention ``source:line:column: severity rule_id message`` so
editors and ``grep`` can jump to them; the JSON Pointer or XPath follows in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from hegui.reports.chunks import joined
from hegui.reports.labels import label, verdict_label
from hegui.reports.provenance import option_items, provenance
from hegui.validator.result import Batch, Finding, Result
from hegui.validator.spec import Lang, Spec

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """``text`` on one line, with control characters (newlines, terminal escapes) shown as
    ``\\n`` / ``\\x1b`` so a payload value cannot break the line or drive the terminal."""
    def esc(m: re.Match[str]) -> str:
        ch = m.group()
        return {"\n": "\\n", "\r": "\\r"}.get(ch, f"\\x{ord(ch):02x}")
    return _CONTROL.sub(esc, text)


def _where(source: str, f: Finding) -> str:
    loc = f.location
    if loc.line is None:
        return f"{source}:"
    if loc.column is None:
        return f"{source}:{loc.line}:"
    return f"{source}:{loc.line}:{loc.column}:"


def finding_line(source: str, f: Finding, lang: Lang) -> str:
    """``source:line:column: severity rule_id message [pointer]`` for one finding."""
    path = f.location.pointer or f.location.xpath
    tail = f" [{path}]" if path else ""
    if f.location.decrypted:
        tail = f" [{path}, {label('decrypted', lang)} {f.location.decrypted}]"
    text = f"{_where(source, f)} {f.severity} {f.rule_id} {f.message.get(lang)}{tail}"
    return one_line(text)


def verdict_line(r: Result, lang: Lang) -> str:
    """``source: verdict (counts) sha256=...``; error verdicts carry their reason."""
    counts = r.counts()
    parts = [f"{n} {label('sev_' + sev, lang)}" for sev, n in counts.items() if n]
    detail = f" ({', '.join(parts)})" if parts else ""
    reason = f" — {r.reason(lang)}" if r.verdict == "error" and r.error else ""
    sha = f" sha256={r.input_sha256}" if r.input_sha256 else ""  # none when nothing was read
    return one_line(f"{r.source}: {verdict_label(r.verdict, lang)}{detail}{reason}{sha}")


def render_text(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                sources: Mapping[str, bytes] | None = None) -> str:
    """Render ``batch`` for a terminal (``sources`` is not used by this format)."""
    return "".join(iter_text(batch, specs, lang=lang))


def iter_text(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
              sources: Mapping[str, bytes] | None = None) -> Iterator[str]:
    """:func:`render_text`'s text, line by line (a run of any length at flat memory)."""
    return joined(_lines(batch, specs, lang), "\n")


def _lines(batch: Batch, specs: Mapping[str, Spec], lang: Lang) -> Iterator[str]:
    found = False
    for r in batch.results:
        for f in sorted(r.findings, key=Finding.sort_key):
            found = True
            yield finding_line(r.source, f, lang)
    if found:
        yield ""
    for r in batch.results:
        yield verdict_line(r, lang)
        for u in r.rules_unchecked:
            yield one_line(f"  {label('unchecked', lang)} {u.rule_id}: {u.reason.get(lang)}")
    yield ""
    yield label("summary_line", lang, **batch.summary())
    prov = provenance(batch, specs)
    for s in prov.specs:
        yield f"{label('spec', lang)}: {s.id} {s.version} sha256={s.sha256}"
        if s.platform is not None:
            yield f"{label('platform', lang)}: {s.platform_text()}"
    opts = ", ".join(f"{k}={v}" for k, v in option_items(prov.options))
    yield (f"{prov.tool_name} {prov.tool_version}; {label('started_at', lang)}: "
           f"{prov.started_at}; {label('options', lang)}: {opts or label('none', lang)}")
