"""Where a finding sits in the source: JSON Pointers to XPaths, lines and columns.

Stages record findings by JSON Pointer into the canonical (JSON) document; this module
fills in the line and column of the JSON source, or the XPath, line and column of the XML
source (through the trace the XML decoder keeps).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from hegui.validator.codec import XmlTrace
from hegui.validator.json_positions import json_positions
from hegui.validator.result import Finding, Location
from hegui.validator.safe_json import is_index


def pointer_of(path: str, index: int | None = None) -> str:
    """JSON Pointer of a dotted path; ``[]`` parts take ``index`` (or are cut there)."""
    out = []
    for part in path.split("."):
        if part.endswith("[]"):
            out.append(part[:-2])
            if index is None:
                break
            out.append(str(index))
            index = None
        else:
            out.append(part)
    return "/" + "/".join(out) if out and out != [""] else ""


def locate_json(findings: Sequence[Finding], data: bytes) -> list[Finding]:
    """``findings`` with the line and column of their pointer in the JSON source."""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    positions = json_positions(text, {f.location.pointer for f in findings
                                      if f.location.pointer is not None})
    return [_with_position(f, positions) for f in findings]


def locate_xml(findings: Sequence[Finding], trace: XmlTrace, data: bytes) -> list[Finding]:
    """``findings`` with the XPath, line and column of their pointer in the XML source."""
    lines = data.split(b"\n")
    return [_with_xml_position(f, trace, lines) for f in findings]


def _nearest(pointer: str, table: Mapping[str, Any]) -> str | None:
    p = pointer
    while True:
        if p in table:
            return p
        if not p:
            return None
        p = p.rsplit("/", 1)[0]


def _with_position(f: Finding, positions: Mapping[str, tuple[int, int]]) -> Finding:
    loc = f.location
    if loc.line is not None or loc.pointer is None:
        return f
    hit = _nearest(loc.pointer, positions)
    if hit is None:
        return f
    line, col = positions[hit]
    return dataclasses.replace(f, location=Location(pointer=loc.pointer, line=line, column=col))


def _with_xml_position(f: Finding, trace: XmlTrace, lines: Sequence[bytes]) -> Finding:
    loc = f.location
    if loc.pointer is None:
        return f
    hit = _nearest(loc.pointer, trace.xpaths)
    if hit is None:
        return f
    xpath = trace.xpaths[hit]
    if hit != loc.pointer:  # e.g. a missing element: name it below its parent
        rest = loc.pointer[len(hit):].strip("/").split("/")
        xpath += "".join(f"[{int(r) + 1}]" if is_index(r) else f"/{r}" for r in rest)
    line = trace.lines.get(hit) or None
    column = _xml_column(lines, line, trace.elements.get(hit)) if line else None
    return dataclasses.replace(f, location=Location(xpath=xpath, line=line, column=column))


def _xml_column(lines: Sequence[bytes], line: int, el: etree._Element | None) -> int | None:
    if el is None:
        return None
    if line > len(lines):
        return None
    text = lines[line - 1]
    tag = etree.QName(el).localname.encode()
    idx = text.find(b"<" + tag)
    if idx < 0:
        idx = text.find(b":" + tag)  # prefixed name
        idx = text.rfind(b"<", 0, idx) if idx >= 0 else -1
    if idx < 0:
        return None
    return len(text[:idx].decode("utf-8", errors="replace")) + 1
