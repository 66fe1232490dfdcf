"""Commands of the security domain for `calp`: audit verify, backup, restore, key rotation,
anonymisation. Messages name tables and counts, never a person's data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from app.config import Settings

audit = typer.Typer(help="El registro de auditoría.", no_args_is_help=True)


def _engine() -> tuple[Settings, Engine]:
    from app.cli import load_settings
    from app.db import make_engine

    settings = load_settings()
    return settings, make_engine(settings.database_url)


def _keyed_engine() -> tuple[Settings, Engine, str]:
    """`_engine()` and the active data key (backups are sealed with it; load_settings
    refuses to start without one)."""
    settings, engine = _engine()
    assert settings.data_key is not None
    return settings, engine, settings.data_key.get_secret_value()


@audit.command("verify")
def audit_verify(
    anchor: Annotated[
        Path | None,
        typer.Option(help="Archivo ancla (por defecto: CALP_VAR_DIR/audit-anchor.json)"),
    ] = None,
) -> None:
    """Verifica la cadena de auditoría, cada valor cifrado y cada registro auditado.

    Recorre la cadena de hashes y la compara con el ancla, abre cada valor cifrado en su
    fila y compara los campos codificados de cada registro con su último estado auditado;
    termina con 1 nombrando cada problema (tablas, ids y eventos, nunca un valor).
    """
    from app.audit.records import verify_records
    from app.audit.service import verify_chain
    from app.cli import fail
    from app.db import make_session_factory
    from app.security.anchor import check_anchor, write_anchor
    from app.security.integrity import verify_ciphertexts

    settings, engine = _engine()
    path = anchor or settings.var_dir / "audit-anchor.json"
    with make_session_factory(engine)() as session:
        chain = verify_chain(session) + check_anchor(session, path, settings.secret())
        data = verify_ciphertexts(session.connection()) + verify_records(session)
        for p in chain + data:
            typer.echo(f"calp: auditoría: {p}", err=True)
        if chain:
            problems = len(chain) + len(data)
            raise fail(f"la cadena de auditoría NO está íntegra ({problems} problemas)")
        if data:
            raise fail(f"los datos guardados NO se verifican ({len(data)} problemas)")
        event_id, _ = write_anchor(session, path, settings.secret())
    typer.echo(
        f"calp: cadena de auditoría íntegra ({event_id} eventos), cada valor cifrado y cada "
        f"registro auditado se verifican; ancla actualizada en {path}"
    )


def backup(
    file: Annotated[Path, typer.Argument(help="Dónde escribir la copia cifrada")],
) -> None:
    """Copia coherente de toda la base de datos en marcha, cifrada con CALP_DATA_KEY."""
    from app.audit.models import AuditAction
    from app.db import make_session_factory
    from app.security.backup import backup_to_file
    from app.security.events import record_cli_event

    settings, engine, key = _keyed_engine()
    counts = backup_to_file(settings.database_url, file, key)
    with make_session_factory(engine)() as session:
        record_cli_event(
            session,
            AuditAction.backup,
            detail=f"rows={sum(counts.values())}",
        )
        session.commit()
    typer.echo(
        f"calp: copia escrita en {file} ({sum(counts.values())} filas, {len(counts)} tablas)"
    )


def restore(
    file: Annotated[Path, typer.Argument(help="Un archivo escrito por `calp backup`")],
) -> None:
    """Restaura una copia en una base de datos VACÍA (migrada antes si no tiene esquema)."""
    from app.cli import fail, run_migrations
    from app.security.backup import BackupError, restore_backup

    settings, engine, key = _keyed_engine()
    if not file.exists():
        raise fail(f"no existe el archivo: {file}")
    run_migrations(settings)
    keys = [key, *settings.old_data_key_list]
    try:
        with file.open("rb") as fh:
            report = restore_backup(engine, fh, keys)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    typer.echo(
        f"calp: restauradas {sum(report.tables.values())} filas en {len(report.tables)} tablas"
    )


def rotate_data_key(
    batch_size: Annotated[int, typer.Option(min=1, help="Filas por transacción")] = 200,
) -> None:
    """Vuelve a cifrar cada valor cifrado e índice ciego con la CALP_DATA_KEY activa.

    Ponga la clave nueva en CALP_DATA_KEY y la anterior en CALP_OLD_DATA_KEYS (también para
    el servicio), ejecute esto y quite la clave anterior cuando informe que no queda nada.
    """
    from app.audit.models import AuditAction
    from app.cli import fail
    from app.crypto import DecryptionError
    from app.db import make_session_factory
    from app.security.events import record_cli_event
    from app.security.rotation import rotate, stale_values

    settings, engine = _engine()
    try:
        report = rotate(engine, batch_size=batch_size)
    except DecryptionError as exc:
        raise fail(
            "un valor guardado no se abre en su fila con las claves configuradas: añada a "
            "CALP_OLD_DATA_KEYS la clave con la que se escribió, o búsquelo con "
            "`calp audit verify` (movido o alterado)"
        ) from exc
    left = stale_values(engine)
    with make_session_factory(engine)() as session:
        record_cli_event(
            session,
            AuditAction.update,
            record_type="data_key",
            fields=list(report.rows),
            detail="rotate",
        )
        session.commit()
    typer.echo(
        f"calp: cifradas de nuevo {report.total} filas, {report.digests} resúmenes de "
        f"registros recalculados; quedan {left} valores con claves anteriores"
    )
    if left:
        raise fail(
            "quedan valores con una clave anterior (¿escritos mientras tanto?): ejecútelo otra vez"
        )


def anonymise(
    closed_before: Annotated[
        str,
        typer.Option("--closed-before", help="Casos cerrados antes de esta fecha (AAAA-MM-DD)"),
    ],
) -> None:
    """Quita identidad y texto libre de los casos cerrados antes de la fecha; las cifras quedan."""
    from app.cli import fail
    from app.db import today
    from app.security.retention import anonymise as do_anonymise

    try:
        cutoff = date.fromisoformat(closed_before)
    except ValueError as exc:
        raise fail("--closed-before debe ser una fecha AAAA-MM-DD") from exc
    if cutoff > today():
        raise fail("--closed-before no puede ser una fecha futura")
    _, engine = _engine()
    report = do_anonymise(engine, cutoff)
    typer.echo(
        f"calp: anonimizados {report.cases} casos: {report.identities_deleted} identidades "
        f"quitadas, {report.documents_deleted} documentos borrados, texto libre vaciado en "
        f"{sum(report.texts_cleared.values())} filas"
    )


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""
    cli.add_typer(audit, name="audit")
    cli.command("backup")(backup)
    cli.command("restore")(restore)
    cli.command("rotate-data-key")(rotate_data_key)
    cli.command("anonymise")(anonymise)
