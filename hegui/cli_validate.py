"""``hegui validate``: validate payloads and write results in one or more formats."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from pathlib import Path

import click

from hegui.reports import FORMATS, output_pairs, write_outputs
from hegui.reports.labels import label
from hegui.validator.engine import Options
from hegui.validator.errors import EXIT_ERROR, UsageError
from hegui.validator.keys import load_keys
from hegui.validator.limits import DEFAULT_LIMITS
from hegui.validator.result import Batch
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import Lang, Severity
from hegui.validator.spool import ResultSpool


def parse_outputs(fmt: str, outputs: tuple[str, ...]) -> list[tuple[str, str]]:
    """``--format`` (stdout) plus every ``--output FORMAT=PATH`` as (format, path) pairs."""
    try:
        return output_pairs(fmt, outputs)
    except UsageError as exc:
        raise click.BadParameter(str(exc), param_hint="--output") from None


#: ``--base-dir``, shared by ``hegui validate`` and ``hegui report``.
base_dir_option = click.option(
    "--base-dir", metavar="DIR", type=click.Path(exists=True, file_okay=False),
    help="Folder the SARIF, JUnit and GitHub reports name payload files relative to (SARIF: "
         "originalUriBaseIds SRCROOT), so they do not depend on the working directory; files "
         "outside it get absolute paths [default: the current directory].")


def parse_contexts(contexts: tuple[str, ...], checklist: str | None) -> dict[str, str]:
    """``--context NAME=FILE`` options (and the ``--checklist FILE`` shorthand) as a dict."""
    out: dict[str, str] = {}
    for c in contexts:
        name, sep, path = c.partition("=")
        if not sep or not name or not path:
            raise click.BadParameter(f"{c!r}: expected NAME=FILE", param_hint="--context")
        out[name] = path
    if checklist:
        out["checklist"] = checklist
    return out


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option("--spec", "spec_id", metavar="ID[@VERSION]|DIR",
              help="Spec id (the payload's specVersion or XML namespace picks the version), "
                   "id@version (forces that version) or spec folder (default: detected from "
                   "each payload).")
@click.option("--profile", metavar="NAME|ID|DIR",
              help="A platform profile (id or folder, see `hegui profiles list`): the payloads "
                   "are that platform's native messages, mapped onto the spec and reported at "
                   "their native fields; or a profile layer of the spec version (its demands "
                   "on top of the core, see `hegui specs list`) for canonical payloads.")
@click.option("--native-message", metavar="NAME",
              help="With a platform profile: the native message the payloads are (e.g. "
                   "/lg/apply); default: recognised from each body.")
@click.option("--keys", "keys_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Key file (JSON: appKey, appSecret, sm4Key, sm4Iv, ...) to verify and "
                   "decrypt sealed platform envelopes; default: $HEGUI_KEYS. Keys never "
                   "appear in any output.")
@click.option("--now", "now", metavar="ISO-TIME",
              help="Time of validation that sealed envelopes' timestamps are judged against "
                   "(default: the current time; a sealed test pack's manifest gives its "
                   "sealed_at, used with --expect unless --now is given).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Worker processes (default 0: one per core; 1: none). Workers start only "
                   "for more than 64 payloads. Results keep the input order.")
@click.option("--dask", "dask", metavar="ADDRESS|local",
              help="Validate on a Dask cluster (a scheduler address such as tcp://host:8786, "
                   "or local: a LocalCluster on this machine). Needs hegui[dask].")
@click.option("--message-type", metavar="TYPE", help="Force the message type.")
@click.option("--encoding", type=click.Choice(["json", "xml"]),
              help="Force the encoding (default: by extension, then content).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Format written to standard output.")
@click.option("--output", "outputs", multiple=True, metavar="FORMAT=PATH",
              help="Also write FORMAT to PATH ('-' for stdout); repeatable.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of messages.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error",
              show_default=True, help="Lowest severity that makes a payload nonconformant.")
@click.option("--context", "contexts", multiple=True, metavar="NAME=FILE",
              help="A context document some rules read (e.g. checklist=my-list.json).")
@click.option("--checklist", metavar="FILE",
              help="Checklist (JSON, XML or YAML) to pre-review applications against; "
                   "default: the spec's bundled sample.")
@click.option("--expect", "expect", metavar="MANIFEST", type=click.Path(dir_okay=False),
              help="Compare verdicts and rule ids with a test-pack manifest; exit 1 on mismatch.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print only the summary line (files given with --output are still written).")
@click.option("--include-contexts", is_flag=True,
              help="Report context documents (checklists) as inputs even when conformant "
                   "(a nonconformant one always is).")
@click.option("--max-findings-per-rule", type=click.IntRange(min=1),
              default=DEFAULT_LIMITS.max_findings_per_rule, show_default=True,
              help="Findings kept per rule id and payload; the rest are counted in one note.")
@click.option("--max-findings", type=click.IntRange(min=1),
              default=DEFAULT_LIMITS.max_findings, show_default=True,
              help="Findings kept per payload; the rest are counted in one note per rule.")
@base_dir_option
def validate(paths: tuple[str, ...], spec_id: str | None, profile: str | None,
             native_message: str | None, keys_file: str | None, now: str | None,
             jobs: int, dask: str | None, message_type: str | None,
             encoding: str | None, fmt: str, outputs: tuple[str, ...], lang: Lang,
             fail_on: Severity, contexts: tuple[str, ...], checklist: str | None,
             expect: str | None, quiet: bool, include_contexts: bool,
             max_findings_per_rule: int, max_findings: int, base_dir: str | None) -> None:
    """Validate payload files, folders (recursively), JSON Lines files, or - (stdin).

    Exit codes: 0 all conformant, 1 any nonconformant, 2 usage error, a payload that could
    not be evaluated, or a report file that cannot be written (files are written atomically:
    an existing report is replaced whole or left as it was).
    """
    pairs = parse_outputs(fmt, outputs)
    config = RunConfig(
        spec=spec_id, profile=profile,
        options=Options(message_type=message_type, encoding=encoding,  # type: ignore[arg-type]
                        fail_on=fail_on, native_message=native_message, limits=dataclasses.replace(
                            DEFAULT_LIMITS, max_findings_per_rule=max_findings_per_rule,
                            max_findings=max_findings)),
        contexts=parse_contexts(contexts, checklist), include_contexts=include_contexts,
        native_messages=_native_messages(expect), keys=load_keys(keys_file),
        now=_time_of_validation(now, expect))
    runner = Runner(config)
    # The compiled specs live as long as the run: kept out of the garbage collector's scans,
    # which otherwise walk them again and again over a long batch.
    gc.freeze()
    # A test pack's manifest sits in the pack's folder: it is the expectation, not a payload.
    skip = frozenset({Path(expect).resolve()}) if expect else frozenset()
    if jobs == 0:
        from hegui.validator.parallel import default_jobs

        jobs = default_jobs()
    if quiet:
        pairs = [(f, p) for f, p in pairs if p != "-"]
    if expect is None and all(f == "jsonl" for f, _ in pairs):
        _stream(runner, paths, skip, jobs, dask, pairs, lang, quiet)  # flat memory
    batch = runner.spooled(paths, skip=skip, jobs=jobs, dask=dask)  # results on disk
    try:
        code = _report(batch, runner, pairs, lang, base_dir, quiet, expect)
    finally:
        if isinstance(batch.results, ResultSpool):
            batch.results.close()  # its temporary file
    raise click.exceptions.Exit(code)


def _report(batch: Batch, runner: Runner, pairs: list[tuple[str, str]], lang: Lang,
            base_dir: str | None, quiet: bool, expect: str | None) -> int:
    """Write the reports of ``batch`` and give the exit code (compared with the test pack's
    manifest when ``expect`` names one)."""
    sources = _sources(batch, pairs)
    write_outputs(batch, runner.specs, pairs, lang=lang, sources=sources,
                  base_dir=base_dir or ".")
    if quiet:
        click.echo(label("summary_line", lang, **batch.summary()))
    code = batch.exit_code()
    if expect is not None:
        from hegui.generators.manifest import compare_manifest

        mismatches = compare_manifest(batch, Path(expect))
        for line in mismatches:
            click.echo(line, err=True)
        if code != EXIT_ERROR:
            code = 1 if mismatches else 0
    return code


def _stream(runner: Runner, paths: tuple[str, ...], skip: frozenset[Path], jobs: int,
            dask: str | None, pairs: list[tuple[str, str]], lang: Lang, quiet: bool) -> None:
    """Write JSON Lines reports as the results come (nothing kept), then exit."""
    from hegui import __version__
    from hegui.reports.errors import ReportWriteError
    from hegui.reports.jsonl import JsonlWriter

    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    writers: list[JsonlWriter] = []
    try:
        for _, path in pairs:
            try:
                writers.append(JsonlWriter(path, lang))
            except OSError as exc:
                raise ReportWriteError.of("jsonl", path, exc, lang) from None
        counts = {"total": 0, "conformant": 0, "nonconformant": 0, "error": 0}
        w = writers[0] if writers else None
        try:
            for w in writers:
                w.start(__version__, started, runner.provenance())
            for r in runner.stream(paths, skip, jobs, dask):
                counts["total"] += 1
                counts[r.verdict] += 1
                for w in writers:
                    w.add(r)
            for w in writers:
                w.close()
        except OSError as exc:
            assert w is not None
            raise ReportWriteError.of("jsonl", w.path, exc, lang) from None
    except BaseException:
        for w in writers:
            w.abort()
        raise
    if quiet:
        click.echo(label("summary_line", lang, **counts))
    code = 2 if counts["error"] else 1 if counts["nonconformant"] else 0
    raise click.exceptions.Exit(code)


def _time_of_validation(now: str | None, expect: str | None) -> dt.datetime | None:
    """``--now`` (ISO 8601, a zone or UTC), else a sealed pack manifest's ``sealed_at``."""
    text = now
    if text is None and expect is not None:
        from hegui.generators.manifest import load_manifest

        try:
            text = load_manifest(Path(expect)).get("sealed_at")
        except UsageError:
            return None
        if not isinstance(text, str):
            return None
    if text is None:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time (e.g. "
                                 "2025-06-19T10:30:00+08:00)", param_hint="--now") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _native_messages(expect: str | None) -> dict[str, str]:
    """The native message of each file a native test pack's manifest lists."""
    if expect is None:
        return {}
    from hegui.generators.manifest import load_manifest

    try:
        doc = load_manifest(Path(expect))
    except UsageError:
        return {}  # compared (and reported) after the run
    base = Path(expect).resolve().parent
    return {str((base / e["path"]).resolve()): str(e["native_message"])
            for e in doc.get("files", ()) if isinstance(e, dict) and "native_message" in e}


def _sources(batch: object, pairs: list[tuple[str, str]]) -> dict[str, bytes] | None:
    """Payload bytes for excerpts in HTML/Markdown reports (read back from the files)."""
    if not any(f == "html" for f, _ in pairs):
        return None
    from hegui.reports.html import DETAILS

    results = getattr(batch, "results", ())
    every = len(results) <= DETAILS  # else only the payloads the report details
    out: dict[str, bytes] = {}
    for r in results:
        if not r.findings or not (every or r.verdict != "conformant"):
            continue
        if len(out) >= DETAILS:
            break
        path = Path(r.source)
        if path.is_file() and path.stat().st_size <= 2 * 1024 * 1024:
            try:
                out[r.source] = path.read_bytes()
            except OSError:
                continue
    return out


