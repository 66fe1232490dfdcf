"""Commands of the tokens domain for `calp`."""

from __future__ import annotations

from typing import Annotated

import typer

from app.catalogs import Role


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""
    cli.command("create-token")(create_token)


def create_token(
    role: Annotated[Role, typer.Option(help="Role of the token (only visualiser)")],
    name: Annotated[str, typer.Option(help="What the token is for")],
) -> None:
    """Create a visualiser API token and print it (alone, on the last line) this once."""
    from pydantic import ValidationError

    from app.cli import fail, load_settings
    from app.db import make_engine, make_session_factory
    from app.tokens.schemas import TokenCreate
    from app.tokens.service import create_token as do_create

    if role != Role.visualiser:
        raise fail("only visualiser tokens exist: pass --role visualiser")
    try:
        data = TokenCreate(name=name, role="visualiser")
    except ValidationError as exc:
        raise fail("invalid token name (1 to 100 characters)") from exc
    settings = load_settings()
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    with factory() as session:
        token, raw = do_create(session, data, actor=None, via="cli")
        session.commit()
        token_id = token.id
    engine.dispose()
    typer.echo(f"calp: created visualiser token {token_id} ({name}); it is shown only now:")
    typer.echo(raw)
