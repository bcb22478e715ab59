"""The canonical record: one typed view of a payload, whichever encoding it came in.

From the JSON encoding (XML is converted first), walk the message type's sections: bind the
typed value of each present, valid scalar as a CEL variable (dotted path), list sections and
list elements as lists of maps, and run the datatype checks schemas cannot express. Values that
failed the schema or a datatype check are left unbound, so rules do not judge broken data.
This runs for every payload: strings are built only where a value is bound or fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hegui.validator import datatypes
from hegui.validator.datatypes import DatatypeError
from hegui.validator.safe_json import escape_pointer
from hegui.validator.spec import Element, MessageType, Spec, Text

#: Datatypes whose schema check is the whole check: the payload's string is the CEL value.
_PLAIN = frozenset({"string", "code", "url", "base64", "sha256", "md5"})


@dataclass(frozen=True)
class DatatypeFinding:
    """A value that failed its datatype's check (check digit, real date, region ...)."""

    path: str
    facet: str
    pointer: str
    message: Text
    value: str


@dataclass
class Record:
    """Typed values of one payload, and the payload itself to show and locate values."""

    mt: MessageType
    doc: Mapping[str, Any]
    values: dict[str, Any] = field(default_factory=dict)  # CEL variable -> typed value
    problems: list[DatatypeFinding] = field(default_factory=list)

    def raw(self, path: str) -> Any:
        """The payload's value at a dotted field path (no list parts), or None."""
        node: Any = self.doc
        for part in path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def show(self, path: str) -> str | None:
        """A field's value for messages (money as ``400,000.00``), or None when absent."""
        f = self.mt.fields.get(path)
        value = self.raw(path)
        if f is None or value is None or f.element.datatype in ("group", "list"):
            return None
        return datatypes.display(value, f.element)

    def present(self, path: str) -> bool:
        """Whether the payload has a non-empty value at ``path`` (valid or not)."""
        v = self.raw(path)
        return v is not None and v != "" and v != [] and v != {}


_SKIP = object()
#: Datatypes whose value is a structure, not a scalar.
_NESTED = frozenset({"group", "list"})


def _pointer(where: str | tuple[str, str]) -> str:
    """A pointer, or the pointer of member ``name`` of the object at ``pointer``."""
    if isinstance(where, str):
        return where
    pointer, name = where
    return f"{pointer}/{escape_pointer(name)}"


