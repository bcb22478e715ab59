"""Identification: which encoding a payload is in, which spec it follows, which message it is.

The one place that knows how a payload names its spec and message type: the XML root's
namespace (``<namespace>:<version>``) and local name, or the JSON ``messageType`` and
``specVersion`` members. The batch runner and ``hegui convert`` pick a spec with
:func:`spec_for_payload` / :func:`spec_for_namespace` / :func:`spec_for_message_type`, from
cheap peeks at the bytes; the pipeline's identify stage then checks the parsed payload with
:func:`identify_json` / :func:`identify_xml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from hegui.validator.codec import namespace_of
from hegui.validator.spec import MessageType, Spec, Text
from hegui.validator.versions import version_folders

Encoding = Literal["json", "xml"]


def sniff_encoding(data: bytes, name: str = "") -> Encoding | None:
    """Guess the encoding from the file extension, else from the first significant byte."""
    lower = name.lower()
    if lower.endswith(".xml"):
        return "xml"
    if lower.endswith(".json"):
        return "json"
    if wide_codec(data) is not None:
        return "xml"  # UTF-16 or UTF-32: only XML may be in them (RFC 8259 §8.1: JSON is UTF-8)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return "xml"
    if head in (b"{", b"["):
        return "json"
    return None


#: The first bytes of an XML document in UTF-16 or UTF-32, with or without a byte-order mark
#: (XML 1.0, Appendix F.1), and the codec that reads it; the longest marks come first.
_WIDE = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
)


def wide_codec(data: bytes) -> str | None:
    """The codec of a payload in UTF-16 or UTF-32 (by byte-order mark or by the bytes of its
    first ``<``), or None for UTF-8 and the other ASCII-compatible encodings."""
    return next((codec for mark, codec in _WIDE if data.startswith(mark)), None)


def head_as_utf8(data: bytes, size: int = 4096) -> bytes:
    """The start of a payload as UTF-8 bytes, for the peeks (UTF-16 and UTF-32 decoded)."""
    codec = wide_codec(data)
    if codec is None:
        return data[:size]
    width = 4 if "32" in codec else 2
    text = data[:size * width].decode(codec, "ignore").lstrip("\ufeff")
    return text.encode("utf-8", "ignore")


#: What an empty (or whitespace-only) input is told.
EMPTY = Text("空文件：没有可检查的内容", "empty file: nothing to validate")


def is_blank(data: bytes) -> bool:
    """Whether ``data`` holds nothing but a byte-order mark and white space."""
    return not data.lstrip(b"\xef\xbb\xbf").strip(b" \t\r\n")


# Cheap peeks, only to pick a spec; the chosen spec's pipeline then checks the payload properly.
_XMLNS = re.compile(rb"""<(?:[\w-]+:)?[\w-]+[^>]*?\sxmlns(?::[\w-]+)?=["']([^"']+)["']""")
_MESSAGE_TYPE = re.compile(rb'"messageType"\s*:\s*"([^"\\]+)"')
_SPEC_VERSION = re.compile(rb'"specVersion"\s*:\s*"([^"\\]+)"')


def peek_xml_namespace(data: bytes) -> str | None:
    """The first namespace declared near the start of an XML payload."""
    m = _XMLNS.search(head_as_utf8(data), 0, 4096)
    return m.group(1).decode("utf-8", "replace") if m else None


def peek_json_message_type(data: bytes) -> str | None:
    """The first ``"messageType": "..."`` member of a JSON payload."""
    m = _MESSAGE_TYPE.search(data)
    return m.group(1).decode("utf-8", "replace") if m else None


def peek_json_spec_version(data: bytes) -> str | None:
    """The first ``"specVersion": "..."`` member of a JSON payload."""
    m = _SPEC_VERSION.search(data)
    return m.group(1).decode("utf-8", "replace") if m else None


def spec_for_namespace(ns: str | None, specs: Iterable[Spec]) -> Spec | None:
    """The spec whose XML namespace is ``ns``."""
    return next((s for s in specs if namespace_of(s) == ns), None)


def spec_for_message_type(name: str | None, specs: Iterable[Spec],
                          version: str | None = None) -> Spec | None:
    """The spec that has a message type called ``name``, in ``version`` when one of its
    versions is that; else its current version (``specs`` lists each spec's versions with
    the current one first: :func:`hegui.validator.runner.Runner.bundled`)."""
    having = [s for s in specs if name in s.message_types]
    if not having:
        return None
    mine = [s for s in having if s.id == having[0].id]
    return next((s for s in mine if s.version == version), mine[0])


def spec_for_payload(data: bytes, encoding: Encoding | None, specs: Iterable[Spec]
                     ) -> Spec | None:
    """The spec a payload's bytes say they follow (XML namespace; JSON message type and
    spec version)."""
    if encoding == "xml":
        return spec_for_namespace(peek_xml_namespace(data), specs)
    if encoding == "json":
        return spec_for_message_type(peek_json_message_type(data), specs,
                                     peek_json_spec_version(data))
    return None


def _listing(specs: Iterable[Spec], zh: bool) -> str:
    sep = "；" if zh else "; "
    return sep.join(f"{s.id}: {', '.join(s.message_types)}" for s in specs)


def why_no_spec(data: bytes, encoding: Encoding | None, specs: Sequence[Spec]) -> Text:
    """Why no spec was found for a payload: the value it gave and what would be accepted."""
    hint_zh, hint_en = "（可用 --spec 指定）", " (use --spec)"
    if is_blank(data):
        return EMPTY
    if encoding == "json":
        name = peek_json_message_type(data)
        if name is None:
            return Text(f"JSON 载荷没有 messageType 成员，无法确定所属规范{hint_zh}",
                        f"the JSON payload has no messageType member, so its spec is unknown"
                        f"{hint_en}")
        return Text(
            f"没有规范含报文类型“{name}”（可用：{_listing(specs, True)}）{hint_zh}",
            f"no bundled spec has message type '{name}' (valid: {_listing(specs, False)})"
            f"{hint_en}")
    if encoding == "xml":
        ns = peek_xml_namespace(data)
        known = ", ".join(namespace_of(s) for s in specs)
        if ns is None:
            return Text(f"XML 根元素没有命名空间（可用：{known}）{hint_zh}",
                        f"the XML root element has no namespace (bundled: {known}){hint_en}")
        return Text(f"没有规范使用命名空间 {ns}（可用：{known}）{hint_zh}",
                    f"no bundled spec has XML namespace {ns} (bundled: {known}){hint_en}")
    return Text("无法识别的载荷：既不是 JSON 也不是 XML", "not a JSON or XML payload")


@dataclass(frozen=True)
class Unidentified:
    """Why a parsed payload is not a message of the spec: a finding for it and where."""

    rule_id: str
    text: Text
    pointer: str | None = None
    xpath: str | None = None
    line: int | None = None
    column: int | None = None


def identify_json(spec: Spec, doc: Mapping[str, Any], forced: str | None
                  ) -> MessageType | Unidentified:
    """The message type of a JSON document (``forced``: ``--message-type``)."""
    name = forced or doc.get("messageType")
    mt = spec.message_types.get(name) if isinstance(name, str) else None
    if mt is None:
        return Unidentified("messageType@enum", _UNKNOWN, pointer="/messageType", line=1, column=1)
    version = doc.get("specVersion")
    if version is not None and version != spec.version:
        have = available_versions(spec)
        if str(version) in have:  # bundled, but --spec forced another version
            return Unidentified("specVersion@enum", Text(
                f"载荷的规范版本为 {version}，但按 --spec 指定的 {spec.id}@{spec.version} 检查："
                f"两者不符",
                f"the payload names spec version {version}, but --spec forces "
                f"{spec.id}@{spec.version}"), pointer="/specVersion")
        return Unidentified("specVersion@enum", Text(
            f"规范 {spec.id} 没有 {version} 版本（现有：{'、'.join(have)}）",
            f"spec {spec.id} has no version {version} (bundled: {', '.join(have)})"),
            pointer="/specVersion")
    return mt


def available_versions(spec: Spec) -> tuple[str, ...]:
    """The versions bundled beside ``spec`` (its folder's siblings), oldest first."""
    parent = Path(spec.folder).parent
    found = tuple(version_folders(parent)) if parent.is_dir() else ()
    return found if spec.version in found else (spec.version,)


def deprecation(spec: Spec) -> Text | None:
    """What a payload naming a deprecated version is told (None: the version is not)."""
    life = spec.lifecycle
    if life.status != "deprecated":
        return None
    until_zh = f"，有效至 {life.valid_to}" if life.valid_to else ""
    until_en = f", valid until {life.valid_to}" if life.valid_to else ""
    by_zh = f"，已由 {life.replaced_by} 版取代" if life.replaced_by else ""
    by_en = f", replaced by {life.replaced_by}" if life.replaced_by else ""
    return Text(f"规范 {spec.id} 的 {spec.version} 版已弃用{by_zh}{until_zh}",
                f"spec {spec.id} version {spec.version} is deprecated{by_en}{until_en}")


def identify_xml(spec: Spec, root: etree._Element, forced: str | None
                 ) -> MessageType | Unidentified:
    """The message type of an XML document: its root's local name in the spec's namespace."""
    qname = etree.QName(root)
    mt = spec.message_types.get(forced or qname.localname)
    if mt is None:
        return Unidentified("messageType@enum", _UNKNOWN, xpath="/", line=1, column=1)
    if qname.namespace != namespace_of(spec):
        return Unidentified("payload@root", Text(
            f"根元素命名空间 {qname.namespace or '（无）'} 不是 {namespace_of(spec)}",
            f"root namespace {qname.namespace or '(none)'} is not {namespace_of(spec)}"),
            xpath="/", line=root.sourceline)
    return mt


_UNKNOWN = Text("无法确定报文类型", "cannot tell the message type")
