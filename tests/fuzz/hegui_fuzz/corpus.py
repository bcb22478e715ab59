"""Seeds: every bundled example (valid and invalid, JSON and XML) of every bundled spec."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hegui.validator.loader import load_spec
from hegui.validator.spec import Spec
from hegui.validator.versions import bundled_names


@dataclass(frozen=True)
class Seed:
    """One example file of a bundled spec."""

    spec_id: str
    name: str  # path inside the spec folder, e.g. examples/valid/apply.json
    encoding: Literal["json", "xml"]
    data: bytes

    @property
    def valid(self) -> bool:
        """Whether the example is one of the spec's conformant examples."""
        return "/valid/" in self.name

    def doc(self) -> Any:
        """The parsed JSON document (JSON seeds only)."""
        return json.loads(self.data)


@functools.cache
def specs() -> dict[str, Spec]:
    """Every bundled spec version by name (``<id>@<version>``)."""
    return {sid: load_spec(sid) for sid in bundled_names()}


@functools.cache
def seeds() -> tuple[Seed, ...]:
    """The examples of every bundled spec, in a stable order."""
    out = []
    for sid, spec in specs().items():
        folder = Path(spec.folder)
        for path in sorted((folder / "examples").rglob("*")):
            if path.suffix in (".json", ".xml"):
                enc: Literal["json", "xml"] = "json" if path.suffix == ".json" else "xml"
                out.append(Seed(sid, str(path.relative_to(folder)), enc, path.read_bytes()))
    return tuple(out)


@functools.cache
def valid_json_seeds() -> tuple[Seed, ...]:
    """The conformant JSON examples: the parents of twins and extreme-but-valid payloads."""
    return tuple(s for s in seeds() if s.valid and s.encoding == "json"
                 and s.doc().get("messageType") in specs()[s.spec_id].message_types)
