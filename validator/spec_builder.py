"""Build the immutable spec model from its five checked YAML documents.

The builder turns data into :mod:`hegui.validator.spec` objects and checks every reference
(code lists, groups, elements, message types, contexts, rule ids, conditions). It does not
stop at the first problem: every problem of every file is collected, and :func:`build_spec`
raises one :class:`SpecError` listing them all. CEL is compiled later, by the runtime
(:mod:`hegui.validator.runtime`), which reports its problems the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from hegui.validator.errors import SpecError, SpecProblem
from hegui.validator.spec import (
    Basis,
    Code,
    CodeList,
    ContextDoc,
    Element,
    Field,
    Group,
    Lifecycle,
    MessageType,
    Rule,
    Section,
    Spec,
    Text,
)
from hegui.validator.yamlsource import Located

Where = tuple[str | int, ...]


def as_tuple(value: Any) -> tuple[str, ...]:
    """A string or a list of strings as a tuple (None: empty)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def text_of(d: Mapping[str, Any]) -> Text:
    """The ``zh``/``en`` pair of a mapping."""
    return Text(zh=str(d.get("zh", "")), en=str(d.get("en", "")))


def basis_of(value: Any) -> Basis:
    """A basis from its YAML form: a string, or ``{text, inferred}``; none is ``unspecified``."""
    if value is None:
        return Basis("unspecified", inferred=True)
    if isinstance(value, str):
        return Basis(value)
    return Basis(str(value["text"]), bool(value.get("inferred", False)))


class Problems:
    """Problems found in a spec folder's files, each placed at its file, line and column."""

    def __init__(self, docs: Mapping[str, Located]):
        self.docs = docs
        self.found: list[SpecProblem] = []

    def add(self, kind: str, path: Where, problem: str) -> None:
        """Record a problem at ``path`` inside ``<kind>.yaml``."""
        doc = self.docs[kind]
        line, col = doc.where(path) or (None, None)
        self.found.append(SpecProblem(doc.file_of(path, f"{kind}.yaml"), problem, line, col))

    def raise_if_any(self) -> None:
        """Raise one SpecError listing every problem recorded so far."""
        if self.found:
            raise SpecError.of(self.found)


def build_spec(docs: Mapping[str, Located], folder: str, sha: str, *,
               profiles: tuple[str, ...] = (), profile: str | None = None,
               layers: Mapping[str, str] | None = None) -> Spec:
    """The spec model of checked documents; raise SpecError listing every problem.

    ``profiles`` are the layer names the version offers (rule scopes must name one of them);
    ``profile`` the layer these documents were laid with (its scoped rules are kept, other
    layers' dropped), ``layers`` the ids it introduced (:mod:`hegui.validator.profiles`)."""
    problems = Problems(docs)
    spec = _Builder(docs, problems, profiles).build(folder, sha, profile, layers or {})
    problems.raise_if_any()
    return spec


