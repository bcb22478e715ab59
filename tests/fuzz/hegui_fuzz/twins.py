"""Which JSON documents have an XML twin, and the twin itself.

A JSON document has a twin when the XML encoding loses nothing of it: ``X =
json_to_xml(D)`` parses, and ``xml_to_json(X)`` gives back ``D`` exactly, key order included.
That rules out, by construction rather than by a list of cases: keys the spec does not know
(XML decoding skips unknown elements), JSON types the element's datatype does not decode to
(``"5"`` for an integer, ``1.0``, ``null``, an object where a string belongs), characters
XML 1.0 cannot carry (NUL, lone surrogates, most C0 controls, U+FFFE), a ``messageType``
that names no message type, and carriage returns (XML normalises line ends). For every
document that passes, both encodings are one record, so they must get the same verdict and
the same rule ids.
"""

from __future__ import annotations

import json
from typing import Any

from hegui.validator.codec import json_to_xml, xml_to_json
from hegui.validator.safe_xml import parse_xml
from hegui.validator.spec import Spec


def twin_of(doc: Any, spec: Spec) -> bytes | None:
    """The XML twin of the JSON document ``doc``, or None when it has none (module doc)."""
    if not isinstance(doc, dict) or list(doc)[:2] != ["messageType", "specVersion"]:
        return None
    mt = spec.message_types.get(doc["messageType"]) if isinstance(
        doc["messageType"], str) else None
    if mt is None or doc["specVersion"] != spec.version:
        return None
    try:
        xml = json_to_xml(doc, spec)
        back, _ = xml_to_json(parse_xml(xml).root, spec, mt, traced=False)
    except Exception:  # XML cannot hold it (lxml refuses the text): no twin
        return None
    same = json.dumps(back, ensure_ascii=False) == json.dumps(doc, ensure_ascii=False)
    return xml if same else None
