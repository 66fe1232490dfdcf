"""Retention: anonymise cases closed before a date.

Removes who the people were (their `victim_identities` rows) and everything written in
free text about them (every EncryptedText column of every row that belongs to such a case),
keeping the coded facts (dates, sexes, ages, typologies, routes, outcomes) the statistics
are made of, so published figures do not move.

Which rows belong to a case is worked out from the foreign keys of the models (cases <-
victims <- follow-ups <- actions, ...), so tables added later are covered without a change
here. Foreign keys to `users` name an actor, not an owner, and are not followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    ForeignKey,
    Table,
    delete,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.db import BUMP_DATA_VERSION
from app.documents.storage import delete_chunks
from app.security.backup import raw_tables
from app.security.events import record_cli_event
from app.security.rotation import encrypted_columns

ROOT = "cases"
IDENTITY_TABLE = "victim_identities"
DOCUMENTS_TABLE = "documents"
TOKENS_TABLE = "name_tokens"
_NOT_OWNERS = {"users"}


@dataclass
class AnonymiseReport:
    cases: int = 0
    identities_deleted: int = 0
    documents_deleted: int = 0
    texts_cleared: dict[str, int] = field(default_factory=dict)


def _owned_rows(tables: dict[str, Table], cutoff: date) -> dict[str, ColumnElement[bool]]:
    """Table name -> WHERE clause picking its rows owned by a case closed before cutoff."""
    cases = tables[ROOT]
    owned: dict[str, ColumnElement[bool]] = {
        ROOT: cases.c.id.in_(
            select(cases.c.id).where(cases.c.status == "closed", cases.c.closed_on < cutoff)
        )
    }
    changed = True
    while changed:  # fixpoint over the foreign-key graph (its depth is small)
        changed = False
        for name, table in tables.items():
            if name in owned:
                continue
            links = [
                fk
                for fk in sorted(
                    table.foreign_keys, key=lambda k: (k.parent.nullable, k.parent.name)
                )
                if fk.column.table.name not in _NOT_OWNERS | {name}
                and fk.column.table.name in owned
            ]
            if not links:
                continue
            # Every required link to an owner (a link between two victims belongs to both
            # cases), else the first nullable one: a nullable one (a referral's consent)
            # would leave the rows that lack it out. Sorted, so the choice is stable.
            chosen = [fk for fk in links if not fk.parent.nullable] or links[:1]
            owned[name] = or_(*(_owned_through(tables, owned, fk) for fk in chosen))
            changed = True
    return owned


def _owned_through(
    tables: dict[str, Table], owned: dict[str, ColumnElement[bool]], fk: ForeignKey
) -> ColumnElement[bool]:
    parent = fk.column.table.name
    target = tables[parent].c[fk.column.name]
    return fk.parent.in_(select(target).where(owned[parent]))


def closed_case_ids(conn: Connection, cutoff: date) -> list[object]:
    cases = {t.name: t for t in raw_tables()}[ROOT]
    return list(
        conn.execute(
            select(cases.c.id).where(cases.c.status == "closed", cases.c.closed_on < cutoff)
        ).scalars()
    )


def anonymise(engine: Engine, cutoff: date) -> AnonymiseReport:
    """One transaction: all of it or none of it."""
    tables = {t.name: t for t in raw_tables()}
    owned = _owned_rows(tables, cutoff)
    report = AnonymiseReport()
    with engine.begin() as conn:
        case_ids = closed_case_ids(conn, cutoff)
        report.cases = len(case_ids)
        if not case_ids:
            return report
        identities = tables[IDENTITY_TABLE]
        # The name tokens go with the names (the foreign key owns them, from victims).
        conn.execute(delete(tables[TOKENS_TABLE]).where(owned[TOKENS_TABLE]))
        report.identities_deleted = conn.execute(
            delete(identities).where(owned[IDENTITY_TABLE])
        ).rowcount
        # Documents go whole (their content is who the person is), chunks first.
        documents = tables[DOCUMENTS_TABLE]
        delete_chunks(conn, select(documents.c.id).where(owned[DOCUMENTS_TABLE]))
        report.documents_deleted = conn.execute(
            delete(documents).where(owned[DOCUMENTS_TABLE])
        ).rowcount
        for name, cols in encrypted_columns().items():
            if name not in owned or name == IDENTITY_TABLE:
                continue
            table = tables[name]
            n = conn.execute(update(table).where(owned[name]).values(dict.fromkeys(cols))).rowcount
            if n:
                report.texts_cleared[name] = n
        conn.execute(text(BUMP_DATA_VERSION))
        session = Session(bind=conn)
        for case_id in case_ids:
            record_cli_event(
                session,
                AuditAction.delete,
                record_type="case",
                record_id=str(case_id),
                fields=["identity", "free_text"],
                detail="anonymise",
            )
        session.flush()
        session.close()
    return report
