"""The reference corpus of real e-guarantee fields, its map onto a spec, and the checks of that map.

Read by ``scripts/eguarantee_coverage.py`` (which writes docs/eguarantee-coverage.md) and
``scripts/eguarantee_core.py`` (which derives the core requirements per business step). The map is
``docs/coverage/eguarantee-reference-map.yaml``; its header explains the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hegui.validator.spec import MessageType, Spec, Text

CATEGORIES = ("mapped", "gap", "ENV", "ACK", "INV")
PSEUDO_STEPS = ("envelope", "ack", "none")
_PARENT_MARKS = ("[]", "[?]")


class MapError(Exception):
    """The corpus or the map cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Text]) -> None:
        super().__init__("; ".join(p.en for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class CorpusField:
    """One field object of the corpus, with the platform code the map gives its platform."""

    platform: str
    message: str
    path: str
    field: str
    required: str  # Y, N, C or "" as in the corpus
    zh: str
    meaning_en: str

    @property
    def key(self) -> tuple[str, str, str]:
        """The stable key: platform code, message, path."""
        return (self.platform, self.message, self.path)


@dataclass(frozen=True)
class Platform:
    """A platform spec of the corpus: code, display name, family and the text that identifies it."""

    code: str
    name: str
    family: str
    match: str


@dataclass(frozen=True)
class Block:
    """One platform message of the map and the business step it corresponds to."""

    platform: str
    message: str
    step: str  # a message type id, or envelope / ack / none
    reason: str | None
    doubt: str | None


@dataclass(frozen=True)
class Entry:
    """The map's entry for one corpus field."""

    block: Block
    path: str
    category: str  # one of CATEGORIES
    element: str | None  # for mapped
    reason: str | None  # for gap
    doubt: str | None

    @property
    def key(self) -> tuple[str, str, str]:
        """The stable key: platform code, message, path."""
        return (self.block.platform, self.block.message, self.path)


@dataclass(frozen=True)
class Model:
    """The corpus, the checked map and the spec, joined: one entry per corpus field."""

    spec: Spec
    platforms: dict[str, Platform]
    fields: tuple[CorpusField, ...]
    blocks: tuple[Block, ...]
    entries: dict[tuple[str, str, str], Entry]

    def entry(self, field: CorpusField) -> Entry:
        """The map's entry of ``field``."""
        return self.entries[field.key]

    carried: dict[str, frozenset[str]]  # message type id -> element paths it can carry

    def carriable(self, entry: Entry) -> bool:
        """Mapped, and its element is part of the message type its platform message corresponds
        to (for an envelope field: part of every message type)."""
        if entry.category != "mapped" or entry.element is None:
            return False
        step = entry.block.step
        if step == "envelope":
            return all(entry.element in paths for paths in self.carried.values())
        return entry.element in self.carried.get(step, frozenset())

    def effectively_required(self, field: CorpusField) -> bool:
        """Marked required (``Y``) and so is every parent field the same message lists."""
        if field.required != "Y":
            return False
        by_path = {f.path: f for f in self.fields
                   if f.platform == field.platform and f.message == field.message}
        parent = parent_path(field.path)
        while parent:
            above = by_path.get(parent)
            if above is not None and above.required != "Y":
                return False
            parent = parent_path(parent)
        return True


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with a key given twice (YAML would keep the last)."""


def _construct_unique(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique)


def parent_path(path: str) -> str:
    """The path of the field that holds ``path`` (``a[].b`` -> ``a``; ``a.b`` -> ``a``), or ""."""
    if "." not in path:
        return ""
    head = path.rsplit(".", 1)[0]
    for mark in _PARENT_MARKS:
        head = head.removesuffix(mark)
    return head


def dictionary_paths(spec: Spec) -> frozenset[str]:
    """Every element path of the spec's dictionary as a message type places it (``bidder.uscc``,
    ``claim.account.accountNo``, ``attachments[].url``): the paths a map may name."""
    paths: set[str] = set()
    for mt in spec.message_types.values():
        paths |= _carried_with_items(spec, mt)
    return frozenset(paths)


def message_paths(spec: Spec, mt: MessageType) -> frozenset[str]:
    """Every element path ``mt`` can carry, list items included (``attachments[].url``)."""
    return frozenset(_carried_with_items(spec, mt))


def _carried_with_items(spec: Spec, mt: MessageType) -> set[str]:
    paths = set(mt.fields)
    for section in mt.sections:
        paths.add(section.name)  # a container field (a list, an object) maps to its section
        prefix = f"{section.name}[]" if section.is_list else section.name
        paths |= _group_paths(spec, section.group, prefix, frozenset(section.exclude))
    return paths


def _group_paths(spec: Spec, group_id: str, prefix: str, exclude: frozenset[str]) -> set[str]:
    """The paths of a group's elements below ``prefix``, nested groups and list items
    (``invoices[].orders[].orderNo``) included; ``exclude`` holds names (dotted one level down
    for a nested group) the message type leaves out."""
    group = spec.groups.get(group_id)
    if group is None:
        return set()
    out: set[str] = set()
    for element in group.elements:
        if element.name in exclude:
            continue
        path = f"{prefix}.{element.name}"
        out.add(path)
        inner = frozenset(x.split(".", 1)[1] for x in exclude
                          if x.startswith(element.name + "."))
        if element.datatype == "group":
            out |= _group_paths(spec, str(element.facet("group")), path, inner)
        elif element.datatype == "list" and isinstance(element.facet("of"), str):
            out |= _group_paths(spec, str(element.facet("of")), f"{path}[]", inner)
    return out


def read_corpus(path: Path, platforms: dict[str, Platform]) -> tuple[CorpusField, ...]:
    """The corpus's field objects, each given the code of the one platform whose ``match`` its
    ``platform`` text contains; raise MapError naming a platform text no code (or two) matches."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MapError([Text(f"无法读取参考语料 {path}：{exc}",
                             f"cannot read the reference corpus {path}: {exc}")]) from None
    fields: list[CorpusField] = []
    problems: list[Text] = []
    for obj in raw:
        codes = [p.code for p in platforms.values() if p.match in obj["platform"]]
        if len(codes) != 1:
            problems.append(Text(
                f"语料平台“{obj['platform']}”匹配的平台代码不是恰好一个：{codes}",
                f"corpus platform {obj['platform']!r} matches {len(codes)} platform codes: "
                f"{codes}"))
            continue
        fields.append(CorpusField(codes[0], obj["message"], obj["path"], obj["field"],
                                  obj["required"], obj["zh"], obj["meaning_en"]))
    if problems:
        raise MapError(sorted(set(problems), key=lambda t: t.en))
    return tuple(fields)


