"""``hegui generate``: write a reproducible conformance test pack and its manifest."""

from __future__ import annotations

from pathlib import Path

import click

from hegui.generators.pack import MANIFEST, PackConfig, write_pack
from hegui.generators.strategies import Encoding
from hegui.validator.errors import UsageError
from hegui.validator.loader import load_spec
from hegui.validator.runtime import missing_schemas

_ENCODINGS: dict[str, tuple[Encoding, ...]] = {
    "json": ("json",), "xml": ("xml",), "both": ("json", "xml")}


@click.command("generate")
@click.option("--spec", "spec_id", metavar="ID|DIR",
              help="Spec id or spec folder (required unless --profile names a platform "
                   "profile).")
@click.option("--profile", metavar="ID|DIR",
              help="Platform profile: write the pack in that platform's native messages "
                   "(JSON, with its envelope), for the profile's spec version and layer.")
@click.option("--message-type", "message_types", multiple=True, metavar="TYPE",
              help="Message type to generate (repeatable; default: all).")
@click.option("--count", type=click.IntRange(min=0), default=100, show_default=True,
              help="Conformant payloads in all, spread over the message types.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Same seed, same pack, byte for byte.")
@click.option("--encoding", type=click.Choice(list(_ENCODINGS)), default="both",
              show_default=True, help="Write each payload as JSON, XML or both.")
@click.option("--invalid/--no-invalid", default=False, show_default=True,
              help="Also write payloads that each break exactly one rule.")
@click.option("--per-rule", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --invalid: payloads per rule id.")
@click.option("--structural/--no-structural", default=True, show_default=True,
              help="With --invalid: structural rule ids (<path>@<facet>) as well as the "
                   "business rules.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output folder (created; an earlier pack in it is replaced).")
def generate(spec_id: str | None, profile: str | None, message_types: tuple[str, ...],
             count: int, seed: int, encoding: str, invalid: bool, per_rule: int,
             structural: bool, out: str) -> None:
    """Generate a test pack: conformant payloads, optionally per-rule invalid ones, and
    manifest.json with every file's expected verdict and rule ids.

    Check a validator against it with
    ``hegui validate OUT/valid OUT/invalid --expect OUT/manifest.json``.
    """
    platform = None
    if profile is not None:
        from hegui.validator.platform_loader import load_platform

        platform = load_platform(profile)
        spec = load_spec(platform.spec, platform.layer)
        modelled = tuple(dict.fromkeys(m.message_type for m in platform.messages.values()))
        message_types = message_types or modelled
        encoding = "json"
    elif spec_id is None:
        raise click.UsageError("give --spec (or --profile)")
    else:
        spec = load_spec(spec_id)
    missing = missing_schemas(spec)
    if missing is not None:
        raise UsageError(missing)
    unknown = [m for m in message_types if m not in spec.message_types]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: not a message type of {spec.id} "
            f"(have: {', '.join(spec.message_types)})", param_hint="--message-type")
    config = PackConfig(spec=spec, message_types=message_types or tuple(spec.message_types),
                        count=count, seed=seed, encodings=_ENCODINGS[encoding],
                        invalid=invalid, per_rule=per_rule, structural=structural)
    doc = write_pack(config, Path(out), platform)
    summary = doc["summary"]
    click.echo(f"wrote {summary['files']} files ({summary['conformant']} conformant, "
               f"{summary['invalid']} invalid for {summary['rules']} rule ids) to {out}; "
               f"manifest: {Path(out) / MANIFEST}")
    for s in doc["skipped"]:
        click.echo(f"skipped {s['rule_id']} ({', '.join(s['message_types'])}): {s['reason']}",
                   err=True)
    for s in doc.get("not_native", ()):
        click.echo(f"not written as {s['native_message']}: {s['path']}: {s['reason']}", err=True)
