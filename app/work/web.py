"""Soft deletion from the pages (staff, after a confirmation page: no script needed) and
the coordinators' "Registros eliminados" page, where each deleted record of their teams
can be restored. Every step goes through the record's kind (scope, version check, audit)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.service import CASES
from app.catalogs import label
from app.db import SessionDep
from app.detections.models import Detection
from app.detections.service import DETECTIONS
from app.documents.service import DOCUMENTS
from app.errors import Conflict, StaleVersion
from app.plans.models import Plan
from app.plans.service import PLANS
from app.protection.models import ProtectionMeasure
from app.protection.service import MEASURES
from app.referrals.models import Referral
from app.referrals.service import REFERRALS
from app.scope import ensure_restorer
from app.templating import spanish_date
from app.users.models import User
from app.victims.models import Victim
from app.victims.service import VICTIMS
from app.web.forms import PostedForm, conflict_text, known, parse_id, posted_version
from app.web.respond import redirect, redirect_to, render
from app.web.session import WebUser
from app.work.kinds import DeletableKind
from app.work.lifecycle import SoftDeletable

router = APIRouter()
LIMIT = 100  # per kind, most recently deleted first
RESTORE_STALE = "Otra persona cambió este registro: la lista se ha actualizado, inténtelo otra vez."

S = TypeVar("S", bound=SoftDeletable)


@dataclass(frozen=True)
class Deletable(Generic[S]):
    """A kind as the pages show it: its title, how a record is described (codes, dates
    and catalog labels only: never a name or a narrative) and the page to go to after
    deleting one (route name and parameters)."""

    title: str
    kind: DeletableKind[S]
    describe: Callable[[Session, S], str]
    after: Callable[[S], tuple[str, dict[str, Any]]]


def _case_code(session: Session, case_id: uuid.UUID) -> str | None:
    return session.scalar(select(Case.code).where(Case.id == case_id))


def _victim_code(session: Session, victim_id: uuid.UUID) -> str | None:
    return session.scalar(select(Victim.code).where(Victim.id == victim_id))


def _detection(session: Session, d: Detection) -> str:
    return (
        f"{label('polarity', d.polarity)} de {label('institution', d.institution)} "
        f"({spanish_date(d.detected_on)}) · caso {_case_code(session, d.case_id)}"
    )


def _referral(session: Session, r: Referral) -> str:
    return (
        f"Derivación {label('referral_direction', r.direction).lower()} a/de "
        f"{label('institution', r.institution)} ({spanish_date(r.referred_on)})"
        f" · víctima {_victim_code(session, r.victim_id)}"
    )


def _measure(session: Session, m: ProtectionMeasure) -> str:
    return (
        f"{label('protection_measure_kind', m.kind)} "
        f"({spanish_date(m.granted_on)}) · víctima {_victim_code(session, m.victim_id)}"
    )


def _victim_records(record: Plan | Referral | ProtectionMeasure) -> tuple[str, dict[str, Any]]:
    return "victims:records", {"victim_id": record.victim_id}


# The slugs are part of the pages' URLs (`/eliminar/{slug}/{id}`).
KINDS: dict[str, Deletable[Any]] = {
    "caso": Deletable("Caso", CASES, lambda _, c: f"Caso {c.code}", lambda c: ("cases:list", {})),
    "victima": Deletable(
        "Víctima",
        VICTIMS,
        lambda _, v: f"Víctima {v.code}",
        lambda v: ("cases:detail", {"case_id": v.case_id}),
    ),
    "plan": Deletable(
        "Plan de trabajo",
        PLANS,
        lambda s, p: (
            f"Plan del {spanish_date(p.assessed_on)} · víctima {_victim_code(s, p.victim_id)}"
        ),
        _victim_records,
    ),
    "deteccion": Deletable(
        "Detección",
        DETECTIONS,
        _detection,
        lambda d: ("cases:detections", {"case_id": d.case_id}),
    ),
    "derivacion": Deletable("Derivación", REFERRALS, _referral, _victim_records),
    "medida": Deletable("Medida de protección", MEASURES, _measure, _victim_records),
    "documento": Deletable(
        "Documento",
        DOCUMENTS,
        lambda s, d: (  # its kind and date: never its title
            f"{label('document_kind', d.kind)} ({spanish_date(d.dated_on)})"
            f" · víctima {_victim_code(s, d.victim_id)}"
        ),
        lambda d: ("documents:list", {"victim_id": d.victim_id}),
    ),
}


@dataclass(frozen=True)
class Target:
    """The record a page's URL names: its kind's slug and page entry, and its id."""

    slug: str
    page: Deletable[Any]
    id: uuid.UUID


async def _target(slug: str, record_id: str) -> Target:
    # Pure (no I/O): `async` spares it a thread-pool hop. Unknown kinds and ids are a 404.
    return Target(slug, known(KINDS, slug), parse_id(record_id))


TargetDep = Annotated[Target, Depends(_target)]


@router.get("/eliminar/{slug}/{record_id}", name="records:delete")
def confirm_delete(
    request: Request, session: SessionDep, user: WebUser, target: TargetDep
) -> Response:
    """Confirmation step before a soft deletion (a coordinator can restore it later)."""
    page = target.page
    record = page.kind.writable(session, user, target.id)
    name, params = page.after(record)
    return render(
        request,
        "work/delete.html",
        {
            "slug": target.slug,
            "record": record,
            "title": page.title,
            "what": page.describe(session, record),
            "back": request.app.url_path_for(name, **params),
        },
    )


@router.post("/eliminar/{slug}/{record_id}", name="records:delete:submit")
def delete(
    request: Request, session: SessionDep, user: WebUser, target: TargetDep, form: PostedForm
) -> Response:
    """Soft-delete it (stale version: 409, nothing changed) and go to the page above it."""
    page = target.page
    record = page.kind.writable(session, user, target.id)
    version = posted_version(form)
    if version is None:
        raise StaleVersion()
    name, params = page.after(record)
    page.kind.delete(session, record, version=version, actor=user)
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
    rows: list[DeletedRow] = []
    for slug, page in KINDS.items():
        for record in session.scalars(page.kind.deleted(user).limit(LIMIT)):
            what = page.describe(session, record)
            rows.append(
                DeletedRow(slug, page.title, record.id, what, record.deleted_at, record.version)
            )
    return sorted(rows, key=lambda r: r.deleted_at or datetime.min, reverse=True)


def _deleted_page(
    request: Request, session: Session, user: User, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "work/deleted.html",
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
    request: Request, session: SessionDep, user: WebUser, target: TargetDep, form: PostedForm
) -> Response:
    """Bring one record back; a refusal (its case deleted, a stale list) is explained here."""
    kind = target.page.kind
    record = kind.restorable(session, user, target.id)
    version = posted_version(form)
    try:
        with session.begin_nested():
            kind.restore(session, record, version=-1 if version is None else version, actor=user)
    except StaleVersion:
        return _deleted_page(request, session, user, RESTORE_STALE, status=409)
    except Conflict as exc:
        return _deleted_page(request, session, user, conflict_text(exc), status=409)
    return redirect_to(request, "records:deleted", notice="guardado")
