"""Tree-level mutations of XML payloads (with lxml), and raw injections lxml would refuse.

What lxml cannot hold (illegal character references, 100,000 nested elements, DOCTYPEs,
a lying encoding declaration) is planted as a placeholder in the tree and swapped for its
raw bytes after serialisation.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable

from lxml import etree

from hegui_fuzz.edges import HUGE_NUMBER_TEXTS, edge_string, long_string, xml_legal

XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: DOCTYPEs: entity bombs, external entities, parameter entities.
DOCTYPES = (
    b'<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">'
    b'<!ENTITY z "&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;">]>',
    b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd">',
    b'<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
    b"<!DOCTYPE a>",
)

#: Raw bytes planted inside element text.
INJECTIONS = (
    b"&#0;", b"&#x0;", b"&#xD800;", b"&#x110000;", b"&#xFFFE;", b"&#1;", b"&#65;", b"&#x2028;",
    b"&e;", b"&undefined;", b"&lt;&gt;&amp;&quot;&apos;", b"<![CDATA[1]]>", b"<!-- c -->",
    b"<?pi x?>", b"\x00", b"\x0c", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"]]>",
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" parse="text"/>',
)

_TOKEN = "\ue000FUZZ{}\ue000"


class Tree:
    """A parsed XML payload being mutated, and the raw bytes to plant after serialising."""

    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        self.plants: list[bytes] = []
        self.prolog = b""
        self.declaration: bytes | None = None
        self.codec = "utf-8"

    def plant(self, raw: bytes) -> str:
        """A placeholder for ``raw`` to put into element text."""
        self.plants.append(raw)
        return _TOKEN.format(len(self.plants) - 1)

    def elements(self) -> list[etree._Element]:
        """Every element (the root first)."""
        return [e for e in self.root.iter() if isinstance(e.tag, str)]

    def serialise(self, rng: random.Random) -> bytes:
        """The tree as bytes, with the plants, prolog and declaration applied."""
        text = etree.tostring(self.root, encoding="unicode")
        for i in range(len(self.plants)):
            text = text.replace(_TOKEN.format(i), f"@@FUZZ{i}@@")
        data = text.encode(self.codec, "xmlcharrefreplace")
        for i, raw in enumerate(self.plants):
            marker = f"@@FUZZ{i}@@".encode(self.codec)
            data = data.replace(marker[2:] if self.codec == "utf-16" else marker, raw)
        if self.declaration is None:
            self.declaration = rng.choice([b"<?xml version='1.0' encoding='UTF-8'?>\n", b""])
        return self.declaration + self.prolog + data


Mutation = Callable[[random.Random, Tree], None]


def _pick(rng: random.Random, t: Tree, leaf: bool = False) -> etree._Element:
    els = t.elements()
    if leaf:
        els = [e for e in els if len(e) == 0] or els
    return rng.choice(els)


def duplicate_element(rng: random.Random, t: Tree) -> None:
    """A copy of an element as its sibling (up to 1,000 copies)."""
    el = _pick(rng, t)
    parent = el.getparent()
    if parent is None:
        return
    # Copies stop at 24 MiB in all (past hegui's payload limit; copies of copies would grow
    # without bound).
    n = rng.choice([1, 1, 2, 49, 50, 51, 1000])
    n = min(n, (24 << 20) // max(1, len(etree.tostring(t.root))))
    for _ in range(max(1, n)):
        el.addnext(copy.deepcopy(el))


def delete_element(rng: random.Random, t: Tree) -> None:
    """An element removed."""
    el = _pick(rng, t)
    if el.getparent() is not None:
        el.getparent().remove(el)


def swap_siblings(rng: random.Random, t: Tree) -> None:
    """Two children of one element in the other order."""
    el = _pick(rng, t)
    kids = list(el)
    if len(kids) >= 2:
        a, b = rng.sample(range(len(kids)), 2)
        kids[a].addprevious(copy.deepcopy(kids[b]))
        kids[b].addprevious(copy.deepcopy(kids[a]))
        el.remove(kids[a])
        el.remove(kids[b])


def rename_element(rng: random.Random, t: Tree) -> None:
    """An element renamed to another name of the payload (or a near miss)."""
    el = _pick(rng, t)
    names = sorted({etree.QName(e).localname for e in t.elements()})
    ns = etree.QName(el).namespace
    local = rng.choice([*names, etree.QName(el).localname.upper(), "item", "x", "_"])
    el.tag = f"{{{ns}}}{local}" if ns else local


def edge_text(rng: random.Random, t: Tree) -> None:
    """Element text set to an edge string (characters XML forbids become raw bytes)."""
    el = _pick(rng, t, leaf=True)
    value = edge_string(rng, el.text)
    el.text = "".join(ch if xml_legal(ch) and ch != "\r" else t.plant(
        ch.encode("utf-8", "surrogatepass")) for ch in value)


def huge_number_text(rng: random.Random, t: Tree) -> None:
    """Element text set to a number no double or 64-bit integer holds."""
    _pick(rng, t, leaf=True).text = rng.choice(HUGE_NUMBER_TEXTS)


def long_text(rng: random.Random, t: Tree) -> None:
    """Element text set to a long string."""
    _pick(rng, t, leaf=True).text = long_string(rng)


def inject(rng: random.Random, t: Tree) -> None:
    """Raw bytes (illegal character references, CDATA, PIs, XInclude ...) inside a text."""
    el = _pick(rng, t, leaf=True)
    at = len(el.text or "")
    i = rng.randint(0, at)
    el.text = (el.text or "")[:i] + t.plant(rng.choice(INJECTIONS)) + (el.text or "")[i:]


def attribute(rng: random.Random, t: Tree) -> None:
    """An attribute: xsi:nil, xsi:type, xml:lang, an unknown one."""
    el = _pick(rng, t)
    name, value = rng.choice([(f"{{{XSI}}}nil", "true"), (f"{{{XSI}}}type", "xs:int"),
                              ("{http://www.w3.org/XML/1998/namespace}lang", "zh"),
                              ("id", "1"), ("x", "\u202e")])
    el.set(name, value)


def deep_nest(rng: random.Random, t: Tree) -> None:
    """Many nested elements inside a leaf (around libxml2's and hegui's limits, and past)."""
    el = _pick(rng, t, leaf=True)
    n = rng.choice([10, 63, 64, 65, 255, 256, 257, 1000, 10**4, 10**5])
    name = rng.choice([b"a", etree.QName(el).localname.encode()])
    el.text = t.plant((b"<" + name + b">") * n + b"1" + (b"</" + name + b">") * n)


def doctype(rng: random.Random, t: Tree) -> None:
    """A DOCTYPE (entity bomb, external entity ...), sometimes after a comment or a PI."""
    lead = rng.choice([b"", b"<!-- c -->", b"<?pi x?>", b"\n" * 3, b"<!--" + b"x" * 5000 + b"-->"])
    t.prolog = lead + rng.choice(DOCTYPES)
    el = _pick(rng, t, leaf=True)
    el.text = (el.text or "") + t.plant(rng.choice([b"&x;", b"&z;", b"&e;", b""]))


def declaration(rng: random.Random, t: Tree) -> None:
    """An XML declaration that lies, or one for another encoding or XML version."""
    t.codec, t.declaration = rng.choice([
        ("gb18030", b'<?xml version="1.0" encoding="GB18030"?>'),
        ("gbk", b'<?xml version="1.0" encoding="GBK"?>'),
        ("utf-16", b""), ("utf-8", b'<?xml version="1.0" encoding="UTF-16"?>'),
        ("utf-8", b'<?xml version="1.0" encoding="ISO-8859-1"?>'),
        ("utf-8", b'<?xml version="1.1" encoding="UTF-8"?>'),
        ("utf-8", b'<?xml version="2.0"?>'), ("utf-8", b'<?xml encoding="UTF-8"?>'),
        ("utf-8", b'<?xml version="1.0" encoding="EBCDIC"?>'),
        ("utf-8", b'<?xml version="1.0" encoding="x-unknown"?>'),
        ("utf-8", b'<?xml version="1.0" standalone="no"?>'),
        ("utf-8", b"\xef\xbb\xbf<?xml version='1.0'?>"), ("utf-8", b" <?xml version='1.0'?>"),
    ])
    if t.codec == "utf-16":
        t.declaration = '<?xml version="1.0" encoding="UTF-16"?>'.encode("utf-16")[2:]


MUTATIONS: tuple[Mutation, ...] = (duplicate_element, delete_element, swap_siblings,
                                   rename_element, edge_text, huge_number_text, long_text, inject,
                                   attribute, deep_nest, doctype, declaration)

_TAG = re.compile(rb"<(/?)([A-Za-z_])")


def mutate(rng: random.Random, data: bytes, rounds: int = 0) -> tuple[bytes, str]:
    """Apply one to three (or ``rounds``) tree mutations to an XML seed."""
    t = Tree(data)
    names = []
    for _ in range(rounds or rng.choice([1, 1, 1, 2, 3])):
        m = rng.choice(MUTATIONS)
        m(rng, t)
        names.append(m.__name__)
    out = t.serialise(rng)
    if rng.random() < 0.1:  # the same document, with a namespace prefix or another namespace
        if rng.random() < 0.5:
            out = _TAG.sub(rb"<\1p:\2", out).replace(b"xmlns=", b"xmlns:p=")
            names.append("prefix")
        else:
            out = re.sub(rb'xmlns="[^"]*"', rng.choice([
                b'xmlns="urn:hegui:spec:eguarantee:2.0"', b'xmlns=""', b"",
                b'xmlns="urn:hegui:spec:window-checklist:1.0"',
                b'xmlns="URN:HEGUI:SPEC:EGUARANTEE:1.0"',
                b'xmlns="urn:hegui:spec:eguarantee:1.0" xmlns="x"']), out, count=1)
            names.append("namespace")
    return out, "+".join(names)