def read_map(path: Path) -> dict[str, Any]:
    """The map file as data; raise MapError if it does not parse or gives a key twice."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except OSError as exc:
        raise MapError([Text(f"无法读取映射文件 {path}：{exc}",
                             f"cannot read the map {path}: {exc}")]) from None
    except yaml.YAMLError as exc:
        raise MapError([Text(f"映射文件 {path} 无法解析：{exc}",
                             f"the map {path} does not parse: {exc}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list) \
            or not isinstance(data.get("platforms"), dict):
        raise MapError([Text(f"映射文件 {path} 须有 platforms（映射）和 messages（列表）",
                             f"the map {path} needs `platforms` (a mapping) and `messages` "
                             "(a list)")])
    return data


def read_platforms(data: dict[str, Any]) -> dict[str, Platform]:
    """The map's platform codes."""
    out: dict[str, Platform] = {}
    for code, value in data["platforms"].items():
        out[str(code)] = Platform(str(code), str(value["name"]), str(value["family"]),
                                  str(value["match"]))
    return out


def for_version(value: Any, version: str) -> Any:
    """``value`` as it reads for spec ``version``: a mapping's ``by_version[version]`` replaces
    it (a field entry) or is merged over it (a message block, whose ``fields`` merge too)."""
    if not isinstance(value, dict) or "by_version" not in value:
        return value
    base = {k: v for k, v in value.items() if k != "by_version"}
    override = (value["by_version"] or {}).get(version)
    if override is None:
        return base
    if "message" not in base:  # a field entry: replaced whole
        return override
    merged = {**base, **{k: v for k, v in override.items() if k != "fields"}}
    merged["fields"] = {**(base.get("fields") or {}), **(override.get("fields") or {})}
    return merged


