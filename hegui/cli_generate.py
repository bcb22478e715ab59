"""``hegui generate``: write a reproducible conformance test pack and its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from hegui.generators.pack import MANIFEST, PackConfig, write_pack
from hegui.generators.strategies import Encoding
from hegui.validator.errors import UsageError
from hegui.validator.loader import load_spec
from hegui.validator.runtime import missing_schemas

if TYPE_CHECKING:
    from hegui.generators.native_pack import Sealing
    from hegui.validator.platform_model import Platform

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
@click.option("--keys", "keys_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Key file for --sealed (default: $HEGUI_KEYS).")
@click.option("--sealed", is_flag=True,
              help="With --profile: write each native file as a sealed envelope (signed and "
                   "encrypted with --keys); validate the pack with --keys and --now SEALED_AT "
                   "(in the manifest).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Output folder (created; an earlier pack in it is replaced).")
def generate(spec_id: str | None, profile: str | None, message_types: tuple[str, ...],
             count: int, seed: int, encoding: str, invalid: bool, per_rule: int,
             structural: bool, keys_file: str | None, sealed: bool, out: str) -> None:
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
    sealing = None
    if sealed:
        sealing = _sealing(platform, keys_file)
    doc = write_pack(config, Path(out), platform, sealing)
    summary = doc["summary"]
    if sealing is not None:
        click.echo(f"sealed at {doc['sealed_at']}: validate with --keys and --now "
                   f"{doc['sealed_at']}")
    click.echo(f"wrote {summary['files']} files ({summary['conformant']} conformant, "
               f"{summary['invalid']} invalid for {summary['rules']} rule ids) to {out}; "
               f"manifest: {Path(out) / MANIFEST}")
    for s in doc["skipped"]:
        click.echo(f"skipped {s['rule_id']} ({', '.join(s['message_types'])}): {s['reason']}",
                   err=True)
    for s in doc.get("not_native", ()):
        click.echo(f"not written as {s['native_message']}: {s['path']}: {s['reason']}", err=True)


def _sealing(platform: Platform | None, keys_file: str | None) -> Sealing:
    """The keys and the time a sealed pack is made with (usage errors name what is missing)."""
    import datetime as dt

    from hegui.generators.native_pack import Sealing
    from hegui.validator.envelope_security import missing_keys
    from hegui.validator.keys import load_keys

    if platform is None:
        raise click.UsageError("--sealed needs --profile (a platform profile)")
    schemes = [e.security for e in platform.envelopes.values() if e.security is not None]
    if not schemes:
        raise UsageError(f"平台配置 {platform.id} 的信封没有签名与加密规定 / the envelopes of "
                         f"{platform.id} are not sealed")
    keys = load_keys(keys_file)
    if keys is None:
        raise UsageError("--sealed 需要密钥文件（--keys 或 $HEGUI_KEYS）/ --sealed needs a key "
                         "file (--keys or $HEGUI_KEYS)")
    own = keys.for_profile(platform.id)
    missing = sorted({m for s in schemes for m in missing_keys(s, own, sealing=True)})
    if missing:
        raise UsageError(f"密钥文件缺少 {'、'.join(missing)} / the key file lacks "
                         f"{', '.join(missing)}")
    return Sealing(keys, dt.datetime.now(dt.UTC).replace(microsecond=0))
