"""Find and read a spec folder: the five YAML files, checked against the meta-schema.

Every problem in a spec folder becomes a :class:`SpecError` naming the file, the line and the
problem — never a traceback — and all problems are reported at once. The model is built by
:mod:`hegui.validator.spec_builder`, the CEL rules compiled (and type-checked) by
:mod:`hegui.validator.runtime`; :mod:`hegui.validator.catalogue` keeps the results.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import jsonschema_rs
import yaml

from hegui.validator.errors import SpecError, SpecProblem
from hegui.validator.spec import Spec
from hegui.validator.versions import bundled_spec_ids, resolve
from hegui.validator.yamlsource import Located, load_located

__all__ = ["SPEC_FILES", "MetaSchema", "bundled_spec_ids", "compile_folder", "load_spec",
           "read_folder", "read_profile", "spec_folder"]

#: The spec files, in the order they are read; each is checked against ``$defs/<kind>``.
SPEC_FILES = ("manifest", "codelists", "dictionary", "messages", "rules")


class MetaSchema:
    """The meta-schema of spec files, with a compiled fast check per kind of file."""

    def __init__(self) -> None:
        text = resources.files("hegui.validator").joinpath(
            "data/spec-meta.schema.yaml").read_text(encoding="utf-8")
        self.schema: dict[str, Any] = yaml.load(
            text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        self._fast: dict[str, Any] = {}

    def is_valid(self, kind: str, data: Any) -> bool:
        """Whether ``data`` is a valid spec file of ``kind`` (jsonschema-rs: the common path)."""
        if kind not in self._fast:
            self._fast[kind] = jsonschema_rs.validator_for(
                {**self.schema, "$ref": f"#/$defs/{kind}"})
        return bool(self._fast[kind].is_valid(data))

    def problems(self, kind: str, located: Located, name: str) -> list[SpecProblem]:
        """Every meta-schema violation of an invalid file, each at its line and column."""
        # The Python implementation locates and explains errors best (imported here: it costs
        # a tenth of a second at start-up, and good spec files never need it).
        import jsonschema

        validator = jsonschema.Draft202012Validator({**self.schema, "$ref": f"#/$defs/{kind}"})
        out = []
        for err in validator.iter_errors(located.data):
            best = jsonschema.exceptions.best_match([err]) or err  # its most specific cause
            path = tuple(best.absolute_path)
            extra = _unexpected_key(best)
            if extra is not None:  # point at the unexpected member, not at its object
                path = (*path, extra)
            line, col = located.where(path) or (None, None)
            where = "/".join(str(p) for p in path) or "(top)"
            out.append(SpecProblem(name, f"at {where}: {best.message}", line, col))
        return out


def _unexpected_key(err: Any) -> str | None:
    """The first member an ``additionalProperties: false`` error is about, if any."""
    if err.validator != "additionalProperties" or not isinstance(err.instance, dict):
        return None
    allowed = set(err.schema.get("properties", {}))
    extra = [k for k in err.instance if k not in allowed]
    return extra[0] if extra and not err.schema.get("patternProperties") else None


def spec_folder(spec: str) -> Traversable:
    """The version folder a spec name names: ``<id>`` (its current version), ``<id>@<version>``,
    or a folder (a version folder, or a spec folder holding version folders)."""
    return resolve(spec)


def load_spec(spec: str, profile: str | None = None) -> Spec:
    """The spec named ``spec`` (``<id>``, ``<id>@<version>`` or a folder), with profile layer
    ``profile`` when given, loaded once per process."""
    from hegui.validator.catalogue import DEFAULT  # the catalogue builds on this module

    return DEFAULT.spec(spec, profile)


def compile_folder(folder: Traversable) -> Spec:
    """Read, check and compile the spec in ``folder`` afresh (its runtime is kept)."""
    from hegui.validator.catalogue import DEFAULT

    return DEFAULT.load(folder)


def read_folder(folder: Traversable, meta: MetaSchema) -> tuple[dict[str, Located], str]:
    """The five spec files of ``folder``, parsed and checked against the meta-schema, and the
    content hash; raise SpecError listing the problems of every file."""
    docs: dict[str, Located] = {}
    problems: list[SpecProblem] = []
    digest = hashlib.sha256()
    for kind in SPEC_FILES:
        name = f"{kind}.yaml"
        entry = folder.joinpath(name)
        if not entry.is_file():
            problems.append(SpecProblem(name, f"missing spec file {name} in {folder}"))
            continue
        raw = entry.read_bytes()
        digest.update(name.encode() + b"\0" + raw + b"\0")
        try:
            located = _parse(raw, name)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        if not meta.is_valid(kind, located.data):
            problems.extend(meta.problems(kind, located, name))
            continue
        docs[kind] = located
    if problems:
        raise SpecError.of(problems)
    return docs, digest.hexdigest()


def read_profile(folder: Traversable, name: str, meta: MetaSchema) -> tuple[Located, bytes]:
    """The profile file ``profiles/<name>.yaml`` of a version folder, checked against the
    meta-schema, and its bytes; raise SpecError naming its problems."""
    from hegui.validator.profiles import PROFILES_DIR, profile_names

    file = f"{PROFILES_DIR}/{name}.yaml"
    if name not in profile_names(folder):
        have = ", ".join(profile_names(folder)) or "none"
        raise SpecError(file, f"no profile {name!r} in {folder} (profiles: {have}) / "
                              f"没有配置层 {name!r}（现有：{have}）")
    raw = folder.joinpath(PROFILES_DIR).joinpath(f"{name}.yaml").read_bytes()
    located = _parse(raw, file)
    if not meta.is_valid("profile", located.data):
        raise SpecError.of(meta.problems("profile", located, file))
    return located, raw


def _parse(raw: bytes, name: str) -> Located:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(name, f"not UTF-8: {exc}") from None
    try:
        return load_located(text, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise SpecError(name, f"YAML error: {exc.problem or exc}", line, col) from None
    except yaml.YAMLError as exc:
        raise SpecError(name, f"YAML error: {exc}") from None
