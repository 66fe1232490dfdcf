"""The audit log: append-only and hash-chained."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, NotData, UTCDateTime, str_enum


class AuditAction(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    restore = "restore"
    read_identity = "read_identity"
    read_narrative = "read_narrative"
    login = "login"
    login_failed = "login_failed"
    # A sign-out: one browser session (detail "session") or all of a person's (detail
    # "all_sessions", by the person or an admin).
    logout = "logout"
    export = "export"
    import_ = "import"
    backup = "backup"
    restore_backup = "restore_backup"
    # A read met a stored value that fails to authenticate under its binding (moved or
    # altered by SQL): the field answered null.
    unverifiable = "unverifiable"
    # `calp rotate-data-key` re-digested a record under the new key (nothing changed).
    rekey = "rekey"
    # A document's bytes were downloaded (its metadata reads are not narrative).
    read_document = "read_document"
    # An outgoing referral recorded without a live data-sharing consent, with a reason.
    consent_override = "consent_override"
    # A name or duplicate search told the caller that a person exists in another team
    # (case code and team only).
    disclose_existence = "disclose_existence"


class AuditEvent(NotData, Base):
    """Who did what to which record, when and from where. Never identity or free text.

    Each row carries the hash of the previous one (`prev_hash`) and its own (`hash`), so
    `calp audit verify` detects an edited, inserted or deleted row. `fields` lists the
    names (never the values) of the fields a change touched; `detail` is a short code
    (e.g. a status transition or an export's reason kind), never free text.
    `record_digest` authenticates the record's coded fields as the write left them
    (app.audit.records), so verify also detects a record edited outside the application.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_record", "record_type", "record_id"),
        Index("ix_audit_events_record_id", "record_id"),
        Index("ix_audit_events_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "audit_action"))
    record_type: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(40))
    client: Mapped[str | None] = mapped_column(String(64))
    fields: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(String(200))
    record_digest: Mapped[str | None] = mapped_column(String(80))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
