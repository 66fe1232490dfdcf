"""JSON API of consents per purpose."""

from __future__ import annotations

from fastapi import status

from app.consents import service
from app.consents.deps import WritableConsent
from app.consents.errors import ConsentAlreadyGiven, ConsentAlreadyRevoked, ConsentNotFound
from app.consents.models import Consent
from app.consents.schemas import ConsentCreate, ConsentList, ConsentRead, ConsentRevoke
from app.consents.service import CONSENTS
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import InvalidInput, error_responses
from app.pagination import Paging
from app.victims.deps import VisibleVictim, WritableVictim
from app.work import api

router = api.work_router("consents", ConsentNotFound)


@router.post(
    "/victims/{victim_id}/consents",
    response_model=ConsentRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ConsentAlreadyGiven, InvalidInput),
)
def give_consent(
    victim: WritableVictim, body: ConsentCreate, session: SessionDep, user: CurrentUser
) -> Consent:
    """Record the victim's consent for one purpose."""
    return service.create_consent(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/consents",
    response_model=ConsentList,
    responses=error_responses(InvalidInput),
)
def list_consents(victim: VisibleVictim, session: SessionDep, page: Paging) -> ConsentList:
    """List a victim's consents, revoked ones included."""
    return api.listing(
        ConsentList, CONSENTS.page(session, victim, limit=page.limit, cursor=page.cursor)
    )


@router.post(
    "/consents/{consent_id}/revoke",
    response_model=ConsentRead,
    responses=error_responses(ConsentAlreadyRevoked, InvalidInput),
)
def revoke_consent(
    consent: WritableConsent, body: ConsentRevoke, session: SessionDep, user: CurrentUser
) -> Consent:
    """Revoke a consent from a date on (revoking twice is a 409)."""
    return service.revoke_consent(session, consent, body, actor=user)
