"""record_narrative_read: the one way a page records that it showed someone free text (the
plan page, the victim file): a `read_narrative` event naming the record, the fields shown
(names only) and the page, chained like every event."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.audit.service import append_pending, record_narrative_read
from tests.factories import make_user, make_victim


def test_names_the_reader_the_record_the_fields_and_the_page(db):
    reader = make_user(db)
    victim = make_victim(db)
    record_narrative_read(db, reader, "victim", victim.id, ["summary", "plans"], detail="x_page")
    append_pending(db)
    db.flush()
    (event,) = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.read_narrative,
            AuditEvent.record_id == str(victim.id),
        )
    ).all()
    assert (event.user_id, event.username) == (reader.id, reader.username)
    assert (event.record_type, event.fields, event.detail) == ("victim", "plans,summary", "x_page")
    assert event.hash  # chained
