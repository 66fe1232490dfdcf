"""Commands of the demo domain for `calp`: `calp demo-data [--reset]`."""

from __future__ import annotations

import time
from typing import Annotated

import typer


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""

    @cli.command("demo-data")
    def demo_data(
        reset: Annotated[
            bool, typer.Option("--reset", help="Delete the demo records first")
        ] = False,
    ) -> None:
        """Load the synthetic demo dataset (development only; fake people) and print the logins."""
        from app.cli import fail, load_settings
        from app.db import make_engine, make_session_factory
        from app.demo.guard import DemoRefused
        from app.demo.loader import DEMO_PASSWORD, load_demo

        settings = load_settings()
        if settings.env != "development":
            raise fail("demo data is refused outside development (set CALP_ENV=development)")
        engine = make_engine(settings.database_url)
        started = time.monotonic()
        try:
            with make_session_factory(engine)() as session:
                try:
                    result = load_demo(session, reset=reset, fast_hash=settings.fast_password_hash)
                    session.commit()
                except DemoRefused as exc:
                    raise fail(f"demo data refused: {exc}") from exc
        finally:
            engine.dispose()
        if result.loaded:
            cases = result.counts.get("cases", 0)
            victims = result.counts.get("victims", 0)
            typer.echo(
                f"calp: demo data loaded ({cases} cases, {victims} victims) "
                f"in {time.monotonic() - started:.1f} s"
            )
        else:
            typer.echo("calp: demo data is already loaded (use --reset to load it again)")
        typer.echo(f"calp: demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in result.users:
            typer.echo(f"  {username:<20} {role}")
