"""The one place a process keeps loaded specs and their runtimes.

A :class:`Catalogue` loads a spec folder once (model, then runtime: the CEL type check is the
runtime's compilation, so nothing is compiled twice) and hands out the same objects after.
``DEFAULT`` serves the CLI and the convenience functions; a service or a test that wants its
own lifetime makes its own ``Catalogue()``. Nothing else in hegui caches specs or compiled
validators at module level.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from hegui.validator.loader import MetaSchema, read_folder, spec_folder
from hegui.validator.runtime import Runtime
from hegui.validator.spec import Spec
from hegui.validator.spec_builder import build_spec


class Catalogue:
    """Specs by name (bundled id or folder) and runtimes by spec, each built once."""

    def __init__(self) -> None:
        self._by_name: dict[str, Spec] = {}
        self._runtimes: dict[tuple[str, str], Runtime] = {}
        self.meta = MetaSchema()

    def spec(self, name: str) -> Spec:
        """The spec with bundled id (or folder path) ``name``, loaded and checked once."""
        candidate = Path(name)
        key = str(candidate.resolve()) if candidate.is_dir() else name
        found = self._by_name.get(key)
        if found is None:
            found = self._by_name[key] = self.load(spec_folder(key))
        return found

    def load(self, folder: Traversable) -> Spec:
        """Read and check the spec in ``folder``; the spec and runtime already built for the
        same folder and content are reused (one runtime per content: its memo holds the
        generators' strategies, whose draws must not depend on how a spec was named)."""
        docs, sha = read_folder(folder, self.meta)
        known = self._runtimes.get((str(folder), sha))
        if known is not None:
            return known.spec
        spec = build_spec(docs, str(folder), sha)
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
