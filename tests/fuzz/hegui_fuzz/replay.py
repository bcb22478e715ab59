"""Replay one saved input against every invariant, in a fresh process (clean RSS numbers).

    .venv/bin/python tests/fuzz/hegui_fuzz/replay.py SPEC_ID FILE

prints the violations as a JSON list (``[]``: none). A JSON file that has an XML twin
(hegui_fuzz/twins.py) is checked against its twin too.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: make ``hegui_fuzz`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hegui_fuzz.cases import Case
from hegui_fuzz.corpus import specs
from hegui_fuzz.driver import check
from hegui_fuzz.twins import twin_of


def replay(spec_id: str, path: Path) -> list[str]:
    """The invariants ``path`` breaks when validated against bundled spec ``spec_id``."""
    data = path.read_bytes()
    case = Case("found", path.name, spec_id, data, "p" + path.suffix)
    if path.suffix == ".json":
        with contextlib.suppress(ValueError):  # not JSON: no twin
            case.twin = twin_of(json.loads(data), specs()[spec_id])
    _, found, _ = check(case, memory=True)
    return found


if __name__ == "__main__":
    print(json.dumps(replay(sys.argv[1], Path(sys.argv[2])), ensure_ascii=False))
