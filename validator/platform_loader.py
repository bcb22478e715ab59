"""Find, read and compile platform profiles (docs/platform-profiles.md).

A profile is a folder ``specs/<spec id>/platforms/<profile id>/`` holding ``platform.yaml``,
``messages.yaml`` and ``codes.yaml``. Each file is checked against the meta-schema, then
compiled against the spec version (and requirements layer) it names: a target the message
type does not have, a code element reached without a translation, a code word outside its
code list, a form that cannot write the target's type — every problem is a
:class:`SpecError` naming the file and the line, all at once. Compiled profiles are cached
per process (by id or folder).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from hegui.validator.envelope_scheme import parse_security
from hegui.validator.errors import HeguiError, SpecError, SpecProblem, UsageError
from hegui.validator.loader import MetaSchema, _parse
from hegui.validator.platform_model import (
    CodeTable,
    Envelope,
    FieldMap,
    NativeMessage,
    Placeholder,
    Platform,
)
from hegui.validator.platform_paths import Target, resolve
from hegui.validator.spec import MessageType, Spec, Text
from hegui.validator.versions import bundled_spec_ids
from hegui.validator.yamlsource import Located

__all__ = ["PLATFORMS_DIR", "bundled_platform_ids", "load_platform", "platform_folder"]

PLATFORMS_DIR = "platforms"
_FILES = {"platform": "platform.yaml", "platformMessages": "messages.yaml",
          "platformCodes": "codes.yaml"}
#: The forms each target datatype accepts (besides ``text`` for strings of every kind).
_FORMS_FOR = {"money": {"decimal"}, "rate": {"decimal"}, "integer": {"integer"},
              "datetime": {"epoch-ms", "epoch-s", "datetime"}, "date": {"datetime"},
              "boolean": {"boolean"}, "list": {"list"}}
_DEFAULT_FORM = {"money": "decimal", "rate": "decimal", "integer": "integer",
                 "datetime": "datetime", "date": "datetime", "boolean": "boolean"}


def _bundled_root() -> Traversable:
    return resources.files("hegui.specs")


@functools.cache
def _bundled() -> tuple[tuple[str, str], ...]:
    """(spec id, profile id) of every bundled profile, sorted by profile id."""
    out = []
    for sid in bundled_spec_ids():
        folder = _bundled_root().joinpath(sid).joinpath(PLATFORMS_DIR)
        if folder.is_dir():
            out += [(sid, p.name) for p in folder.iterdir()
                    if p.is_dir() and p.joinpath("platform.yaml").is_file()]
    return tuple(sorted(out, key=lambda x: x[1]))


def bundled_platform_ids() -> list[str]:
    """Ids of the platform profiles shipped inside the package, sorted."""
    return [pid for _, pid in _bundled()]


def is_platform_name(name: str) -> bool:
    """Whether ``name`` names a platform profile (a bundled id or a profile folder)."""
    if name in bundled_platform_ids():
        return True
    path = Path(name)
    return path.is_dir() and (path / "platform.yaml").is_file()


def platform_folder(name: str) -> Traversable:
    """The folder of profile ``name``: a bundled id or a folder path."""
    for sid, pid in _bundled():
        if pid == name:
            return _bundled_root().joinpath(sid).joinpath(PLATFORMS_DIR).joinpath(pid)
    path = Path(name)
    if path.is_dir() and (path / "platform.yaml").is_file():
        return path
    have = ", ".join(bundled_platform_ids()) or "none"
    raise UsageError(f"没有平台配置 {name!r}（现有：{have}）/ no platform profile {name!r} "
                     f"(profiles: {have})")


def load_platform(name: str) -> Platform:
    """The compiled platform profile ``name`` (a bundled id or a folder), once per process."""
    folder = platform_folder(name)
    key = str(Path(str(folder)).resolve()) if isinstance(folder, Path) else str(folder)
    return _load(key, folder)


_COMPILED: dict[str, Platform] = {}


def _load(key: str, folder: Traversable) -> Platform:
    found = _COMPILED.get(key)
    if found is not None:
        return found
    try:
        platform = _Compiler(folder).compile()
    except SpecError as exc:
        raise exc.placed(str(folder)) from None
    _COMPILED[key] = platform
    return platform


@functools.cache
def _meta() -> MetaSchema:
    return MetaSchema()


class _Compiler:
    """Reads the three files of a profile folder and builds the :class:`Platform`."""

    def __init__(self, folder: Traversable):
        self.folder = folder
        self.problems: list[SpecProblem] = []
        self.docs: dict[str, Located] = {}
        self.positions: dict[str, int] = {}

    def fail(self, kind: str, path: tuple[Any, ...], message: str) -> None:
        doc = self.docs.get(kind)
        line, col = (doc.where(path) if doc else None) or (None, None)
        self.problems.append(SpecProblem(_FILES[kind], message, line, col))

    def read(self) -> str:
        digest = hashlib.sha256()
        meta = _meta()
        for kind, name in _FILES.items():
            entry = self.folder.joinpath(name)
            if not entry.is_file():
                self.problems.append(SpecProblem(name, f"missing profile file {name}"))
                continue
            raw = entry.read_bytes()
            digest.update(name.encode() + b"\0" + raw + b"\0")
            try:
                located = _parse(raw, name)
            except SpecError as exc:
                self.problems.extend(exc.problems)
                continue
            if not meta.is_valid(kind, located.data):
                self.problems.extend(meta.problems(kind, located, name))
                continue
            self.docs[kind] = located
        if self.problems:
            raise SpecError.of(self.problems)
        return digest.hexdigest()

    def compile(self) -> Platform:
        sha = self.read()
        manifest = self.docs["platform"].data
        spec = self._spec(manifest)
        codes = self._codes(spec)
        envelopes: dict[str, Envelope] = {}
        if "envelope" in manifest:
            envelopes["default"] = self._envelope("default", manifest["envelope"], spec, codes,
                                                  ("envelope",))
        for name, env in manifest.get("envelopes", {}).items():
            envelopes[name] = self._envelope(name, env, spec, codes, ("envelopes", name))
        messages = {name: self._message(name, m, spec, codes, envelopes)
                    for name, m in self.docs["platformMessages"].data["messages"].items()}
        placeholders = tuple(_placeholder(p) for p in manifest.get("placeholders", ()))
        if self.problems:
            raise SpecError.of(self.problems)
        return Platform(
            id=manifest["id"], title=_text(manifest["title"]), family=manifest["family"],
            spec=f"{spec.id}@{spec.version}", layer=manifest.get("layer"),
            status=manifest["status"], timezone=manifest.get("timezone", "+08:00"),
            source=dict(manifest["source"]), messages=messages, codes=codes, sha256=sha,
            folder=str(self.folder), notes=tuple(_text(n) for n in manifest.get("notes", ())),
            envelopes=envelopes, placeholders=placeholders, positions=self.positions)

    def _spec(self, manifest: Mapping[str, Any]) -> Spec:
        from hegui.validator.loader import load_spec

        try:
            return load_spec(manifest["spec"], manifest.get("layer"))
        except HeguiError as exc:
            self.fail("platform", ("spec",), f"cannot load spec {manifest['spec']} "
                      f"(layer {manifest.get('layer')}): {exc}")
            raise SpecError.of(self.problems) from None

    def _codes(self, spec: Spec) -> dict[str, CodeTable]:
        out = {}
        for cid, t in self.docs["platformCodes"].data["codes"].items():
            where = ("codes", cid)
            cl = spec.codelists.get(t["codelist"])
            if cl is None:
                self.fail("platformCodes", (*where, "codelist"),
                          f"unknown code list {t['codelist']!r} of spec {spec.name}")
                continue
            values: dict[str, str | Text] = {}
            for native, word in t["values"].items():
                if isinstance(word, str) and word not in cl.values():
                    self.fail("platformCodes", (*where, "values", native),
                              f"{word!r} is not a code of code list {cl.id} "
                              f"({', '.join(cl.values())})")
                values[str(native)] = word if isinstance(word, str) else _text(word["none"])
            basis = t["basis"] if isinstance(t["basis"], str) else t["basis"]["text"]
            out[cid] = CodeTable(cid, Text(t["zh"], t["en"]), basis, cl.id, values)
        return out

    def _envelope(self, name: str, env: Mapping[str, Any], spec: Spec,
                  codes: Mapping[str, CodeTable], at: tuple[str, ...]) -> Envelope:
        # Envelope members map onto the header, which every message type shares: they are
        # checked against the first message type (of the messages in it) that has each target.
        default = "envelope" in self.docs["platform"].data
        types = [spec.message_types[m["messageType"]]
                 for m in self.docs["platformMessages"].data["messages"].values()
                 if m["messageType"] in spec.message_types
                 and m.get("envelope", "default" if default else "none") == name]
        fields = {}
        for native, raw in env["fields"].items():
            where = (*at, "fields", native)
            mt = next((t for t in types if all(
                resolve(spec, t, p) is not None for p in _targets(raw))), None)
            if mt is None and types:
                mt = types[0]
            if mt is not None:
                fm = self._field(native, raw, spec, mt, codes, "platform", where)
                if fm is not None:
                    fields[native] = fm
        known, reverse = _indexes(fields)
        known |= {env["body"], *_prefixes(env["body"])}
        return Envelope(name, env["body"], tuple(env["recognise"]), fields, env.get("corpus"),
                        frozenset(known), reverse, parse_security(env["body"], env.get("security")))

    def _message(self, name: str, m: Mapping[str, Any], spec: Spec,
                 codes: Mapping[str, CodeTable], envelopes: Mapping[str, Envelope]
                 ) -> NativeMessage:
        where = ("messages", name)
        line = self.docs["platformMessages"].where(where)
        if line:
            self.positions[name] = line[0]
        mt = spec.message_types.get(m["messageType"])
        label = Text(m["zh"], m["en"])
        if mt is None:
            self.fail("platformMessages", (*where, "messageType"),
                      f"spec {spec.name} has no message type {m['messageType']!r}")
            return NativeMessage(name, m["messageType"], label, {})
        fields: dict[str, FieldMap] = {}
        each = m.get("each")
        if each is not None and each.removesuffix("[]") in m["fields"]:
            self.fail("platformMessages", (*where, "fields", each.removesuffix("[]")),
                      f"{each.removesuffix('[]')!r} is the batch list (each): its items are "
                      "the messages, it is not mapped itself")
        if each is not None and not any(k.startswith(each + ".") for k in m["fields"]):
            self.fail("platformMessages", (*where, "each"),
                      f"no field of {each!r} is mapped: each item of it is one message")
        for native, raw in m["fields"].items():
            fm = self._field(native, raw, spec, mt, codes, "platformMessages",
                             (*where, "fields", native), each)
            if fm is not None:
                fields[native] = fm
        constants = dict(m.get("constants", {}))
        core = self._core(spec)
        for path, value in constants.items():
            self._constant(spec, mt, path, value, (*where, "constants", path))
            field = core.field(mt.id, path) if core is not None else None
            if field is not None and field.use == "required":
                self.fail("platformMessages", (*where, "constants", path),
                          f"{path} is required by the core of {spec.id}@{spec.version}: a "
                          "constant cannot stand in for it (that would loosen the core)")
        known, reverse = _indexes(fields)
        nc = m.get("notCarried")
        for i, path in enumerate(nc["paths"] if nc else ()):
            if resolve(spec, mt, path) is None:
                self.fail("platformMessages", (*where, "notCarried", "paths", i),
                          f"message type {mt.id} has no element {path!r}")
        envelope = m.get("envelope", "default" if "default" in envelopes else "none")
        if envelope != "none" and envelope not in envelopes:
            self.fail("platformMessages", (*where, "envelope"), f"no envelope {envelope!r} "
                      f"in platform.yaml (envelopes: {', '.join(envelopes) or 'none'})")
        return NativeMessage(
            name, mt.id, label, fields, m.get("interface"), m.get("direction"),
            m.get("corpus", name), tuple(m.get("recognise", {}).get("keys", ())),
            tuple(m.get("recognise", {}).get("absent", ())),
            dict(m.get("recognise", {}).get("values", {})), constants,
            _note(m.get("note")), None if envelope == "none" else envelope,
            tuple(nc["paths"]) if nc else (), _text(nc["reason"]) if nc else None, each,
            frozenset(known), reverse)

    def _core(self, spec: Spec) -> Spec | None:
        from hegui.validator.loader import load_spec

        try:
            return load_spec(f"{spec.id}@{spec.version}")
        except HeguiError:
            return None

    def _constant(self, spec: Spec, mt: MessageType, path: str, value: Any,
                  where: tuple[Any, ...]) -> None:
        target = resolve(spec, mt, path)
        if target is None or target.element is None:
            self.fail("platformMessages", where,
                      f"message type {mt.id} has no element {path!r}")
            return
        cl = target.element.facets.get("codelist")
        if cl is not None and str(value) not in spec.codelists[cl].values():
            self.fail("platformMessages", where, f"{value!r} is not a code of code list {cl}")

    def _field(self, native: str, raw: Any, spec: Spec, mt: MessageType,
               codes: Mapping[str, CodeTable], kind: str,
               where: tuple[Any, ...], each: str | None = None) -> FieldMap | None:
        line = self.docs[kind].where(where)
        if line:
            self.positions[f"{where[1] if kind == 'platformMessages' else '(envelope)'}"
                           f":{native}"] = line[0]
        m: dict[str, Any] = {"to": raw} if isinstance(raw, str) else dict(raw)
        if "drop" in m:
            return FieldMap(native, drop=_note(m["drop"]), note=_note(m.get("note")))
        targets = tuple(_targets(m))
        resolved: list[Target] = []
        for t in targets:
            target = resolve(spec, mt, t)
            if target is None:
                self.fail(kind, where, f"message type {mt.id} has no element {t!r}")
                return None
            lists = native.count("[]") - (1 if each and native.startswith(each + ".") else 0)
            spread = m.get("form") == "list" and t.count("[]") > lists
            if t.count("[]") > lists + (1 if m.get("with") or m.get("item") or spread else 0):
                self.fail(kind, where, f"{native!r} is not in a list: it cannot fill the list "
                          f"{t!r} (use `with` or `item` to make one item of it)")
                return None
            resolved.append(target)
        first = resolved[0]
        dtype = first.element.datatype if first.element is not None else "group"
        container = first.container
        if any((r.element.datatype if r.element else "group") != dtype for r in resolved):
            self.fail(kind, where, "the targets of one native field must have one datatype")
        raw_codes = m.get("codes")
        tables = tuple(raw_codes) if isinstance(raw_codes, list) else ()
        table = tables[0] if tables else raw_codes
        if dtype == "code" and table is None and not container:
            self.fail(kind, where, f"{targets[0]!r} is a code element: the native code "
                      "needs a translation (`codes: <table>`)")
        if tables and len(tables) != len(targets):
            self.fail(kind, (*where, "codes"), "one code table per target (`to` has "
                      f"{len(targets)}, `codes` {len(tables)})")
        elif tables:
            for t_name, r in zip(tables, resolved, strict=True):
                self._check_table(kind, where, t_name, codes, [r])
        elif table is not None:
            self._check_table(kind, where, table, codes, resolved)
        form = m.get("form") or ("text" if container else _DEFAULT_FORM.get(dtype, "text"))
        element_list = first.element is not None and first.element.datatype == "list"
        spread = (form == "list" and not element_list
                  and targets[0].count("[]") > native.count("[]")
                  - (1 if each and native.startswith(each + ".") else 0))
        if form == "json" and not container:
            self.fail(kind, (*where, "form"), "form 'json' reads JSON text into an object or "
                      "list: its target must be a section, group or list")
        elif form == "list" and spread:
            pass  # each part of the string makes one item of the target's list
        elif form not in ("text", "json") and form not in _FORMS_FOR.get(dtype, set()):
            self.fail(kind, (*where, "form"), f"form {form!r} cannot write {targets[0]!r} "
                      f"(datatype {dtype})")
        if form == "datetime" and dtype == "datetime" and "time" not in m and any(
                "%H" not in f for f in m.get("formats", ())):
            self.fail(kind, (*where, "formats"), "a date-only form for a date-time element "
                      "needs the time of day it means (`time`)")
        for wpath, value in m.get("with", {}).items():
            self._check_with(kind, where, spec, mt, targets[0], wpath, value)
        scale = first.element.facets.get("scale") if first.element is not None else None
        return FieldMap(native, targets, None, table, form, tuple(m.get("formats", ())),
                        m.get("time"), m.get("separator"), dict(m.get("with", {})),
                        m.get("item"), tables, spread, _note(m.get("note")), scale, dtype,
                        container)

    def _check_table(self, kind: str, where: tuple[Any, ...], table: str,
                     codes: Mapping[str, CodeTable], resolved: Iterable[Target]) -> None:
        t = codes.get(table)
        if t is None:
            self.fail(kind, (*where, "codes"), f"no code table {table!r} in codes.yaml")
            return
        for r in resolved:
            cl = r.element.facets.get("codelist") if r.element is not None else None
            if cl is None:
                self.fail(kind, (*where, "codes"), "a code table translates into a code "
                          "element only")
            elif cl != t.codelist and not cl.startswith(t.codelist + "_"):
                self.fail(kind, (*where, "codes"), f"table {table!r} translates into code "
                          f"list {t.codelist}, the element uses {cl}")

    def _check_with(self, kind: str, where: tuple[Any, ...], spec: Spec, mt: MessageType,
                    target: str, wpath: str, value: Any) -> None:
        if wpath.rsplit(".", 1)[0] != target.rsplit(".", 1)[0]:
            self.fail(kind, (*where, "with"), f"{wpath!r} is not in the item of {target!r}")
            return
        self._constant(spec, mt, wpath, value, (*where, "with", wpath))


def _targets(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    to = raw.get("to")
    if to is None:
        return []
    return [to] if isinstance(to, str) else list(to)


def _prefixes(path: str) -> list[str]:
    parts = path.split(".")
    out = []
    for i in range(1, len(parts)):
        head = ".".join(parts[:i])
        out.append(head)
        if head.endswith("[]"):
            out.append(head[:-2])
    return out


def _indexes(fields: Mapping[str, FieldMap]) -> tuple[set[str], dict[str, str]]:
    known: set[str] = set()
    reverse: dict[str, str] = {}
    for native, fm in fields.items():
        known.add(native)
        known.update(_prefixes(native))
        if native.endswith("[]"):
            known.add(native[:-2])
        for t in fm.targets:
            reverse.setdefault(t, native)
    return known, reverse


def _text(raw: Mapping[str, str]) -> Text:
    return Text(raw["zh"], raw["en"])


def _note(raw: Any) -> Text | None:
    if raw is None:
        return None
    return Text(raw, raw) if isinstance(raw, str) else _text(raw)


def _placeholder(raw: Mapping[str, str]) -> Placeholder:
    import re

    text = Text(raw["zh"], raw["en"])
    if "pattern" in raw:
        return Placeholder(text, pattern=re.compile(raw["pattern"]))
    return Placeholder(text, contains=raw["contains"])
