"""Commands of the tokens domain for `calp`."""

from __future__ import annotations

from typing import Annotated

import typer

from app.catalogs import Role


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""
    cli.command("create-token")(create_token)


def create_token(
    role: Annotated[Role, typer.Option(help="Rol del token (solo visualiser)")],
    name: Annotated[str, typer.Option(help="Para qué es el token")],
) -> None:
    """Crea un token del visualizador y lo muestra esta única vez, solo en la última línea."""
    from pydantic import ValidationError

    from app.cli import fail, load_settings
    from app.db import make_engine, make_session_factory
    from app.tokens.schemas import TokenCreate
    from app.tokens.service import create_token as do_create

    if role != Role.visualiser:
        raise fail("solo existen tokens del visualizador: use --role visualiser")
    try:
        data = TokenCreate(name=name, role="visualiser")
    except ValidationError as exc:
        raise fail("nombre del token no válido (de 1 a 100 caracteres)") from exc
    settings = load_settings()
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    with factory() as session:
        token, raw = do_create(session, data, actor=None, via="cli")
        session.commit()
        token_id = token.id
    engine.dispose()
    typer.echo(f"calp: token del visualizador {token_id} creado ({name}); se muestra solo ahora:")
    typer.echo(raw)  # alone on the last line: scripts read it from there
