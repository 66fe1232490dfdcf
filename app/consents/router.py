"""JSON API of consents per purpose."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from app.consents import service
from app.consents.errors import ConsentAlreadyGiven, ConsentAlreadyRevoked, ConsentNotFound
from app.consents.models import Consent
from app.consents.schemas import ConsentCreate, ConsentList, ConsentRead, ConsentRevoke
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import InvalidInput, NotAllowed, NotAuthenticated, error_responses
from app.followups.service import get_writable_victim
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.scope import get_visible_victim

router = APIRouter(
    prefix="/api/v1",
    tags=["consents"],
    responses=error_responses(NotAuthenticated, NotAllowed, ConsentNotFound),
)


@router.post(
    "/victims/{victim_id}/consents",
    response_model=ConsentRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ConsentAlreadyGiven, InvalidInput),
)
def give_consent(
    victim_id: uuid.UUID, body: ConsentCreate, session: SessionDep, user: CurrentUser
) -> Consent:
    """Record the victim's consent for one purpose."""
    victim = get_writable_victim(session, user, victim_id)
    return service.create_consent(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/consents",
    response_model=ConsentList,
    responses=error_responses(InvalidInput),
)
def list_consents(
    victim_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> ConsentList:
    """List a victim's consents, revoked ones included."""
    victim = get_visible_victim(session, user, victim_id)
    items, next_cursor = service.list_consents(session, victim, limit=limit, cursor=cursor)
    return ConsentList(
        items=[ConsentRead.model_validate(c) for c in items], next_cursor=next_cursor
    )


@router.post(
    "/consents/{consent_id}/revoke",
    response_model=ConsentRead,
    responses=error_responses(ConsentAlreadyRevoked, InvalidInput),
)
def revoke_consent(
    consent_id: uuid.UUID, body: ConsentRevoke, session: SessionDep, user: CurrentUser
) -> Consent:
    """Revoke a consent from a date on (revoking twice is a 409)."""
    consent = service.get_writable_consent(session, user, consent_id)
    return service.revoke_consent(session, consent, body, actor=user)
