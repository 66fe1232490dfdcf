"""The "Documentos" page of a victim: the list (kind, title, date, author, size; download
and delete links) and the upload form, whose post is parsed from the stream like the API's
(never spooled to disk) and checks the page's CSRF token before it keeps a byte.

The upload is single-use like every create form (app/web/once.py), but its submission
token rides in the form's action URL, not in a hidden field: the fields arrive inside the
streamed body, and the claim must come before the file is read, in a worker thread (a
simultaneous repeat waits there for the first to commit, which would stall the event loop).
"""

from __future__ import annotations

import secrets
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.catalogs import STAFF_ROLES, label
from app.consents.models import Consent
from app.db import SessionDep, today
from app.documents import service
from app.documents.models import LinkedRecordType
from app.documents.router import content_response, receive
from app.errors import InvalidInput, TooLarge
from app.followups.models import FollowUp
from app.nul_guard import parses_own_multipart
from app.plans.models import Plan
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.templating import spanish_date
from app.users.models import User
from app.victims.models import Victim
from app.victims.service import VICTIMS
from app.web import once
from app.web.forms import errors_of, parse_id
from app.web.respond import redirect, redirect_to, render
from app.web.session import CSRF_FIELD, WebUser, check_csrf

router = APIRouter()
LIMIT = 200  # a victim's documents on one page (dozens in practice)

# What the "attached to" choice lists of each record: its kind and date, never free text.
_RECORDS: list[tuple[LinkedRecordType, Any, str, Any]] = [
    (
        LinkedRecordType.follow_up,
        FollowUp,
        "occurred_on",
        lambda r: label("follow_up_kind", r.kind),
    ),
    (LinkedRecordType.plan, Plan, "assessed_on", lambda r: "Plan de trabajo"),
    (
        LinkedRecordType.referral,
        Referral,
        "referred_on",
        lambda r: label("institution", r.institution),
    ),
    (
        LinkedRecordType.protection_measure,
        ProtectionMeasure,
        "granted_on",
        lambda r: label("protection_measure_kind", r.kind),
    ),
    (LinkedRecordType.consent, Consent, "given_on", lambda r: label("consent_purpose", r.purpose)),
]
_TYPE_LABELS = {
    LinkedRecordType.follow_up: "Seguimiento",
    LinkedRecordType.plan: "Plan",
    LinkedRecordType.referral: "Derivación",
    LinkedRecordType.protection_measure: "Medida",
    LinkedRecordType.consent: "Consentimiento",
}


def size_text(size: int) -> str:
    """A size as people read it (Spanish decimal comma)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def record_choices(session: Session, victim: Victim) -> list[tuple[str, str]]:
    """The victim's records a document may be attached to, as (value, label)."""
    out: list[tuple[str, str]] = []
    for record_type, model, dated, describe in _RECORDS:
        stmt = select(model).where(model.victim_id == victim.id)
        if hasattr(model, "deleted_at"):
            stmt = stmt.where(model.deleted_at.is_(None))
        for record in session.scalars(stmt.order_by(getattr(model, dated).desc())):
            when = spanish_date(getattr(record, dated))
            text = f"{_TYPE_LABELS[record_type]}: {describe(record)} ({when})"
            out.append((f"{record_type.value}:{record.id}", text))
    return out


def _page(
    request: Request,
    session: Session,
    user: User,
    victim: Victim,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    documents, _ = service.page(session, user, victim, limit=LIMIT, cursor=None)
    can_write = user.role in STAFF_ROLES
    return render(
        request,
        "documents/list.html",
        {
            "victim": victim,
            "documents": [(d, size_text(d.size)) for d in documents],
            "can_write": can_write,
            "records": record_choices(session, victim) if can_write else [],
            "values": values or {"dated_on": today().isoformat()},
            "errors": errors or {},
            "max_mb": request.app.state.settings.max_document_mb,
            "submission": {once.SUBMISSION_FIELD: secrets.token_urlsafe(32)},
        },
        status=status,
    )


@router.get("/victimas/{victim_id}/documentos", name="documents:list")
def documents_page(
    request: Request, session: SessionDep, user: WebUser, victim_id: str
) -> Response:
    """The victim's documents the caller may see, and (staff) the upload form."""
    victim = VICTIMS.visible(session, user, parse_id(victim_id))
    return _page(request, session, user, victim)


def _web_fields(fields: dict[str, str]) -> dict[str, str]:
    """The form's inputs as the API's fields: the token goes, "attached to" splits in two."""
    out = {k: v for k, v in fields.items() if k not in (CSRF_FIELD, "record")}
    record_type, _, record_id = fields.get("record", "").partition(":")
    if record_type:
        out |= {"record_type": record_type, "record_id": record_id}
    return out


@router.post("/victimas/{victim_id}/documentos", name="documents:upload")
@parses_own_multipart
async def upload(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """Upload from the page; refused, the page again with the reason beside the field;
    sent again (reload, back, double click), the page the first went to."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    token = once.token_of(FormData(request.query_params))
    if token is not None:
        first = await anyio.to_thread.run_sync(once.claim, session, token, user)
        if first is not None:
            return redirect(request, first)
    response = await _store(request, session, user, victim)
    if token is not None:
        once.settle(session, request, token, response)
    return response


async def _store(request: Request, session: Session, user: User, victim: Victim) -> Response:
    """Store the streamed upload: the redirect to the list, or the page with the reasons."""
    typed: dict[str, str] = {}  # shown again as typed when the upload is refused

    def csrf(fields: dict[str, str]) -> None:
        check_csrf(request, fields.get(CSRF_FIELD))  # 403 before a byte of the file is kept
        typed.update((k, v) for k, v in fields.items() if k != CSRF_FIELD)

    try:
        await receive(request, session, victim, user, check_fields=csrf, prepare=_web_fields)
    except (ValidationError, InvalidInput) as exc:
        errors = errors_of(exc)
        for name in ("record_type", "record_id"):  # one input on the page for both
            if name in errors:
                errors.setdefault("record", errors.pop(name))
        return _page(request, session, user, victim, values=typed, errors=errors, status=422)
    except TooLarge as exc:
        errors = {"file": str(exc.detail), "__all__": str(exc.detail)}
        return _page(request, session, user, victim, values=typed, errors=errors, status=413)
    return redirect_to(request, "documents:list", notice="creado", victim_id=victim.id)


@router.get("/documentos/{document_id}/descargar", name="documents:download")
def download(
    request: Request, session: SessionDep, user: WebUser, document_id: str
) -> StreamingResponse:
    """The file, as an attachment (audited like the API's download)."""
    document = service.DOCUMENTS.visible(session, user, parse_id(document_id))
    service.open_for_download(session, document, actor=user)
    return content_response(request, document)
