"""Required elements and list sizes, checked on the JSON encoding for both encodings alike.

libxml2 stops checking an element's content at its first error, so an XML payload with an
unexpected element would hide a missing one that the JSON encoding of the same record reports.
Checking presence here, once, gives both encodings the same ``<path>@required`` findings
(duplicates of what a schema engine also reports are merged by the engine).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from hegui.validator.safe_json import escape_pointer
from hegui.validator.spec import MessageType, Section, Spec
from hegui.validator.structure import StructuralError

#: Datatypes whose JSON value is a string: a required one must hold more than white space.
STRING_TYPES = frozenset({"string", "code", "uscc", "idcard", "region", "sha256", "md5", "url",
                          "base64", "date", "datetime", "money", "rate"})


def blank(value: Any) -> bool:
    """Whether a string value carries nothing: empty or white space only."""
    return isinstance(value, str) and not value.strip()


#: Where a string that is empty or starts with white space (as it is, or escaped: ``\t``,
#: ``\u001c``) begins in orjson's compact text: a quote then a quote, white space or a
#: backslash. A closing quote is followed by ``,`` ``:`` ``}`` or ``]``, so every empty or
#: white-space-only string matches (and some others, which only cost a look).
_BLANK_STRING = re.compile(r'"[\s\\"]')


def may_hold_blank(doc: Any) -> bool:
    """Whether some string in ``doc`` may be empty or white space only (False is certain:
    no string written by orjson looks like one; True means look)."""
    try:
        text = orjson.dumps(doc).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return True
    return _BLANK_STRING.search(text) is not None


def missing_required(spec: Spec, mt: MessageType, doc: Mapping[str, Any], *,
                     absent: bool = True) -> Iterator[StructuralError]:
    """A ``required`` error for every required section or element absent from ``doc``
    (``absent=False``: only for required strings that are empty or white space only, which
    the schemas accept: a required element must carry a value — docs/spec-format.md)."""
    if not absent and not may_hold_blank(doc):
        return  # no blank string anywhere: nothing to report (the common case, kept cheap)
    for section in mt.sections:
        value = doc.get(section.name)
        pointer = "/" + escape_pointer(section.name)
        if value is None:
            if section.use == "required" and absent:
                yield StructuralError(section.name, "required", pointer, "missing section")
            continue
        if section.is_list:
            if isinstance(value, list):
                if absent:
                    yield from _count(section.name, pointer, value, section.min_items,
                                      section.max_items)
                for i, item in enumerate(value):
                    yield from _group(spec, section.group, item, f"{section.name}[]",
                                      f"{pointer}/{i}", section, absent)
        else:
            yield from _group(spec, section.group, value, section.name, pointer, section,
                              absent)


def _group(spec: Spec, group_id: str, obj: Any, path: str, pointer: str,
           usage: Section | None, absent: bool) -> Iterator[StructuralError]:
    """Presence inside one object of ``group_id``; ``usage``: the message type's overrides
    in force at this depth (None: the dictionary's own usage)."""
    if not isinstance(obj, dict):
        return
    overrides = usage.overrides if usage is not None else {}
    exclude = usage.exclude if usage is not None else ()
    for elem in spec.groups[group_id].elements:
        value = obj.get(elem.name)
        required = overrides.get(elem.name, elem.use) == "required" and elem.name not in exclude
        if value is None:
            if required and absent:
                yield StructuralError(f"{path}.{elem.name}", "required",
                                      f"{pointer}/{escape_pointer(elem.name)}", "missing element")
            continue
        if required and elem.datatype in STRING_TYPES and blank(value):
            yield StructuralError(f"{path}.{elem.name}", "required",
                                  f"{pointer}/{escape_pointer(elem.name)}", "empty", value)
            continue
        if elem.datatype not in ("group", "list"):
            continue
        sub_path, sub_ptr = f"{path}.{elem.name}", f"{pointer}/{escape_pointer(elem.name)}"
        if elem.datatype == "group":
            inner = usage.within(elem.name) if usage is not None else None
            yield from _group(spec, elem.facets["group"], value, sub_path, sub_ptr, inner,
                              absent)
        elif elem.datatype == "list" and isinstance(value, list):
            if absent:
                yield from _count(sub_path, sub_ptr, value, elem.facets.get("minItems", 0),
                                  elem.facets.get("maxItems"))
            if isinstance(elem.facets["of"], str):
                for i, item in enumerate(value):
                    yield from _group(spec, elem.facets["of"], item, f"{sub_path}[]",
                                      f"{sub_ptr}/{i}", None, absent)


def _count(path: str, pointer: str, items: list[Any], low: int,
           high: int | None) -> Iterator[StructuralError]:
    """minItems / maxItems of a list (libxml2 words these as missing or unexpected elements)."""
    if len(items) < low:
        yield StructuralError(path, "minItems", pointer, f"{len(items)} items, at least {low}")
    if high is not None and len(items) > high:
        yield StructuralError(path, "maxItems", pointer, f"{len(items)} items, at most {high}")


def excluded_present(mt: MessageType, doc: Mapping[str, Any]) -> Iterator[StructuralError]:
    """An ``unexpected`` error for every element a section excludes that ``doc`` carries.

    libxml2 reports one content-model error per parent element, so an XML payload with two
    excluded elements in one group would name only the first; read from the JSON encoding,
    both encodings name every one."""
    for section in mt.sections:
        value = doc.get(section.name)
        if not section.exclude:
            continue
        top = "/" + escape_pointer(section.name)
        objects = ([(f"{section.name}[]", f"{top}/{i}", v) for i, v in enumerate(value)]
                   if section.is_list and isinstance(value, list)
                   else [(section.name, top, value)])
        for path, pointer, obj in objects:
            for name in section.exclude:
                where = _reach(obj, name.split("."), pointer)
                if where is not None:
                    yield StructuralError(f"{path}.{name}", "unexpected", where,
                                          "excluded element")


def _reach(obj: Any, parts: list[str], pointer: str) -> str | None:
    """The pointer of the member at dotted ``parts`` inside ``obj``, if it is there."""
    for part in parts:
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj, pointer = obj[part], f"{pointer}/{escape_pointer(part)}"
    return pointer
