"""Bodies of the audit log and of record histories: names and codes, never values."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from app.audit.models import AuditAction
from app.catalogs import CaseStatus, CloseReason


class AuditEventRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2024-03-12T15:04:05Z",
                    "user": "mquispe",
                    "action": "read_identity",
                    "record_type": "victim",
                    "record_id": "5d1c2b3a-0f9e-4d8c-b7a6-958473625140",
                    "client": "10.0.0.12",
                }
            ]
        }
    )

    at: datetime
    user: str | None
    action: AuditAction
    record_type: str | None
    record_id: str | None
    client: str | None


class AuditEventList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [AuditEventRead.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
                    "next_cursor": "WyIxMjM0Il0",
                }
            ]
        }
    )

    items: list[AuditEventRead]
    next_cursor: str | None = None


class HistoryEntry(BaseModel):
    """One change of a record: who, when, what kind, which fields (never their values).

    `action` is an audit action, or `status_change` for a case's life transitions (then
    `from_status`, `to_status` and, on closing, `close_reason` are set).
    """

    at: datetime
    user: str | None
    action: str
    fields: list[str]
    from_status: CaseStatus | None = None
    to_status: CaseStatus | None = None
    close_reason: CloseReason | None = None
    # The kind of step when a field list alone does not say it (a code such as
    # `transfer_accepted` or `close`, never free text).
    detail: str | None = None


class HistoryList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "at": "2024-11-30T16:00:00Z",
                            "user": "mquispe",
                            "action": "status_change",
                            "fields": ["status"],
                            "from_status": "follow_up",
                            "to_status": "closed",
                            "close_reason": "goals_met",
                        },
                        {
                            "at": "2024-11-30T16:00:00Z",
                            "user": "mquispe",
                            "action": "update",
                            "fields": ["close_reason", "closed_on", "status"],
                            "from_status": None,
                            "to_status": None,
                            "close_reason": None,
                        },
                        {
                            "at": "2024-03-12T15:04:05Z",
                            "user": "mquispe",
                            "action": "create",
                            "fields": ["opened_on", "team"],
                            "from_status": None,
                            "to_status": None,
                            "close_reason": None,
                        },
                    ],
                    "next_cursor": None,
                }
            ]
        }
    )

    items: list[HistoryEntry]
    next_cursor: str | None = None
