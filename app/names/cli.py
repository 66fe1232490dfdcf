"""`calp reindex-names`: build (or rebuild) the name tokens of every victim."""

from __future__ import annotations

from typing import Annotated

import typer


def reindex_names(
    batch_size: Annotated[int, typer.Option(min=1, help="Victims per transaction")] = 500,
) -> None:
    """Compute the name-search tokens of every victim from the decrypted names.

    Needed once after upgrading a database migrated without the data key; safe to run
    again at any time (it replaces the tokens; the service may keep serving)."""
    from app.cli import fail, load_settings
    from app.db import make_engine
    from app.names.backfill import DecryptionError, count_identities, reindex

    settings = load_settings()
    engine = make_engine(settings.database_url)
    total = count_identities(engine)
    # click's progress bar (typer re-exports it): no dependency of its own, and it stays
    # quiet when the output is not a terminal.
    with typer.progressbar(length=total, label="calp: indexing names", file=None) as bar:
        try:
            done = reindex(engine, batch_size=batch_size, progress=bar.update)
        except DecryptionError as exc:
            raise fail(
                "a name does not open in its row with the configured keys: add the key it "
                "was written under to CALP_OLD_DATA_KEYS, or find it with `calp audit verify`"
            ) from exc
    engine.dispose()
    typer.echo(f"calp: name tokens rebuilt for {done} victims")


def register(cli: typer.Typer) -> None:
    cli.command("reindex-names")(reindex_names)
