"""Profile layers: one platform's demands laid over a spec version's core, never loosening it.

A profile (``profiles/<name>.yaml`` in a version folder, docs/spec-format.md "Profiles") may
require, forbid, tighten and add rules. :func:`lay` rewrites the version's checked documents
into the documents of the layered spec, so everything downstream (model, schemas, engine,
generators) sees one ordinary spec; anything that would loosen the core, or that names what
the type does not have, is a problem placed at its line in the profile file. It also records
which rule ids the layer introduced, so findings can say which layer fired.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

from hegui.validator.errors import SpecProblem
from hegui.validator.spec import Element, Section, Spec
from hegui.validator.yamlsource import Located

PROFILES_DIR = "profiles"

#: Facets a profile may narrow, and the finding facet each one gives.
_BOUNDS = {"length": "length", "minLength": "minLength", "maxLength": "maxLength",
           "minimum": "minimum", "maximum": "maximum", "minItems": "minItems",
           "maxItems": "maxItems", "pattern": "pattern", "codes": "enum"}


def profile_names(folder: Traversable) -> tuple[str, ...]:
    """Names of the profile layers of a version folder, sorted."""
    sub = folder.joinpath(PROFILES_DIR)
    if not sub.is_dir():
        return ()
    return tuple(sorted(p.name[:-5] for p in sub.iterdir()
                        if p.name.endswith(".yaml") and p.is_file()))


@dataclass
class Layered:
    """The layered documents, the ids the layer introduced, and the problems found."""

    docs: dict[str, Located]
    #: ``<message type>:<structural id>`` or ``<rule id>`` -> the profile's name.
    layers: dict[str, str] = field(default_factory=dict)
    problems: list[SpecProblem] = field(default_factory=list)


def lay(docs: Mapping[str, Located], core: Spec, profile: Located, name: str) -> Layered:
    """The documents of ``core``'s version with profile ``name`` laid over them."""
    data = {k: copy.deepcopy(v.data) for k, v in docs.items()}
    out = Layered({k: Located(data[k], dict(v.marks), dict(v.sources))
                   for k, v in docs.items()})
    _Layer(core, profile, name, data, out).run()
    return out


