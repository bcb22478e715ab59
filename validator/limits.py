"""Safety limits for untrusted payloads and the error parsers raise, in one place.

(cf. xmlschema's limits module)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds applied before and while parsing a payload.

    The defaults are far above any real e-guarantee or checklist message (a few KB to a few
    hundred KB) and far below what could exhaust the machine.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_depth: int = 64
    max_jsonl_line_bytes: int = 5 * 1024 * 1024  # the line's bytes, not counting its line end
    #: Findings kept per rule id and per payload; the rest are counted in one note per rule.
    max_findings_per_rule: int = 100
    max_findings: int = 1000
    #: Schema errors read per payload; beyond it the schema check stops (the payload is
    #: nonconformant already) and the datatype and rule checks do not run, as the result says.
    max_schema_errors: int = 10_000


DEFAULT_LIMITS = Limits()


class PayloadParseError(Exception):
    """Bytes that are not an acceptable payload; ``facet`` names the kind of problem
    (``parse``, ``encoding``, ``nan``, ``limit``, ``dtd``) and becomes the rule id
    ``payload@<facet>``."""

    def __init__(self, message: str, facet: str, line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.facet = facet
        self.line = line
        self.column = column
