"""Replay one saved input against every invariant, in a fresh process (clean RSS numbers).

    .venv/bin/python tests/fuzz/hegui_fuzz/replay.py SPEC_ID FILE

prints the violations as a JSON list (``[]``: none). A JSON file that has an XML twin
(hegui_fuzz/twins.py) is checked against its twin too. A ``*.recipe.json`` file describes an
input too large to keep: ``{"base": "<example in the spec folder>", "section": "<top-level
key>", "copies": N}`` is that example with the section replaced by a list of N copies of it
(of its first item, when it is a list already); with ``"encoding": "xml"``, its XML encoding.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: make ``hegui_fuzz`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hegui.validator.codec import json_to_xml
from hegui_fuzz.cases import Case
from hegui_fuzz.corpus import specs
from hegui_fuzz.driver import check
from hegui_fuzz.twins import twin_of


def cooked(spec_id: str, path: Path) -> bytes:
    """The payload bytes ``path`` holds, or that its recipe makes (module doc)."""
    if not path.name.endswith(".recipe.json"):
        return path.read_bytes()
    recipe = json.loads(path.read_text(encoding="utf-8"))
    doc = json.loads((Path(specs()[spec_id].folder) / recipe["base"]).read_bytes())
    value = doc[recipe["section"]]
    item = value[0] if isinstance(value, list) else value
    doc[recipe["section"]] = [item] * recipe["copies"]
    if recipe.get("encoding") == "xml":
        return json_to_xml(doc, specs()[spec_id])
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _is_xml_recipe(path: Path) -> bool:
    return path.name.endswith(".recipe.json") and json.loads(
        path.read_text(encoding="utf-8")).get("encoding") == "xml"


def replay(spec_id: str, path: Path) -> list[str]:
    """The invariants ``path`` breaks when validated against bundled spec ``spec_id``."""
    data = cooked(spec_id, path)
    xml = _is_xml_recipe(path)
    case = Case("found", path.name, spec_id, data, "p.xml" if xml else "p" + path.suffix)
    if path.suffix == ".json" and not xml:
        with contextlib.suppress(ValueError):  # not JSON: no twin
            case.twin = twin_of(json.loads(data), specs()[spec_id]) if len(data) < 10**6 else None
    _, found, _ = check(case, memory=True)
    return found


if __name__ == "__main__":
    print(json.dumps(replay(sys.argv[1], Path(sys.argv[2])), ensure_ascii=False))
