"""Soft deletion from the pages (staff, after a confirmation page: no script needed) and
the coordinators' "Registros eliminados" page, where each deleted record of their teams
can be restored. Every step goes through the domain services (version check, audit)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases import service as cases
from app.cases.models import Case
from app.catalogs import label
from app.db import SessionDep
from app.detections import service as detections
from app.detections.models import Detection
from app.errors import Conflict, StaleVersion
from app.plans import service as plans
from app.plans.models import Plan
from app.protection import service as protection
from app.protection.models import ProtectionMeasure
from app.referrals import service as referrals
from app.referrals.models import Referral
from app.scope import ensure_restorer, visible_cases, visible_victims
from app.templating import spanish_date
from app.users.models import User
from app.victims import service as victims
from app.victims.models import Victim
from app.web.forms import PostedForm, known, parse_id, posted_version
from app.web.respond import redirect, redirect_to, render
from app.web.session import WebUser
from app.web.wording import conflict_message

router = APIRouter()
LIMIT = 100  # per kind, most recently deleted first
RESTORE_STALE = "Otra persona cambió este registro: la lista se ha actualizado, inténtelo otra vez."

Getter = Callable[[Session, User, uuid.UUID], Any]
Action = Callable[..., Any]


@dataclass(frozen=True)
class Kind:
    """One kind of deletable record: its service functions and where to go afterwards."""

    title: str
    model: type
    for_write: Getter
    delete: Action
    for_restore: Getter
    restore: Action
    after: Callable[[Any], tuple[str, dict[str, Any]]]  # route name and params after deleting


KINDS: dict[str, Kind] = {
    "caso": Kind(
        "Caso",
        Case,
        cases.get_case_for_write,
        cases.delete_case,
        cases.get_case_for_restore,
        cases.restore_case,
        lambda r: ("cases:list", {}),
    ),
    "victima": Kind(
        "Víctima",
        Victim,
        victims.get_victim_for_write,
        victims.delete_victim,
        victims.get_victim_for_restore,
        victims.restore_victim,
        lambda r: ("cases:detail", {"case_id": r.case_id}),
    ),
    "plan": Kind(
        "Plan de trabajo",
        Plan,
        plans.get_writable_plan,
        plans.delete_plan,
        plans.get_restorable_plan,
        plans.restore_plan,
        lambda r: ("victims:records", {"victim_id": r.victim_id}),
    ),
    "deteccion": Kind(
        "Detección",
        Detection,
        detections.get_writable_detection,
        detections.delete_detection,
        detections.get_restorable_detection,
        detections.restore_detection,
        lambda r: ("cases:detections", {"case_id": r.case_id}),
    ),
    "derivacion": Kind(
        "Derivación",
        Referral,
        referrals.get_writable_referral,
        referrals.delete_referral,
        referrals.get_restorable_referral,
        referrals.restore_referral,
        lambda r: ("victims:records", {"victim_id": r.victim_id}),
    ),
    "medida": Kind(
        "Medida de protección",
        ProtectionMeasure,
        protection.get_writable_measure,
        protection.delete_protection_measure,
        protection.get_restorable_measure,
        protection.restore_protection_measure,
        lambda r: ("victims:records", {"victim_id": r.victim_id}),
    ),
}


def describe(session: Session, slug: str, record: Any) -> str:
    """Codes, dates and catalog labels only: never a name or a narrative."""
    if slug == "caso":
        return f"Caso {record.code}"
    if slug == "victima":
        return f"Víctima {record.code}"
    if slug == "deteccion":
        code = session.scalar(select(Case.code).where(Case.id == record.case_id))
        return (
            f"{label('polarity', record.polarity)} de "
            f"{label('institution', record.institution)} "
            f"({spanish_date(record.detected_on)}) · caso {code}"
        )
    code = session.scalar(select(Victim.code).where(Victim.id == record.victim_id))
    if slug == "plan":
        return f"Plan del {spanish_date(record.assessed_on)} · víctima {code}"
    if slug == "derivacion":
        return (
            f"Derivación {label('referral_direction', record.direction).lower()} a/de "
            f"{label('institution', record.institution)} ({spanish_date(record.referred_on)})"
            f" · víctima {code}"
        )
    return (
        f"{label('protection_measure_kind', record.kind)} "
        f"({spanish_date(record.granted_on)}) · víctima {code}"
    )


@router.get("/eliminar/{slug}/{record_id}", name="records:delete")
def confirm_delete(
    request: Request, session: SessionDep, user: WebUser, slug: str, record_id: str
) -> Response:
    """Confirmation step before a soft deletion (a coordinator can restore it later)."""
    kind = known(KINDS, slug)
    record = kind.for_write(session, user, parse_id(record_id))
    name, params = kind.after(record)
    return render(
        request,
        "more/delete.html",
        {
            "slug": slug,
            "record": record,
            "kind": kind,
            "what": describe(session, slug, record),
            "back": request.app.url_path_for(name, **params),
        },
    )


@router.post("/eliminar/{slug}/{record_id}", name="records:delete:submit")
def delete(
    request: Request,
    session: SessionDep,
    user: WebUser,
    slug: str,
    record_id: str,
    form: PostedForm,
) -> Response:
    """Soft-delete it (stale version: 409, nothing changed) and go to the page above it."""
    kind = known(KINDS, slug)
    record = kind.for_write(session, user, parse_id(record_id))
    version = posted_version(form)
    if version is None:
        raise StaleVersion()
    name, params = kind.after(record)
    kind.delete(session, record, version=version, actor=user)
    return redirect(request, str(request.app.url_path_for(name, **params)), notice="guardado")


@dataclass
class DeletedRow:
    slug: str
    title: str
    id: uuid.UUID
    what: str
    deleted_at: datetime | None
    version: int


def deleted_rows(session: Session, user: User) -> list[DeletedRow]:
    """Deleted records of the caller's teams whose case and victim are live (restore a
    deleted case or victim first: its own deleted records then appear)."""
    live_cases = visible_cases(user).with_only_columns(Case.id)
    live_victims = visible_victims(user).with_only_columns(Victim.id)
    queries: dict[str, Any] = {
        "caso": visible_cases(user, include_deleted=True).where(Case.deleted_at.is_not(None)),
        "victima": select(Victim).where(
            Victim.case_id.in_(live_cases), Victim.deleted_at.is_not(None)
        ),
        "deteccion": select(Detection).where(
            Detection.case_id.in_(live_cases), Detection.deleted_at.is_not(None)
        ),
    }
    for slug in ("plan", "derivacion", "medida"):
        model: Any = KINDS[slug].model
        queries[slug] = select(model).where(
            model.victim_id.in_(live_victims), model.deleted_at.is_not(None)
        )
    rows: list[DeletedRow] = []
    for slug, stmt in queries.items():
        model = KINDS[slug].model
        for record in session.scalars(stmt.order_by(model.deleted_at.desc()).limit(LIMIT)):
            rows.append(
                DeletedRow(
                    slug,
                    KINDS[slug].title,
                    record.id,
                    describe(session, slug, record),
                    record.deleted_at,
                    record.version,
                )
            )
    return sorted(rows, key=lambda r: r.deleted_at or datetime.min, reverse=True)


def _deleted_page(
    request: Request, session: Session, user: User, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "more/deleted.html",
        {"rows": deleted_rows(session, user), "error": error},
        status=status,
    )


@router.get("/registros-eliminados", name="records:deleted")
def deleted_page(request: Request, session: SessionDep, user: WebUser) -> Response:
    """Coordinators: the deleted records of their teams, each with a restore button."""
    ensure_restorer(user)
    return _deleted_page(request, session, user)


@router.post("/registros-eliminados/{slug}/{record_id}/restaurar", name="records:restore")
def restore(
    request: Request,
    session: SessionDep,
    user: WebUser,
    slug: str,
    record_id: str,
    form: PostedForm,
) -> Response:
    """Bring one record back; a refusal (its case deleted, a stale list) is explained here."""
    kind = known(KINDS, slug)
    record = kind.for_restore(session, user, parse_id(record_id))
    version = posted_version(form)
    try:
        with session.begin_nested():
            kind.restore(session, record, version=-1 if version is None else version, actor=user)
    except StaleVersion:
        return _deleted_page(request, session, user, RESTORE_STALE, status=409)
    except Conflict as exc:
        return _deleted_page(request, session, user, conflict_message(exc.detail), status=409)
    return redirect_to(request, "records:deleted", notice="guardado")
