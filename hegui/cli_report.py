"""``hegui report``: re-render a saved JSON result (``hegui validate --output json=r.json``) in
any other format, e.g. an HTML report for the standards office or SARIF for code scanning.

Exit codes: 0 rendered; 2 the result file, a spec or an output cannot be read or written.
The verdicts inside the result do not change the exit code (``hegui validate`` gated on them).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from hegui.cli_validate import base_dir_option, parse_outputs
from hegui.reports.registry import FORMATS
from hegui.validator.errors import EXIT_ERROR, HeguiError
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec

#: Largest payload read back for source excerpts; bigger ones are reported without excerpts.
MAX_SOURCE_BYTES = 2 * 1024 * 1024


class ReportError(click.ClickException):
    """A problem with the files of ``hegui report``: printed as ``Error: ...``, exit code 2."""

    exit_code = EXIT_ERROR


def _read_result(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read result file {path}: {exc.strerror or exc}") from None


def _specs(batch: Batch, requested: tuple[str, ...]) -> dict[str, Spec]:
    """Specs for rule titles and coverage: the ``--spec`` ones, else the result's own by id
    (then by the ``spec`` option it was run with); a spec that cannot be found is skipped."""
    from hegui.validator.errors import SpecNotFound
    from hegui.validator.loader import load_spec

    out: dict[str, Spec] = {}
    try:
        for name in requested:
            spec = load_spec(name)
            out[spec.name] = spec
    except HeguiError as exc:
        raise ReportError(f"--spec: {exc}") from None
    if requested:
        return out
    wanted = {r.spec.name: r.spec for r in batch.results if r.spec is not None}
    for key in sorted(wanted):
        ref = wanted[key]
        candidates = [f"{ref.id}@{ref.version}", ref.id]
        option = batch.options.get("spec")
        if isinstance(option, str) and option not in candidates:
            candidates.append(option)
        for name in candidates:
            try:
                spec = load_spec(name, ref.profile)
            except SpecNotFound:
                continue
            except HeguiError as exc:
                raise ReportError(f"spec {name}: {exc}") from None
            if spec.name == key:
                out[key] = spec
                break
        else:
            click.echo(f"hegui report: spec {key!r} not found; rule titles and coverage are "
                       f"left out (use --spec ID|DIR)", err=True)
    return out


def _sources(batch: Batch) -> dict[str, bytes]:
    """Payload bytes for excerpts: only files that still have the SHA-256 that was validated."""
    out: dict[str, bytes] = {}
    for r in batch.results:
        path = Path(r.source)
        try:
            if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == r.input_sha256:
            out[r.source] = data
    return out


def _warn_changed(batch: Batch, specs: Mapping[str, Spec]) -> None:
    for r in batch.results:
        if r.spec is not None and r.spec.name in specs \
                and specs[r.spec.name].content_sha256 != r.spec.sha256:
            click.echo(f"hegui report: spec {r.spec.name!r} has changed since the result was "
                       f"made (result: {r.spec.sha256[:12]}, now: "
                       f"{specs[r.spec.name].content_sha256[:12]}); titles are from the spec now",
                       err=True)
            return


@click.command("report")
@click.argument("result", metavar="RESULT.json")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Format written to standard output.")
@click.option("--output", "outputs", multiple=True, metavar="FORMAT=PATH",
              help="Also write FORMAT to PATH ('-' for stdout); repeatable.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages [default: the language of the saved result].")
@click.option("--spec", "spec_names", multiple=True, metavar="ID|DIR",
              help="Spec for rule titles and coverage [default: the result's spec ids].")
@base_dir_option
def report(result: str, fmt: str, outputs: tuple[str, ...], lang: Lang | None,
           spec_names: tuple[str, ...], base_dir: str | None) -> None:
    """Render a saved JSON result (RESULT.json, or - for stdin) in another format.

    Relative sources in the result are taken relative to the current directory: run it where
    hegui validate ran, or its SARIF, JUnit and GitHub paths name other files.
    """
    from hegui.reports import load_result, write_outputs

    pairs = parse_outputs(fmt, outputs)
    try:
        loaded = load_result(_read_result(result))
    except HeguiError as exc:
        raise ReportError(f"{result}: {exc}") from None
    specs = _specs(loaded.batch, spec_names)
    _warn_changed(loaded.batch, specs)
    sources = _sources(loaded.batch) if any(f == "html" for f, _ in pairs) else None
    try:
        write_outputs(loaded.batch, specs, pairs, lang=lang or loaded.lang, sources=sources,
                      base_dir=base_dir or ".")
    except HeguiError as exc:
        raise ReportError(str(exc)) from None


__all__ = ["report"]
