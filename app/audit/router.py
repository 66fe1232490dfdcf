"""JSON API of the audit log (admin and coordinators): who did what, never any content."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.audit.history import list_audit_events
from app.audit.schemas import AuditEventList
from app.catalogs import Role
from app.db import SessionDep
from app.deps import require_role
from app.errors import InvalidInput, NotAllowed, NotAuthenticated, error_responses
from app.pagination import Paging

router = APIRouter(
    prefix="/api/v1/audit",
    tags=["audit"],
    dependencies=[Depends(require_role(Role.admin, Role.coordinator))],
    responses=error_responses(NotAuthenticated, NotAllowed),
)


@router.get("", response_model=AuditEventList, responses=error_responses(InvalidInput))
def read_audit_log(
    session: SessionDep,
    page: Paging,
    user: Annotated[
        str | None, Query(max_length=64, description="User id or username", examples=["mquispe"])
    ] = None,
    record: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Record id",
            examples=["5d1c2b3a-0f9e-4d8c-b7a6-958473625140"],
        ),
    ] = None,
    start: Annotated[date | None, Query(alias="from", examples=["2024-01-01"])] = None,
    end: Annotated[date | None, Query(alias="to", examples=["2024-12-31"])] = None,
) -> AuditEventList:
    """The audit log, newest first, filtered by user, record and period (inclusive dates)."""
    items, next_cursor = list_audit_events(
        session,
        user=user,
        record=record,
        start=start,
        end=end,
        **page.as_kwargs(),
    )
    return AuditEventList(items=items, next_cursor=next_cursor)
