"""The `calp` command line (typer). Domains add their commands through `register()`."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from app.catalogs import Role, Team
from app.config import Settings, SettingsError, get_settings

# What typer (and the click it carries) prints around our own texts: help panels, the usage
# line, its errors. Spanish like everything else the operators read; anything not listed
# stays as it is.
_PANELS_ES = {
    "DEFAULT_STRING": "[por defecto: {}]",
    "ENVVAR_STRING": "[variable de entorno: {}]",
    "REQUIRED_LONG_STRING": "[obligatorio]",
    "DEPRECATED_STRING": "(obsoleto) ",
    "ARGUMENTS_PANEL_TITLE": "Argumentos",
    "OPTIONS_PANEL_TITLE": "Opciones",
    "COMMANDS_PANEL_TITLE": "Órdenes",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Cancelado.",
    "RICH_HELP": "Ayuda: [blue]'{command_path} {help_option}'[/].",
}
_ERRORS_ES = (
    ("Missing option", "Falta la opción"),
    ("Missing argument", "Falta el argumento"),
    ("Missing parameter", "Falta el parámetro"),
    ("Missing command.", "Falta la orden."),
    ("Choose from:", "Elija entre:"),
    ("No such option:", "No existe la opción:"),
    ("No such command", "No existe la orden"),
    ("Invalid value for", "Valor no válido para"),
    ("Invalid value:", "Valor no válido:"),
    ("is not one of", "no es uno de"),
    ("is not a valid", "no es un valor válido de tipo"),
    ("Did you mean", "¿Quiso decir"),
    ("Got unexpected extra arguments", "Sobran los argumentos"),
    ("Got unexpected extra argument", "Sobra el argumento"),
    ("requires an argument", "necesita un valor"),
    ("Possible options:", "opciones posibles:"),
    ("Input should be a valid integer, unable to parse string as an integer", "no es un número"),
)
HELP_ES = "Muestra esta ayuda y termina."


def _spanish_help() -> None:
    """Put typer's own strings in Spanish: its panel titles are module constants read when
    help is shown; the usage prefix, the --help text and error messages are fixed strings
    of its bundled click, so the functions that produce them are wrapped."""
    from typer import rich_utils
    from typer._click import decorators, exceptions, formatting

    for name, text in _PANELS_ES.items():
        setattr(rich_utils, name, text)

    write_usage = formatting.HelpFormatter.write_usage
    if getattr(write_usage, "calp_es", False):
        return

    def usage_es(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", "[OPCIONES]").replace("COMMAND [ARGS]", "ORDEN [ARGS]")
        write_usage(self, prog, args, "Uso: " if prefix is None else prefix)

    usage_es.calp_es = True  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = usage_es  # type: ignore[method-assign]

    help_option = decorators.help_option

    def help_option_es(param_decls: list[str]) -> Any:
        add = help_option(param_decls)

        def apply(command: Any) -> Any:
            done = add(command)
            command.params[-1].help = HELP_ES
            return done

        return apply

    decorators.help_option = help_option_es

    def spanish(format_message: Any) -> Any:
        def translated(self: Any) -> str:
            message = str(format_message(self))
            for english, spanish_text in _ERRORS_ES:
                message = message.replace(english, spanish_text)
            return message

        return translated

    for cls in vars(exceptions).values():
        if isinstance(cls, type) and "format_message" in vars(cls):
            patched: Any = cls
            patched.format_message = spanish(vars(cls)["format_message"])


_spanish_help()  # before any command is declared

cli = typer.Typer(
    help="CALP: gestión de casos. Ayuda de cada orden: `calp ORDEN --help`.",
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
    """Print `calp: message` on standard error; raise what this returns to exit with `code`."""
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
    """Aplica las migraciones pendientes (alembic upgrade head) a la base de datos configurada."""
    settings = load_settings()
    try:
        run_migrations(settings)
    except Exception as exc:
        # The first line only: a driver's later lines (DETAIL) may quote row values, and a
        # traceback would show the database URL with its password.
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        raise fail(f"las migraciones fallaron ({type(exc).__name__}: {first})") from None
    typer.echo("calp: la base de datos está al día")


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
    host: Annotated[str, typer.Option(help="Dirección en la que escuchar")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Puerto")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Procesos de trabajo")] = 1,
) -> None:
    """Aplica una vez las migraciones pendientes y sirve la interfaz web y la API."""
    settings = load_settings()  # refuses missing secrets before anything starts
    status = migrate_in_child()  # under the advisory lock, as `calp migrate`
    if status != 0:
        raise fail(
            "no se inicia el servicio: las migraciones no terminaron (vea el mensaje anterior)",
            code=status if status > 0 else 1,
        )
    typer.echo(f"calp: sirviendo en http://{host}:{port} ({settings.env})")
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
    role: Annotated[Role, typer.Option(help="Rol")],
    team: Annotated[list[Team] | None, typer.Option(help="Equipo (puede repetirse)")] = None,
    full_name: Annotated[str, typer.Option(help="Nombre completo")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Leer la contraseña de la entrada estándar"),
    ] = False,
) -> None:
    """Crea una cuenta con la contraseña de la entrada estándar (no se pide cambiarla luego).

    La contraseña es la de la persona, no una temporal: a diferencia de las cuentas que crea
    administración, no se le pide cambiarla al entrar.
    """
    from pydantic import ValidationError

    from app.db import make_engine, make_session_factory
    from app.error_texts import error_text
    from app.errors import AppError
    from app.users.schemas import UserCreate
    from app.users.service import create_user as do_create

    if not password_stdin:
        raise fail("use --password-stdin y escriba la contraseña en la entrada estándar")
    password = sys.stdin.readline().rstrip("\n")
    settings = load_settings()
    try:
        data = UserCreate(
            username=username, full_name=full_name, password=password, role=role, teams=team or []
        )
    except ValidationError as exc:
        fields = ", ".join(
            f"{e['loc'][0]}: {error_text(str(e['type']), e.get('ctx'))}" for e in exc.errors()
        )
        raise fail(f"datos de la cuenta no válidos: {fields}") from exc
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        try:
            user = do_create(session, data, settings=settings, actor=None)
            session.commit()
        except AppError as exc:
            raise fail(f"no se pudo crear la cuenta {username!r}: {exc.detail}") from exc
    typer.echo(f"calp: cuenta creada: {user.username} ({user.role})")


def main() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
    cli()


if __name__ == "__main__":
    main()
