"""The one place a process keeps loaded specs and their runtimes.

A :class:`Catalogue` loads a spec folder once (model, then runtime: the CEL type check is the
runtime's compilation, so nothing is compiled twice) and hands out the same objects after.
``DEFAULT`` serves the CLI and the convenience functions; a service or a test that wants its
own lifetime makes its own ``Catalogue()``. Nothing else in hegui caches specs or compiled
validators at module level.
"""

from __future__ import annotations

import hashlib
from importlib.resources.abc import Traversable
from pathlib import Path

from hegui.validator.errors import SpecError
from hegui.validator.loader import MetaSchema, read_folder, read_profile, spec_folder
from hegui.validator.profiles import lay, profile_names
from hegui.validator.runtime import Runtime
from hegui.validator.spec import Spec
from hegui.validator.spec_builder import build_spec
from hegui.validator.versions import family


class Catalogue:
    """Specs by name (bundled id or folder) and runtimes by spec, each built once."""

    def __init__(self) -> None:
        self._by_name: dict[tuple[str, str | None], Spec] = {}
        self._versions: dict[tuple[str, str | None], list[Spec]] = {}
        self._runtimes: dict[tuple[str, str], Runtime] = {}
        self.meta = MetaSchema()

    def spec(self, name: str, profile: str | None = None) -> Spec:
        """The spec named ``name`` (``<id>``, ``<id>@<version>`` or a folder), with the
        profile layer ``profile`` when given, loaded and checked once."""
        candidate = Path(name)
        key = (str(candidate.resolve()) if candidate.is_dir() else name, profile)
        found = self._by_name.get(key)
        if found is None:
            found = self._by_name[key] = self.load(spec_folder(key[0]), profile)
        return found

    def versions(self, name: str, profile: str | None = None) -> list[Spec]:
        """Every version of the spec ``name`` names, oldest first (one, for a version
        folder); with ``profile``, the versions that offer that profile layer. Listed and
        loaded once per name (a batch asks for every payload whose spec it detects)."""
        candidate = Path(name)
        key = (str(candidate.resolve()) if candidate.is_dir() else name, profile)
        found = self._versions.get(key)
        if found is None:
            found = self._versions[key] = [
                self.load(folder, profile) for folder in family(name).values()
                if profile is None or profile in profile_names(folder)]
        return list(found)

    def load(self, folder: Traversable, profile: str | None = None) -> Spec:
        """Read and check the spec in ``folder`` (and the profile layer ``profile``); a
        broken spec is a SpecError naming the folder, each file, line and problem."""
        try:
            return self._load(folder, profile)
        except SpecError as exc:
            raise exc.placed(str(folder)) from None

    def _load(self, folder: Traversable, profile: str | None = None) -> Spec:
        """The spec and runtime already built for the same folder and content are reused (one
        runtime per content: its memo holds the generators' strategies, whose draws must not
        depend on how a spec was named)."""
        docs, sha = read_folder(folder, self.meta)
        profiles = profile_names(folder)
        known = self._runtimes.get((str(folder), sha))
        if known is not None:
            core = known.spec
        else:
            core = build_spec(docs, str(folder), sha, profiles=profiles)
            self._runtimes[_key(core)] = Runtime(core)
        if profile is None:
            return core
        located, raw = read_profile(folder, profile, self.meta)
        layered_sha = hashlib.sha256(sha.encode() + b"\0" + raw).hexdigest()
        known = self._runtimes.get((str(folder), layered_sha))
        if known is not None:
            return known.spec
        layered = lay(docs, core, located, profile)
        if layered.problems:
            raise SpecError.of(layered.problems)
        spec = build_spec(layered.docs, str(folder), layered_sha, profiles=profiles,
                          profile=profile, layers=layered.layers)
        self._runtimes[_key(spec)] = Runtime(spec)
        return spec

    def runtime(self, spec: Spec) -> Runtime:
        """The runtime of ``spec``, built on first request."""
        key = _key(spec)
        found = self._runtimes.get(key)
        if found is None:  # folder and content hash identify a spec's content
            found = self._runtimes[key] = Runtime(spec)
        return found


def _key(spec: Spec) -> tuple[str, str]:
    return spec.folder, spec.content_sha256


#: The catalogue of the CLI and of :func:`load_spec` / :func:`runtime_for`.
DEFAULT = Catalogue()


def runtime_for(spec: Spec) -> Runtime:
    """The runtime of ``spec`` in the default catalogue."""
    return DEFAULT.runtime(spec)
