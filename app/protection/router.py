"""JSON API of protection measures granted to victims."""

from __future__ import annotations

from typing import Annotated

from fastapi import Response, status

from app.db import SessionDep
from app.deps import CurrentUser
from app.pagination import Paging
from app.protection.deps import WritableMeasure
from app.protection.errors import MeasureNotFound
from app.protection.models import ProtectionMeasure
from app.protection.schemas import MeasureCreate, MeasureList, MeasureRead, MeasureUpdate
from app.protection.service import MEASURES
from app.victims.deps import VisibleVictim, WritableVictim
from app.work import api

router = api.work_router("protection-measures", MeasureNotFound)


@router.post(
    "/victims/{victim_id}/protection-measures",
    response_model=MeasureRead,
    status_code=status.HTTP_201_CREATED,
    responses=api.CREATE_ERRORS,
)
def create_protection_measure(
    victim: WritableVictim, body: MeasureCreate, session: SessionDep, user: CurrentUser
) -> ProtectionMeasure:
    """Record a protection measure granted to the victim by an institution."""
    return MEASURES.create(session, victim, body, actor=user)


@router.get(
    "/victims/{victim_id}/protection-measures",
    response_model=MeasureList,
    responses=api.LIST_ERRORS,
)
def list_protection_measures(
    victim: VisibleVictim, session: SessionDep, page: Paging
) -> MeasureList:
    """List a victim's protection measures, latest granted first."""
    return api.listing(
        MeasureList, MEASURES.page(session, victim, limit=page.limit, cursor=page.cursor)
    )


@router.patch(
    "/protection-measures/{measure_id}", response_model=MeasureRead, responses=api.UPDATE_ERRORS
)
def update_protection_measure(
    measure: WritableMeasure, body: MeasureUpdate, session: SessionDep, user: CurrentUser
) -> ProtectionMeasure:
    """Edit a protection measure (e.g. set its end date); a stale `version` is a 409."""
    return MEASURES.update(session, measure, body, actor=user)


@router.delete(
    "/protection-measures/{measure_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=api.DELETE_ERRORS,
)
def delete_protection_measure(_: Annotated[None, api.deleting(MEASURES, "measure_id")]) -> Response:
    """Soft-delete a measure (`?version=N`); a coordinator may restore it."""
    return api.no_content()


@router.post(
    "/protection-measures/{measure_id}/restore",
    response_model=MeasureRead,
    responses=api.RESTORE_ERRORS,
)
def restore_protection_measure(
    measure: Annotated[ProtectionMeasure, api.restoring(MEASURES, "measure_id")],
) -> ProtectionMeasure:
    """Restore a deleted measure (coordinators of the team)."""
    return measure
