"""``python -m hegui`` runs the CLI."""

from hegui.cli import main

main()
