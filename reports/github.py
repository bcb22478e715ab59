"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request.

``::error file=SRC,line=L,col=C,title=RULE::message``; warnings become ``::warning``, info
findings ``::notice``. Data is escaped as GitHub's runner expects (``%``, CR, LF), and property
values additionally escape ``:`` and ``,``. A payload that could not be evaluated is an
``::error`` naming the reason; a final ``::notice`` carries the summary and provenance.

``file=`` is what GitHub wants: a path relative to the repository root. Given a
:class:`~hegui.reports.sources.BaseDir` (``--base-dir``, default the current directory: the
checkout in a workflow), payloads under it are named relative to it and others by their
absolute path; without one, sources are named as the results name them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hegui.reports.chunks import joined
from hegui.reports.labels import label
from hegui.reports.provenance import provenance
from hegui.reports.sources import BaseDir, file_and_line, in_file, shown_path
from hegui.validator.result import Batch, Finding
from hegui.validator.spec import Lang, Spec

#: hegui severity -> workflow command
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=`` ...) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **props: object) -> str:
    """One workflow command line, properties in the given order, ``None`` ones left out."""
    given = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{name}{' ' + given if given else ''}::{escape_data(message)}"


def render_github(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                  sources: Mapping[str, bytes] | None = None,
                  base_dir: BaseDir | None = None) -> str:
    """Render ``batch`` as GitHub Actions annotations, files relative to ``base_dir`` when
    given (``sources`` is not used)."""
    return "".join(iter_github(batch, specs, lang=lang, base_dir=base_dir))


def iter_github(batch: Batch, specs: Mapping[str, Spec], *, lang: Lang,
                sources: Mapping[str, bytes] | None = None,
                base_dir: BaseDir | None = None) -> Iterator[str]:
    """:func:`render_github`'s text, command by command (flat memory)."""
    return joined(_lines(batch, specs, lang, base_dir), "\n")


def _lines(batch: Batch, specs: Mapping[str, Spec], lang: Lang,
           base_dir: BaseDir | None) -> Iterator[str]:
    for r in batch.results:
        path, first = file_and_line(r.source)
        record_line = first if path != r.source else None
        shown = shown_path(path, base_dir)
        for f in sorted(r.findings, key=Finding.sort_key):
            where = f.location.pointer or f.location.xpath
            message = f.message.get(lang) + (f" [{where}]" if where else "")
            loc = in_file(f.location, first)
            yield (command(COMMANDS[f.severity], message, file=shown, line=loc.line,
                               col=loc.column if loc.line is not None else None,
                               title=f.rule_id))
        if r.verdict == "error":  # the file's verdict: the finding itself has its own line
            yield (command("error", r.reason(lang), file=shown, line=record_line,
                               title=f"hegui: {label('error', lang)}"))
        yield from [command("notice", f"{u.rule_id}: {u.reason.get(lang)}", file=shown,
                        line=record_line, title=f"hegui: {label('unchecked', lang)} {u.rule_id}")
                for u in r.rules_unchecked]
    prov = provenance(batch, specs)
    parts = [label("summary_line", lang, **batch.summary())]
    parts += [f"{s.id} {s.version} sha256={s.sha256}"
              + (f" platform {s.platform_text()}" if s.platform else "") for s in prov.specs]
    parts.append(f"{prov.tool_name} {prov.tool_version}, {prov.started_at}")
    yield (command("notice", " · ".join(parts), title="hegui"))
