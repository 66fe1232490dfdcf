"""Transfer pages: the "Traslados" page (received and sent, with accept, reject and
withdraw), the proposal form (also shown on the case page) and its posts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.service import CASES
from app.catalogs import LABELS, STAFF_ROLES, CaseStatus, TransferStatus
from app.db import SessionDep
from app.scope import ensure_case_reader, ensure_case_writer
from app.transfers import service
from app.transfers.schemas import TransferCreate, TransferDecision
from app.users.models import User
from app.web.forms import PostedForm, attempt, known, nested, parse_id, values_of
from app.web.once import single_use
from app.web.respond import redirect_to, render
from app.web.session import WebUser

router = APIRouter(prefix="/traslados")
PAGE = 100
# URL segment -> the service's step and the notice after it.
_STEPS = {
    "aceptar": (service.accept, "traslado_aceptado"),
    "rechazar": (service.reject, "traslado_rechazado"),
    "retirar": (service.withdraw, "traslado_retirado"),
}


def _other_teams(case: Case) -> list[tuple[str, str]]:
    return [(code, text) for code, text in LABELS["team"].items() if code != case.team]


def case_panel(session: Session, user: User, case: Case) -> dict[str, Any]:
    """What the case page shows of transfers: the pending one, or the form to propose one."""
    pending = service.pending_for_case(session, case)
    return {
        "pending": service.read_one(session, user, pending, case) if pending else None,
        "may_propose": user.role in STAFF_ROLES and case.status != CaseStatus.closed,
        "teams": _other_teams(case),
    }


@router.get("", name="transfers:list")
def transfers_page(request: Request, session: SessionDep, user: WebUser) -> Response:
    """Transfers received and sent by the caller's teams: pending ones first."""
    return _list_page(request, session, user, {}, 200)


def _list_page(
    request: Request, session: Session, user: User, errors: dict[str, str], status: int
) -> Response:
    ensure_case_reader(user)
    items, _ = service.list_transfers(session, user, limit=PAGE)
    pending = [t for t in items if t.status == TransferStatus.pending]
    return render(
        request,
        "transfers/list.html",
        {
            "incoming": [t for t in pending if t.to_team in user.teams],
            "outgoing": [t for t in pending if t.from_team in user.teams],
            "decided": [t for t in items if t.status != TransferStatus.pending],
            "may_withdraw": user.role in STAFF_ROLES,
            "errors": errors,
        },
        status=status,
    )


def _form(
    request: Request, case: Case, values: dict[str, Any], errors: dict[str, str], status: int
) -> Response:
    return render(
        request,
        "transfers/new.html",
        {"case": case, "teams": _other_teams(case), "values": values, "errors": errors},
        status=status,
    )


@router.get("/casos/{case_id}/nuevo", name="transfers:new")
def new_transfer(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The form to propose moving a case to another team."""
    case = CASES.writable(session, user, parse_id(case_id))
    return _form(request, case, {"version": case.version}, {}, 200)


@router.post("/casos/{case_id}", name="transfers:create")
@single_use
def create_transfer(
    request: Request, session: SessionDep, user: WebUser, case_id: str, form: PostedForm
) -> Response:
    """Propose the transfer; the case page says it is pending."""
    ensure_case_writer(user)
    case = CASES.writable(session, user, parse_id(case_id))
    body, _ = nested(form)
    _, errors = attempt(
        session,
        lambda: service.propose(session, case, TransferCreate.model_validate(body), actor=user),
    )
    if errors:
        return _form(request, case, values_of(form), errors, 422)
    return redirect_to(request, "cases:detail", notice="traslado_propuesto", case_id=case.id)


@router.post("/{transfer_id}/{action}", name="transfers:act")
def act_on_transfer(
    request: Request,
    session: SessionDep,
    user: WebUser,
    transfer_id: str,
    action: str,
    form: PostedForm,
) -> Response:
    """Accept (then the case page, now the caller's), reject or withdraw a transfer."""
    step, notice = known(_STEPS, action)
    body, _ = nested(form)
    done, errors = attempt(
        session,
        lambda: step(session, user, parse_id(transfer_id), TransferDecision.model_validate(body)),
    )
    if errors:  # a note too long: the page again, with the reason
        return _list_page(request, session, user, errors, 422)
    if action == "rechazar":
        return redirect_to(request, "transfers:list", notice=notice)
    return redirect_to(request, "cases:detail", notice=notice, case_id=done[1].id)
