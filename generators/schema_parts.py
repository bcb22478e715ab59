"""What the XSD and the JSON Schema generators share: type names, lexical patterns, facets.

Both encodings of a record must accept the same lexical space, so every constraint is computed
once here (:func:`scalar`) and only *rendered* by :mod:`hegui.generators.xsd` and
:mod:`hegui.generators.json_schema`. Patterns are written in the common subset of XSD regexes,
ECMA-262 (JSON Schema), Python ``re`` (jsonschema) and Rust ``regex`` (jsonschema-rs): ``[0-9]``
rather than ``\\d`` (which means any Unicode digit in XSD, Python and Rust), no ``(?:``, no
lookaround, no anchors (XSD patterns are implicitly anchored; JSON ones get ``^...$`` added).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from hegui.validator.spec import Element, Group, MessageType, Section, Spec, Use

#: Default lexical pattern of the datatypes that are strings with a fixed form (XSD syntax).
#: url: printable ASCII without space (RFC 3986 URIs are ASCII; ``\S`` differs between engines).
#: base64: RFC 4648 alphabet with padding, no line breaks (quads spelled out, see below).
TYPE_PATTERNS: dict[str, str] = {
    "date": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "datetime": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",
    "uscc": "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
    "idcard": "[0-9]{17}[0-9X]",
    "region": "[0-9]{6}",
    "sha256": "[0-9a-fA-F]{64}",
    "md5": "[0-9a-fA-F]{32}",
    "url": "https?://[!-~]+",
    "base64": "(" + "[A-Za-z0-9+/]" * 4 + ")*(" + "[A-Za-z0-9+/]" * 2 + "(==|[A-Za-z0-9+/]=))?",
}
# libxml2 (lxml, xmllint) mis-matches a counted repetition inside `*` (`([...]{4})*x` accepted
# "000000="), so base64 spells its quads out.

#: XML-only lexical restrictions of the non-string datatypes (JSON has native integers/booleans).
XML_INTEGER_PATTERN = "-?(0|[1-9][0-9]*)"
XML_BOOLEAN_PATTERN = "true|false"

#: Datatypes whose value is a JSON string and whose CEL type is ``string``.
CEL_STRING_TYPES = frozenset({"string", "code", "uscc", "idcard", "region", "sha256", "md5",
                              "url", "base64"})


class SchemaGenerationError(ValueError):
    """The spec uses something the schema generators cannot render (names the element)."""


# ---- names -------------------------------------------------------------------------------
# XSD type names and JSON Schema $defs keys are the same strings; identifiers in a spec have no
# dots, so the dotted names cannot collide.

def message_type_name(mt: MessageType) -> str:
    """Name of the type of a message type's root element / object."""
    return f"message.{mt.id}"


def section_type_name(mt: MessageType, section: Section) -> str:
    """Name of the per-(message type, section) type (usage overrides differ per message type)."""
    return f"section.{mt.id}.{section.name}"


def section_item_type_name(mt: MessageType, section: Section) -> str:
    """Name of the item type of a ``list`` section."""
    return f"section.{mt.id}.{section.name}.item"


def group_type_name(gid: str) -> str:
    """Name of a group's type as used inside other groups (dictionary usage, no overrides)."""
    return f"group.{gid}"


def element_type_name(e: Element) -> str:
    """Name of a data element's type (simple for scalars, the wrapper for lists)."""
    return f"element.{e.group}.{e.name}"


def item_type_name(e: Element) -> str:
    """Name of the inline scalar item type of list element ``e``."""
    return f"element.{e.group}.{e.name}.item"


def codelist_type_name(cid: str) -> str:
    """Name of a code list's enumeration type."""
    return f"codelist.{cid}"


def builtin_type_name(datatype: str) -> str:
    """Name of a fixed-form datatype's base type (``type.uscc`` ...)."""
    return f"type.{datatype}"


ITEM_ELEMENT = "item"  # child element name of lists of inline scalars


def list_item(e: Element) -> tuple[str, str]:
    """(child element name, type name) of the items of list element ``e``."""
    of = e.facets["of"]
    if isinstance(of, str):
        return of, group_type_name(of)
    return ITEM_ELEMENT, item_type_name(e)


# ---- walking the spec ---------------------------------------------------------------------

def members(group: Group, section: Section | None = None) -> Iterator[tuple[Element, Use]]:
    """The elements of ``group`` with their usage, after a section's exclude and overrides."""
    for e in group.elements:
        if section is None:
            yield e, e.use
        elif e.name not in section.exclude:
            yield e, section.overrides.get(e.name, e.use)


@dataclass(frozen=True)
class Used:
    """What a spec's message types reach, each tuple in dictionary (or code-list) order."""

    groups: tuple[str, ...]  # every group whose elements need types
    nested: tuple[str, ...]  # groups used inside other groups (need a ``group.<id>`` type)
    codelists: tuple[str, ...]
    builtins: tuple[str, ...]  # fixed-form datatypes used (keys of TYPE_PATTERNS)


def used(spec: Spec) -> Used:
    """Collect the groups, code lists and fixed-form datatypes the message types reach."""
    groups: set[str] = set()
    nested: set[str] = set()
    todo = [s.group for mt in spec.message_types.values() for s in mt.sections]
    while todo:
        gid = todo.pop()
        if gid in groups:
            continue
        groups.add(gid)
        for e in spec.groups[gid].elements:
            ref = e.facets.get({"group": "group", "list": "of"}.get(e.datatype, ""))
            if isinstance(ref, str):
                nested.add(ref)
                todo.append(ref)
    codelists: set[str] = set()
    builtins: set[str] = set()
    for gid in groups:
        for e in spec.groups[gid].elements:
            for s in (e, e.facets.get("of")):
                if isinstance(s, Element):
                    if s.datatype == "code":
                        codelists.add(s.facets["codelist"])
                    if s.datatype in TYPE_PATTERNS:
                        builtins.add(s.datatype)
    return Used(
        groups=tuple(g for g in spec.groups if g in groups),
        nested=tuple(g for g in spec.groups if g in nested),
        codelists=tuple(c for c in spec.codelists if c in codelists),
        builtins=tuple(t for t in TYPE_PATTERNS if t in builtins),
    )


