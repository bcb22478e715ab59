"""Versions side by side: how a spec name finds its version folder.

A bundled spec is ``specs/<id>/<version>/`` (one folder per version, each a whole spec). A spec
is named ``<id>`` (the payload's own version field picks among its versions) or
``<id>@<version>`` (that version, whatever the payload says), or by a folder: a version folder
(holding ``manifest.yaml``) or a spec folder holding version folders. Which version a payload
without a version gets: :func:`current_version`. Nothing here parses a spec; the manifests'
``status`` is read with a plain YAML load (lifecycle only).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from hegui.validator.errors import SpecNotFound

_VERSION = re.compile(r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")


def split_name(name: str) -> tuple[str, str | None]:
    """``"eguarantee@1.0"`` -> ``("eguarantee", "1.0")``; a name without ``@`` has no version."""
    base, sep, version = name.rpartition("@")
    if sep and base and _VERSION.match(version):
        return base, version
    return name, None


def version_key(version: str) -> tuple[int, ...]:
    """Versions in numeric order (``1.10`` after ``1.9``)."""
    return tuple(int(p) for p in version.split("."))


def _bundled_root() -> Traversable:
    return resources.files("hegui.specs")


def is_version_folder(folder: Traversable) -> bool:
    """Whether ``folder`` holds one version of a spec (its ``manifest.yaml``)."""
    return folder.is_dir() and folder.joinpath("manifest.yaml").is_file()


def version_folders(spec_folder: Traversable) -> dict[str, Traversable]:
    """The version folders of a spec folder, by version, oldest first."""
    found = {p.name: p for p in spec_folder.iterdir()
             if _VERSION.match(p.name) and is_version_folder(p)}
    return {v: found[v] for v in sorted(found, key=version_key)}


def bundled_spec_ids() -> list[str]:
    """Ids of the specs shipped inside the package, sorted."""
    return list(_bundled_ids())


@functools.cache
def _bundled_ids() -> tuple[str, ...]:
    # Package data does not change while a process runs: listed once.
    return tuple(sorted(p.name for p in _bundled_root().iterdir()
                        if p.is_dir() and version_folders(p)))


def bundled_names() -> list[str]:
    """``<id>@<version>`` of every bundled version, by id then version."""
    return [f"{sid}@{v}" for sid in bundled_spec_ids()
            for v in version_folders(_bundled_root().joinpath(sid))]


def _status(folder: Traversable) -> str:
    try:
        data = yaml.safe_load(folder.joinpath("manifest.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return "draft"  # the loader reports what is wrong with the manifest
    status = data.get("status") if isinstance(data, dict) else None
    return status if isinstance(status, str) else "draft"


def current_version(versions: dict[str, Traversable]) -> str:
    """The version a payload that names none gets: the newest ``active`` one, else the
    newest that is not ``deprecated``, else the newest."""
    newest_first = list(reversed(versions))
    for wanted in ({"active"}, {"active", "draft"}):
        for v in newest_first:
            if _status(versions[v]) in wanted:
                return v
    return newest_first[0]


def _spec_folder(base: str) -> Traversable | None:
    candidate = Path(base)
    if candidate.is_dir():
        return candidate
    folder = _bundled_root().joinpath(base)
    return folder if folder.is_dir() else None


def _not_found(name: str, extra: str = "") -> SpecNotFound:
    known = ", ".join(bundled_names()) or "none"
    return SpecNotFound(f"no spec {name!r}{extra} (bundled: {known}) / 找不到规范 {name!r}"
                        f"（可用：{known}）")


def family(name: str) -> dict[str, Traversable]:
    """Every version folder of the spec ``name`` names (``<id>``, ``<id>@<version>`` or a
    folder); a version folder on its own is a family of one."""
    base, _ = split_name(name)
    folder = _spec_folder(base)
    if folder is None:
        raise _not_found(name)
    if is_version_folder(folder):
        return {"": folder}
    versions = version_folders(folder)
    if not versions:
        raise _not_found(name, " (a folder without manifest.yaml or version folders)")
    return versions


def resolve(name: str) -> Traversable:
    """The version folder ``name`` names; a name without a version gets the current one."""
    base, version = split_name(name)
    versions = family(name)
    if "" in versions:
        return versions[""]
    if version is None:
        return versions[current_version(versions)]
    if version not in versions:
        have = ", ".join(versions)
        raise SpecNotFound(f"spec {base} has no version {version} (bundled versions: {have}) / "
                           f"规范 {base} 没有 {version} 版本（现有：{have}）")
    return versions[version]
