"""JSON API of transfers between teams: /api/v1/cases/{id}/transfers, /api/v1/transfers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, status

from app.cases.errors import CaseNotFound
from app.catalogs import Team, TransferStatus
from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import Conflict, InvalidInput, NotAllowed, NotAuthenticated, error_responses
from app.pagination import Paging
from app.transfers import service
from app.transfers.deps import ProposedCase, TransferId
from app.transfers.errors import TransferNotFound, TransferNotPending
from app.transfers.schemas import TransferCreate, TransferDecision, TransferList, TransferRead

router = APIRouter(
    prefix="/api/v1", tags=["transfers"], responses=error_responses(NotAuthenticated, NotAllowed)
)
STEP_ERRORS = error_responses(TransferNotFound, TransferNotPending)
# The step's body is optional: `{"note": ...}`, `{}` or nothing at all.
Decision = Annotated[TransferDecision | None, Body()]


@router.post(
    "/cases/{case_id}/transfers",
    response_model=TransferRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(CaseNotFound, Conflict, InvalidInput),
)
def propose_transfer(
    case: ProposedCase, data: TransferCreate, session: SessionDep, user: CurrentUser
) -> TransferRead:
    """Propose moving the case to another team (staff of the case's team). One pending
    transfer per case (a second: 409); the case's own team as `to_team`: 422."""
    transfer = service.propose(session, case, data, actor=user)
    return service.read_one(session, user, transfer, case)


@router.get("/transfers", response_model=TransferList, responses=error_responses(InvalidInput))
def list_transfers(
    session: SessionDep,
    user: CurrentUser,
    page: Paging,
    status_: Annotated[TransferStatus | None, Query(alias="status")] = None,
    team: Annotated[Team | None, Query(description="Sent or received by this team")] = None,
) -> TransferList:
    """Transfers sent or received by the caller's teams, newest first. The receiving team
    sees the case code, the teams and the reason; notes only once the case is theirs."""
    items, next_cursor = service.list_transfers(
        session, user, status=status_, team=team, **page.as_kwargs()
    )
    return TransferList(items=items, next_cursor=next_cursor)


@router.post("/transfers/{transfer_id}/accept", response_model=TransferRead, responses=STEP_ERRORS)
def accept_transfer(
    transfer_id: TransferId, session: SessionDep, user: CurrentUser, data: Decision = None
) -> TransferRead:
    """Accept a pending transfer (staff or coordinators of the receiving team): the case,
    its victims and all their work move to that team, with the same code."""
    return service.read_one(session, user, *service.accept(session, user, transfer_id, _note(data)))


@router.post("/transfers/{transfer_id}/reject", response_model=TransferRead, responses=STEP_ERRORS)
def reject_transfer(
    transfer_id: TransferId, session: SessionDep, user: CurrentUser, data: Decision = None
) -> TransferRead:
    """Reject a pending transfer (staff or coordinators of the receiving team)."""
    return service.read_one(session, user, *service.reject(session, user, transfer_id, _note(data)))


@router.post(
    "/transfers/{transfer_id}/withdraw", response_model=TransferRead, responses=STEP_ERRORS
)
def withdraw_transfer(
    transfer_id: TransferId, session: SessionDep, user: CurrentUser, data: Decision = None
) -> TransferRead:
    """Withdraw a pending transfer (staff of the sending team)."""
    return service.read_one(
        session, user, *service.withdraw(session, user, transfer_id, _note(data))
    )


def _note(data: TransferDecision | None) -> TransferDecision:
    return data or TransferDecision()
