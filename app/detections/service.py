"""Detections of practices: the domain's rules, declared once in `DETECTIONS` (create,
edit, soft-delete and restore are the kind's), and the list filtered by polarity."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.detections.errors import DetectionNotFound
from app.detections.models import Detection
from app.pagination import DEFAULT_LIMIT
from app.work.kinds import Check, DeletableKind

REQUIRED = ("detected_on", "polarity", "category", "institution", "description")


def _check(c: Check[Detection]) -> None:
    c.problems.required(c.sent, REQUIRED)
    if c.sent.get("detected_on") is not None:  # a stored date was checked when written
        c.problems.past_date("detected_on", c.sent["detected_on"], not_before=c.opened_on())


DETECTIONS = DeletableKind(
    Detection, "detection", DetectionNotFound, parent="case", dated_by="detected_on", check=_check
)


def list_detections(
    session: Session,
    case: Case,
    *,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    polarity: str | None = None,
) -> tuple[list[Detection], str | None]:
    """The case's detections (deleted ones left out), latest first; good or bad only."""
    where = [] if polarity is None else [Detection.polarity == polarity]
    return DETECTIONS.page(session, case, *where, limit=limit, cursor=cursor)
