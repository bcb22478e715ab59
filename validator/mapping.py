"""Map a platform's native message onto the spec's canonical message (one direction).

:func:`map_native` takes the parsed native document (with its envelope, or the bare body),
tells which native message it is, and builds the canonical document: renamed, restructured,
codes translated, values read in their declared forms, constants added. It keeps where every
canonical value came from (:attr:`Mapped.origins`), so findings on the canonical document can
be moved back to the native field, and it reports what it could not map as findings at the
native field (:class:`MapIssue`); a canonical element the mapping already reported is
*claimed*: later checks do not report it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from hegui.validator.native_docs import escape, get_path, get_pointer, put
from hegui.validator.native_docs import shown as show_value
from hegui.validator.native_forms import FormError, to_canonical
from hegui.validator.platform_model import (
    Envelope,
    FieldMap,
    NativeMessage,
    Platform,
    code_key,
)
from hegui.validator.platform_paths import pointer
from hegui.validator.spec import Severity, Text


@dataclass(frozen=True)
class MapIssue:
    """A finding of the mapping, at a native JSON Pointer."""

    rule_id: str
    severity: Severity
    text: Text
    pointer: str
    value: Any = None


@dataclass
class Mapped:
    """The canonical document of a native message, and where its values came from."""

    doc: dict[str, Any] | None
    message: NativeMessage | None
    base: str = ""  # native pointer of the business body ("" when bare)
    enveloped: bool = False
    body_as_text: bool = False  # the body was JSON text inside the envelope
    #: The envelope the message came in (None: bare), and the one its message travels in.
    envelope: Envelope | None = None
    expects: Envelope | None = None
    #: canonical pointer -> (native pointer, native path)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)
    issues: list[MapIssue] = field(default_factory=list)
    stop: MapIssue | None = None
    #: A batch message (``each``): which item this document is, and how many there are.
    item: int | None = None
    batch: int = 1


def map_native(platform: Platform, native: Mapping[str, Any],
               forced: str | None = None, item: int = 0) -> Mapped:
    """The canonical document of ``native`` under ``platform`` (``forced``: the native
    message's name, else recognised from the body; ``item``: of a batch message, the item
    of its list the document is made of)."""
    out = Mapped(None, None)
    wanted = None
    if forced is not None:
        wanted = platform.messages.get(forced)
        if wanted is None:
            _message(platform, native, forced, out)
            return out
    body: Any = native
    message = wanted
    ambiguous: list[NativeMessage] = []
    for env in platform.envelopes_of(native):
        if wanted is not None and wanted.envelope != env.name:
            continue
        inner = _body(env, native, out)
        if inner is None:
            return out
        if wanted is None:
            found = platform.recognise(inner, env.name)
            if len(found) != 1:
                ambiguous += found
                out.body_as_text = False
                continue
            message = found[0]
        out.enveloped, out.envelope, out.base, body = True, env, pointer(env.body, []), inner
        break
    else:
        out.body_as_text = False
    if message is None and ambiguous:
        _ambiguous(ambiguous, out)
        return out
    if message is None:
        message = _message(platform, native, None, out)
        if message is None:
            return out
    out.message = message
    out.expects = platform.envelopes.get(message.envelope) if message.envelope else None
    if message.each is not None:
        out.item = item
    doc: dict[str, Any] = {"messageType": message.message_type,
                           "specVersion": platform.spec_version}
    walker = _Walker(platform, message, doc, out)
    if out.envelope is not None:
        walker.walk_envelope(native, out.envelope)
    walker.walk(body, "", out.base if not out.body_as_text else None, [])
    walker.finish()
    for path, value in message.constants.items():
        put(doc, pointer(path, []), value, create=True, only_if_absent=True)
    out.doc = doc
    return out


def _body(env: Envelope, native: Mapping[str, Any], out: Mapped) -> dict[str, Any] | None:
    """The business body in envelope ``env``, or None (``out.stop`` says why)."""
    body = raw = get_path(native, env.body)
    if isinstance(body, str):
        try:
            body = orjson.loads(body)
            out.body_as_text = True
        except orjson.JSONDecodeError:
            body = None
    if isinstance(body, dict):
        return body
    out.body_as_text = False
    if raw is None or raw == "" or raw == {}:
        out.stop = MapIssue("map.envelope@empty", "error", Text(
            f"信封中的业务数据 {env.body} 为空，未做任何检查",
            f"the envelope's business data {env.body} is empty: nothing was checked"),
            pointer(env.body, []), show_value(body))
        return None
    out.stop = MapIssue("map.envelope@encrypted", "error", Text(
        f"信封 {env.body} 中的业务数据不是 JSON 对象（可能已加密）；"
        "解密尚不支持，未做任何检查",
        f"the business data in the envelope's {env.body} is not a JSON object (it "
        "may be encrypted); decryption is not supported yet: nothing was checked"),
        pointer(env.body, []), show_value(get_path(native, env.body)))
    return None


def _message(platform: Platform, body: Mapping[str, Any], forced: str | None,
             out: Mapped) -> NativeMessage | None:
    names = "、".join(platform.messages), ", ".join(platform.messages)
    if forced is not None:
        found = platform.messages.get(forced)
        if found is None:
            out.stop = MapIssue("map.message@unknown", "error", Text(
                f"平台配置 {platform.id} 没有报文 {forced}（现有：{names[0]}）",
                f"platform profile {platform.id} has no message {forced} (messages: "
                f"{names[1]})"), out.base)
        return found
    candidates = platform.recognise(body)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        _ambiguous(candidates, out)
    else:
        out.stop = MapIssue("map.message@unknown", "error", Text(
            f"无法确定是平台配置 {platform.id} 的哪一种报文，请用 --native-message 指定"
            f"（现有：{names[0]}）",
            f"cannot tell which message of platform profile {platform.id} this is: use "
            f"--native-message (messages: {names[1]})"), out.base)
    return None


def _ambiguous(candidates: list[NativeMessage], out: Mapped) -> None:
    which = "、".join(m.name for m in candidates), ", ".join(m.name for m in candidates)
    out.stop = MapIssue("map.message@unknown", "error", Text(
        f"无法确定是哪一种报文（{which[0]} 都符合），请用 --native-message 指定",
        f"cannot tell which message this is ({which[1]} all match): use --native-message"),
        out.base)


class _Walker:
    """One pass over the native document, filling the canonical one."""

    def __init__(self, platform: Platform, message: NativeMessage, doc: dict[str, Any],
                 out: Mapped):
        self.platform = platform
        self.message = message
        self.doc = doc
        self.out = out
        #: (mapping, value, native pointer, native path, item key): items added last
        self.items: list[tuple[FieldMap, Any, str, str, str]] = []

    def walk_envelope(self, native: Mapping[str, Any], env: Envelope) -> None:
        for key, value in native.items():
            p = "/" + escape(key)
            if key == env.body.split(".")[0]:
                continue
            fm = env.fields.get(key)
            if fm is not None:
                self.apply(fm, value, p, key, [])
            elif key in env.known:
                self._walk_value(value, key, p, [], env.fields, env.known)
            else:
                self.unexpected(key, p, value)

    def walk(self, node: Any, path: str, ptr: str | None, indices: list[int]) -> None:
        """Walk a body object (``ptr`` None: the body was text, its inner places unknown)."""
        self._walk_object(node, path, ptr, indices, self.message.fields, self.message.known)

    def _walk_object(self, node: Mapping[str, Any], path: str, ptr: str | None,
                     indices: list[int], fields: Mapping[str, FieldMap],
                     known: frozenset[str]) -> None:
        for key, value in node.items():
            p = f"{path}.{key}" if path else key
            here = None if ptr is None else f"{ptr}/{escape(key)}"
            self._walk_value(value, p, here, indices, fields, known)

    def _walk_value(self, value: Any, path: str, ptr: str | None, indices: list[int],
                    fields: Mapping[str, FieldMap], known: frozenset[str]) -> None:
        shown = self.out.base if ptr is None else ptr
        each = self.message.each
        if each is not None and path + "[]" == each and fields is self.message.fields:
            self._batch(value, path, ptr, indices, fields, known)  # whatever names the list
            return
        fm = fields.get(path)
        if fm is not None and not fm.container:
            self.apply(fm, value, shown, path, indices)
            return
        if fm is not None and fm.form == "json" and not fm.dropped:
            if not isinstance(value, str):
                self._form_issue(fm, value, shown, path, Text(
                    "应为 JSON 文本", "expected JSON text"))
                return
            try:
                value = orjson.loads(value)
            except orjson.JSONDecodeError:
                self._form_issue(fm, value, shown, path, Text(
                    "不是有效的 JSON 文本", "not valid JSON text"))
                return  # its parts' places are inside the text: they point into it
        if fm is not None and fm.container and not fm.dropped:
            self._container(fm, value, indices)
        if fm is not None and fm.dropped:
            return
        if isinstance(value, list) and (path + "[]") in known:
            for i, item in enumerate(value):
                here = None if ptr is None else f"{ptr}/{i}"
                if isinstance(item, dict):
                    self._walk_object(item, path + "[]", here, [*indices, i], fields, known)
                else:
                    self._walk_value(item, path + "[]", here, [*indices, i], fields, known)
            return
        if isinstance(value, dict) and any(k.startswith(path + ".") for k in known):
            self._walk_object(value, path, ptr, indices, fields, known)
            return
        if fm is None:
            self.unexpected(path, shown, value)

    def _batch(self, value: Any, path: str, ptr: str | None, indices: list[int],
               fields: Mapping[str, FieldMap], known: frozenset[str]) -> None:
        """The one item of a batch list this document is made of (its index is not a list
        index of the canonical message: each item is a message of its own)."""
        shown = self.out.base if ptr is None else ptr
        if not isinstance(value, list) or not value:
            self.out.issues.append(MapIssue(f"map.{path}@empty", "error", Text(
                f"批量报文的 `{path}` 应为非空数组：其中每一项是一笔业务",
                f"`{path}` of a batch message must be a non-empty list: each item is one "
                "message"), shown, show_value(value)))
            return
        self.out.batch = len(value)
        i = self.out.item or 0
        here = None if ptr is None else f"{ptr}/{i}"
        item = value[i] if i < len(value) else None
        if isinstance(item, dict):
            self._walk_object(item, path + "[]", here, indices, fields, known)
        else:
            self.unexpected(path + "[]", here or shown, item)

    def _container(self, fm: FieldMap, value: Any, indices: list[int]) -> None:
        """An empty native list or object still makes its canonical container."""
        for t in fm.targets:
            if isinstance(value, list) and not value:
                put(self.doc, pointer(t.removesuffix("[]"), indices), [], create=True,
                     only_if_absent=True)

    def _form_issue(self, fm: FieldMap, value: Any, ptr: str, path: str, why: Text) -> None:
        self.out.issues.append(MapIssue(f"map.{fm.native}@form", "error", Text(
            f"`{path}` 的值“{show_value(value)}”无法读取：{why.zh}",
            f"the value of `{path}` ('{show_value(value)}') cannot be read: {why.en}"),
            ptr, show_value(value)))

    def unexpected(self, path: str, ptr: str, value: Any) -> None:
        self.out.issues.append(MapIssue(f"map.{path}@unexpected", "error", Text(
            f"平台规范未为报文 {self.message.name} 定义字段 `{path}`",
            f"the platform's spec defines no field `{path}` for message {self.message.name}"),
            ptr, show_value(value)))

    def apply(self, fm: FieldMap, value: Any, ptr: str, path: str,
              indices: list[int]) -> None:
        """Map one native value (a leaf) through ``fm``."""
        if fm.dropped:
            return
        rule = f"map.{fm.native}"
        pointers = self._pointers(fm, indices)
        if isinstance(value, str):
            for ph in self.platform.placeholders:
                if ph.matches(value):
                    self.claim(pointers, ptr, path)
                    self.out.issues.append(MapIssue(f"{rule}@placeholder", "error", Text(
                        f"`{path}` 的值“{show_value(value)}”是{ph.text.zh}，不是真实数据",
                        f"the value of `{path}` ('{show_value(value)}') is {ph.text.en}, not "
                        "real data"), ptr, show_value(value)))
                    return
        if fm.codes is not None:
            words = [self._translate(fm, value, ptr, path, fm.table_for(i))
                     for i in range(len(fm.targets))]
            if any(w is None for w in words):
                self.claim(pointers, ptr, path)
                return
            if fm.tables and not fm.makes_items:  # each target its own translation
                for p, word in zip(pointers, words, strict=True):
                    put(self.doc, p, word, create=True)
                    self.out.origins[p] = (ptr, path)
                return
            value = words[0]
        else:
            try:
                value = to_canonical(fm, value, self.platform.timezone)
            except FormError as exc:
                self.claim(pointers, ptr, path)
                self.out.issues.append(MapIssue(f"{rule}@form", "error", Text(
                    f"`{path}` 的值“{show_value(value)}”无法读取：{exc.text.zh}",
                    f"the value of `{path}` ('{show_value(value)}') cannot be read: "
                    f"{exc.text.en}"), ptr, show_value(value)))
                return
        where = "".join(f"/{i}" for i in indices)  # one item per native list item
        if fm.spread and isinstance(value, list):  # every part makes one item
            for n, part in enumerate(value):
                self.items.append((fm, part, ptr, path, f"#{fm.native}{where}#{n}"))
            return
        if fm.makes_items:
            self.items.append((fm, value, ptr, path, (fm.item or f"#{fm.native}") + where))
            return
        for p in pointers:
            put(self.doc, p, value, create=True)
            self.out.origins[p] = (ptr, path)

    def _pointers(self, fm: FieldMap, indices: list[int]) -> list[str]:
        if fm.makes_items:  # its item is made only once the value is read
            return []
        return [pointer(t, indices) for t in fm.targets]

    def claim(self, pointers: list[str], ptr: str, path: str) -> None:
        """The mapping reported these canonical elements: later checks leave them alone,
        but the object that holds them exists, so its other members are still judged."""
        for p in pointers:
            self.out.claimed.add(p)
            self.out.origins.setdefault(p, (ptr, path))
            parent = p.rsplit("/", 1)[0]
            if parent:
                put(self.doc, parent, {}, create=True, only_if_absent=True)

    def _translate(self, fm: FieldMap, value: Any, ptr: str, path: str,
                   name: str | None) -> Any:
        table = self.platform.codes[name or ""]
        key = code_key(value)
        rule = f"map.{fm.native}"
        if value is None:
            return None
        word = table.values.get(key) if key is not None else None
        if word is None:
            self.out.issues.append(MapIssue(f"{rule}@code", "error", Text(
                f"`{path}` 的代码“{show_value(value)}”不在代码对照表 {table.id}（{table.label.zh}）"
                f"中：{table.listing()}",
                f"the code '{show_value(value)}' of `{path}` is not in translation table "
                f"{table.id} ({table.label.en}): {table.listing()}"), ptr, show_value(value)))
            return None
        if isinstance(word, Text):
            self.out.issues.append(MapIssue(f"{rule}@untranslatable", "error", Text(
                f"`{path}` 的代码“{show_value(value)}”在规范中没有对应值：{word.zh}",
                f"the code '{show_value(value)}' of `{path}` has no counterpart in the spec: "
                f"{word.en}"), ptr, show_value(value)))
            return None
        return word

    def finish(self) -> None:
        """Add the items made by single native fields (``with``; the fields of one ``item``
        together) after the native lists."""
        made: dict[tuple[str, str], str] = {}  # (list, item key) -> the item's pointer
        for fm, value, ptr, path, name in self.items:
            target = fm.targets[0]
            list_path, _, member = target.rpartition("[].")
            key = (list_path, name)
            item_ptr = made.get(key)
            if item_ptr is None:
                lst = get_pointer(self.doc, pointer(list_path, []))
                index = len(lst) if isinstance(lst, list) else 0
                item_ptr = made[key] = f"{pointer(list_path, [])}/{index}"
                put(self.doc, item_ptr, {}, create=True)
            put(self.doc, f"{item_ptr}/{member}", value, create=True)
            self.out.origins[f"{item_ptr}/{member}"] = (ptr, path)
            for wpath, const in fm.with_.items():
                put(self.doc, f"{item_ptr}/{wpath.rpartition('[].')[2]}", const, create=True)
                self.out.origins.setdefault(f"{item_ptr}/{wpath.rpartition('[].')[2]}",
                                            (ptr, path))
