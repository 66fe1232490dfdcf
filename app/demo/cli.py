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
            bool, typer.Option("--reset", help="Borrar antes los registros de demostración")
        ] = False,
    ) -> None:
        """Carga los datos ficticios de demostración (solo en desarrollo) y muestra los usuarios."""
        from app.cli import fail, load_settings
        from app.db import make_engine, make_session_factory
        from app.demo.guard import DemoRefused
        from app.demo.loader import DEMO_PASSWORD, load_demo

        settings = load_settings()
        if settings.env != "development":
            raise fail(
                "los datos de demostración se rechazan fuera de desarrollo "
                "(ponga CALP_ENV=development)"
            )
        engine = make_engine(settings.database_url)
        started = time.monotonic()
        try:
            with make_session_factory(engine)() as session:
                try:
                    result = load_demo(session, reset=reset, fast_hash=settings.fast_password_hash)
                    session.commit()
                except DemoRefused as exc:
                    raise fail(f"datos de demostración rechazados: {exc}") from exc
        finally:
            engine.dispose()
        if result.loaded:
            cases = result.counts.get("cases", 0)
            victims = result.counts.get("victims", 0)
            typer.echo(
                f"calp: datos de demostración cargados ({cases} casos, {victims} víctimas) "
                f"en {time.monotonic() - started:.1f} s"
            )
        else:
            typer.echo(
                "calp: los datos de demostración ya estaban cargados "
                "(use --reset para cargarlos de nuevo)"
            )
        # Read by scripts (scripts/dev.sh users, tests): this line keeps its English shape.
        typer.echo(f"calp: demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in result.users:
            typer.echo(f"  {username:<20} {role}")
