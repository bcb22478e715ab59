"""Load a spec folder: read the YAML files, check them against the meta-schema, compile a Spec.

Every problem in a spec folder becomes a :class:`SpecError` naming the file, the line and the
problem — never a traceback. CEL rules are compiled and type-checked here, so a misspelled field
name in a rule is a load error.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema_rs
import yaml

from hegui.validator.cel_backend import CelCompileError, CelEnvironment, Program, cel_type_name
from hegui.validator.errors import SpecError, SpecNotFound
from hegui.validator.spec import (
    Basis,
    Code,
    CodeList,
    ContextDoc,
    Element,
    Field,
    Group,
    MessageType,
    Rule,
    Section,
    Spec,
    Text,
)
from hegui.validator.yamlsource import Located, load_located

#: The spec files, in the order they are read; each is checked against ``$defs/<kind>``.
SPEC_FILES = ("manifest", "codelists", "dictionary", "messages", "rules")


@functools.cache
def _meta_schema() -> dict[str, Any]:
    text = resources.files("hegui.validator").joinpath("data/spec-meta.schema.yaml").read_text(
        encoding="utf-8")
    loaded: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded


@functools.cache
def _fast_meta_check(kind: str) -> Any:
    """A compiled jsonschema-rs validator for one kind of spec file (the fast, common path)."""
    return jsonschema_rs.validator_for({**_meta_schema(), "$ref": f"#/$defs/{kind}"})


def bundled_spec_ids() -> list[str]:
    """Ids of the specs shipped inside the package, sorted."""
    root = resources.files("hegui.specs")
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and p.joinpath("manifest.yaml").is_file())


def spec_folder(spec: str) -> Traversable:
    """Find a spec by bundled id or by filesystem path to its folder."""
    candidate = Path(spec)
    if candidate.is_dir() and (candidate / "manifest.yaml").is_file():
        return candidate
    root = resources.files("hegui.specs")
    folder = root.joinpath(spec)
    if folder.is_dir() and folder.joinpath("manifest.yaml").is_file():
        return folder
    known = ", ".join(bundled_spec_ids()) or "none"
    raise SpecNotFound(f"no spec {spec!r} (bundled specs: {known}) / 找不到规范 {spec!r}")


def load_spec(spec: str) -> Spec:
    """Load, check and compile the spec with bundled id (or folder path) ``spec``. Cached."""
    candidate = Path(spec)
    if candidate.is_dir():  # one cache entry per folder, whatever the current directory
        spec = str(candidate.resolve())
    return _load_cached(spec)


@functools.cache
def _load_cached(spec: str) -> Spec:
    return compile_folder(spec_folder(spec))


def compile_folder(folder: Traversable) -> Spec:
    """Read the five spec files of ``folder`` and build the immutable :class:`Spec`."""
    docs: dict[str, Located] = {}
    digest = hashlib.sha256()
    for kind in SPEC_FILES:
        name = f"{kind}.yaml"
        entry = folder.joinpath(name)
        if not entry.is_file():
            raise SpecError(name, f"missing spec file {name} in {folder}")
        raw = entry.read_bytes()
        digest.update(name.encode() + b"\0" + raw + b"\0")
        docs[kind] = _parse(raw, name, kind)
    return _Compiler(docs, str(folder), digest.hexdigest()).build()


def _parse(raw: bytes, name: str, kind: str) -> Located:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(name, f"not UTF-8: {exc}") from None
    try:
        located = load_located(text, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise SpecError(name, f"YAML error: {exc.problem or exc}", line, col) from None
    except yaml.YAMLError as exc:
        raise SpecError(name, f"YAML error: {exc}") from None
    if _fast_meta_check(kind).is_valid(located.data):
        return located
    # Invalid: let the Python implementation pick the most useful error to report (imported
    # here: it costs a tenth of a second at start-up, and good spec files never need it).
    import jsonschema

    schema = {**_meta_schema(), "$ref": f"#/$defs/{kind}"}
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(located.data),
                    key=lambda e: (located.where(tuple(e.absolute_path)) or (0, 0)))
    if errors:
        err = jsonschema.exceptions.best_match(errors) or errors[0]
        path = tuple(err.absolute_path)
        line, col = located.where(path) or (None, None)
        where = "/".join(str(p) for p in path) or "(top)"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SpecError(name, f"at {where}: {err.message}{more}", line, col)
    return located


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _text(d: Mapping[str, Any]) -> Text:
    return Text(zh=str(d.get("zh", "")), en=str(d.get("en", "")))


def _basis(value: Any) -> Basis:
    if value is None:
        return Basis("unspecified", inferred=True)
    if isinstance(value, str):
        return Basis(value)
    return Basis(str(value["text"]), bool(value.get("inferred", False)))


class _Compiler:
    """Builds a Spec from checked documents, raising SpecError with file and line."""

    def __init__(self, docs: dict[str, Located], folder: str, sha: str):
        self.docs = docs
        self.folder = folder
        self.sha = sha

    def fail(self, kind: str, path: tuple[str | int, ...], problem: str) -> SpecError:
        line, col = self.docs[kind].where(path) or (None, None)
        return SpecError(f"{kind}.yaml", problem, line, col)

    def build(self) -> Spec:
        manifest = self.docs["manifest"].data
        codelists = self._codelists()
        groups = self._groups(codelists)
        messages = self._messages(groups)
        contexts = self._contexts(manifest, messages)
        env = self._environment(messages, contexts)
        rules = self._rules(messages, contexts, env)
        self._check_conditions(groups, rules)
        standard = manifest.get("standard", {})
        return Spec(
            id=manifest["id"],
            version=manifest["version"],
            title=_text(manifest["title"]),
            standard_number=standard.get("number"),
            standard_note=_text(standard["note"]) if "note" in standard else None,
            status=manifest["status"],
            provenance=_text(manifest["provenance"]),
            namespace=manifest["namespace"],
            rule_prefix=manifest["rulePrefix"],
            codelists=MappingProxyType(codelists),
            groups=MappingProxyType(groups),
            message_types=MappingProxyType(messages),
            rules=tuple(rules),
            contexts=MappingProxyType(contexts),
            content_sha256=self.sha,
            folder=self.folder,
        )

    def _codelists(self) -> dict[str, CodeList]:
        out = {}
        for cid, c in self.docs["codelists"].data["codelists"].items():
            codes = tuple(Code(str(x["code"]), _text(x)) for x in c["codes"])
            seen: set[str] = set()
            for i, code in enumerate(codes):
                if code.code in seen:
                    raise self.fail("codelists", ("codelists", cid, "codes", i),
                                    f"duplicate code {code.code!r} in code list {cid}")
                seen.add(code.code)
            out[cid] = CodeList(cid, _text(c), _basis(c.get("basis")), codes)
        return out

    def _element(self, gid: str, name: str, e: Mapping[str, Any], path: tuple[str | int, ...],
                 codelists: Mapping[str, CodeList], group_ids: set[str]) -> Element:
        dtype = e["type"]
        facets = {k: v for k, v in e.items()
                  if k not in ("zh", "en", "type", "use", "basis", "description", "condition")}
        if dtype == "code" and e["codelist"] not in codelists:
            raise self.fail("dictionary", (*path, "codelist"),
                            f"unknown code list {e['codelist']!r}")
        if dtype == "group" and e["group"] not in group_ids:
            raise self.fail("dictionary", (*path, "group"), f"unknown group {e['group']!r}")
        if dtype == "list":
            of = e["of"]
            if isinstance(of, str):
                if of not in group_ids:
                    raise self.fail("dictionary", (*path, "of"), f"unknown group {of!r}")
            else:
                facets["of"] = self._element(gid, name, of, (*path, "of"), codelists, group_ids)
        if "pattern" in e:
            try:
                re.compile(e["pattern"])
            except re.error as exc:
                raise self.fail("dictionary", (*path, "pattern"), f"bad pattern: {exc}") from None
        return Element(
            name=name, group=gid, label=_text(e), datatype=dtype, use=e.get("use", "optional"),
            basis=_basis(e.get("basis")),
            description=_text(e["description"]) if "description" in e else None,
            facets=MappingProxyType(facets), conditions=_as_tuple(e.get("condition")),
        )

    def _groups(self, codelists: Mapping[str, CodeList]) -> dict[str, Group]:
        raw = self.docs["dictionary"].data["groups"]
        ids = set(raw)
        out = {}
        for gid, g in raw.items():
            elements = tuple(
                self._element(gid, name, e, ("groups", gid, "elements", name), codelists, ids)
                for name, e in g["elements"].items())
            out[gid] = Group(gid, _text(g), _basis(g.get("basis")), elements)
        self._check_group_cycles(out)
        return out

    def _check_group_cycles(self, groups: Mapping[str, Group]) -> None:
        def visit(gid: str, stack: tuple[str, ...]) -> None:
            if gid in stack:
                raise self.fail("dictionary", ("groups", gid),
                                f"group {gid!r} contains itself: {' > '.join((*stack, gid))}")
            for e in groups[gid].elements:
                if e.datatype == "group":
                    visit(e.facets["group"], (*stack, gid))
        for gid in groups:
            visit(gid, ())

    def _messages(self, groups: Mapping[str, Group]) -> dict[str, MessageType]:
        out = {}
        for mid, m in self.docs["messages"].data["messageTypes"].items():
            sections = []
            fields: dict[str, Field] = {}
            for sname, s in m["sections"].items():
                where = ("messageTypes", mid, "sections", sname)
                gid = s.get("group", sname)
                if gid not in groups:
                    raise self.fail("messages", where, f"unknown group {gid!r}")
                group = groups[gid]
                overrides: dict[str, Any] = {}
                for key in ("required", "optional"):
                    for name in s.get(key, []):
                        if group.element(name) is None:
                            raise self.fail("messages", (*where, key),
                                            f"group {gid!r} has no element {name!r}")
                        overrides[name] = key
                for name in s.get("exclude", []):
                    if group.element(name) is None:
                        raise self.fail("messages", (*where, "exclude"),
                                        f"group {gid!r} has no element {name!r}")
                section = Section(
                    name=sname, group=gid, use=s.get("use", "required"),
                    is_list=bool(s.get("list", False)), min_items=int(s.get("minItems", 0)),
                    max_items=s.get("maxItems"), overrides=MappingProxyType(overrides),
                    exclude=tuple(s.get("exclude", [])),
                )
                sections.append(section)
                if not section.is_list:
                    self._flatten(groups, group, sname, section, fields, overrides,
                                  set(section.exclude))
            out[mid] = MessageType(
                id=mid, label=_text(m), basis=_basis(m.get("basis")),
                description=_text(m["description"]) if "description" in m else None,
                direction=m.get("direction"), sections=tuple(sections),
                fields=MappingProxyType(fields))
        return out

    def _flatten(self, groups: Mapping[str, Group], group: Group, prefix: str, section: Section,
                 fields: dict[str, Field], overrides: Mapping[str, Any],
                 exclude: set[str]) -> None:
        for e in group.elements:
            if e.name in exclude:
                continue
            path = f"{prefix}.{e.name}"
            use = overrides.get(e.name, e.use)
            fields[path] = Field(path, e, use, section.name)
            if e.datatype == "group":
                self._flatten(groups, groups[e.facets["group"]], path, section, fields, {}, set())

    def _contexts(self, manifest: Mapping[str, Any],
                  messages: Mapping[str, MessageType]) -> dict[str, ContextDoc]:
        out = {}
        for name, c in manifest.get("contexts", {}).items():
            if c["messageType"] not in messages:
                raise self.fail("manifest", ("contexts", name, "messageType"),
                                f"unknown message type {c['messageType']!r}")
            out[name] = ContextDoc(name, c["messageType"], c.get("default"), _text(c["label"]))
        return out

    def _environment(self, messages: Mapping[str, MessageType],
                     contexts: Mapping[str, ContextDoc]) -> CelEnvironment:
        variables: dict[str, str] = {}
        for m in messages.values():
            for path, f in m.fields.items():
                if f.element.datatype == "group":
                    continue
                variables[path] = cel_type_name(f.element.datatype)
            for s in m.sections:
                if s.is_list:
                    variables[s.name] = "list"
        for name in contexts:
            if name in variables or any(v.startswith(name + ".") for v in variables):
                raise self.fail("manifest", ("contexts", name),
                                f"context name {name!r} clashes with a section name")
            variables[name] = "map"
        return CelEnvironment(variables)

    def _rules(self, messages: Mapping[str, MessageType], contexts: Mapping[str, ContextDoc],
               env: CelEnvironment) -> list[Rule]:
        out: list[Rule] = []
        seen: set[str] = set()
        prefix = self.docs["manifest"].data["rulePrefix"]
        for i, r in enumerate(self.docs["rules"].data["rules"]):
            where: tuple[str | int, ...] = ("rules", i)
            if r["id"] in seen:
                raise self.fail("rules", (*where, "id"), f"duplicate rule id {r['id']!r}")
            if not r["id"].startswith(prefix + "-"):
                raise self.fail("rules", (*where, "id"),
                                f"rule id {r['id']!r} must start with {prefix}-")
            seen.add(r["id"])
            for j, mt in enumerate(r["appliesTo"]):
                if mt not in messages:
                    raise self.fail("rules", (*where, "appliesTo", j),
                                    f"unknown message type {mt!r}")
            known = {p for mt in r["appliesTo"] for p in messages[mt].fields}
            known |= {s.name for mt in r["appliesTo"] for s in messages[mt].sections}
            for key in ("fields", "require"):
                for j, path in enumerate(r.get(key, [])):
                    if path not in known and path.split(".")[0] not in contexts:
                        raise self.fail("rules", (*where, key, j),
                                        f"{path!r} is not a field of {', '.join(r['appliesTo'])}")
            want = {"expr": "list" if r.get("kind") == "each" else "bool", "when": "bool"}
            programs = {key: self._compile(env, r[key], (*where, key), want[key])
                        for key in ("expr", "when") if key in r}
            for j, name in enumerate(r.get("context", [])):
                if name not in contexts:
                    raise self.fail("rules", (*where, "context", j), f"unknown context {name!r}")
            out.append(Rule(
                id=r["id"], kind=r.get("kind", "assert"), severity=r["severity"],
                title=_text(r["title"]), message=_text(r["message"]), basis=_basis(r["basis"]),
                applies_to=tuple(r["appliesTo"]), fields=tuple(r["fields"]),
                expr=r.get("expr"), when=r.get("when"), require=tuple(r.get("require", [])),
                context=tuple(r.get("context", [])),
                generate=MappingProxyType(dict(r.get("generate", {}))),
                program=programs.get("expr"), when_program=programs.get("when")))
        return out

    def _compile(self, env: CelEnvironment, source: str, where: tuple[str | int, ...],
                 want: str) -> Program:
        try:
            return env.compile(source, want)
        except CelCompileError as exc:
            line, col = self.docs["rules"].where(where) or (None, None)
            detail = f" (expression line {exc.line}, column {exc.column})" if exc.line else ""
            raise SpecError("rules.yaml", f"CEL error{detail}: {exc}", line, col) from None

    def _check_conditions(self, groups: Mapping[str, Group], rules: list[Rule]) -> None:
        by_id = {r.id: r for r in rules}
        for gid, g in groups.items():
            for e in g.elements:
                for rid in e.conditions:
                    rule = by_id.get(rid)
                    if rule is None or rule.kind != "require":
                        raise self.fail("dictionary",
                                        ("groups", gid, "elements", e.name, "condition"),
                                        f"condition {rid!r} is not a `require` rule")
