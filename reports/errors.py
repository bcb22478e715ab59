"""Errors of the reports package. Both are CLI-facing and exit with code 2."""

from __future__ import annotations

from hegui.validator.errors import HeguiError, UsageError


class ResultFileError(UsageError):
    """A saved ``hegui-result`` JSON document cannot be read; the message says what is wrong."""


class ReportWriteError(HeguiError):
    """A rendered report cannot be written to its destination."""
