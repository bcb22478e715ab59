"""The immutable model of a standard (``Spec``) and its parts: plain data, nothing compiled.

A spec folder (``specs/<id>/``) is data only; :mod:`hegui.validator.loader` reads it, checks it
against the meta-schema, and :mod:`hegui.validator.spec_builder` builds these objects. What
validation needs compiled (CEL programs, XSD, JSON Schema validators) lives apart, in a
:class:`~hegui.validator.runtime.Runtime` built once from a Spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]
Severity = Literal["error", "warning", "info"]
Use = Literal["required", "optional", "conditional"]

#: The closed set of datatypes a data element may have (see docs/spec-format.md).
DATATYPES = (
    "string", "code", "money", "rate", "integer", "date", "datetime", "boolean", "uscc",
    "idcard", "region", "sha256", "md5", "url", "base64", "group", "list",
)


@dataclass(frozen=True)
class Text:
    """A bilingual text: Chinese and English."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        """Return the text in ``lang``, falling back to the other language when empty."""
        if lang == "en":
            return self.en or self.zh
        return self.zh or self.en


@dataclass(frozen=True)
class Basis:
    """Where a rule, element or code list comes from: a clause, an article, or ``inferred``."""

    text: str
    inferred: bool = False

    def render(self, lang: Lang = "en") -> str:
        """Human-readable basis, marking inferred ones."""
        if self.inferred:
            mark = "（推定）" if lang == "zh" else " (inferred)"
            return f"{self.text}{mark}"
        return self.text


@dataclass(frozen=True)
class Code:
    """One value of a code list."""

    code: str
    name: Text


@dataclass(frozen=True)
class CodeList:
    """A closed list of codes, e.g. guarantee purpose or attachment type."""

    id: str
    name: Text
    basis: Basis
    codes: tuple[Code, ...]

    def values(self) -> tuple[str, ...]:
        """The code values in spec order."""
        return tuple(c.code for c in self.codes)

    def label(self, code: str, lang: Lang) -> str | None:
        """The name of ``code`` in ``lang``, or None when the code is not in the list."""
        for c in self.codes:
            if c.code == code:
                return c.name.get(lang)
        return None


@dataclass(frozen=True)
class Element:
    """A data element of the dictionary, as it sits inside a group.

    ``facets`` holds the datatype's parameters: ``length``/``minLength``/``maxLength``/``pattern``
    for strings, ``codelist`` for codes, ``digits``/``scale`` for money and rate,
    ``minimum``/``maximum`` for numbers, ``group`` for groups, ``of`` (a group id or an inline
    scalar ``Element``) and ``minItems``/``maxItems`` for lists.
    """

    name: str
    group: str
    label: Text
    datatype: str
    use: Use
    basis: Basis
    description: Text | None = None
    facets: Mapping[str, Any] = field(default_factory=dict)
    #: Ids of the `require` rules whose `when` makes a conditional element required.
    conditions: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Dictionary id: ``<group>.<name>``."""
        return f"{self.group}.{self.name}"

    def facet(self, key: str, default: Any = None) -> Any:
        """One facet value, or ``default``."""
        return self.facets.get(key, default)


@dataclass(frozen=True)
class Group:
    """A named group of elements (an information group such as bidder or project)."""

    id: str
    label: Text
    basis: Basis
    elements: tuple[Element, ...]
    index: Mapping[str, Element] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Name -> element, for the hot path (validation looks members up by payload key).
        object.__setattr__(self, "index", {e.name: e for e in self.elements})

    def element(self, name: str) -> Element | None:
        """The member called ``name``, or None."""
        return self.index.get(name)


@dataclass(frozen=True)
class Field:
    """A data element at a concrete place in a message type (its *path*).

    Paths are dotted (``bidder.basicAccount.number``); elements inside lists are addressed
    relative to the list and are not separate fields here.
    """

    path: str
    element: Element
    use: Use
    in_section: str

    @property
    def pointer(self) -> str:
        """JSON Pointer of this field in the JSON encoding."""
        return "/" + self.path.replace(".", "/")


@dataclass(frozen=True)
class Section:
    """A top-level part of a message type, bound to a group (or a list of that group)."""

    name: str
    group: str
    use: Use
    is_list: bool
    min_items: int
    max_items: int | None
    #: element name -> use, within this message type; a dotted name (``account.accountNo``)
    #: reaches an element of a nested group, for this message type only.
    overrides: Mapping[str, Use]
    exclude: tuple[str, ...]

    def within(self, name: str) -> Section:
        """The usage this section gives the members of its nested group element ``name``
        (its dotted overrides and exclusions, one level down); empty when it gives none."""
        pre = name + "."
        return Section(self.name, self.group, self.use, self.is_list, self.min_items,
                       self.max_items,
                       {k[len(pre):]: v for k, v in self.overrides.items() if k.startswith(pre)},
                       tuple(x[len(pre):] for x in self.exclude if x.startswith(pre)))

    def reaches_into(self, name: str) -> bool:
        """Whether the section changes the usage of anything inside member ``name``."""
        pre = name + "."
        return any(k.startswith(pre) for k in (*self.overrides, *self.exclude))


