"""Detection pages: the form to record a good or bad practice seen in a case (it posts to
the case's `cases:act` route, action `detecciones`, which saves it with `save_detection`)
and the case's list of detections, each with its delete button."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import STAFF_ROLES
from app.db import SessionDep, today
from app.detections import service as detections
from app.detections.schemas import DetectionCreate
from app.scope import ensure_case_writer, get_visible_case
from app.users.models import User
from app.web.forms import parse_id
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter(prefix="/casos/{case_id}/detecciones")
NEW_TEMPLATE = "detections/new.html"
LIMIT = 100  # a working list, not an archive (the API pages further)


def save_detection(session: Session, case: Case, body: dict[str, Any], user: User) -> object:
    return detections.DETECTIONS.create(
        session, case, DetectionCreate.model_validate(body), actor=user
    )


@router.get("/nueva", name="cases:detection")
def detection_form(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The form to record a good or bad practice seen in this case."""
    ensure_case_writer(user)
    case = get_visible_case(session, user, parse_id(case_id))
    values = {"detected_on": today().isoformat()}
    return render(request, NEW_TEMPLATE, {"case": case, "values": values, "errors": {}})


@router.get("", name="cases:detections")
def case_detections(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The case's detections (good and bad practices), each with its delete button."""
    case = get_visible_case(session, user, parse_id(case_id))
    return render(
        request,
        "detections/list.html",
        {
            "case": case,
            "detections": detections.list_detections(session, case, limit=LIMIT)[0],
            "can_write": user.role in STAFF_ROLES,
        },
    )
