"""Convert between a platform's native messages and the spec's canonical ones (both ways).

Used by ``hegui convert --profile ID --to native|standard`` and by native test packs. Bad
input raises :class:`UsageError`; what a conversion could not carry is returned, never
dropped in silence.
"""

from __future__ import annotations

from typing import Any

import orjson

from hegui.validator.codec import xml_to_json
from hegui.validator.errors import UsageError
from hegui.validator.mapping import MapIssue, map_native
from hegui.validator.platform_model import NativeMessage, Platform
from hegui.validator.safe_json import JsonParseError, parse_json
from hegui.validator.safe_xml import XmlParseError, parse_xml
from hegui.validator.spec import Text
from hegui.validator.unmapping import Unmapped, native_messages_for, to_native

__all__ = ["json_object", "native_message_for", "to_native_doc", "to_standard_doc"]


def json_object(data: bytes, name: str) -> dict[str, Any]:
    """``data`` parsed as a JSON object; a :class:`UsageError` naming ``name`` otherwise."""
    try:
        doc = parse_json(data).value
    except JsonParseError as exc:
        raise UsageError(f"{name}: 不是 JSON：{exc.text.zh} / not JSON: {exc.text.en}") from None
    if not isinstance(doc, dict):
        raise UsageError(f"{name}: 报文必须是 JSON 对象 / a message must be a JSON object")
    return doc


def to_standard_doc(data: bytes, name: str, platform: Platform,
                    native_message: str | None) -> tuple[dict[str, Any], list[MapIssue]]:
    """The canonical document of a native message, and what the mapping reported."""
    mapped = map_native(platform, json_object(data, name), native_message)
    if mapped.stop is not None or mapped.doc is None:
        stop = mapped.stop
        text = stop.text if stop is not None else Text("无法转换", "cannot convert")
        raise UsageError(f"{name}: {text.zh} / {text.en}")
    return mapped.doc, mapped.issues


def native_message_for(platform: Platform, message_type: str, name: str | None
                       ) -> NativeMessage:
    """The native message to write a ``message_type`` as (``name``, or the only one)."""
    if name is not None:
        found = platform.messages.get(name)
        if found is None or found.message_type != message_type:
            have = ", ".join(m.name for m in native_messages_for(platform, message_type))
            raise UsageError(f"平台配置 {platform.id} 没有映射 {message_type} 的报文 {name}"
                             f"（可用：{have or '无'}）/ platform profile {platform.id} has no "
                             f"message {name} for {message_type} (have: {have or 'none'})")
        return found
    candidates = native_messages_for(platform, message_type)
    if len(candidates) == 1:
        return candidates[0]
    have = ", ".join(m.name for m in candidates)
    if not candidates:
        raise UsageError(f"平台配置 {platform.id} 没有报文类型 {message_type} 的报文 / "
                         f"platform profile {platform.id} has no message of type {message_type}")
    raise UsageError(f"报文类型 {message_type} 在平台配置 {platform.id} 中有多种报文（{have}），"
                     f"请用 --native-message 指定 / message type {message_type} is several "
                     f"messages of {platform.id} ({have}): use --native-message")


def to_native_doc(data: bytes, name: str, platform: Platform, native_message: str | None,
                  envelope: bool = True) -> Unmapped:
    """A canonical payload (JSON or XML) as the platform's native message."""
    doc = _canonical(data, name, platform)
    mt = str(doc.get("messageType"))
    message = native_message_for(platform, mt, native_message)
    return to_native(platform, doc, message, envelope)


def _canonical(data: bytes, name: str, platform: Platform) -> dict[str, Any]:
    from hegui.validator.loader import load_spec

    spec = load_spec(platform.spec, platform.layer)
    if data.lstrip()[:1] == b"<":
        try:
            root = parse_xml(data).root
        except XmlParseError as exc:
            raise UsageError(f"{name}: 不可接受的 XML：{exc.text.zh} / not acceptable XML: "
                             f"{exc.text.en}") from None
        from lxml import etree

        mt = spec.message_types.get(etree.QName(root).localname)
        if mt is None:
            raise UsageError(f"{name}: 不是规范 {spec.id} 的报文 / not a message of {spec.id}")
        return xml_to_json(root, spec, mt)[0]
    doc = json_object(data, name)
    if doc.get("messageType") not in spec.message_types:
        raise UsageError(f"{name}: messageType 不是规范 {spec.name} 的报文类型 / messageType "
                         f"is not a message type of {spec.name}")
    return doc


def dumps(doc: Any) -> bytes:
    """A document as indented UTF-8 JSON."""
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
