"""hegui (合规): a standards-compliance and data-spec validator.

It validates payloads against Chinese local government data standards.
"""

#: The one place the version is written; pyproject.toml reads it from here. (A literal, not
#: importlib.metadata: that import alone cost a noticeable share of the CLI's cold start.)
__version__ = "0.1.0"

__all__ = ["__version__"]
