"""Data-key rotation: re-encrypt every EncryptedText value under the active key.

Runs while the service keeps serving: the service is configured with the new key as
CALP_DATA_KEY and the old one in CALP_OLD_DATA_KEYS, so it reads both. Rows are rewritten
in small batches, each its own short transaction, and each row only if its stored values
are still the ones read (compare-and-swap): a value the service rewrote meanwhile (already
under the new key) is never overwritten with a stale one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Column, ColumnElement, Engine, Table, and_, not_, or_, select, update

from app.crypto import get_keyring
from app.db import Base, EncryptedText
from app.security.backup import raw_tables

# Blind indexes are keyed by the data key too: (table, index column) -> plaintext column.
BLIND_INDEXES = {("victim_identities", "document_index"): "document_number"}


@dataclass
class RotationReport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def encrypted_columns() -> dict[str, list[str]]:
    """Table name -> names of its EncryptedText columns, found from the models themselves."""
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        cols = [c.name for c in table.c if isinstance(c.type, EncryptedText)]
        if cols:
            found[table.name] = cols
    return found


def _null_safe_eq(col: Column[str], value: str | None) -> ColumnElement[bool]:
    return col.is_(None) if value is None else col == value


def rotate(engine: Engine, batch_size: int = 200) -> RotationReport:
    """Re-encrypt, table by table and batch by batch, until nothing is under an old key."""
    keyring = get_keyring()
    current_prefix = f"k1.{keyring.active_id}."
    tables = {t.name: t for t in raw_tables()}
    report = RotationReport()
    for name, col_names in encrypted_columns().items():
        table: Table = tables[name]
        cols = [table.c[c] for c in col_names]
        stale = or_(*[and_(c.is_not(None), not_(c.startswith(current_prefix))) for c in cols])
        pk = list(table.primary_key.columns)
        indexes = {idx: src for (t, idx), src in BLIND_INDEXES.items() if t == name}
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
                        plain[c.name] = None if stored is None else keyring.decrypt(stored)
                        if stored is not None and not keyring.is_current(stored):
                            values[c.name] = keyring.encrypt(plain[c.name] or "")
                    for idx_col, src in indexes.items():
                        doc = plain.get(src)
                        values[idx_col] = keyring.blind_index(doc) if doc else None
                    where = and_(
                        *[p == m[p.name] for p in pk], *[_null_safe_eq(c, m[c.name]) for c in cols]
                    )
                    done += conn.execute(update(table).where(where).values(values)).rowcount
        if done:
            report.rows[name] = done
    return report


def stale_values(engine: Engine) -> int:
    """How many stored values are still under a key other than the active one."""
    prefix = f"k1.{get_keyring().active_id}."
    tables = {t.name: t for t in raw_tables()}
    total = 0
    with engine.connect() as conn:
        for name, col_names in encrypted_columns().items():
            for c in (tables[name].c[n] for n in col_names):
                total += len(
                    conn.execute(select(c).where(c.is_not(None), not_(c.startswith(prefix)))).all()
                )
    return total
