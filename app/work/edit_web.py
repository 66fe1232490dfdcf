"""Editing a saved record from the UI: one page shape for the records whose fields are
plain (a referral's outcome, a protection measure's end date, a detection, a case's
summary and "Derivado por"), each declared once in EDITS.

Saving goes through the same service update as the API (version check, rules, audit). A
save that meets someone else's newer version (409) shows the form again with what this
person typed, the message, and what the other person stored in each field that differs,
with the stored version in the form: saving again applies this person's values on
purpose. (Plans have their own page: their needs and goals are lists.)
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.cases.schemas import CaseUpdate
from app.cases.service import CASES, update_case
from app.db import SessionDep
from app.detections.schemas import DetectionUpdate
from app.detections.service import DETECTIONS
from app.error_texts import error_text
from app.errors import NotFound, StaleVersion
from app.protection.schemas import MeasureUpdate
from app.protection.service import MEASURES
from app.referrals.schemas import ReferralUpdate
from app.referrals.service import REFERRALS, update_referral
from app.users.models import User
from app.web.forms import PostedForm, StoredField, attempt, clean, edit_conflict, parse_id
from app.web.respond import redirect_to
from app.web.session import WebUser
from app.web.submit import form_page

router = APIRouter()
TEMPLATE = "work/edit.html"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Literal["date", "select", "text", "textarea"]
    catalog: str | None = None
    required: bool = False
    hint: str | None = None


@dataclass(frozen=True)
class EditPage:
    title: str
    load: Callable[[Session, User, uuid.UUID], Any]  # the record, writable by the caller
    schema: type[BaseModel]
    fields: tuple[Field, ...]
    back: Callable[[Any], tuple[str, dict[str, Any]]]  # route name and its parameters
    save: Callable[[Session, Any, Any, User], Any]


def _case_of(record: Any) -> tuple[str, dict[str, Any]]:
    return "cases:detail", {"case_id": record.case_id}


def _victim_of(record: Any) -> tuple[str, dict[str, Any]]:
    return "victims:records", {"victim_id": record.victim_id}


EDITS: dict[str, EditPage] = {
    "derivacion": EditPage(
        "Editar derivación",
        REFERRALS.writable,
        ReferralUpdate,
        (
            Field("outcome", "Resultado", "select", "referral_outcome", hint="Vacío: pendiente."),
            Field("referred_on", "Fecha", "date", required=True),
            Field("institution", "Institución", "select", "institution", required=True),
            Field("external_ref_kind", "Tipo de referencia externa", "select", "external_ref_kind"),
            Field("external_ref", "Referencia externa (p. ej. n.º de expediente)", "text"),
            Field("reason", "Motivo", "textarea", required=True),
        ),
        _victim_of,
        # The domain's update: a moved date or direction decides consent again.
        lambda s, r, d, u: update_referral(s, r, d, actor=u),
    ),
    "medida": EditPage(
        "Editar medida de protección",
        MEASURES.writable,
        MeasureUpdate,
        (
            Field("ends_on", "Fecha de término", "date", hint="Si se amplió, la nueva fecha."),
            Field("granted_on", "Fecha de otorgamiento", "date", required=True),
            Field("kind", "Medida", "select", "protection_measure_kind", required=True),
            Field("institution", "Institución", "select", "institution", required=True),
        ),
        _victim_of,
        lambda s, r, d, u: MEASURES.update(s, r, d, actor=u),
    ),
    "deteccion": EditPage(
        "Editar detección",
        DETECTIONS.writable,
        DetectionUpdate,
        (
            Field("detected_on", "Fecha", "date", required=True),
            Field("polarity", "Práctica", "select", "polarity", required=True),
            Field("category", "Categoría", "select", "practice_category", required=True),
            Field("institution", "Institución", "select", "institution", required=True),
            Field("stage", "Etapa de la atención", "select", "attention_stage", required=True),
            Field("description", "Descripción", "textarea", required=True),
        ),
        _case_of,
        lambda s, r, d, u: DETECTIONS.update(s, r, d, actor=u),
    ),
    "caso": EditPage(
        "Editar caso",
        CASES.writable,
        CaseUpdate,
        (
            Field("referred_by", "Derivado por", "select", "institution"),
            Field("summary", "Resumen del caso", "textarea", hint="Confidencial."),
        ),
        lambda case: ("cases:detail", {"case_id": case.id}),
        lambda s, r, d, u: update_case(s, r, d, actor=u),
    ),
}


def _known(slug: str) -> EditPage:
    page = EDITS.get(slug)
    if page is None:
        raise NotFound()
    return page


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _values(page: EditPage, record: Any) -> dict[str, str]:
    values = {f.name: _as_text(getattr(record, f.name)) for f in page.fields}
    return values | {"version": str(record.version)}


def _stored_fields(page: EditPage) -> dict[str, StoredField]:
    return {f.name: StoredField(f.label, f.catalog, f.kind == "date") for f in page.fields}


def _page(
    request: Request, slug: str, page: EditPage, record: Any, status: int = 200, **context: Any
) -> Response:
    route, params = page.back(record)
    return form_page(
        request,
        TEMPLATE,
        status,
        page=page,
        slug=slug,
        record=record,
        back=request.app.url_path_for(route, **params),
        **context,
    )


@router.get("/editar/{slug}/{record_id}", name="edit:form")
def edit_form(
    request: Request, session: SessionDep, user: WebUser, slug: str, record_id: str
) -> Response:
    """The record's fields as stored, to change and save."""
    page = _known(slug)
    record = page.load(session, user, parse_id(record_id))
    return _page(request, slug, page, record, values=_values(page, record))


@router.post("/editar/{slug}/{record_id}", name="edit:save")
def edit_save(
    request: Request,
    session: SessionDep,
    user: WebUser,
    slug: str,
    record_id: str,
    form: PostedForm,
) -> Response:
    """Save under the version check; errors and conflicts come back on the form as typed."""
    page = _known(slug)
    record = page.load(session, user, parse_id(record_id))
    typed = {f.name: clean(str(form.get(f.name) or "")) for f in page.fields}
    values = {k: v or "" for k, v in typed.items()} | {"version": str(form.get("version", ""))}
    errors = {
        f.name: error_text("required") for f in page.fields if f.required and not typed[f.name]
    }
    if not errors:
        body = {k: v for k, v in typed.items() if v is not None or not _required(page, k)}
        try:
            _, errors = attempt(
                session,
                lambda: page.save(
                    session,
                    record,
                    page.schema.model_validate(body | {"version": form.get("version")}),
                    user,
                ),
            )
        except StaleVersion:
            session.refresh(record)
            conflict = edit_conflict(_values(page, record), values, _stored_fields(page))
            return _page(request, slug, page, record, 409, **conflict)
    if errors:
        # A rule about no field of this page (a referral's consent) is said above the form.
        shown = {f.name for f in page.fields} | {"__all__"}
        for name in [n for n in errors if n not in shown]:
            errors.setdefault("__all__", errors.pop(name))
        return _page(request, slug, page, record, 422, values=values, errors=errors)
    route, params = page.back(record)
    return redirect_to(request, route, notice="guardado", **params)


def _required(page: EditPage, name: str) -> bool:
    return any(f.name == name and f.required for f in page.fields)
