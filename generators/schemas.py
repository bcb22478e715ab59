"""Write and check the generated schema files of a spec (``specs/<id>/schemas/``).

The XSD and the JSON Schema are generated from the spec and committed next to it;
:func:`check_schemas` is what the drift test and ``hegui specs schemas --check`` run.
"""

from __future__ import annotations

import json
from pathlib import Path

from hegui.generators.json_schema import json_schema
from hegui.generators.xsd import xsd_text
from hegui.validator.spec import Spec

SCHEMAS_DIR = "schemas"


def source_folder(spec: Spec) -> Path:
    """The spec's folder on disk, following the links of a strict editable install.

    ``spec.folder`` of a bundled spec may be a link tree (``build/__editable__...``) whose files
    are symlinks into the repository; writing there would not reach the repository.
    """
    folder = Path(spec.folder)
    manifest = folder / "manifest.yaml"
    return manifest.resolve().parent if manifest.is_symlink() else folder


def schema_paths(spec: Spec) -> tuple[Path, Path]:
    """(XSD path, JSON Schema path): ``<spec folder>/schemas/<id>-<version>.xsd`` and
    ``.schema.json``."""
    base = source_folder(spec) / SCHEMAS_DIR / f"{spec.id}-{spec.version}"
    return base.with_name(base.name + ".xsd"), base.with_name(base.name + ".schema.json")


def json_schema_text(spec: Spec) -> str:
    """The JSON Schema of ``spec`` as committed: UTF-8 text, 2-space indent, final newline."""
    return json.dumps(json_schema(spec), ensure_ascii=False, indent=2) + "\n"


def render_schemas(spec: Spec) -> dict[Path, str]:
    """The generated files of ``spec``: path -> text."""
    xsd_path, json_path = schema_paths(spec)
    return {xsd_path: xsd_text(spec), json_path: json_schema_text(spec)}


def write_schemas(spec: Spec) -> list[Path]:
    """(Re)generate the schema files of ``spec``; return the paths whose content changed."""
    changed = []
    for path, text in render_schemas(spec).items():
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed.append(path)
    return changed


def check_schemas(spec: Spec) -> list[str]:
    """Names of the schema files of ``spec`` that are missing or differ from regeneration."""
    return [path.name for path, text in render_schemas(spec).items()
            if not path.is_file() or path.read_bytes() != text.encode("utf-8")]