def _entry(block: Block, path: str, value: Any,
           known: frozenset[str]) -> tuple[Entry | None, list[Text]]:
    where = f"{block.platform} {block.message} {path}"
    if isinstance(value, str) and value in ("ENV", "ACK", "INV"):
        return Entry(block, path, value, None, None, None), []
    if isinstance(value, str):
        value = {"map": value}
    if not isinstance(value, dict) or len({"map", "gap"} & set(value)) != 1 \
            or set(value) - {"map", "gap", "doubt"}:
        return None, [Text(f"{where}：条目须为元素路径、ENV/ACK/INV、{{map: …}} 或 "
                           f"{{gap: …}}，而不是 {value!r}",
                           f"{where}: an entry is an element path, ENV/ACK/INV, {{map: ...}} or "
                           f"{{gap: ...}}, not {value!r}")]
    doubt = value.get("doubt")
    if "gap" in value:
        return Entry(block, path, "gap", None, str(value["gap"]), doubt), []
    element = str(value["map"])
    if element not in known:
        return None, [Text(f"{where}：元素 {element} 不在规范的数据字典中"
                           "（没有报文类型含此元素路径）",
                           f"{where}: element {element} is not in the spec's dictionary (no "
                           "message type has this element path)")]
    return Entry(block, path, "mapped", element, None, doubt), []


def build_model(spec: Spec, corpus: Path, map_path: Path) -> Model:
    """Join corpus, map and spec; raise MapError listing every problem: a corpus field with no
    entry or two, an entry for no corpus field, an unknown element or message type."""
    data = read_map(map_path)
    platforms = read_platforms(data)
    fields = read_corpus(corpus, platforms)
    known = dictionary_paths(spec)
    problems: list[Text] = []
    blocks: list[Block] = []
    entries: dict[tuple[str, str, str], Entry] = {}
    seen_blocks: set[tuple[str, str]] = set()
    for listed in data["messages"]:
        raw = for_version(listed, spec.version)
        block = Block(str(raw.get("platform")), str(raw.get("message")), str(raw.get("step")),
                      raw.get("reason"), raw.get("doubt"))
        name = f"{block.platform} {block.message}"
        if (block.platform, block.message) in seen_blocks:
            problems.append(Text(f"{name}：消息在映射中出现两次",
                                 f"{name}: message listed twice in the map"))
        seen_blocks.add((block.platform, block.message))
        if block.platform not in platforms:
            problems.append(Text(f"{name}：未知平台代码 {block.platform}",
                                 f"{name}: unknown platform code {block.platform}"))
        if block.step not in PSEUDO_STEPS and block.step not in spec.message_types:
            problems.append(Text(
                f"{name}：报文类型 {block.step} 不在规范 {spec.id} {spec.version} 中",
                f"{name}: message type {block.step} is not in spec {spec.id} {spec.version}"))
        if block.step == "none" and not block.reason:
            problems.append(Text(f"{name}：step none 须说明理由（reason）",
                                 f"{name}: step none needs a reason"))
        blocks.append(block)
        for path, value in (raw.get("fields") or {}).items():
            entry, found = _entry(block, str(path), for_version(value, spec.version), known)
            problems.extend(found)
            if entry is not None:
                entries[entry.key] = entry
    corpus_keys = {f.key for f in fields}
    for f in fields:
        if f.key not in entries and not any(p.en.startswith(" ".join(f.key)) for p in problems):
            problems.append(Text(f"{' '.join(f.key)}：语料字段在映射中没有条目",
                                 f"{' '.join(f.key)}: corpus field has no entry in the map"))
    for key in entries:
        if key not in corpus_keys:
            problems.append(Text(f"{' '.join(key)}：映射条目在语料中没有对应字段",
                                 f"{' '.join(key)}: map entry matches no corpus field"))
    if problems:
        raise MapError(problems)
    carried = {mt.id: message_paths(spec, mt) for mt in spec.message_types.values()}
    return Model(spec, platforms, fields, tuple(blocks), entries, carried)
