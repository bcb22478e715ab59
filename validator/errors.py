"""Error types of hegui, one per concern. CLI-facing errors carry their exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Exit codes, documented in the README: 0 all conformant, 1 any nonconformant, 2 usage or
#: processing error (including a payload that could not be evaluated).
EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2


class HeguiError(Exception):
    """Base of hegui's own errors; ``exit_code`` is what the CLI exits with."""

    exit_code = EXIT_ERROR


@dataclass(frozen=True)
class SpecProblem:
    """One problem in a spec file: the file, the line and column where known, and what."""

    file: str
    problem: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}" + (
            f":{self.column}" if self.column else "")
        return f"{where}: {self.problem}"


class SpecError(HeguiError):
    """A spec folder is broken: every problem found, each with its file, line and column.

    ``file``, ``problem``, ``line`` and ``column`` are those of the first problem.
    """

    def __init__(self, file: str, problem: str, line: int | None = None, column: int | None = None,
                 more: tuple[SpecProblem, ...] = ()):
        first = SpecProblem(file, problem, line, column)
        self.problems = (first, *more)
        self.file, self.problem, self.line, self.column = file, problem, line, column
        text = str(first)
        if more:
            text += f" (and {len(more)} more problems)\n" + "\n".join(f"  {p}" for p in more)
        super().__init__(text)

    def placed(self, folder: str) -> SpecError:
        """The same problems, the message naming the spec folder they are in."""
        out = SpecError(self.file, self.problem, self.line, self.column, self.problems[1:])
        out.args = (f"{folder}: {self.args[0]}",)
        return out

    @classmethod
    def of(cls, problems: Sequence[SpecProblem]) -> SpecError:
        """One error listing ``problems`` (at least one), in file order."""
        ordered = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0))
        first = ordered[0]
        return cls(first.file, first.problem, first.line, first.column, tuple(ordered[1:]))


class SpecNotFound(HeguiError):
    """No spec with the requested id (or at the requested path)."""


class UsageError(HeguiError):
    """Bad options or arguments given to the API or the CLI."""
