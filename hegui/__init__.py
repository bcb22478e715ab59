"""hegui (合规): a standards-compliance and data-spec validator.

It validates payloads against Chinese local government data standards.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hegui")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