class _Layer:
    def __init__(self, core: Spec, profile: Located, name: str, data: dict[str, Any],
                 out: Layered):
        self.core, self.profile, self.name, self.data, self.out = core, profile, name, data, out
        self.file = f"{PROFILES_DIR}/{name}.yaml"

    def fail(self, where: tuple[str | int, ...], problem: str) -> None:
        line, col = self.profile.where(where) or (None, None)
        self.out.problems.append(SpecProblem(self.file, problem, line, col))

    def run(self) -> None:
        p = self.profile.data
        if p.get("id") != self.name:
            self.fail(("id",), f"profile id {p.get('id')!r} must be its file name {self.name!r}")
        for mt_id, demands in p.get("messageTypes", {}).items():
            if mt_id not in self.core.message_types:
                self.fail(("messageTypes", mt_id), f"unknown message type {mt_id!r}")
                continue
            for i, path in enumerate(demands.get("require", [])):
                self._require(mt_id, path, ("messageTypes", mt_id, "require", i))
            for i, path in enumerate(demands.get("forbid", [])):
                self._forbid(mt_id, path, ("messageTypes", mt_id, "forbid", i))
        for element_id, bounds in p.get("elements", {}).items():
            self._tighten(element_id, bounds, ("elements", element_id))
        self._rules()

    # -- require / forbid ---------------------------------------------------------------------

    def _section_doc(self, mt_id: str, section: str) -> dict[str, Any]:
        sections: dict[str, Any] = self.data["messages"]["messageTypes"][mt_id]["sections"]
        return sections[section]  # type: ignore[no-any-return]

    def _place(self, mt_id: str, path: str, where: tuple[str | int, ...]
               ) -> tuple[Section, str, Element] | None:
        """The section, the path inside it and the element ``path`` names in ``mt_id``."""
        mt = self.core.message_types[mt_id]
        head, _, rest = path.partition(".")
        listed = head.endswith("[]")
        section = mt.section(head[:-2] if listed else head)
        if section is None or not rest or listed != section.is_list:
            self.fail(where, f"{path!r} is not an element path of {mt_id} (a section name, "
                             f"<section>.<element> or <list section>[].<element>)")
            return None
        group, element = self.core.groups[section.group], None
        parts = rest.split(".")
        for i, part in enumerate(parts):
            element = group.element(part) if group is not None else None
            if element is None or (i < len(parts) - 1 and element.datatype != "group"):
                self.fail(where, f"{mt_id} has no element {path!r}")
                return None
            if element.datatype == "group":
                group = self.core.groups[element.facets["group"]]
        excluded = [x for x in section.exclude if rest == x or rest.startswith(x + ".")]
        if excluded:
            self.fail(where, f"the core excludes {path!r} from {mt_id}: a profile cannot "
                             f"bring it back")
            return None
        assert element is not None
        return section, rest, element

    def _require(self, mt_id: str, path: str, where: tuple[str | int, ...]) -> None:
        """Require ``path`` and what holds it: its section and the groups between (a list
        item's member does not make the list required: every item must carry it)."""
        section = self.core.message_types[mt_id].section(path)
        if section is not None:
            self._require_section(mt_id, section)
            return
        placed = self._place(mt_id, path, where)
        if placed is None:
            return
        section, rest, _ = placed
        if not section.is_list:
            self._require_section(mt_id, section)
        doc = self._section_doc(mt_id, section.name)
        parts = rest.split(".")
        head = path[:len(path) - len(rest)]
        for i in range(1, len(parts) + 1):
            member = ".".join(parts[:i])
            at = self._place(mt_id, head + member, where)
            if at is not None and _use(section, member, at[2]) == "required":
                continue  # the core requires it already
            _drop(doc, "optional", member)
            if member not in doc.setdefault("required", []):
                doc["required"].append(member)
            self._mark(mt_id, f"{head}{member}@required")

    def _require_section(self, mt_id: str, section: Section) -> None:
        doc = self._section_doc(mt_id, section.name)
        if section.use != "required":
            doc["use"] = "required"
            self._mark(mt_id, f"{section.name}@required")
        if section.is_list and section.min_items < 1:
            doc["minItems"] = 1
            self._mark(mt_id, f"{section.name}@minItems")

    def _forbid(self, mt_id: str, path: str, where: tuple[str | int, ...]) -> None:
        placed = self._place(mt_id, path, where)
        if placed is None:
            return
        section, rest, element = placed
        if _use(section, rest, element) == "required":
            self.fail(where, f"the core requires {path!r} in {mt_id}: a profile cannot forbid it")
            return
        doc = self._section_doc(mt_id, section.name)
        _drop(doc, "required", rest)
        _drop(doc, "optional", rest)
        doc.setdefault("exclude", []).append(rest)
        self._mark(mt_id, f"{path}@unexpected")

    def _mark(self, mt_id: str, rule_id: str) -> None:
        self.out.layers[f"{mt_id}:{rule_id}"] = self.name

    # -- tighten ------------------------------------------------------------------------------

    def _tighten(self, element_id: str, bounds: Mapping[str, Any],
                 where: tuple[str | int, ...]) -> None:
        gid, _, name = element_id.partition(".")
        group = self.core.groups.get(gid)
        element = group.element(name) if group is not None else None
        if element is None:
            self.fail(where, f"the dictionary has no element {element_id!r}")
            return
        facets: dict[str, Any] = self.data["dictionary"]["groups"][gid]["elements"][name]
        for key, value in bounds.items():
            problem = _narrower(element, key, value)
            if problem is None and key == "codes":
                have = self.core.codelists[element.facets["codelist"]].values()
                stray = [c for c in value if c not in have]
                if stray:
                    problem = (f"codes {', '.join(map(repr, stray))} are not in the core's code "
                               f"list {element.facets['codelist']}: it would loosen the core")
            if problem is not None:
                self.fail((*where, key), f"{element_id}: {problem}")
                continue
            if key == "codes":
                facets["codelist"] = self._codelist(element.facets["codelist"], value)
            else:
                facets[key] = value
            for mt_id, path in _places(self.core, element):
                self._mark(mt_id, f"{path}@{_BOUNDS[key]}")

    def _codelist(self, base: str, codes: list[str]) -> str:
        lists: dict[str, Any] = self.data["codelists"]["codelists"]
        new_id = f"{base}_{self.name}"
        entry = copy.deepcopy(lists[base])
        entry["codes"] = [c for c in entry["codes"] if c["code"] in codes]
        lists[new_id] = entry
        return new_id

    # -- rules --------------------------------------------------------------------------------

    def _rules(self) -> None:
        rules: list[dict[str, Any]] = self.data["rules"]["rules"]
        for r in rules:
            if self.name in (r.get("scope") or ()) and r.get("scope") != "core":
                self.out.layers[r["id"]] = self.name
        taken = {r["id"] for r in rules}
        located = self.out.docs["rules"]
        for i, r in enumerate(self.profile.data.get("rules", [])):
            if r["id"] in taken:
                self.fail(("rules", i, "id"), f"rule id {r['id']!r} is already used by the "
                                              f"core or another layer")
                continue
            index = len(rules)
            rules.append({**r, "scope": [self.name]})
            self.out.layers[r["id"]] = self.name
            prefix = ("rules", i)
            for path, mark in self.profile.marks.items():
                if path[:2] == prefix:
                    located.marks[("rules", index, *path[2:])] = mark
            located.sources[("rules", index)] = self.file


