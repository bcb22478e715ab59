"""Bugs the fuzz tier found (tests/fuzz/found/README.md), open or fixed.

Each has a minimal reproducer in tests/fuzz/found/. An open one is a strict xfail in
tests/fuzz/test_found.py, which starts passing (and so fails, being strict) once the bug is
fixed: then give its entry ``fixed`` (what fixed it) and the reproducer is replayed as a plain
regression test. The bulk loop and the Hypothesis tests count violations an open bug explains
apart, so that one open bug does not hide a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hegui_fuzz.cases import Case


@dataclass(frozen=True)
class KnownBug:
    """One open bug: its reproducer in found/, what it breaks, and how to recognise it."""

    id: str
    spec_id: str
    reproducer: str  # file name in tests/fuzz/found/
    note: str
    #: Matched against ``"<violation> | <family> <spec id> <how>"`` of the case.
    pattern: str
    fixed: str | None = None  # what fixed it; None while open


KNOWN: tuple[KnownBug, ...] = (
    KnownBug(
        "wc-quadratic-list-rules", "window-checklist@1.0", "wc-2000-materials.json",
        "an application with 2,000 copies of one material (66 KB) takes over 300 MiB in the "
        "rules stage (O(n^2) CEL comprehensions such as WC-113's nested filter; 20,000: "
        "3 GiB and 4.6 s CPU; 100,000: over 5 s) and ends 'Iteration budget exceeded'",
        # Every window-checklist list is unbounded (no maxItems): long ones all meet it.
        r"^over-(memory|time).* \| \w+ window-checklist(@[0-9.]+)? ",
        fixed="WC-005/013/014/033/034/113 with the linear duplicates() (specs/window-checklist)"),
    KnownBug(
        "xml-first-excluded-element-only", "eguarantee@1.0", "eg-apply-two-excluded-elements.json",
        "elements of a group that the message type excludes (apply's payment.payTxnNo and "
        "payMemo): JSON reports each @unexpected, the XML twin only the first (libxml2 "
        "stops at the first content-model error; the codec flags only elements unknown to "
        "the group)",
        r"^twins-disagree: json \w+ \[('[^']*@unexpected'(, )?)+\], xml \w+ \[\]",
        fixed="excluded elements read from the JSON encoding for both (presence.py)"),
    KnownBug(
        "xml-long-value-facet", "eguarantee@1.0", "eg-money-63920-chars.json",
        "a money value of 63,920 characters or more: JSON says @pattern, the XML twin @type "
        "(libxml2 cuts its message at about 64,000 bytes, before the part the facet is read "
        "from)",
        r"^twins-disagree: json \w+ \['[^']*@pattern'\], xml \w+ \['[^']*@type'\]",
        fixed="a cut libxml2 message on a scalar element is its lexical form (structure.py)"),
    KnownBug(
        "json-parse-peak-near-size-limit", "eguarantee@1.0", "eg-20mb-issuer-list.recipe.json",
        "a JSON payload just under the 20 MiB limit (EG-030's example, issuer a list of "
        "95,000 copies: 20.9 MB) peaks at about 306 MiB of Python allocations in the parse "
        "stage (orjson's tree keeps 71 MiB; where in parse_json the rest goes is not pinned "
        "down), over the 300 MiB budget",
        # The traced peak alone (the RSS growth is under the budget).
        r"^over-memory: peak 3\d\d MiB, rss \+[12]?\d?\d MiB \| ",
        fixed="no bug in hegui: the traced peak counts capacity orjson reserves and never "
              "touches (resident growth 72 MiB); the memory budget is the resident growth"),
    KnownBug(
        "xml-locate-traces-every-node", "window-checklist@1.0",
        "wc-100k-materials-xml.recipe.json",
        "an application of 100,000 materials in XML (17.8 MB) grows the process by about "
        "500 MiB: the locate stage traced every node of the payload (XPath, line and element "
        "of 600,000 pointers, +270 MiB and 1.7 s) to place eight findings",
        r"^over-memory: .*\(xml twin\) \| twin window-checklist",
        fixed="only the findings' pointers are traced (validator/xml_trace.py): locate +4 MiB, "
              "0.04 s; unknown elements are listed in one walk that keeps nothing else"),
)


def known(violation: str, case: Case) -> KnownBug | None:
    """The known bug that explains ``violation`` on ``case``, if any."""
    text = f"{violation} | {case.family} {case.spec_id} {case.how}"
    return next((b for b in KNOWN if b.fixed is None and re.search(b.pattern, text)), None)
