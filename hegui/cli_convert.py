"""``hegui convert``: turn a payload from one encoding into the other (JSON <-> XML)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
import orjson
from lxml import etree

from hegui.validator.characters import first_unwritable
from hegui.validator.codec import json_to_xml, xml_to_json
from hegui.validator.errors import UsageError
from hegui.validator.identify import spec_for_message_type, spec_for_namespace
from hegui.validator.loader import bundled_spec_ids, load_spec
from hegui.validator.safe_json import JsonParseError, parse_json
from hegui.validator.safe_xml import XmlParseError, parse_xml
from hegui.validator.spec import Spec


def convert_bytes(data: bytes, name: str, spec: Spec | None, to: str) -> bytes:
    """Convert one payload to ``to`` ("json" or "xml"); raise UsageError on bad input."""
    if to == "xml":
        try:
            doc = parse_json(data).value
        except JsonParseError as exc:
            raise UsageError(f"{name}: 不是 JSON：{exc.text.zh} / not JSON: {exc.text.en}"
                             ) from None
        if not isinstance(doc, dict):
            raise UsageError(f"{name}: 载荷必须是 JSON 对象 / a payload must be a JSON object")
        spec = spec or _spec_for_message(str(doc.get("messageType")))
        problem = first_unwritable(doc)
        if problem is not None:
            where, zh, en = problem
            raise UsageError(f"{name}: 无法写成 XML：{where or '/'} {zh} / cannot be written as "
                             f"XML: at {where or '/'} {en}")
        try:
            return json_to_xml(doc, spec)
        except ValueError as exc:  # anything else lxml refuses to write
            raise UsageError(f"{name}: 无法写成 XML / cannot be written as XML: {exc}") from None
    try:
        root = parse_xml(data).root
    except XmlParseError as exc:
        raise UsageError(f"{name}: 不可接受的 XML：{exc.text.zh} / not acceptable XML: "
                         f"{exc.text.en}") from None
    qname = etree.QName(root)
    spec = spec or _spec_for_namespace(qname.namespace)
    mt = spec.message_types.get(qname.localname)
    if mt is None:
        raise UsageError(f"{name}: “{qname.localname}”不是规范 {spec.id} 的报文类型 / "
                         f"{qname.localname!r} is not a message type of {spec.id}")
    doc, _ = xml_to_json(root, spec, mt)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def _spec_for_message(mt: str) -> Spec:
    spec = spec_for_message_type(mt, _bundled())
    if spec is None:
        raise UsageError(f"没有内置规范含报文类型“{mt}”，请用 --spec 指定 / no bundled spec has "
                         f"message type {mt!r}; use --spec")
    return spec


def _spec_for_namespace(ns: str | None) -> Spec:
    spec = spec_for_namespace(ns, _bundled())
    if spec is None:
        raise UsageError(f"没有内置规范使用 XML 命名空间 {ns}，请用 --spec 指定 / no bundled spec "
                         f"has XML namespace {ns!r}; use --spec")
    return spec


def _bundled() -> Iterator[Spec]:
    return (load_spec(sid) for sid in bundled_spec_ids())


@click.command("convert")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--to", "to", type=click.Choice(["json", "xml", "native", "standard"]),
              required=True, help="Target: the JSON or XML encoding of the spec; with "
                                  "--profile, the platform's native message or the spec's "
                                  "(standard) JSON.")
@click.option("--spec", "spec_id", metavar="ID|DIR", help="Spec id or folder (default: detect).")
@click.option("--profile", metavar="ID|DIR", help="Platform profile (for --to native|standard).")
@click.option("--native-message", metavar="NAME",
              help="The native message (default: recognised, or the only one of the type).")
@click.option("--bare", is_flag=True, help="--to native: the business body without the envelope.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False), help="Output file.")
def convert(path: str, to: str, spec_id: str | None, profile: str | None,
            native_message: str | None, bare: bool, out: str | None) -> None:
    """Convert a payload between the JSON and the XML encoding of its spec, or (--profile)
    between a platform's native message and the spec's.

    Exit codes: 0 converted, 1 converted but something could not be carried (listed on
    standard error), 2 cannot convert (usage error or bad input).
    """
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    code = 0
    if to in ("native", "standard"):
        result, code = _convert_native(data, path, to, profile, native_message, bare)
    elif profile is not None:
        raise click.BadParameter("--profile goes with --to native or --to standard",
                                 param_hint="--profile")
    else:
        spec = load_spec(spec_id) if spec_id else None
        result = convert_bytes(data, path, spec, to)
    if out:
        Path(out).write_bytes(result)
    else:
        sys.stdout.buffer.write(result)
    raise click.exceptions.Exit(code)


def _convert_native(data: bytes, path: str, to: str, profile: str | None,
                    native_message: str | None, bare: bool) -> tuple[bytes, int]:
    from hegui.native_convert import dumps, to_native_doc, to_standard_doc
    from hegui.validator.platform_loader import load_platform

    if profile is None:
        raise click.BadParameter(f"--to {to} needs --profile", param_hint="--to")
    platform = load_platform(profile)
    if to == "standard":
        doc, issues = to_standard_doc(data, path, platform, native_message)
        for i in issues:
            click.echo(f"{path}: {i.rule_id} {i.pointer}: {i.text.zh} / {i.text.en}", err=True)
        return dumps(doc), 1 if issues else 0
    unmapped = to_native_doc(data, path, platform, native_message, envelope=not bare)
    for ptr, why in unmapped.lost.items():
        click.echo(f"{path}: {ptr}: 平台报文 {unmapped.message.name} 无法携带 / {why} "
                   f"({unmapped.message.name})", err=True)
    return dumps(unmapped.doc), 1 if unmapped.lost else 0
