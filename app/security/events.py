"""Audit events of the command line: no signed-in user, so the actor is recorded as `cli`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.audit.models import AuditAction, AuditEvent
from app.audit.service import record_event


def record_cli_event(
    session: Session,
    action: AuditAction,
    *,
    record_type: str | None = None,
    record_id: uuid.UUID | str | None = None,
    fields: Iterable[str] | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Append an event done by an operator at the command line (backup, rotation...)."""
    return record_event(
        session,
        action,
        actor=None,
        username="cli",
        record_type=record_type,
        record_id=record_id,
        fields=fields,
        detail=detail,
    )
