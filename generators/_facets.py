"""Facet kinds: every kind of mistake a spec's data lets a payload make, read from the spec.

A *kind* is ``<datatype>:<check>`` (``section:<check>`` for message-type sections):

- each constraint an element's dictionary entry states — ``string:length``,
  ``string:pattern``, ``code:codelist``, ``money:digits``, ``money:scale``,
  ``integer:minimum``, ``list:maxItems``, ``string:uppercaseOf`` ... (every key of
  :attr:`~hegui.validator.spec.Element.facets` but the references ``group`` and ``of``);
- each check its datatype carries whatever the entry says (:data:`DATATYPE_CHECKS`):
  ``date:form`` (the lexical form), ``date:date`` (a real day), ``idcard:check-digit`` ...;
- its usage in a message type: ``<datatype>:required`` (absent), ``<datatype>:blank``
  (a required string-typed value that is empty or white space only), ``<datatype>:excluded``;
- sections: ``section:required``, ``section:minItems``, ``section:maxItems`` and
  ``section:unknown`` (an element the group does not have).

Each kind is reported as one structural rule id ``<path>@<facet>`` (:func:`rule_facet`):
``money:digits`` as ``guarantee.amount@pattern``, ``string:blank`` as ``...@required``. The
property tests draw their mutations stratified by kind, so a facet a spec starts using is
exercised (or the coverage test says it cannot be) without editing a test.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from hegui.validator.presence import STRING_TYPES
from hegui.validator.spec import Element, MessageType, Section, Spec

#: The checks each datatype carries beyond its dictionary facets (docs/spec-format.md, the
#: datatype table): ``type`` where JSON has a native type (XML: its lexical form), ``form``
#: the lexical form of a string-typed datatype, then the meaning checks of
#: :mod:`hegui.validator.datatypes`. Every datatype of ``spec.DATATYPES`` has an entry.
DATATYPE_CHECKS: Mapping[str, tuple[str, ...]] = {
    "string": (), "code": (), "group": (), "list": (),
    "integer": ("type",), "boolean": ("type",),
    "money": ("form",), "rate": ("form",),
    "date": ("form", "date"), "datetime": ("form", "date"),
    "uscc": ("form", "check-digit"),
    "idcard": ("form", "check-digit", "birth-date", "region"),
    "region": ("form", "region"),
    "sha256": ("form",), "md5": ("form",), "url": ("form",), "base64": ("form",),
}

#: Dictionary facet keys that name another part of the spec rather than constrain a value.
REFERENCES = frozenset({"group", "of"})

#: The facet of the rule id a check is reported as, where the two names differ.
_RULE_FACET = {"codelist": "enum", "digits": "pattern", "scale": "pattern", "form": "pattern",
               "uppercaseOf": "uppercase", "blank": "required", "excluded": "unexpected",
               "unknown": "unexpected"}

#: Name of the element added for ``section:unknown`` (``<section>.extra@unexpected``).
EXTRA = "extra"


def check_of(kind: str) -> str:
    """The check part of a kind: ``money:digits`` -> ``digits``."""
    return kind.partition(":")[2]


def rule_facet(kind: str) -> str:
    """The facet of the rule id that reports ``kind`` (``money:scale`` -> ``pattern``)."""
    check = check_of(kind)
    return _RULE_FACET.get(check, check)


@dataclass(frozen=True)
class Place:
    """A place of a message type where mistakes can be made: the rule-id path (``[]`` for
    list items), its element (None for a section), and the kinds of mistake it allows."""

    path: str
    element: Element | None
    kinds: tuple[str, ...]

    def rule_id(self, kind: str) -> str:
        """The rule id that reports ``kind`` here."""
        return f"{self.path}@{rule_facet(kind)}"


def element_kinds(e: Element, use: str, excluded: bool = False) -> tuple[str, ...]:
    """The kinds of mistake element ``e`` allows with usage ``use`` (see the module doc)."""
    t = e.datatype
    if excluded:
        return (f"{t}:excluded",)
    out = []
    if use == "required":
        out.append(f"{t}:required")
        if t in STRING_TYPES:
            out.append(f"{t}:blank")
    out += [f"{t}:{k}" for k in e.facets if k not in REFERENCES]
    out += [f"{t}:{c}" for c in DATATYPE_CHECKS[t]]
    return tuple(out)


def places(spec: Spec, mt: MessageType) -> Iterator[Place]:
    """Every place of ``mt``, sections first then their elements, in dictionary order."""
    for s in mt.sections:
        kinds = ["section:required"] if s.use == "required" else []
        if s.is_list:
            kinds += ["section:minItems"] * (s.min_items > 0)
            kinds += ["section:maxItems"] * (s.max_items is not None)
        yield Place(s.name, None, tuple(kinds))
        if s.is_list:
            yield from _group(spec, s.group, f"{s.name}[]", s)
        else:
            if spec.groups[s.group].element(EXTRA) is None:
                yield Place(f"{s.name}.{EXTRA}", None, ("section:unknown",))
            yield from _group(spec, s.group, s.name, s)


def _group(spec: Spec, gid: str, prefix: str, usage: Section | None) -> Iterator[Place]:
    overrides = usage.overrides if usage is not None else {}
    exclude = usage.exclude if usage is not None else ()
    for e in spec.groups[gid].elements:
        path = f"{prefix}.{e.name}"
        excluded = e.name in exclude
        yield Place(path, e, element_kinds(e, overrides.get(e.name, e.use), excluded))
        if excluded:
            continue
        if e.datatype == "group":
            yield from _group(spec, e.facet("group"), path,
                              usage.within(e.name) if usage is not None else None)
        elif e.datatype == "list":
            of = e.facet("of")
            if isinstance(of, str):
                yield from _group(spec, of, f"{path}[]", None)
            else:  # an inline scalar item: its facets, no usage of its own
                yield Place(f"{path}[]", of, element_kinds(of, "optional"))


def facets_used(spec: Spec) -> dict[str, tuple[str, ...]]:
    """Every kind the spec's message types use -> the rule ids that report it there."""
    out: dict[str, dict[str, None]] = {}
    for mt in spec.message_types.values():
        for place in places(spec, mt):
            for kind in place.kinds:
                out.setdefault(kind, {})[place.rule_id(kind)] = None
    return {k: tuple(v) for k, v in sorted(out.items())}
