"""Elements of an XML payload by the paths libxml2 writes, in time linear in the payload.

libxml2 names the element of each schema error by a path such as
``/eg:checklist/eg:items/eg:item[3999]/eg:level``. Evaluating each path with XPath, or finding
an item's position by scanning its siblings, costs the list's length per error — quadratic
for a long list with an error in every item. A :class:`PathIndex` walks each parent's
children once and answers every later question from that table.
"""

from __future__ import annotations

import re

from lxml import etree

_STEP = re.compile(r"^(?:(?P<prefix>[^:\[\]]+):)?(?P<name>[^:\[\]]+)(?:\[(?P<n>[0-9]+)\])?$")


class PathIndex:
    """Child tables of one parsed XML document, built on first need per parent."""

    def __init__(self, root: etree._Element):
        self.root = root
        self._by_name: dict[etree._Element, dict[str, list[etree._Element]]] = {}
        self._position: dict[etree._Element, dict[etree._Element, int]] = {}

    def _children(self, parent: etree._Element) -> dict[str, list[etree._Element]]:
        table = self._by_name.get(parent)
        if table is None:
            table = {"*": []}
            for child in parent:
                if isinstance(child.tag, str):
                    table["*"].append(child)
                    table.setdefault(etree.QName(child).localname, []).append(child)
            self._by_name[parent] = table
        return table

    def element(self, path: str | None) -> etree._Element | None:
        """The element at a libxml2 path, or None when the path does not lead to an element.

        libxml2 writes ``prefix:name[n]`` (the n-th child of that name) for prefixed elements
        and ``*[n]`` (the n-th child element) for elements in a default namespace; ``[n]`` is
        left out for an only child. Prefixes are ignored: a payload has one namespace."""
        if not path or not path.startswith("/"):
            return None
        steps = path[1:].split("/")
        first = _STEP.match(steps[0])
        if first is None or first.group("name") not in ("*", etree.QName(self.root).localname):
            return None
        node = self.root
        for step in steps[1:]:
            m = _STEP.match(step)
            if m is None:
                return None
            found = self._children(node).get(m.group("name"), [])
            n = int(m.group("n") or 1)
            if not 1 <= n <= len(found):
                return None
            node = found[n - 1]
        return node

    def position(self, node: etree._Element) -> int:
        """0-based position of ``node`` among its parent's child elements (comments and
        processing instructions do not count)."""
        parent = node.getparent()
        if parent is None:
            return 0
        table = self._position.get(parent)
        if table is None:
            table = {}
            for child in parent:
                if isinstance(child.tag, str):
                    table[child] = len(table)
            self._position[parent] = table
        return table.get(node, 0)
