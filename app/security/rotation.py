"""Data-key rotation: re-seal every encrypted value under the active key, recompute the
blind indexes, and re-digest the records whose last audited digest is under an old key.

Runs while the service keeps serving: the service is configured with the new key as
CALP_DATA_KEY and the old one in CALP_OLD_DATA_KEYS, so it reads both. Rows are rewritten
in small batches, each its own short transaction, and each row only if its stored values
are still the ones read (compare-and-swap): a value the service rewrote meanwhile (already
under the new key) is never overwritten with a stale one. Each value is opened and sealed
again under its own binding (table, column, row): a value that fails to authenticate there
stops the rotation (DecryptionError) rather than being laundered under the new key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, ColumnElement, Engine, Table, and_, not_, or_, select, update

from app.audit.models import AuditAction
from app.audit.records import check_records
from app.crypto import Binding, bind, get_keyring
from app.db import DEFER_LOCKS, Base, make_session_factory, sealed_columns
from app.documents.storage import rotate_chunks, stale_chunks
from app.names.backfill import reindex as reindex_names
from app.security.backup import raw_tables
from app.security.events import record_cli_event

# Blind indexes are keyed by the data key too: (table, index column) -> plaintext column.
BLIND_INDEXES = {("victim_identities", "document_index"): "document_number"}


@dataclass
class RotationReport:
    rows: dict[str, int] = field(default_factory=dict)
    digests: int = 0  # records re-digested under the active key
    name_tokens: int = 0  # victims whose name tokens were recomputed under the active key

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def encrypted_columns() -> dict[str, list[str]]:
    """Table name -> names of its encrypted columns, found from the models themselves."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        cols = sealed_columns(table)
        if cols:
            found[table.name] = cols
    return found


def sealed_tables() -> Iterator[tuple[Table, list[Column[Any]], list[Column[str]]]]:
    """(raw table, primary key columns, encrypted columns) of every table with some."""
    tables = {t.name: t for t in raw_tables()}
    for name, col_names in encrypted_columns().items():
        table = tables[name]
        yield table, list(table.primary_key.columns), [table.c[c] for c in col_names]


def binding_of(table: Table, column: str, pk: list[Column[Any]], row: Any) -> Binding:
    """The binding of a value read through the raw tables (typed keys: canonical UUIDs)."""
    return bind(table.name, column, ",".join(str(row[p.name]) for p in pk))


def _null_safe_eq(col: Column[str], value: str | None) -> ColumnElement[bool]:
    return col.is_(None) if value is None else col == value


def rotate(engine: Engine, batch_size: int = 200) -> RotationReport:
    """Re-seal, table by table and batch by batch, until nothing is under an old key."""
    keyring = get_keyring()
    current_prefix = f"k2.{keyring.active_id}."
    report = RotationReport()
    for table, pk, cols in sealed_tables():
        stale = or_(*[and_(c.is_not(None), not_(c.startswith(current_prefix))) for c in cols])
        indexes = {idx: src for (t, idx), src in BLIND_INDEXES.items() if t == table.name}
        done = 0
        while True:
            with engine.begin() as conn:
                rows = conn.execute(select(*pk, *cols).where(stale).limit(batch_size)).all()
                if not rows:
                    break
                for row in rows:
                    m = row._mapping
                    values: dict[str, str | None] = {}
                    plain: dict[str, str | None] = {}
                    for c in cols:
                        stored = m[c.name]
                        if stored is None:
                            plain[c.name] = None
                            continue
                        binding = binding_of(table, c.name, pk, m)
                        plain[c.name] = keyring.open(stored, binding)
                        if not keyring.is_current(stored):
                            values[c.name] = keyring.seal(plain[c.name] or "", binding)
                    for idx_col, src in indexes.items():
                        doc = plain.get(src)
                        values[idx_col] = keyring.blind_index(doc) if doc else None
                    where = and_(
                        *[p == m[p.name] for p in pk], *[_null_safe_eq(c, m[c.name]) for c in cols]
                    )
                    done += conn.execute(update(table).where(where).values(values)).rowcount
        if done:
            report.rows[table.name] = done
    chunks = rotate_chunks(engine)  # document contents: their own AAD, key id per chunk
    if chunks:
        report.rows["document_chunks"] = chunks
    report.digests = rekey_digests(engine, batch_size)
    # Name tokens are keyed by the data key: recomputed from the (re-sealed) names.
    report.name_tokens = reindex_names(engine, batch_size)
    return report


def rekey_digests(engine: Engine, batch_size: int = 200) -> int:
    """Append a `rekey` event (digest under the active key) for every record whose latest
    digest is under an old key and still matches: the old key can then be retired without
    losing the check. A record that no longer matches is left for `audit verify` to name."""
    keyring = get_keyring()
    factory = make_session_factory(engine)
    with engine.connect() as conn:
        todo = [
            (record_type, rid)
            for record_type, rid, _, verdict, digest in check_records(conn, keyring)
            if verdict and not keyring.digest_is_current(digest)
        ]
    for start in range(0, len(todo), batch_size):
        with factory() as session:
            session.info[DEFER_LOCKS] = True  # one chain append per batch, at COMMIT
            for record_type, rid in todo[start : start + batch_size]:
                record_cli_event(
                    session,
                    AuditAction.rekey,
                    record_type=record_type,
                    record_id=rid,
                )
            session.commit()
    return len(todo)


def stale_values(engine: Engine) -> int:
    """How many stored values are still under a key other than the active one (or unbound),
    and records whose latest digest is (those that still match: see rekey_digests)."""
    keyring = get_keyring()
    prefix = f"k2.{keyring.active_id}."
    total = 0
    with engine.connect() as conn:
        for _, _, cols in sealed_tables():
            for c in cols:
                total += len(
                    conn.execute(select(c).where(c.is_not(None), not_(c.startswith(prefix)))).all()
                )
        total += stale_chunks(conn)
        total += sum(
            1
            for *_, verdict, digest in check_records(conn, keyring)
            if verdict and not keyring.digest_is_current(digest)
        )
    return total
