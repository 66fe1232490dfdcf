"""`calp reindex-names`: build (or rebuild) the name tokens of every victim."""

from __future__ import annotations

from typing import Annotated

import typer


def reindex_names(
    batch_size: Annotated[int, typer.Option(min=1, help="Víctimas por transacción")] = 500,
) -> None:
    """Reconstruye los tokens de búsqueda por nombre de todas las víctimas desde los nombres
    descifrados.

    Hace falta una vez tras actualizar una base migrada sin la clave de datos; se puede
    repetir en cualquier momento (reemplaza los tokens; el servicio puede seguir atendiendo)."""
    from app.cli import fail, load_settings
    from app.db import make_engine
    from app.names.backfill import DecryptionError, count_identities, reindex

    settings = load_settings()
    engine = make_engine(settings.database_url)
    total = count_identities(engine)
    # click's progress bar (typer re-exports it): no dependency of its own, and it stays
    # quiet when the output is not a terminal.
    with typer.progressbar(length=total, label="calp: indexando nombres", file=None) as bar:
        try:
            done = reindex(engine, batch_size=batch_size, progress=bar.update)
        except DecryptionError as exc:
            raise fail(
                "un nombre no se abre en su fila con las claves configuradas: añada a "
                "CALP_OLD_DATA_KEYS la clave con que se escribió, o ubíquelo con "
                "`calp audit verify`"
            ) from exc
    engine.dispose()
    typer.echo(f"calp: tokens de nombre reconstruidos para {done} víctimas")


def register(cli: typer.Typer) -> None:
    cli.command("reindex-names")(reindex_names)