class _Builder:
    def __init__(self, spec: Spec, rec: Record, invalid: frozenset[str]):
        self.spec = spec
        self.rec = rec
        self.invalid = invalid

    def group(self, group_id: str, obj: Any, prefix: str, pointer: str,
              into: dict[str, Any], flat: bool) -> None:
        """Bind a group's members: flat (``a.b.c`` keys) for sections, nested for list items."""
        if not isinstance(obj, dict):
            return
        index = self.spec.groups[group_id].index
        invalid = self.invalid
        for name, raw in obj.items():
            elem = index.get(name)
            if elem is None:
                continue  # unknown key: the schema check reports it
            dtype = elem.datatype
            key = f"{prefix}.{name}" if flat else name
            if not invalid and dtype in _PLAIN and type(raw) is str and \
                    "uppercaseOf" not in elem.facets:
                into[key] = raw  # fast path: nothing beyond the schema to check
                continue
            if dtype not in _NESTED and not invalid:  # the pointer is built only if needed
                typed = self.scalar(key if flat else f"{prefix}.{name}", elem, raw,
                                    (pointer, name), nested=not flat)
                if typed is not _SKIP:
                    into[key] = typed
                continue
            ptr = f"{pointer}/{escape_pointer(name)}"
            if invalid and ptr in invalid:
                continue
            if dtype == "group":
                path = f"{prefix}.{name}"
                if flat:
                    self.group(elem.facets["group"], raw, path, ptr, into, True)
                else:
                    sub: dict[str, Any] = {}
                    self.group(elem.facets["group"], raw, path, ptr, sub, False)
                    into[key] = sub
            elif dtype == "list":
                if isinstance(raw, list):
                    into[key] = self.items(elem.facets["of"], raw, f"{prefix}.{name}", ptr)
            else:
                typed = self.scalar(f"{prefix}.{name}", elem, raw, ptr, nested=not flat)
                if typed is not _SKIP:
                    into[key] = typed

    def items(self, of: str | Element, raw: list[Any], path: str, ptr: str) -> list[Any]:
        out: list[Any] = []
        for i, v in enumerate(raw):
            if isinstance(of, str):
                item: dict[str, Any] = {"_index": i}  # lets `each` rules say which item
                self.group(of, v, f"{path}[]", f"{ptr}/{i}", item, False)
                out.append(item)
            else:
                typed = self.scalar(f"{path}[]", of, v, f"{ptr}/{i}", nested=True)
                if typed is not _SKIP:
                    out.append(typed)
        return out

    def scalar(self, path: str, elem: Element, raw: Any, where: str | tuple[str, str],
               nested: bool = False) -> Any:
        """The typed value of one scalar (``_SKIP`` when it is not bound); ``where`` is its
        pointer, or the parent's pointer and its name (joined only for a finding)."""
        kind = elem.datatype
        if kind == "integer" and isinstance(raw, float):
            ptr = _pointer(where)
            # JSON Schema counts 6.0 as an integer; XML's xs:integer does not, nor do we: the
            # same record must get the same findings in both encodings. orjson reads integers
            # beyond 64 bits as floats: those are out of range, as the exact XML value is.
            if raw.is_integer() and abs(raw) >= 2**63:
                facet, text = ("maximum" if raw > 0 else "minimum"), Text(
                    f"{raw:.0f} 超出 64 位整数范围",
                    f"{raw:.0f} is outside the 64-bit integer range")
            else:
                facet, text = "type", Text(f"{raw!r} 不是整数写法",
                                           f"{raw!r} is not written as an integer")
            self.rec.problems.append(DatatypeFinding(path, facet, ptr, text, repr(raw)))
            return _SKIP
        try:
            value = datatypes.to_cel(raw, elem)
            if kind in datatypes.CHECKED:
                datatypes.check(raw, elem)
            if nested and isinstance(value, dt.datetime):
                # cel-expr-python takes timestamps only as top-level variables: inside maps and
                # lists they travel as RFC 3339 text (`timestamp(x.d)` in a rule; text order
                # is time order).
                value = value.strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            return _SKIP  # lexically wrong: the schema check reports it
        except DatatypeError as exc:
            self.rec.problems.append(DatatypeFinding(path, exc.facet, _pointer(where),
                                                     exc.message, str(raw)))
            return _SKIP
        if "uppercaseOf" in elem.facets and not self._uppercase_ok(path, elem, raw,
                                                                   _pointer(where)):
            return _SKIP
        return value

    def _uppercase_ok(self, path: str, elem: Element, words: Any, ptr: str) -> bool:
        of = elem.facets["uppercaseOf"]
        figure = self.rec.raw(of)
        field = self.rec.mt.fields.get(of)
        if not isinstance(words, str) or not isinstance(figure, str) or field is None:
            return True
        try:
            datatypes.to_cel(figure, field.element)
            expected = datatypes.rmb_uppercase(figure)
        except (ValueError, KeyError, IndexError, DatatypeError):
            return True  # the figure itself is malformed: its own finding says so
        if datatypes.normalise_uppercase(words) == datatypes.normalise_uppercase(expected):
            return True
        self.rec.problems.append(DatatypeFinding(path, "uppercase", ptr, Text(
            f"大写金额“{words}”与小写金额 {figure}（{expected}）不符",
            f"amount in words '{words}' does not match the figure {figure} ({expected})"), words))
        return False


def build_record(spec: Spec, mt: MessageType, doc: Mapping[str, Any],
                 invalid: frozenset[str] = frozenset()) -> Record:
    """Build the record of ``doc`` (JSON encoding). ``invalid``: pointers that failed schemas."""
    rec = Record(mt, doc)
    b = _Builder(spec, rec, invalid)
    for section in mt.sections:
        value = doc.get(section.name)
        if value is None:
            continue
        pointer = "/" + escape_pointer(section.name)
        if section.is_list:
            if isinstance(value, list) and pointer not in invalid:
                rec.values[section.name] = b.items(section.group, value, section.name, pointer)
        else:
            b.group(section.group, value, section.name, pointer, rec.values, True)
    return rec


def nested_value(spec: Spec, mt: MessageType, doc: Mapping[str, Any]) -> dict[str, Any]:
    """Typed value of a whole document as nested maps (how context documents reach CEL)."""
    b = _Builder(spec, Record(mt, doc), frozenset())
    out: dict[str, Any] = {}
    for section in mt.sections:
        value = doc.get(section.name)
        if value is None:
            continue
        if section.is_list:
            out[section.name] = b.items(section.group, value, section.name,
                                        "/" + section.name) if isinstance(value, list) else []
        else:
            sub: dict[str, Any] = {}
            b.group(section.group, value, section.name, "/" + section.name, sub, False)
            out[section.name] = sub
    return out
