"""The canonical record: one typed view of a payload, whichever encoding it came in.

From the JSON encoding (XML is converted first), walk the message type's fields: bind the typed
value of each present, valid scalar as a CEL variable (dotted path), list sections and list
elements as lists of maps, and run the datatype checks schemas cannot express. Values that
failed the schema or a datatype check are left unbound, so rules do not judge broken data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hegui.validator import datatypes
from hegui.validator.datatypes import DatatypeError
from hegui.validator.safe_json import escape_pointer
from hegui.validator.spec import Element, MessageType, Spec, Text


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
    """Typed values of one payload, with what is needed to locate and show them."""

    values: dict[str, Any] = field(default_factory=dict)  # CEL variable -> typed value
    raw: dict[str, Any] = field(default_factory=dict)  # dotted path -> value as in the payload
    elements: dict[str, Element] = field(default_factory=dict)
    problems: list[DatatypeFinding] = field(default_factory=list)
    uppercase: list[tuple[str, str, str]] = field(default_factory=list)  # (path, of, pointer)

    def show(self, path: str) -> str | None:
        """A path's value for messages, or None when absent."""
        if path not in self.raw:
            return None
        element = self.elements.get(path)
        if element is None or element.datatype in ("group", "list"):
            return None  # sections and lists have no single value to show
        return datatypes.display(self.raw[path], element)

    def present(self, path: str) -> bool:
        """Whether the payload has a non-empty value at ``path`` (valid or not)."""
        v = self.raw.get(path)
        return v is not None and v != "" and v != [] and v != {}


_SKIP = object()


class _Builder:
    def __init__(self, spec: Spec, invalid: frozenset[str]):
        self.spec = spec
        self.invalid = invalid
        self.rec = Record()

    def group(self, group_id: str, obj: Any, prefix: str, pointer: str,
              into: dict[str, Any], flat: bool) -> None:
        """Bind a group's members: flat (``a.b.c`` keys) for sections, nested for list items."""
        if not isinstance(obj, dict):
            return
        index = self.spec.groups[group_id].index
        for name, raw in obj.items():
            elem = index.get(name)
            if elem is None:
                continue  # unknown key: the schema check reports it
            path, ptr = f"{prefix}.{name}", f"{pointer}/{escape_pointer(name)}"
            key = path if flat else elem.name
            self.rec.raw.setdefault(path, raw)
            self.rec.elements.setdefault(path, elem)
            if elem.datatype == "group":
                if flat:
                    self.group(elem.facets["group"], raw, path, ptr, into, True)
                else:
                    sub: dict[str, Any] = {}
                    self.group(elem.facets["group"], raw, path, ptr, sub, False)
                    into[key] = sub
            elif elem.datatype == "list":
                if isinstance(raw, list) and ptr not in self.invalid:
                    into[key] = self.items(elem.facets["of"], raw, path, ptr)
            else:
                if "uppercaseOf" in elem.facets:
                    self.rec.uppercase.append((path, elem.facets["uppercaseOf"], ptr))
                typed = self.scalar(path, elem, raw, ptr)
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
                typed = self.scalar(f"{path}[]", of, v, f"{ptr}/{i}")
                if typed is not _SKIP:
                    out.append(typed)
        return out

    def scalar(self, path: str, elem: Element, raw: Any, ptr: str) -> Any:
        if ptr in self.invalid:
            return _SKIP
        try:
            value = datatypes.to_cel(raw, elem)
            datatypes.check(raw, elem)
        except ValueError:
            return _SKIP  # lexically wrong: the schema check reports it
        except DatatypeError as exc:
            self.rec.problems.append(DatatypeFinding(path, exc.facet, ptr, exc.message, str(raw)))
            return _SKIP
        return value


def build_record(spec: Spec, mt: MessageType, doc: Mapping[str, Any],
                 invalid: frozenset[str] = frozenset()) -> Record:
    """Build the record of ``doc`` (JSON encoding). ``invalid``: pointers that failed schemas."""
    b = _Builder(spec, invalid)
    for section in mt.sections:
        value = doc.get(section.name)
        if value is None:
            continue
        pointer = "/" + escape_pointer(section.name)
        if section.is_list:
            b.rec.raw[section.name] = value
            if isinstance(value, list) and pointer not in invalid:
                b.rec.values[section.name] = b.items(section.group, value, section.name, pointer)
        else:
            b.group(section.group, value, section.name, pointer, b.rec.values, True)
    _check_uppercase(b.rec)
    return b.rec


def _check_uppercase(rec: Record) -> None:
    for path, of, ptr in rec.uppercase:
        words, figure = rec.raw.get(path), rec.raw.get(of)
        if not isinstance(words, str) or not isinstance(figure, str) or of not in rec.values:
            continue
        expected = datatypes.rmb_uppercase(figure)
        if datatypes.normalise_uppercase(words) != datatypes.normalise_uppercase(expected):
            rec.problems.append(DatatypeFinding(path, "uppercase", ptr, Text(
                f"大写金额“{words}”与小写金额 {figure}（{expected}）不符",
                f"amount in words '{words}' does not match the figure {figure} ({expected})"),
                words))
            rec.values.pop(path, None)


def nested_value(spec: Spec, mt: MessageType, doc: Mapping[str, Any]) -> dict[str, Any]:
    """Typed value of a whole document as nested maps (how context documents reach CEL)."""
    b = _Builder(spec, frozenset())
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
