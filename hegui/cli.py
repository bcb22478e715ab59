"""The ``hegui`` command line (click). Options are parsed into frozen objects, then run.

Exit codes (README): 0 all conformant, 1 any nonconformant, 2 usage or processing error.
"""

from __future__ import annotations

from typing import Any

import click

from hegui import __version__
from hegui.cli_convert import convert
from hegui.cli_generate import generate
from hegui.cli_report import report
from hegui.cli_specs import specs
from hegui.cli_validate import validate
from hegui.validator.errors import EXIT_ERROR, HeguiError


class HeguiCommandError(click.ClickException):
    """A hegui error shown as ``Error: ...`` with the error's own exit code."""

    exit_code = EXIT_ERROR


class HeguiGroup(click.Group):
    """Turns hegui's own errors into clean messages and documented exit codes."""

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


cli.add_command(specs)
cli.add_command(validate)
cli.add_command(convert)
cli.add_command(report)
cli.add_command(generate)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="hegui")
