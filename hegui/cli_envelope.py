"""``hegui envelope``: seal a native message in its platform's envelope, or open a sealed one.

``seal`` fills in the key-file appKey, the timestamp and an empty requestId, encrypts the
business body and signs the envelope as the profile's ``security`` block says; ``open``
verifies the signature and timestamp and decrypts. Keys come from ``--keys FILE`` or
``$HEGUI_KEYS`` and never appear in any output.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
import orjson

from hegui.native_convert import json_object
from hegui.validator.envelope_scheme import needs
from hegui.validator.envelope_security import Security, missing_keys, open_sealed, seal
from hegui.validator.errors import UsageError
from hegui.validator.keys import Keys, load_keys
from hegui.validator.platform_loader import load_platform
from hegui.validator.platform_model import Envelope

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                    help="Language of messages.")
PROFILE = click.option("--profile", required=True, metavar="ID|DIR",
                       help="Platform profile whose envelope is sealed.")
KEYS = click.option("--keys", "keys_file", metavar="FILE", type=click.Path(dir_okay=False),
                    help="Key file (default: $HEGUI_KEYS).")
ENVELOPE = click.option("--envelope", "name", default=None, metavar="NAME",
                        help="Which of the profile's envelopes (default: the native message's, "
                             "else the default envelope).")
MESSAGE = click.option("--native-message", "message", metavar="NAME",
                       help="The native message (its envelope is the one sealed or opened).")


@click.group()
def envelope() -> None:
    """Seal and open platform envelopes (SM3, HMAC-SM3 and SM3withSM2 signatures; SM4 and SM2
    encryption of the body or of single fields)."""


def _setup(profile: str, name: str | None, message: str | None, keys_file: str | None,
           sealing: bool = False) -> tuple[Envelope, Security, Keys]:
    platform = load_platform(profile)
    if message is not None:
        m = platform.messages.get(message)
        if m is None:
            raise UsageError(f"平台配置 {platform.id} 没有报文 {message} / {platform.id} has no "
                             f"native message {message} (have: {', '.join(platform.messages)})")
        if name is None and m.envelope is None:
            raise UsageError(f"报文 {message} 不在信封中传送 / native message {message} travels "
                             "in no envelope")
        name = name or m.envelope
    name = name or "default"
    env = platform.envelopes.get(name)
    if env is None or env.security is None:
        sealed = ", ".join(n for n, e in platform.envelopes.items() if e.security) or "-"
        raise UsageError(f"平台配置 {platform.id} 的信封 {name} 没有签名与加密规定"
                         f"（有：{sealed}）/ envelope {name} of {platform.id} is not sealed "
                         f"(sealed: {sealed})")
    keys = load_keys(keys_file)
    keys = keys.for_profile(platform.id) if keys is not None else None
    missing = missing_keys(env.security, keys, sealing)
    if keys is None or missing:
        names = missing or needs(env.security, sealing)
        raise UsageError(f"缺少密钥 {'、'.join(names)}（--keys 或 $HEGUI_KEYS）/ "
                         f"missing keys {', '.join(names)} (--keys or $HEGUI_KEYS)")
    return env, env.security, keys


def _read(path: str) -> dict[str, object]:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return json_object(data, path)


@envelope.command("seal")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@PROFILE
@MESSAGE
@ENVELOPE
@KEYS
def seal_command(path: str, profile: str, message: str | None, name: str | None,
                 keys_file: str | None) -> None:
    """Seal PATH: an envelope whose business body is a plaintext JSON object, or the bare
    body (it is put in an envelope). Writes the sealed envelope to standard output."""
    env, security, keys = _setup(profile, name, message, keys_file, sealing=True)
    doc = _read(path)
    if security.body not in doc:
        doc = env.wrap(doc)
    sealed = seal(doc, security, keys, dt.datetime.now(dt.UTC))
    sys.stdout.buffer.write(orjson.dumps(sealed, option=orjson.OPT_INDENT_2) + b"\n")


@envelope.command("open")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@PROFILE
@MESSAGE
@ENVELOPE
@KEYS
@LANG
def open_command(path: str, profile: str, message: str | None, name: str | None,
                 keys_file: str | None, lang: str) -> None:
    """Verify and decrypt the sealed envelope PATH; write it with its body in plaintext.

    Exit codes: 0 the seal is good, 1 a problem (listed on standard error; the envelope is
    still written when it could be decrypted), 2 it cannot be opened.
    """
    _, security, keys = _setup(profile, name, message, keys_file)
    opened = open_sealed(_read(path), security, keys, dt.datetime.now(dt.UTC))
    for p in opened.problems:
        click.echo(f"{path}: {p.rule_id} {p.pointer}: {p.text.zh if lang == 'zh' else p.text.en}",
                   err=True)
    if opened.doc is None:
        raise click.exceptions.Exit(2)
    sys.stdout.buffer.write(orjson.dumps(opened.doc, option=orjson.OPT_INDENT_2) + b"\n")
    raise click.exceptions.Exit(1 if opened.problems else 0)
