"""Error types of hegui, one per concern. CLI-facing errors carry their exit code."""

from __future__ import annotations

#: Exit codes, documented in the README: 0 all conformant, 1 any nonconformant, 2 usage or
#: processing error (including a payload that could not be evaluated).
EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2


class HeguiError(Exception):
    """Base of hegui's own errors; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_ERROR


class SpecError(HeguiError):
    """A spec folder is broken: names the file, the line and column where known, and the problem."""

    def __init__(self, file: str, problem: str, line: int | None = None, column: int | None = None):
        self.file = file
        self.problem = problem
        self.line = line
        self.column = column
        where = file if line is None else f"{file}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {problem}")


class SpecNotFound(HeguiError):
    """No spec with the requested id (or at the requested path)."""


class UsageError(HeguiError):
    """Bad options or arguments given to the API or the CLI."""
