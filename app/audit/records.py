"""Digests of records' coded fields in the audit log, and their verification.

Each audited write of a record of case work (create, update, delete, restore) carries, in
its event, a keyed digest (HMAC, key derived from the data key: app.crypto) of the coded
fields of that record as the write left them: every column of its row except the sealed
free text (authenticated by its own binding) and bookkeeping (`version`, `updated_at`).
The event's hash covers the digest, so neither can be edited alone; without the key no
one can forge a digest for a state they wrote by SQL. `calp audit verify` recomputes the
digest of every record from its latest digested event.

Accounts and API tokens are left out: sign-ins move their bookkeeping columns without an
audited write.

Empty (NULL) fields are left out of the digest, so a migration adding a nullable column to
a digested table voids no digest; one that fills a new column in existing rows must list it
in `_BOOKKEEPING` (or the records are named by verify until their next audited write).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Enum,
    Row,
    String,
    Table,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.crypto import Keyring, get_keyring
from app.db import Base, EncryptedText

log = logging.getLogger("calp.audit")

DIGESTED_ACTIONS = frozenset(
    {
        AuditAction.create,
        AuditAction.update,
        AuditAction.delete,
        AuditAction.restore,
        AuditAction.rekey,
    }
)
_NOT_DIGESTED = frozenset({"user", "api_token"})
# `route_key` is the random record key of the route map (app/routes/cellkey.py), not a fact
# any write records; added to existing rows by a migration, it must not void their digests.
_BOOKKEEPING = frozenset({"version", "updated_at", "route_key"})
# A column a migration filled from another one weighs only where the two differ: filling
# `cases.opened_by_team` from `team` voids no digest, while a transfer (team changed) or an
# edit by SQL of either still changes it.
_FILLED_FROM = {("cases", "opened_by_team"): "team"}
_BATCH = 500


def digested_table(record_type: str | None) -> Table | None:
    """The table of a record type whose writes are digested (its name is the type + s)."""
    if record_type is None or record_type in _NOT_DIGESTED:
        return None
    return Base.metadata.tables.get(f"{record_type}s")


def _coded(table: Table) -> list[ColumnElement[Any]]:
    cols: list[ColumnElement[Any]] = []
    for c in table.c:
        if isinstance(c.type, EncryptedText) or c.name in _BOOKKEEPING:
            continue
        # Codes as stored: a value outside the catalog (written by SQL) must not stop the
        # read, it only makes the digest differ.
        cols.append(type_coerce(c, String()).label(c.name) if isinstance(c.type, Enum) else c)
    return cols


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    if isinstance(value, date | uuid.UUID):
        return str(value)
    return value


def canonical(table: Table, row: Row[Any]) -> bytes:
    """The bytes a record's digest is taken over: its table and its coded fields that
    hold a value (an empty one and one a later migration adds weigh the same)."""
    fields = {k: _plain(v) for k, v in row._mapping.items() if v is not None}
    for (name, column), source in _FILLED_FROM.items():
        if name == table.name and fields.get(column) == fields.get(source):
            fields.pop(column, None)
    body = {"table": table.name, "fields": fields}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def _rows(conn: Connection, table: Table, ids: Sequence[uuid.UUID]) -> Iterator[Row[Any]]:
    pk = table.c.id
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        yield from conn.execute(select(*_coded(table)).where(pk.in_(chunk)))


def _readable_rows(conn: Connection, table: Table, ids: Sequence[uuid.UUID]) -> list[Row[Any]]:
    """The rows that can be read; one by one when a batch holds a value edited into
    nonsense (that record then counts as missing: it differs from its digest)."""
    try:
        return list(_rows(conn, table, ids))
    except (ValueError, LookupError):
        out: list[Row[Any]] = []
        for one in ids:
            try:
                out.extend(_rows(conn, table, [one]))
            except (ValueError, LookupError):
                continue
        return out


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text or "")
    except ValueError:
        return None


def digest_events(session: Session, events: Iterable[AuditEvent]) -> None:
    """Set `record_digest` on the write events of digested records (before chaining).

    Reads the rows as the transaction has them (flushed), one query per table."""
    wanted: dict[str, list[AuditEvent]] = defaultdict(list)
    for ev in events:
        if ev.action in DIGESTED_ACTIONS and digested_table(ev.record_type) is not None:
            wanted[str(ev.record_type)].append(ev)
    if not wanted:
        return
    keyring = get_keyring()
    conn = session.connection()
    for record_type, evs in wanted.items():
        table = digested_table(record_type)
        assert table is not None
        ids = [i for i in (_uuid(ev.record_id) for ev in evs) if i is not None]
        try:
            found = {
                str(r.id): keyring.record_digest(canonical(table, r))
                for r in _rows(conn, table, ids)
            }
        except (ValueError, LookupError) as exc:  # a row edited by SQL into nonsense
            log.warning(
                "cannot digest %s rows (%s): left undigested", table.name, type(exc).__name__
            )
            continue
        for ev in evs:
            ev.record_digest = found.get(str(_uuid(ev.record_id)))


def latest_digests(conn: Connection, record_type: str) -> list[tuple[int, str, str]]:
    """(event id, record id, digest) of each record's latest digested event."""
    ev = AuditEvent.__table__.c
    latest = (
        select(func.max(ev.id).label("id"))
        .where(ev.record_type == record_type, ev.record_digest.is_not(None))
        .group_by(ev.record_id)
        .subquery()
    )
    rows = conn.execute(
        select(ev.id, ev.record_id, ev.record_digest).join(latest, ev.id == latest.c.id)
    )
    return [(r.id, r.record_id, r.record_digest) for r in rows]


def digested_types(conn: Connection) -> list[str]:
    ev = AuditEvent.__table__.c
    types = conn.execute(
        select(ev.record_type).where(ev.record_digest.is_not(None)).distinct()
    ).scalars()
    return sorted(t for t in types if digested_table(t) is not None)


def check_records(
    conn: Connection, keyring: Keyring
) -> Iterator[tuple[str, str, int, bool | None, str]]:
    """(record type, record id, event id, verdict, digest) for every digested record;
    verdict True when the row matches, False when it differs or is gone, None when the
    digest's key is not configured."""
    for record_type in digested_types(conn):
        table = digested_table(record_type)
        assert table is not None
        latest = latest_digests(conn, record_type)
        by_id = {rid: (eid, d) for eid, rid, d in latest}
        ids = [i for i in (_uuid(rid) for _, rid, _ in latest) if i is not None]
        seen: set[str] = set()
        for row in _readable_rows(conn, table, ids):
            rid = str(row.id)
            seen.add(rid)
            eid, stored = by_id[rid]
            yield (
                record_type,
                rid,
                eid,
                keyring.check_record_digest(stored, canonical(table, row)),
                stored,
            )
        for rid, (eid, stored) in by_id.items():
            if str(_uuid(rid)) not in seen:
                yield record_type, rid, eid, False, stored


def verify_records(session: Session) -> list[str]:
    """Problems with records' coded fields against their last audited state (none: intact).

    Names record types, ids and event ids only, never a value."""
    problems: list[str] = []
    keyring = get_keyring()
    for record_type, rid, eid, verdict, _ in check_records(session.connection(), keyring):
        if verdict is None:
            problems.append(
                f"{record_type} {rid}: digest of event {eid} is under a data key that is not "
                "configured (add it to CALP_OLD_DATA_KEYS)"
            )
        elif not verdict:
            problems.append(
                f"{record_type} {rid}: coded fields differ from their last audited state "
                f"(event {eid}): changed outside the application?"
            )
    return problems
