"""Provenance shown in every report: which spec (id, version, content hash), which tool, when,
with which options, over which inputs (SHA-256 of each payload)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hegui.reports.catalogue import spec_for_ref
from hegui.validator.result import Batch
from hegui.validator.spec import Lang, Spec, Text


@dataclass(frozen=True)
class SpecInfo:
    """A spec as the results name it (``SpecRef``), with what the loaded spec adds."""

    id: str
    version: str
    sha256: str
    title: Text | None = None
    standard_number: str | None = None
    status: str | None = None
    loaded_sha256: str | None = None  # content hash of the spec given to the renderer
    #: The platform profile native payloads were mapped with, and its content hash.
    platform: str | None = None
    platform_sha256: str | None = None

    def platform_text(self) -> str:
        """``platform <id> sha256=<hash>``, or "" without a platform profile."""
        if self.platform is None:
            return ""
        return f"{self.platform} sha256={self.platform_sha256}"

    @property
    def changed(self) -> bool:
        """True when the loaded spec is not the one the results were made with."""
        return self.loaded_sha256 is not None and self.loaded_sha256 != self.sha256

    def title_text(self, lang: Lang) -> str:
        """The spec title in ``lang``, or its id when the spec is not loaded."""
        return self.title.get(lang) if self.title else self.id


@dataclass(frozen=True)
class Provenance:
    """Everything needed to reproduce or trust a report."""

    tool_name: str
    tool_version: str
    started_at: str
    options: Mapping[str, Any]
    specs: tuple[SpecInfo, ...]


def provenance(batch: Batch, specs: Mapping[str, Spec]) -> Provenance:
    """Collect the provenance of ``batch``; the spec refs come from the results themselves."""
    seen: dict[tuple[str, str, str, str | None], SpecInfo] = {}
    for r in batch.results:
        ref = r.spec
        if ref is None or (ref.id, ref.version, ref.sha256, ref.platform_sha256) in seen:
            continue
        loaded = spec_for_ref(specs, ref)
        seen[(ref.id, ref.version, ref.sha256, ref.platform_sha256)] = SpecInfo(
            id=ref.id, version=ref.version, sha256=ref.sha256,
            title=loaded.title if loaded else None,
            standard_number=loaded.standard_number if loaded else None,
            status=loaded.status if loaded else None,
            loaded_sha256=loaded.content_sha256 if loaded else None,
            platform=ref.platform, platform_sha256=ref.platform_sha256)
    return Provenance(
        tool_name="hegui", tool_version=batch.tool_version, started_at=batch.started_at,
        options=batch.options, specs=tuple(seen.values()))


def jsonable(value: Any) -> Any:
    """``json.dumps`` default: tuples/sets become lists, anything else its ``str``."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def option_items(options: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Options as (name, compact JSON value) pairs, sorted by name, for display."""
    return [(k, json.dumps(v, ensure_ascii=False, default=jsonable, sort_keys=True))
            for k, v in sorted(options.items())]