# ---- scalar constraints -------------------------------------------------------------------

@dataclass(frozen=True)
class Scalar:
    """The constraints of one scalar data element, neutral between XSD and JSON Schema.

    ``patterns`` are XSD-syntax, unanchored, all must match (the fixed-form datatype's own
    pattern is not among them: it sits in the ``builtin`` base type).
    """

    kind: Literal["string", "decimal", "integer", "boolean"]
    builtin: str | None = None  # key of TYPE_PATTERNS
    codelist: str | None = None
    patterns: tuple[str, ...] = ()
    length: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    total_digits: int | None = None
    fraction_digits: int | None = None
    minimum: int | None = None  # integers only: money/rate bounds are left to the datatype layer
    maximum: int | None = None


def decimal_pattern(digits: int, scale: int) -> str:
    """Lexical form of an ``N..digits,scale`` number: at most ``digits - scale`` integer digits,
    an optional fraction of 1..scale digits, no sign, no exponent."""
    whole = digits - scale
    head = "0" if whole <= 0 else f"[0-9]{{1,{whole}}}"
    return head if scale == 0 else f"{head}(\\.[0-9]{{1,{scale}}})?"


def scalar(e: Element) -> Scalar:
    """The neutral constraints of scalar element ``e`` (not a group or list)."""
    own = portable_pattern(e.facets["pattern"], e.id) if "pattern" in e.facets else None
    patterns = (own,) if own else ()
    length, min_length, max_length = _lengths(e)
    t = e.datatype
    if t in ("money", "rate"):
        digits, scale = int(e.facets["digits"]), int(e.facets["scale"])
        return Scalar("decimal", patterns=(decimal_pattern(digits, scale), *patterns),
                      total_digits=digits, fraction_digits=scale)
    if t == "integer":
        return Scalar("integer", minimum=_int_bound(e, "minimum"),
                      maximum=_int_bound(e, "maximum"))
    if t == "boolean":
        return Scalar("boolean")
    if t == "code":
        return Scalar("string", codelist=e.facets["codelist"], patterns=patterns, length=length,
                      min_length=min_length, max_length=max_length)
    if t in TYPE_PATTERNS:
        return Scalar("string", builtin=t, patterns=patterns, length=length,
                      min_length=min_length, max_length=max_length)
    if t == "string":
        return Scalar("string", patterns=patterns, length=length,
                      min_length=min_length, max_length=max_length)
    raise SchemaGenerationError(f"{e.id}: {t} is not a scalar datatype")


def _lengths(e: Element) -> tuple[int | None, int | None, int | None]:
    """(length, minLength, maxLength); XSD 1.0 forbids `length` beside the other two in one
    restriction step, so `length` wins."""
    if "length" in e.facets:
        return int(e.facets["length"]), None, None
    low, high = e.facets.get("minLength"), e.facets.get("maxLength")
    return None, None if low is None else int(low), None if high is None else int(high)


def _int_bound(e: Element, key: str) -> int | None:
    value = e.facets.get(key)
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    raise SchemaGenerationError(f"{e.id}: integer {key} {value!r} is not a whole number")


# ---- patterns -----------------------------------------------------------------------------

_CLASS_SHORTHANDS = {"d": "0-9", "w": "A-Za-z0-9_", "s": " \\t\\n\\r"}
_NEGATED = {"D": "[^0-9]", "W": "[^A-Za-z0-9_]", "S": "[^ \\t\\n\\r]"}
_UNPORTABLE = re.compile(r"\(\?|\\[bBAZzGQE0-9]|\\[pP]\{")


def portable_pattern(pattern: str, where: str) -> str:
    """Rewrite a spec pattern into the regex subset every engine reads the same way.

    Strips a leading ``^`` and trailing ``$`` (XSD anchors implicitly, and treats them as
    literals), spells ``\\d \\w \\s`` (and negations) as ASCII classes, and refuses constructs
    XSD regexes lack (groups with ``(?``, word boundaries, anchors, back-references).
    """
    p = pattern
    if p.startswith("^"):
        p = p[1:]
    if p.endswith("$") and not p.endswith("\\$"):
        p = p[:-1]
    bad = _UNPORTABLE.search(p)
    if bad:
        raise SchemaGenerationError(
            f"{where}: pattern {pattern!r} uses {bad.group()!r}, which XSD regexes lack")
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            nxt = p[i + 1]
            if nxt in _CLASS_SHORTHANDS:
                body = _CLASS_SHORTHANDS[nxt]
                out.append(body if in_class else f"[{body}]")
            elif nxt in _NEGATED and not in_class:
                out.append(_NEGATED[nxt])
            elif nxt in _NEGATED:
                raise SchemaGenerationError(
                    f"{where}: pattern {pattern!r}: \\{nxt} inside [...] is not portable")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def json_pattern(core: str) -> str:
    """Anchor an XSD-syntax pattern for JSON Schema (which searches rather than matches)."""
    return f"^({core})$" if _has_top_level_alternation(core) else f"^{core}$"


def _has_top_level_alternation(p: str) -> bool:
    depth = 0
    in_class = False
    escaped = False
    for c in p:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
    return False
