"""The ``hegui`` command line (click). Options are parsed into frozen objects, then run.

Exit codes (README): 0 all conformant, 1 any nonconformant, 2 usage or processing error.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from hegui import __version__
from hegui.cli_convert import convert
from hegui.cli_specs import specs
from hegui.cli_validate import validate
from hegui.validator.errors import HeguiError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hegui")
def cli() -> None:
    """hegui (合规): validate payloads against Chinese government data standards.

    Exit codes: 0 all conformant, 1 any nonconformant, 2 usage or processing error.
    """


cli.add_command(specs)
cli.add_command(validate)
cli.add_command(convert)


def main() -> NoReturn:
    """Console-script entry point: run the CLI, turning hegui errors into messages and exit codes."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(2)
    except HeguiError as exc:
        click.echo(f"hegui: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(2)
    sys.exit(0)