@dataclass(frozen=True)
class MessageType:
    """One message (or document) type of a standard, e.g. ``apply`` or ``checklist``."""

    id: str
    label: Text
    basis: Basis
    description: Text | None
    direction: str | None
    sections: tuple[Section, ...]
    fields: Mapping[str, Field]  # every scalar/group/list field by dotted path

    def section(self, name: str) -> Section | None:
        """The section called ``name``, or None."""
        for s in self.sections:
            if s.name == name:
                return s
        return None


@dataclass(frozen=True)
class Rule:
    """A business rule: a CEL expression that must hold, or a conditional requirement.

    ``kind == "assert"``: ``expr`` must evaluate to true (when ``when`` holds).
    ``kind == "require"``: when ``when`` holds, every path in ``require`` must be present.
    ``kind == "each"``: ``expr`` gives a list; every element is one violation (one finding),
    whose fields fill ``{item.<key>}`` placeholders; an ``index`` key locates it in the rule's
    first (list) field.
    """

    id: str
    kind: Literal["assert", "require", "each"]
    severity: Severity
    title: Text
    message: Text
    basis: Basis
    applies_to: tuple[str, ...]
    fields: tuple[str, ...]
    expr: str | None
    when: str | None
    require: tuple[str, ...]
    context: tuple[str, ...] = ()  # names of context documents the rule reads
    #: The layer the rule belongs to: ``()`` the core, else the profiles it belongs to.
    scope: tuple[str, ...] = ()
    #: The spec file the rule is written in (``rules.yaml`` or ``profiles/<name>.yaml``).
    source: str = "rules.yaml"
    #: Generation hints (``generate:`` in rules.yaml): plain data read by the generators.
    generate: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: Line and column in rules.yaml of ``expr`` and ``when``, for errors found when compiling.
    positions: Mapping[str, tuple[int | None, int | None]] = field(
        default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ContextDoc:
    """A second document some rules read, e.g. the checklist an application is checked against."""

    name: str
    message_type: str
    default: str | None  # path inside the spec folder of the bundled default
    label: Text


@dataclass(frozen=True)
class Lifecycle:
    """Where a version of a spec is in its life (docs/spec-format.md, Versions)."""

    status: Literal["draft", "active", "deprecated"]
    valid_from: str | None = None  # yyyy-MM-dd
    valid_to: str | None = None
    replaced_by: str | None = None  # a version of the same spec
    changes: Text | None = None


@dataclass(frozen=True)
class Spec:
    """A loaded, checked standard. Build with :func:`hegui.validator.loader.load_spec`."""

    id: str
    version: str
    title: Text
    standard_number: str | None
    standard_note: Text | None
    provenance: Text
    namespace: str
    rule_prefix: str
    codelists: Mapping[str, CodeList]
    groups: Mapping[str, Group]
    message_types: Mapping[str, MessageType]
    rules: tuple[Rule, ...]
    contexts: Mapping[str, ContextDoc]
    content_sha256: str
    folder: str  # where the spec was loaded from (package resource or filesystem path)
    lifecycle: Lifecycle = field(default_factory=lambda: Lifecycle("draft"))
    #: The profile layer applied on top of the core (None: the core alone).
    profile: str | None = None
    #: Names of the profile layers this version offers (``profiles/<name>.yaml``).
    profiles: tuple[str, ...] = ()
    #: Rule ids (business and structural) a profile layer introduced -> that layer's name;
    #: every other id is the core's.
    layers: Mapping[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """The lifecycle status of this version: draft, active or deprecated."""
        return self.lifecycle.status

    @property
    def name(self) -> str:
        """``<id>@<version>``, with ``+<profile>`` when a profile layer is applied."""
        return f"{self.id}@{self.version}" + (f"+{self.profile}" if self.profile else "")

    def layer_of(self, rule_id: str) -> str:
        """The layer that a finding with ``rule_id`` comes from: ``core`` or a profile name."""
        return self.layers.get(rule_id, "core")

    def rule(self, rule_id: str) -> Rule | None:
        """The rule called ``rule_id``, or None."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    def rules_for(self, message_type: str) -> tuple[Rule, ...]:
        """Rules that apply to ``message_type``, in catalogue order."""
        return tuple(r for r in self.rules if message_type in r.applies_to)

    def field(self, message_type: str, path: str) -> Field | None:
        """The field at ``path`` in ``message_type``, or None."""
        mt = self.message_types.get(message_type)
        return None if mt is None else mt.fields.get(path)
