"""The ``hegui`` command line (click). Options are parsed into frozen objects, then run.

Exit codes (README): 0 all conformant, 1 any nonconformant, 2 usage or processing error.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
from typing import Any

import click

from hegui import __version__
from hegui.validator.errors import EXIT_ERROR, HeguiError

#: Command name -> module, in the order ``--help`` lists them. A command's module is imported
#: only when that command runs (or help lists them all): ``hegui validate`` does not pay for
#: the generator's Hypothesis imports.
COMMANDS = {"specs": "hegui.cli_specs", "profiles": "hegui.cli_profiles",
            "validate": "hegui.cli_validate", "convert": "hegui.cli_convert",
            "envelope": "hegui.cli_envelope", "report": "hegui.cli_report",
            "generate": "hegui.cli_generate"}


class HeguiCommandError(click.ClickException):
    """A hegui error shown as ``Error: ...`` with the error's own exit code."""

    exit_code = EXIT_ERROR


class HeguiGroup(click.Group):
    """Turns hegui's own errors into clean messages and documented exit codes, and loads
    each command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, in the documented order."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported now."""
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; a :class:`HeguiError` becomes a message, never a traceback."""
        try:
            return super().invoke(ctx)
        except HeguiError as exc:
            raise HeguiCommandError(str(exc)) from None


@click.group(cls=HeguiGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hegui")
def cli() -> None:
    """hegui (合规): validate payloads against Chinese government data standards.

    Exit codes: 0 all conformant, 1 any nonconformant, 2 usage or processing error.
    """




class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: stop the run (a BaseException, so no handler swallows it)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: object) -> None:
    raise Interrupted(signum)


#: Exit status of a run stopped by a signal: 128 + the signal's number (130 SIGINT, 143 SIGTERM).
def interrupted_code(signum: int) -> int:
    """The shell's convention for a process ended by ``signum``."""
    return 128 + signum


def main() -> None:
    """Console-script entry point: exit codes of README, never a traceback for faults outside
    hegui's control (a full disk, a closed pipe, an interrupt)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    code: int | str | None = 0
    try:
        cli.main(prog_name="hegui")
    except SystemExit as exc:
        code = exc.code
    except Interrupted as exc:
        name = signal.Signals(exc.signum).name
        _say(f"hegui: 已中断（{name}），未写出结果 / interrupted ({name}): no results written")
        _quiet_exit(interrupted_code(exc.signum))
    except OSError as exc:  # writing the output failed (EPIPE is handled by click)
        _say(f"hegui: 无法写出结果 / cannot write the output: {exc.strerror or exc}")
        _quiet_exit(EXIT_ERROR)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_exit(code)
    except OSError as exc:
        _say(f"hegui: 无法写出结果 / cannot write the output: {exc.strerror or exc}")
        _quiet_exit(EXIT_ERROR)
    sys.exit(code)


def _say(text: str) -> None:
    with contextlib.suppress(OSError):
        print(text, file=sys.stderr, flush=True)


def _quiet_exit(code: int | str | None) -> None:
    """Exit without the interpreter flushing a broken standard output again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
