"""Commands of the demo domain for `calp`."""

import typer


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""
