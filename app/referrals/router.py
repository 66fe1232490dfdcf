"""JSON API of referrals to and from institutions."""

from __future__ import annotations

from fastapi import Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.pagination import Paging
from app.referrals import service
from app.referrals.deps import RestorableReferral, WritableReferral
from app.referrals.errors import ReferralNotFound
from app.referrals.models import Referral
from app.referrals.schemas import ReferralCreate, ReferralList, ReferralRead, ReferralUpdate
from app.referrals.service import REFERRALS
from app.victims.deps import VisibleVictim, WritableVictim
from app.work import api

router = api.work_router("referrals", ReferralNotFound)


@router.post(
    "/victims/{victim_id}/referrals",
    response_model=ReferralRead,
    status_code=status.HTTP_201_CREATED,
    responses=api.CREATE_ERRORS,
)
def create_referral(
    victim: WritableVictim, body: ReferralCreate, session: SessionDep, user: CurrentUser
) -> Referral:
    """Record a referral of the victim to (out) or from (in) an institution.

    An outgoing referral needs the victim's `data_sharing` consent live on `referred_on`:
    left out, `consent_id` is the one found; without one, a 422 names `consent_id` unless
    `consent_override` gives the reason (audited as `consent_override`)."""
    return service.create_referral(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/referrals", response_model=ReferralList, responses=api.LIST_ERRORS
)
def list_referrals(victim: VisibleVictim, session: SessionDep, page: Paging) -> ReferralList:
    """List a victim's referrals, latest first."""
    return api.listing(
        ReferralList, REFERRALS.page(session, victim, limit=page.limit, cursor=page.cursor)
    )


@router.patch("/referrals/{referral_id}", response_model=ReferralRead, responses=api.UPDATE_ERRORS)
def update_referral(
    referral: WritableReferral, body: ReferralUpdate, session: SessionDep, user: CurrentUser
) -> Referral:
    """Edit a referral (e.g. record its outcome); a stale `version` is a 409. Consent is
    decided again only when `direction`, `referred_on` or the consent fields are sent."""
    return service.update_referral(session, referral, body, actor=user)


@router.delete(
    "/referrals/{referral_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=api.DELETE_ERRORS,
)
def delete_referral(
    referral: WritableReferral, version: api.DeleteVersion, session: SessionDep, user: CurrentUser
) -> Response:
    """Soft-delete a referral (`?version=N`); a coordinator may restore it."""
    REFERRALS.delete(session, referral, version=version, actor=user)
    return api.no_content()


@router.post(
    "/referrals/{referral_id}/restore", response_model=ReferralRead, responses=api.RESTORE_ERRORS
)
def restore_referral(
    referral: RestorableReferral, body: api.VersionIn, session: SessionDep, user: CurrentUser
) -> Referral:
    """Restore a deleted referral (coordinators of the team)."""
    return REFERRALS.restore(session, referral, version=body.version, actor=user)
