"""hegui (合规): a standards-compliance and data-spec validator.

It validates payloads against Chinese local government data standards::

    import hegui
    spec = hegui.load_spec("eguarantee")
    result = hegui.validate(payload_bytes, spec)     # a hegui.Result
    print(result.verdict, result.to_json("en"))

``hegui.strategies`` holds the Hypothesis strategies (``payloads``, ``records``,
``invalid_payloads`` ...). Names are imported on first use, so ``import hegui`` stays cheap.
See docs/python-api.md.
"""

from __future__ import annotations

from typing import Any

#: The one place the version is written; pyproject.toml reads it from here. (A literal, not
#: importlib.metadata: that import alone cost a noticeable share of the CLI's cold start.)
__version__ = "0.1.0"

__all__ = ["Platform", "Result", "Spec", "__version__", "bundled_platforms", "bundled_specs",
           "load_platform", "load_spec", "strategies", "validate"]

_API = ("Platform", "Result", "Spec", "bundled_platforms", "bundled_specs", "load_platform",
        "load_spec", "validate")


def __getattr__(name: str) -> Any:
    """The public names, imported when first asked for (PEP 562)."""
    if name in _API:
        from hegui import api

        return getattr(api, name)
    if name == "strategies":
        import hegui.strategies as strategies

        return strategies
    raise AttributeError(f"module 'hegui' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