def _drop(doc: dict[str, Any], key: str, name: str) -> None:
    """Take ``name`` out of a section's ``key`` list (and the list, once empty)."""
    if key in doc:
        doc[key] = [x for x in doc[key] if x != name]
        if not doc[key]:
            doc.pop(key)


def _use(section: Section, rest: str, element: Element) -> str:
    """The core's usage of the element at ``rest`` inside ``section`` (dotted overrides too)."""
    return section.overrides.get(rest, element.use)


def _narrower(e: Element, key: str, value: Any) -> str | None:
    """Why ``key: value`` would not narrow element ``e`` (None: it does)."""
    f = e.facets
    if key == "pattern":
        if e.datatype not in ("string", "code", "url", "base64", "sha256", "md5"):
            return f"a pattern does not apply to datatype {e.datatype}"
        if "pattern" in f:
            return ("the core already has a pattern; a second one cannot be checked to "
                    "narrow it (regular-expression containment), so it is refused")
        return None
    if key == "codes":
        if "codelist" not in f:
            return "codes narrow a code list, and this element has none"
        return None  # the codes themselves are checked against the core's list by the caller
    if key in ("minItems", "maxItems") and e.datatype != "list":
        return f"{key} applies to lists, not to datatype {e.datatype}"
    low_key, high_key = {"minLength": ("minLength", "maxLength"),
                         "maxLength": ("minLength", "maxLength"),
                         "length": ("minLength", "maxLength"),
                         "minimum": ("minimum", "maximum"), "maximum": ("minimum", "maximum"),
                         "minItems": ("minItems", "maxItems"),
                         "maxItems": ("minItems", "maxItems")}[key]
    low, high = f.get(low_key), f.get(high_key)
    if "length" in f and key in ("length", "minLength", "maxLength"):
        low = high = f["length"]
    if key in ("length", low_key) and low is not None and value < low:
        return f"{key} {value} is below the core's {low}: it would loosen the core"
    if key in ("length", high_key) and high is not None and value > high:
        return f"{key} {value} is above the core's {high}: it would loosen the core"
    if key == low_key and high is not None and value > high:
        return f"{key} {value} is above the core's {high_key} {high}: nothing could pass"
    if key == high_key and low is not None and value < low:
        return f"{key} {value} is below the core's {low_key} {low}: nothing could pass"
    return None


def _places(spec: Spec, element: Element) -> Iterator[tuple[str, str]]:
    """(message type, path) of every place ``element`` occurs, list items as ``list[].x``."""
    for mt in spec.message_types.values():
        for s in mt.sections:
            prefix = f"{s.name}[]" if s.is_list else s.name
            yield from ((mt.id, p) for p in _walk(spec, s.group, prefix, element, 0))


def _walk(spec: Spec, gid: str, prefix: str, target: Element, depth: int) -> Iterator[str]:
    if depth > len(spec.groups):
        return
    for e in spec.groups[gid].elements:
        path = f"{prefix}.{e.name}"
        if e.id == target.id:
            yield path
        if e.datatype == "group":
            yield from _walk(spec, e.facets["group"], path, target, depth + 1)
        elif e.datatype == "list" and isinstance(e.facets.get("of"), str):
            yield from _walk(spec, e.facets["of"], f"{path}[]", target, depth + 1)