class _Builder:
    def __init__(self, docs: Mapping[str, Located], problems: Problems,
                 profiles: tuple[str, ...]):
        self.docs = docs
        self.problems = problems
        self.fail = problems.add
        self.profiles = profiles

    def build(self, folder: str, sha: str, profile: str | None,
              layers: Mapping[str, str]) -> Spec:
        manifest = self.docs["manifest"].data
        codelists = self._codelists()
        groups = self._groups(codelists)
        messages = self._messages(groups)
        contexts = self._contexts(manifest, messages)
        rules = self._rules(messages, contexts)
        self._check_conditions(groups, rules)
        rules = [r for r in rules if not r.scope or profile in r.scope]
        standard = manifest.get("standard", {})
        return Spec(
            id=manifest["id"], version=manifest["version"], title=text_of(manifest["title"]),
            standard_number=standard.get("number"),
            standard_note=text_of(standard["note"]) if "note" in standard else None,
            lifecycle=Lifecycle(
                status=manifest["status"], valid_from=manifest.get("validFrom"),
                valid_to=manifest.get("validTo"), replaced_by=manifest.get("replacedBy"),
                changes=text_of(manifest["changes"]) if "changes" in manifest else None),
            provenance=text_of(manifest["provenance"]),
            namespace=manifest["namespace"], rule_prefix=manifest["rulePrefix"],
            codelists=MappingProxyType(codelists), groups=MappingProxyType(groups),
            message_types=MappingProxyType(messages), rules=tuple(rules),
            contexts=MappingProxyType(contexts), content_sha256=sha, folder=folder,
            profile=profile, profiles=self.profiles, layers=MappingProxyType(dict(layers)))

    def _codelists(self) -> dict[str, CodeList]:
        out = {}
        for cid, c in self.docs["codelists"].data["codelists"].items():
            codes = tuple(Code(str(x["code"]), text_of(x)) for x in c["codes"])
            seen: set[str] = set()
            for i, code in enumerate(codes):
                if code.code in seen:
                    self.fail("codelists", ("codelists", cid, "codes", i),
                              f"duplicate code {code.code!r} in code list {cid}")
                seen.add(code.code)
            out[cid] = CodeList(cid, text_of(c), basis_of(c.get("basis")), codes)
        return out

    def _element(self, gid: str, name: str, e: Mapping[str, Any], path: Where,
                 codelists: Mapping[str, CodeList], group_ids: set[str]) -> Element:
        dtype = e["type"]
        facets = {k: v for k, v in e.items()
                  if k not in ("zh", "en", "type", "use", "basis", "description", "condition")}
        if dtype == "code" and e["codelist"] not in codelists:
            self.fail("dictionary", (*path, "codelist"), f"unknown code list {e['codelist']!r}")
        if dtype == "group" and e["group"] not in group_ids:
            self.fail("dictionary", (*path, "group"), f"unknown group {e['group']!r}")
        if dtype == "list":
            of = e["of"]
            if isinstance(of, str):
                if of not in group_ids:
                    self.fail("dictionary", (*path, "of"), f"unknown group {of!r}")
            else:
                facets["of"] = self._element(gid, name, of, (*path, "of"), codelists, group_ids)
        if "pattern" in e:
            try:
                re.compile(e["pattern"])
            except re.error as exc:
                self.fail("dictionary", (*path, "pattern"), f"bad pattern: {exc}")
        return Element(
            name=name, group=gid, label=text_of(e), datatype=dtype, use=e.get("use", "optional"),
            basis=basis_of(e.get("basis")),
            description=text_of(e["description"]) if "description" in e else None,
            facets=MappingProxyType(facets), conditions=as_tuple(e.get("condition")))

    def _groups(self, codelists: Mapping[str, CodeList]) -> dict[str, Group]:
        raw = self.docs["dictionary"].data["groups"]
        ids = set(raw)
        out = {}
        for gid, g in raw.items():
            elements = tuple(
                self._element(gid, name, e, ("groups", gid, "elements", name), codelists, ids)
                for name, e in g["elements"].items())
            out[gid] = Group(gid, text_of(g), basis_of(g.get("basis")), elements)
        self._check_group_cycles(out)
        return out

    def _check_group_cycles(self, groups: Mapping[str, Group]) -> None:
        reported: set[str] = set()

        def visit(gid: str, stack: tuple[str, ...]) -> None:
            if gid in stack:
                if gid not in reported:
                    reported.add(gid)
                    self.fail("dictionary", ("groups", gid),
                              f"group {gid!r} contains itself: {' > '.join((*stack, gid))}")
                return
            if gid not in groups:
                return  # an unknown group, reported where it is named
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
                    self.fail("messages", where, f"unknown group {gid!r}")
                    continue
                group = groups[gid]
                overrides: dict[str, Any] = {}
                for key in ("required", "optional", "exclude"):
                    for name in s.get(key, []):
                        if _member(groups, group, name) is None:
                            self.fail("messages", (*where, key),
                                      f"group {gid!r} has no element {name!r}")
                        elif key != "exclude":
                            overrides[name] = key
                section = Section(
                    name=sname, group=gid, use=s.get("use", "required"),
                    is_list=bool(s.get("list", False)), min_items=int(s.get("minItems", 0)),
                    max_items=s.get("maxItems"), overrides=MappingProxyType(overrides),
                    exclude=tuple(s.get("exclude", [])))
                sections.append(section)
                if not section.is_list:
                    _flatten(groups, group, sname, section, fields, 0)
            out[mid] = MessageType(
                id=mid, label=text_of(m), basis=basis_of(m.get("basis")),
                description=text_of(m["description"]) if "description" in m else None,
                direction=m.get("direction"), sections=tuple(sections),
                fields=MappingProxyType(fields))
        return out

    def _contexts(self, manifest: Mapping[str, Any],
                  messages: Mapping[str, MessageType]) -> dict[str, ContextDoc]:
        out = {}
        names = {s.name for m in messages.values() for s in m.sections}
        for name, c in manifest.get("contexts", {}).items():
            if c["messageType"] not in messages:
                self.fail("manifest", ("contexts", name, "messageType"),
                          f"unknown message type {c['messageType']!r}")
                continue
            if name in names:
                self.fail("manifest", ("contexts", name),
                          f"context name {name!r} clashes with a section name")
            out[name] = ContextDoc(name, c["messageType"], c.get("default"), text_of(c["label"]))
        return out

    def _rules(self, messages: Mapping[str, MessageType],
               contexts: Mapping[str, ContextDoc]) -> list[Rule]:
        out: list[Rule] = []
        seen: set[str] = set()
        prefix = self.docs["manifest"].data["rulePrefix"]
        located = self.docs["rules"]
        for i, r in enumerate(located.data["rules"]):
            where: Where = ("rules", i)
            if r["id"] in seen:
                self.fail("rules", (*where, "id"), f"duplicate rule id {r['id']!r}")
            if not r["id"].startswith(prefix + "-"):
                self.fail("rules", (*where, "id"), f"rule id {r['id']!r} must start with {prefix}-")
            seen.add(r["id"])
            targets = []
            for j, mt in enumerate(r["appliesTo"]):
                if mt in messages:
                    targets.append(messages[mt])
                else:
                    self.fail("rules", (*where, "appliesTo", j), f"unknown message type {mt!r}")
            known = {p for mt in targets for p in mt.fields}
            known |= {s.name for mt in targets for s in mt.sections}
            for key in ("fields", "require"):
                for j, path in enumerate(r.get(key, [])):
                    if targets and path not in known and path.split(".")[0] not in contexts:
                        self.fail("rules", (*where, key, j),
                                  f"{path!r} is not a field of {', '.join(r['appliesTo'])}")
            for j, name in enumerate(r.get("context", [])):
                if name not in contexts:
                    self.fail("rules", (*where, "context", j), f"unknown context {name!r}")
            scope = () if r.get("scope", "core") == "core" else tuple(r["scope"])
            for j, name in enumerate(scope):
                if name not in self.profiles:
                    have = ", ".join(self.profiles) or "none"
                    self.fail("rules", (*where, "scope", j),
                              f"unknown profile {name!r} in scope (profiles: {have})")
            positions = {key: located.where((*where, key)) or (None, None)
                         for key in ("expr", "when") if key in r}
            out.append(Rule(
                id=r["id"], kind=r.get("kind", "assert"), severity=r["severity"],
                title=text_of(r["title"]), message=text_of(r["message"]),
                basis=basis_of(r["basis"]), applies_to=tuple(r["appliesTo"]),
                fields=tuple(r["fields"]), expr=r.get("expr"), when=r.get("when"),
                require=tuple(r.get("require", [])), context=tuple(r.get("context", [])),
                generate=MappingProxyType(dict(r.get("generate", {}))),
                positions=MappingProxyType(positions), scope=scope,
                source=located.file_of(where, "rules.yaml")))
        return out

    def _check_conditions(self, groups: Mapping[str, Group], rules: list[Rule]) -> None:
        by_id = {r.id: r for r in rules}
        for gid, g in groups.items():
            for e in g.elements:
                for rid in e.conditions:
                    rule = by_id.get(rid)
                    if rule is None or rule.kind != "require":
                        self.fail("dictionary", ("groups", gid, "elements", e.name, "condition"),
                                  f"condition {rid!r} is not a `require` rule")


def _member(groups: Mapping[str, Group], group: Group, name: str) -> Element | None:
    """The element a (possibly dotted) member name reaches from ``group``, or None."""
    head, _, rest = name.partition(".")
    e = group.element(head)
    if e is None or not rest:
        return e
    if e.datatype != "group" or e.facets["group"] not in groups:
        return None
    return _member(groups, groups[e.facets["group"]], rest)


def _flatten(groups: Mapping[str, Group], group: Group, prefix: str, section: Section,
             fields: dict[str, Field], depth: int, usage: Section | None = None) -> None:
    if depth > len(groups):
        return  # a group cycle, reported by the cycle check
    usage = usage or section  # the usage in force at this depth (dotted overrides stripped)
    for e in group.elements:
        if e.name in usage.exclude:
            continue
        path = f"{prefix}.{e.name}"
        use = usage.overrides.get(e.name, e.use)
        fields[path] = Field(path, e, use, section.name)
        if e.datatype == "group" and e.facets["group"] in groups:
            _flatten(groups, groups[e.facets["group"]], path, section, fields, depth + 1,
                     usage.within(e.name))
