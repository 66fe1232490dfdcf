"""JSON API of referrals to and from institutions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import NotAllowed, NotAuthenticated, error_responses
from app.followups.service import get_writable_victim
from app.pagination import DEFAULT_LIMIT, Cursor, Limit
from app.referrals import service
from app.referrals.errors import ReferralNotFound
from app.referrals.models import Referral
from app.referrals.schemas import ReferralCreate, ReferralList, ReferralRead, ReferralUpdate
from app.scope import get_visible_victim
from app.work.api import (
    CREATE_ERRORS,
    DELETE_ERRORS,
    LIST_ERRORS,
    RESTORE_ERRORS,
    UPDATE_ERRORS,
    DeleteVersion,
    VersionIn,
    no_content,
)

router = APIRouter(
    prefix="/api/v1",
    tags=["referrals"],
    responses=error_responses(NotAuthenticated, NotAllowed, ReferralNotFound),
)


@router.post(
    "/victims/{victim_id}/referrals",
    response_model=ReferralRead,
    status_code=status.HTTP_201_CREATED,
    responses=CREATE_ERRORS,
)
def create_referral(
    victim_id: uuid.UUID, body: ReferralCreate, session: SessionDep, user: CurrentUser
) -> Referral:
    """Record a referral of the victim to (out) or from (in) an institution."""
    victim = get_writable_victim(session, user, victim_id)
    return service.create_referral(session, victim, body, actor=user)


@router.get("/victims/{victim_id}/referrals", response_model=ReferralList, responses=LIST_ERRORS)
def list_referrals(
    victim_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> ReferralList:
    """List a victim's referrals, latest first."""
    victim = get_visible_victim(session, user, victim_id)
    items, next_cursor = service.list_referrals(session, victim, limit=limit, cursor=cursor)
    return ReferralList(
        items=[ReferralRead.model_validate(r) for r in items], next_cursor=next_cursor
    )


@router.patch("/referrals/{referral_id}", response_model=ReferralRead, responses=UPDATE_ERRORS)
def update_referral(
    referral_id: uuid.UUID, body: ReferralUpdate, session: SessionDep, user: CurrentUser
) -> Referral:
    """Edit a referral (e.g. record its outcome); a stale `version` is a 409."""
    referral = service.get_writable_referral(session, user, referral_id)
    return service.update_referral(session, referral, body, actor=user)


@router.delete(
    "/referrals/{referral_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_ERRORS
)
def delete_referral(
    referral_id: uuid.UUID, version: DeleteVersion, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a referral (`?version=N`); a coordinator may restore it."""
    referral = service.get_writable_referral(session, user, referral_id)
    service.delete_referral(session, referral, version=version, actor=user)
    return no_content()


@router.post(
    "/referrals/{referral_id}/restore", response_model=ReferralRead, responses=RESTORE_ERRORS
)
def restore_referral(
    referral_id: uuid.UUID, body: VersionIn, session: SessionDep, user: CurrentUser
) -> Referral:
    """Restore a deleted referral (coordinators of the team)."""
    referral = service.get_restorable_referral(session, user, referral_id)
    return service.restore_referral(session, referral, version=body.version, actor=user)
