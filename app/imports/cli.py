"""Commands of the imports domain for `calp`: import (and its template) and export."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer

# Files shorter than this import without a progress bar (it would only flash).
PROGRESS_FROM_ROWS = 1000


def _session_and_actor(username: str | None) -> tuple[Any, Any, str]:
    from sqlalchemy import select

    from app.cli import fail, load_settings
    from app.db import make_engine, make_session_factory
    from app.users.models import User

    settings = load_settings()
    session = make_session_factory(make_engine(settings.database_url))()
    actor = None
    if username:
        actor = session.scalar(select(User).where(User.username == username))
        if actor is None or not actor.active:
            raise fail(f"no hay una cuenta activa {username!r}")
    # Audit name of the operator when no staff account is given.
    return session, actor, f"cli:{getpass.getuser()}"[:64]


def import_command(
    file: Annotated[Path, typer.Argument(help="Archivo CSV o XLSX (o la plantilla que escribir)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Solo validar; no guardar nada")
    ] = False,
    template: Annotated[
        bool, typer.Option("--template", help="Escribir la plantilla de importación en FILE")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Importar como esta coordinación (filas de sus equipos)"),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Codificación del CSV: utf-8, latin-1 o cp1252 (por defecto UTF-8, o "
            "Windows-1252 si es evidente, y se informa)",
        ),
    ] = None,
) -> None:
    """Importa una planilla entera o nada; cada problema se lista como línea N, columna C."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from app.cli import fail, load_settings
    from app.imports.limits import FileUnreadable, ImportLimits
    from app.imports.reader import read_path
    from app.imports.service import ImportRejected, import_sheets
    from app.imports.template import build_template

    if template:
        fmt = "xlsx" if file.suffix.lower() == ".xlsx" else "csv"
        file.write_bytes(build_template(fmt))  # type: ignore[arg-type]
        if fmt == "csv":
            det = file.with_name(file.stem + ".detections.csv")
            det.write_bytes(build_template("csv", "detections"))
        typer.echo(f"calp: plantilla escrita en {file}")
        return
    if not file.exists():
        raise fail(f"{file}: no existe el archivo")
    err = Console(stderr=True)
    limits = ImportLimits.from_settings(load_settings())
    try:
        with err.status("Leyendo el archivo…"):
            victims, detections = read_path(file, limits=limits, encoding=encoding)
    except FileUnreadable as exc:  # a limit crossed, an encoding refused: one line, no trace
        raise fail(f"{file}: {exc}; no se importó nada") from None
    if victims.encoding is not None:
        typer.echo(f"calp: codificación del CSV: {victims.encoding.describe()}")
    session, actor, who = _session_and_actor(user)
    with (
        session,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=len(victims.rows) < PROGRESS_FROM_ROWS,
        ) as bar,
    ):
        task = bar.add_task("Importando", total=len(victims.rows))
        try:
            report = import_sheets(
                session,
                victims,
                detections,
                actor=actor,
                dry_run=dry_run,
                tick=lambda n: bar.advance(task, n),
                username=who,
            )
        except ImportRejected as exc:
            session.rollback()
            bar.stop()
            for problem in exc.errors:
                typer.echo(str(problem), err=True)
            raise fail(f"{len(exc.errors)} problema(s): no se importó nada") from None
        bar.update(task, completed=len(victims.rows))
        if not dry_run:
            session.commit()
    created = report.created
    verb = "se importarían" if dry_run else "importados"
    typer.echo(
        f"calp: {verb}: {created['cases']} casos, {created['victims']} víctimas, "
        f"{created['detections']} detecciones; {len(report.skipped)} filas ya "
        f"importadas (omitidas)"
    )
    for row in report.possible_duplicates:  # codes only: no name leaves the database
        found = ", ".join(d.get("victim_code") or d["case_code"] for d in row["duplicates"])
        typer.echo(f"calp: línea {row['line']}: posible duplicado de {found}")


def export_command(
    file: Annotated[Path, typer.Argument(help="Archivo de salida: .csv o .xlsx")],
    reason: Annotated[str, typer.Option(help="Motivo (se audita como hash)")] = "línea de órdenes",
    shape: Annotated[str, typer.Option(help="calp o htcds")] = "calp",
    user: Annotated[
        str | None, typer.Option("--user", help="Exportar como esta coordinación (sus equipos)")
    ] = None,
) -> None:
    """Exportación sin datos identificativos (en CSV, detecciones en <nombre>.detections.csv)."""
    from app.cli import fail
    from app.imports import export as exporter

    suffix = file.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise fail("el archivo de exportación debe terminar en .csv o .xlsx")
    if shape not in ("calp", "htcds"):
        raise fail("--shape debe ser calp o htcds")
    session, actor, who = _session_and_actor(user)
    with session:
        victims, detections = exporter.build_export(session, actor, shape)  # type: ignore[arg-type]
        if suffix == ".xlsx":
            file.write_bytes(exporter.to_xlsx(victims, detections))
        else:
            file.write_bytes(exporter.to_csv(victims))
            file.with_name(file.stem + ".detections.csv").write_bytes(exporter.to_csv(detections))
        exporter.audit_export(
            session,
            actor,
            shape=shape,  # type: ignore[arg-type]
            fmt=suffix[1:],  # type: ignore[arg-type]
            reason=reason,
            victims=len(victims.rows),
            detections=len(detections.rows),
            username=who,
        )
        session.commit()
    typer.echo(
        f"calp: exportadas {len(victims.rows)} víctimas y {len(detections.rows)} "
        f"detecciones a {file}"
    )


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""
    cli.command("import")(import_command)
    cli.command("export")(export_command)
