"""The Python API: load a spec, validate a payload, get a Result (``import hegui``).

    >>> import hegui
    >>> result = hegui.validate(b'{"messageType": "nosuch"}')
    >>> result.verdict
    'error'

Everything here is also reachable under ``hegui.validator`` and ``hegui.generators``; this
module is the small, stable surface the README and docs/python-api.md describe.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hegui.validator.catalogue import DEFAULT
from hegui.validator.engine import Options
from hegui.validator.errors import UsageError
from hegui.validator.identify import Encoding
from hegui.validator.inputs import Payload
from hegui.validator.platform_loader import bundled_platform_ids
from hegui.validator.platform_loader import load_platform as _load_platform
from hegui.validator.platform_model import Platform
from hegui.validator.result import Result
from hegui.validator.runner import RunConfig, Runner
from hegui.validator.spec import Severity, Spec
from hegui.validator.versions import bundled_names

__all__ = ["Platform", "Result", "Spec", "bundled_platforms", "bundled_specs", "load_platform",
           "load_spec", "validate"]


def load_spec(name: str, profile: str | None = None) -> Spec:
    """A bundled spec by id (``"eguarantee"``: its current version), by id and version
    (``"eguarantee@1.0"``) or a spec folder by path, with the profile layer ``profile`` when
    given; loaded once."""
    return DEFAULT.spec(name, profile)


def load_platform(name: str) -> Platform:
    """A platform profile by id (``"jiangxi-2.3.0"``) or folder, compiled once
    (docs/platform-profiles.md)."""
    return _load_platform(name)


def bundled_platforms() -> list[Platform]:
    """Every platform profile shipped with hegui, by id."""
    return [_load_platform(pid) for pid in bundled_platform_ids()]


def bundled_specs() -> list[Spec]:
    """Every spec version shipped with hegui, by id then version."""
    return [DEFAULT.spec(name) for name in bundled_names()]


def validate(data: bytes | str | Path, spec: str | Spec | None = None, *,
             message_type: str | None = None, encoding: Encoding | None = None,
             fail_on: Severity = "error", contexts: Mapping[str, str] | None = None,
             source: str | None = None, profile: str | None = None,
             native_message: str | None = None) -> Result:
    """Validate one payload and return its :class:`Result` (never raises for bad payloads).

    ``data``: the payload's bytes, its text, or a :class:`~pathlib.Path` to read. ``spec``: a
    bundled id (the payload's version field picks the version), ``id@version``, a spec
    folder, or a loaded :class:`Spec`; None picks the bundled spec the payload names (its XML
    namespace, or JSON ``messageType`` and ``specVersion``). ``profile``: a profile layer to
    lay over the core (docs/spec-format.md, Profiles), or a platform profile (its id or
    folder, docs/platform-profiles.md): ``data`` is then that platform's native message
    (``native_message``: which one, e.g. ``"/lg/apply"``; default: recognised from the body)
    and the findings point at its native fields. ``contexts``: context documents
    by name (``{"checklist": "my-list.yaml"}``); the spec's bundled defaults otherwise.
    Raises :class:`~hegui.validator.errors.UsageError` for bad arguments (an unknown spec or
    context, an unreadable path).
    """
    if isinstance(data, Path):
        try:
            raw = data.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {data}: {exc.strerror or exc}") from None
        name = source or str(data)
    else:
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        name = source or "-"
    options = Options(message_type=message_type, encoding=encoding, fail_on=fail_on,
                      native_message=native_message)
    runner = Runner(RunConfig(spec=spec, profile=profile, options=options,
                              contexts=dict(contexts or {})))
    return runner.validate(Payload(name, raw))


def __dir__() -> list[str]:
    return sorted(__all__)
