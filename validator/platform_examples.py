"""Run a platform profile's native examples against their manifest (``examples/manifest.yaml``).

Each entry names a file, its native message, the expected verdict and the expected findings
(the rule id of every error and warning, once per finding). :func:`check_examples` validates
each file with the profile and says where the outcome differs; ``hegui profiles check`` and
the tests use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from hegui.validator.engine import Options, Validator
from hegui.validator.errors import SpecError
from hegui.validator.loader import load_spec
from hegui.validator.platform_loader import platform_folder
from hegui.validator.platform_model import Platform
from hegui.validator.result import Result
from hegui.validator.spec import Text

MANIFEST = "examples/manifest.yaml"


@dataclass(frozen=True)
class ExampleOutcome:
    """One example: what the manifest expects, what validation gave, and the explanation."""

    file: str
    message: str
    want_verdict: str
    want: tuple[str, ...]
    result: Result
    explain: Text | None

    @property
    def got(self) -> tuple[str, ...]:
        """The rule ids of the errors and warnings found, sorted."""
        return tuple(sorted(f.rule_id for f in self.result.findings if f.severity != "info"))

    @property
    def ok(self) -> bool:
        """Whether the outcome is the one the manifest records."""
        return self.result.verdict == self.want_verdict and self.got == self.want


def examples(platform: Platform) -> list[dict[str, Any]]:
    """The entries of the profile's example manifest ([] when it has none)."""
    manifest = platform_folder(platform.folder).joinpath(MANIFEST)
    if not manifest.is_file():
        return []
    try:
        doc = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SpecError(MANIFEST, f"YAML error: {exc}") from None
    items = doc.get("examples") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise SpecError(MANIFEST, "expected a list `examples`")
    return items


def check_examples(platform: Platform) -> Iterator[ExampleOutcome]:
    """Validate every example of the profile, in manifest order."""
    spec = load_spec(platform.spec, platform.layer)
    validator = Validator(spec, platform=platform)
    base = platform_folder(platform.folder).joinpath("examples")
    for e in examples(platform):
        data = base.joinpath(str(e["file"])).read_bytes()
        result = validator.validate(data, f"{platform.id}/examples/{e['file']}",
                                    Options(native_message=e.get("message")))
        explain = e.get("explain")
        yield ExampleOutcome(
            str(e["file"]), str(e.get("message")), str(e["verdict"]),
            tuple(sorted(str(x) for x in e.get("findings") or ())), result,
            Text(explain["zh"], explain["en"]) if isinstance(explain, dict) else None)
