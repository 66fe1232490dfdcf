"""The `calp` command line (typer). Domains add their commands through `register()`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from app.catalogs import Role, Team
from app.config import Settings, SettingsError, get_settings

cli = typer.Typer(
    help="CALP: gestión de casos. Run `calp COMMAND --help`.",
    no_args_is_help=True,
    add_completion=False,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
# Modules exposing `register(cli)` to add their own commands.
COMMAND_MODULES = [
    "app.demo.cli",
    "app.tokens.cli",
    "app.imports.cli",
    "app.security.cli",
    "app.names.cli",
]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"calp: {message}", err=True)
    return typer.Exit(code)


def load_settings() -> Settings:
    try:
        settings = get_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from exc
    from app.audit.service import append_pending
    from app.crypto import configure_keyring
    from app.db import install_commit_hooks

    assert settings.data_key is not None
    configure_keyring(settings.data_key.get_secret_value(), settings.old_data_key_list)
    # Every command (and every domain's, through this function) opens its sessions after
    # this: their writes bump the data version and chain their audit events.
    install_commit_hooks(append_pending)
    return settings


def alembic_config(settings: Settings) -> object:
    from alembic.config import Config

    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.attributes["configure_logging"] = False
    return cfg


def run_migrations(settings: Settings) -> None:
    """`alembic upgrade head`, under an advisory lock on PostgreSQL (one worker migrates)."""
    from alembic import command
    from sqlalchemy import text

    from app.db import make_engine

    if settings.database_url.startswith("sqlite"):
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    cfg = alembic_config(settings)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7413901)"))
        cfg.attributes["connection"] = conn  # type: ignore[attr-defined]
        command.upgrade(cfg, "head")  # type: ignore[arg-type]
    engine.dispose()


@cli.command()
def migrate() -> None:
    """Apply pending migrations (alembic upgrade head) to the configured database."""
    settings = load_settings()
    try:
        run_migrations(settings)
    except Exception as exc:
        # The first line only: a driver's later lines (DETAIL) may quote row values, and a
        # traceback would show the database URL with its password.
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        raise fail(f"migrations failed ({type(exc).__name__}: {first})") from None
    typer.echo("calp: database is up to date")


def python_command(code: str, *args: str) -> list[str]:
    """`python -P -c code args` importing this same `app` package, whatever the directory
    (-P: the working directory is not searched; the package's own root is, unless it is
    already on the path, e.g. site-packages, which must not go before the standard library)."""
    root = str(REPO_ROOT)
    path = f"import sys; {root!r} in sys.path or sys.path.insert(0, {root!r})"
    return [sys.executable, "-P", "-c", f"{path}; {code}", *args]


def migrate_in_child() -> int:
    """`calp migrate` in a short-lived process, so Alembic and SQLAlchemy leave with it."""
    import subprocess

    sys.stdout.flush()
    sys.stderr.flush()
    code = "sys.argv = ['calp', 'migrate']; from app.cli import main; main()"
    return subprocess.run(python_command(code), check=False).returncode


def exec_server(options: dict[str, object]) -> None:
    """Replace this process by a bare `uvicorn.run(...)`: the supervisor of N workers then
    holds uvicorn only (no typer, SQLAlchemy or models); each worker imports the app."""
    import json
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    argv = python_command(
        "import json, uvicorn; uvicorn.run('app.asgi:app', **json.loads(sys.argv[1]))",
        json.dumps(options),
    )
    os.execv(argv[0], argv)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
) -> None:
    """Apply pending migrations once, then serve the web UI and the API."""
    settings = load_settings()  # refuses missing secrets before anything starts
    status = migrate_in_child()  # under the advisory lock, as `calp migrate`
    if status != 0:
        raise fail(
            "not serving: the migrations did not complete (see the message above)",
            code=status if status > 0 else 1,
        )
    typer.echo(f"calp: serving on http://{host}:{port} ({settings.env})")
    proxies = settings.forwarded_allow_ips.strip()
    exec_server(
        {
            "host": host,
            "port": port,
            "workers": workers,
            "proxy_headers": bool(proxies),
            "forwarded_allow_ips": proxies or None,
            "server_header": False,
            "log_level": "info",
        }
    )


@cli.command("create-user")
def create_user(
    username: str,
    role: Annotated[Role, typer.Option(help="Role")],
    team: Annotated[list[Team] | None, typer.Option(help="Team (repeatable)")] = None,
    full_name: Annotated[str, typer.Option(help="Full name")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin")
    ] = False,
) -> None:
    """Create a staff account; the password is read from standard input."""
    from pydantic import ValidationError

    from app.db import make_engine, make_session_factory
    from app.errors import AppError
    from app.users.schemas import UserCreate
    from app.users.service import create_user as do_create

    if not password_stdin:
        raise fail("pass --password-stdin and give the password on standard input")
    password = sys.stdin.readline().rstrip("\n")
    settings = load_settings()
    try:
        data = UserCreate(
            username=username, full_name=full_name, password=password, role=role, teams=team or []
        )
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]) + ": " + e["msg"] for e in exc.errors())
        raise fail(f"invalid user: {fields}") from exc
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        try:
            user = do_create(session, data, settings=settings, actor=None)
            session.commit()
        except AppError as exc:
            raise fail(f"cannot create user {username!r}: {exc.detail}") from exc
    typer.echo(f"calp: created {user.role} {user.username}")


def main() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
    cli()


if __name__ == "__main__":
    main()
