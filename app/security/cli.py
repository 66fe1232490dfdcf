"""Commands of the security domain for `calp`: audit verify, backup, restore, key rotation,
anonymisation. Messages name tables and counts, never a person's data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from app.config import Settings

audit = typer.Typer(help="The audit log.", no_args_is_help=True)


def _engine() -> tuple[Settings, Engine]:
    from app.cli import load_settings
    from app.db import make_engine

    settings = load_settings()
    return settings, make_engine(settings.database_url)


@audit.command("verify")
def audit_verify(
    anchor: Annotated[
        Path | None, typer.Option(help="Anchor file (default: CALP_VAR_DIR/audit-anchor.json)")
    ] = None,
) -> None:
    """Walk the hash chain and check it against the anchor, open every encrypted value
    under its binding, and check every record's coded fields against their last audited
    state; exit 1 naming every problem (tables, ids and events, never a value)."""
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
            typer.echo(f"calp: audit: {p}", err=True)
        if chain:
            raise fail(f"audit chain is NOT intact ({len(chain) + len(data)} problems)")
        if data:
            raise fail(f"stored data does NOT verify ({len(data)} problems)")
        event_id, _ = write_anchor(session, path, settings.secret())
    typer.echo(
        f"calp: audit chain intact ({event_id} events), every encrypted value and audited "
        f"record verifies; anchor updated in {path}"
    )


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the encrypted backup")],
) -> None:
    """Consistent online snapshot of the whole database, encrypted under CALP_DATA_KEY."""
    from app.audit.models import AuditAction
    from app.db import make_session_factory
    from app.security.backup import backup_to_file
    from app.security.events import record_cli_event

    settings, engine = _engine()
    assert settings.data_key is not None
    counts = backup_to_file(settings.database_url, file, settings.data_key.get_secret_value())
    with make_session_factory(engine)() as session:
        record_cli_event(
            session,
            AuditAction.backup,
            detail=f"rows={sum(counts.values())}",
        )
        session.commit()
    typer.echo(
        f"calp: backup written to {file} ({sum(counts.values())} rows, {len(counts)} tables)"
    )


def restore(file: Annotated[Path, typer.Argument(help="A file written by `calp backup`")]) -> None:
    """Restore a backup into an EMPTY database (migrated first if it has no schema)."""
    from app.cli import fail, run_migrations
    from app.security.backup import BackupError, restore_backup

    settings, engine = _engine()
    assert settings.data_key is not None
    if not file.exists():
        raise fail(f"no such file: {file}")
    run_migrations(settings)
    keys = [settings.data_key.get_secret_value(), *settings.old_data_key_list]
    try:
        with file.open("rb") as fh:
            report = restore_backup(engine, fh, keys)
    except BackupError as exc:
        raise fail(str(exc)) from exc
    typer.echo(
        f"calp: restored {sum(report.tables.values())} rows into {len(report.tables)} tables"
    )


def rotate_data_key(
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction")] = 200,
) -> None:
    """Re-encrypt every encrypted value and blind index under the active CALP_DATA_KEY.

    Set the new key as CALP_DATA_KEY and the old one in CALP_OLD_DATA_KEYS (for the service
    too), run this, then drop the old key once it reports nothing left.
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
            "a stored value does not open in its row with the configured keys: add the key "
            "it was written under to CALP_OLD_DATA_KEYS, or find it with `calp audit verify` "
            "(moved or altered)"
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
        f"calp: re-encrypted {report.total} rows, re-digested {report.digests} records; "
        f"{left} values left under old keys"
    )
    if left:
        raise fail("some values are still under an old key (written meanwhile?): run again")


def anonymise(
    closed_before: Annotated[
        str, typer.Option("--closed-before", help="Cases closed before this date (YYYY-MM-DD)")
    ],
) -> None:
    """Remove identity and free text of cases closed before the date; statistics stay."""
    from app.cli import fail
    from app.db import today
    from app.security.retention import anonymise as do_anonymise

    try:
        cutoff = date.fromisoformat(closed_before)
    except ValueError as exc:
        raise fail("--closed-before must be a date YYYY-MM-DD") from exc
    if cutoff > today():
        raise fail("--closed-before cannot be in the future")
    _, engine = _engine()
    report = do_anonymise(engine, cutoff)
    typer.echo(
        f"calp: anonymised {report.cases} cases: {report.identities_deleted} identities "
        f"removed, {report.documents_deleted} documents deleted, free text cleared in "
        f"{sum(report.texts_cleared.values())} rows"
    )


def register(cli: typer.Typer) -> None:
    """Add this domain's commands to the `calp` command line."""
    cli.add_typer(audit, name="audit")
    cli.command("backup")(backup)
    cli.command("restore")(restore)
    cli.command("rotate-data-key")(rotate_data_key)
    cli.command("anonymise")(anonymise)
