"""What validating against one spec needs compiled, built once from the plain spec model.

A :class:`Runtime` holds the CEL environment and every rule's compiled programs (compiled,
and so type-checked, when it is built: a misspelled field in a rule is a load error naming
the rules.yaml line), the XSD and the JSON Schema validators (built on first use from the
committed generated schemas), and a memo for what other layers derive from the spec
(generator strategies, the validator with its context documents). Runtimes are owned by a
:class:`~hegui.validator.catalogue.Catalogue`; there are no module-level caches.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import jsonschema_rs
import orjson
from lxml import etree

from hegui.validator.cel_backend import CelCompileError, CelEnvironment, Program, cel_type_name
from hegui.validator.errors import SpecError, SpecProblem
from hegui.validator.spec import Rule, Spec

T = TypeVar("T")


def cel_variables(spec: Spec) -> dict[str, str]:
    """Every CEL variable of ``spec``: dotted field paths, list sections and context names."""
    variables: dict[str, str] = {}
    for m in spec.message_types.values():
        for path, f in m.fields.items():
            if f.element.datatype != "group":
                variables[path] = cel_type_name(f.element.datatype)
        for s in m.sections:
            if s.is_list:
                variables[s.name] = "list"
    for name in spec.contexts:
        variables[name] = "map"
    return variables


def schema_files(spec: Spec) -> tuple[Path, Path]:
    """Committed XSD and JSON Schema of ``spec`` (generated from its dictionary); a spec
    with a profile layer has none: its runtime generates them in memory."""
    folder = Path(spec.folder) / "schemas"
    stem = f"{spec.id}-{spec.version}"
    return folder / f"{stem}.xsd", folder / f"{stem}.schema.json"


def missing_schemas(spec: Spec) -> str | None:
    """Why ``spec``'s generated schemas cannot be used (what to run), or None if both exist."""
    xsd, json_schema = schema_files(spec)
    absent = [p for p in (xsd, json_schema) if not p.is_file()]
    if not absent:
        return None
    return (f"generated schema of spec {spec.id} is missing ({', '.join(map(str, absent))}); "
            f"run `hegui specs schemas --write {spec.id}`")


class Runtime:
    """Compiled CEL programs and structure validators of one spec; build once, reuse."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.env = CelEnvironment(cel_variables(spec))
        self._programs: dict[str, Program] = {}
        self._when: dict[str, Program] = {}
        problems: list[SpecProblem] = []
        for rule in spec.rules:
            want = {"expr": "list" if rule.kind == "each" else "bool", "when": "bool"}
            for key, store in (("expr", self._programs), ("when", self._when)):
                source = getattr(rule, key)
                if source is None:
                    continue
                try:
                    store[rule.id] = self.env.compile(source, want[key])
                except CelCompileError as exc:
                    problems.append(_cel_problem(rule, key, exc))
        if problems:
            raise SpecError.of(problems)
        self._by_type = {mt: spec.rules_for(mt) for mt in spec.message_types}
        self._reads: dict[str, frozenset[str]] = {}
        self._plans: dict[str, Any] = {}
        self._xsd: etree.XMLSchema | None = None
        self._json: dict[str, Any] | None = None
        self._memo: dict[Any, Any] = {}

    # -- rules ----------------------------------------------------------------------------

    def rules_for(self, message_type: str) -> tuple[Rule, ...]:
        """Rules of ``message_type`` in catalogue order (looked up once per type)."""
        found = self._by_type.get(message_type)
        return found if found is not None else self.spec.rules_for(message_type)

    def plan(self, message_type: str) -> tuple[tuple[Rule, Program | None, Program | None,
                                                    str | None], ...]:
        """Each rule of ``message_type`` with its compiled ``when`` and ``expr`` and, for an
        ``each`` rule, the list it can be evaluated over in slices (looked up once)."""
        found = self._plans.get(message_type)
        if found is None:
            found = tuple(
                (r, self._when.get(r.id), self._programs.get(r.id),
                 self._programs[r.id].sliced if r.kind == "each" and r.id in self._programs
                 else None)
                for r in self.rules_for(message_type))
            self._plans[message_type] = found
        return found

    def variables_read(self, message_type: str) -> frozenset[str]:
        """The CEL variables the rules of ``message_type`` read (``when`` and ``expr``): only
        these are converted for the runtime, once per payload."""
        found = self._reads.get(message_type)
        if found is None:
            programs = [p for r in self.rules_for(message_type)
                        for p in (self._programs.get(r.id), self._when.get(r.id)) if p]
            found = frozenset(v for p in programs for v in p.variables)
            self._reads[message_type] = found
        return found

    def program(self, rule_id: str) -> Program | None:
        """The compiled ``expr`` of a rule (None for ``require`` rules)."""
        return self._programs.get(rule_id)

    def when_program(self, rule_id: str) -> Program | None:
        """The compiled ``when`` of a rule, or None when it has none."""
        return self._when.get(rule_id)

    # -- structure ------------------------------------------------------------------------

    @property
    def xsd(self) -> etree.XMLSchema:
        """The compiled XSD of the spec (all message types)."""
        if self._xsd is None:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            if self.spec.profile is not None:
                from hegui.generators.xsd import xsd_text  # a layered spec's: built here

                doc = etree.fromstring(xsd_text(self.spec).encode("utf-8"), parser)
                self._xsd = etree.XMLSchema(doc)
            else:
                xsd_path, _ = self._schema_paths()
                self._xsd = etree.XMLSchema(etree.parse(str(xsd_path), parser))
        return self._xsd

    def json_validator(self, message_type: str) -> Any:
        """The jsonschema-rs validator of one message type's JSON Schema definition."""
        if self._json is None:
            if self.spec.profile is not None:
                from hegui.generators.json_schema import json_schema  # a layered spec's

                schema = json_schema(self.spec)
            else:
                _, json_path = self._schema_paths()
                schema = orjson.loads(json_path.read_bytes())
            defs = schema.get("$defs", {})
            validators: dict[str, Any] = {}
            for mt in self.spec.message_types:
                # The message type's own definition: precise errors, no if/then noise.
                key = f"message.{mt}"
                target: dict[str, Any] = schema
                if key in defs:
                    target = {"$schema": schema.get("$schema"), "$defs": defs,
                              "$ref": f"#/$defs/{key}"}
                validators[mt] = jsonschema_rs.Draft202012Validator(target)
            self._json = validators
        return self._json[message_type]

    def _schema_paths(self) -> tuple[Path, Path]:
        why = missing_schemas(self.spec)
        if why is not None:
            raise SpecError(str(schema_files(self.spec)[0].parent), why)
        return schema_files(self.spec)

    # -- derived artefacts ------------------------------------------------------------------

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """What ``build`` gives, built once per runtime and ``key`` (strategies, validators)."""
        if key not in self._memo:
            self._memo[key] = build()
        value: T = self._memo[key]
        return value


def _cel_problem(rule: Rule, key: str, exc: CelCompileError) -> SpecProblem:
    line, col = rule.positions.get(key, (None, None))
    detail = f" (expression line {exc.line}, column {exc.column})" if exc.line else ""
    return SpecProblem(rule.source, f"rule {rule.id} {key}: CEL error{detail}: {exc}", line, col)

