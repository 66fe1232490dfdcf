"""Case work on cases: open, list, read, edit, close, reopen; the kind `CASES` for the rest.

Free of FastAPI: the JSON API and the HTML pages call the same functions. Every write
checks the caller's role, the version the caller saw, and leaves an audit event that
names the changed fields (never their values).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.caseload import service as caseload
from app.caseload.schemas import AssignmentRead
from app.cases.codes import code_filter, format_case_code, next_case_seq
from app.cases.errors import CaseAlreadyClosed, CaseNotClosed, CaseNotFound
from app.cases.models import Case, CaseStatusChange
from app.cases.schemas import (
    CaseClose,
    CaseCreate,
    CaseDetail,
    CaseRead,
    CaseReopen,
    CaseUpdate,
    DetectionBrief,
    StatusChangeRead,
    VictimBrief,
)
from app.catalogs import CaseStatus, CloseReason, Team
from app.db import today, utcnow
from app.detections.models import Detection
from app.errors import InvalidInput, NotAllowed
from app.pagination import decode_dated_cursor, encode_cursor
from app.scope import ensure_case_reader, ensure_case_writer, visible_cases
from app.users.models import User
from app.victims.models import Victim
from app.work.kinds import DeletableKind
from app.work.lifecycle import apply_changes, check_version

CASES = DeletableKind(
    Case, "case", CaseNotFound, parent=None, scope=visible_cases, status_changes=True
)


def _status_change(
    session: Session,
    case: Case,
    to: CaseStatus,
    *,
    on: date,
    actor: User,
    from_: CaseStatus | None,
    close_reason: CloseReason | None = None,
    note: str | None = None,
) -> None:
    session.add(
        CaseStatusChange(
            case_id=case.id,
            from_status=from_,
            to_status=to,
            on=on,
            at=utcnow(),
            close_reason=close_reason,
            note=note,
            actor_id=actor.id,
        )
    )


def create_case(session: Session, data: CaseCreate, *, actor: User) -> Case:
    """Open a case for one of the caller's teams, with the next code of that team and year."""
    ensure_case_writer(actor)
    if data.team not in actor.teams:
        raise NotAllowed("not_in_team")
    year = data.opened_on.year
    seq = next_case_seq(session, data.team, year)
    case = Case(
        id=uuid.uuid4(),
        team=data.team,
        year=year,
        seq=seq,
        code=format_case_code(data.team, year, seq),
        opened_on=data.opened_on,
        status=CaseStatus.open,
        referred_by=data.referred_by,
        summary=data.summary,
        created_by_id=actor.id,
    )
    CASES.save_new(session, case, actor=actor, fields=data.model_dump(exclude_none=True).keys())
    _status_change(session, case, CaseStatus.open, on=data.opened_on, actor=actor, from_=None)
    session.flush()
    return case


def list_cases(
    session: Session,
    user: User,
    *,
    team: Team | None = None,
    status: CaseStatus | None = None,
    year: int | None = None,
    q: str | None = None,
    assigned_to: User | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Case], str | None]:
    """Cases of the caller's teams, newest opening first (keyset on opened_on, id);
    `assigned_to`: only those where that user holds a current assignment."""
    ensure_case_reader(user)
    stmt = visible_cases(user)
    if assigned_to is not None:
        stmt = stmt.where(Case.id.in_(caseload.assigned_case_ids(assigned_to)))
    if team is not None:
        stmt = stmt.where(Case.team == team)
    if status is not None:
        stmt = stmt.where(Case.status == status)
    if year is not None:
        stmt = stmt.where(Case.opened_on.between(date(year, 1, 1), date(year, 12, 31)))
    if q:
        stmt = stmt.where(code_filter(q))
    if cursor:
        c_opened, c_id = decode_dated_cursor(cursor, date.fromisoformat)
        stmt = stmt.where(
            or_(Case.opened_on < c_opened, and_(Case.opened_on == c_opened, Case.id < c_id))
        )
    rows = list(
        session.scalars(stmt.order_by(Case.opened_on.desc(), Case.id.desc()).limit(limit + 1))
    )
    page = rows[:limit]
    next_cursor = (
        encode_cursor(page[-1].opened_on.isoformat(), page[-1].id) if len(rows) > limit else None
    )
    return page, next_cursor


def get_case_detail(session: Session, user: User, case_id: uuid.UUID) -> CaseDetail:
    """One case with its victims, detections and status changes (no identity)."""
    case = CASES.visible(session, user, case_id)
    victims = session.scalars(
        select(Victim)
        .where(Victim.case_id == case.id, Victim.deleted_at.is_(None))
        .order_by(Victim.seq)
    )
    detections = session.scalars(
        select(Detection)
        .where(Detection.case_id == case.id, Detection.deleted_at.is_(None))
        .order_by(Detection.detected_on, Detection.id)
    )
    changes = session.scalars(
        select(CaseStatusChange)
        .where(CaseStatusChange.case_id == case.id)
        .order_by(CaseStatusChange.at)
    )
    base: dict[str, Any] = CaseRead.model_validate(case).model_dump()
    return CaseDetail(
        **base,
        victims=[VictimBrief.model_validate(v) for v in victims],
        detections=[DetectionBrief.model_validate(d) for d in detections],
        status_changes=[StatusChangeRead.model_validate(c) for c in changes],
        assignments=[
            AssignmentRead.model_validate(a) for a in caseload.current(session, [case.id])[case.id]
        ],
    )


def update_case(session: Session, case: Case, data: CaseUpdate, *, actor: User) -> Case:
    """Edit summary and referral; move the status between open and follow_up."""
    ensure_case_writer(actor)
    check_version(case, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    new_status = changes.pop("status", None)
    if new_status is not None and new_status != case.status:
        if case.status == CaseStatus.closed:
            raise CaseAlreadyClosed()
        _status_change(session, case, new_status, on=today(), actor=actor, from_=case.status)
        case.status = new_status
        changed = ["status"]
    else:
        changed = []
    changed += apply_changes(case, changes)
    if changed:
        CASES.save_update(session, case, changed, actor=actor)
    return case


def close_case(session: Session, case: Case, data: CaseClose, *, actor: User) -> Case:
    """Close a case on a date (not before its opening) with a reason."""
    ensure_case_writer(actor)
    check_version(case, data.version)
    if case.status == CaseStatus.closed:
        raise CaseAlreadyClosed("case_already_closed")
    if data.closed_on < case.opened_on:
        raise InvalidInput("closed_on", "before_case_opening")
    _close_or_reopen(
        session,
        case,
        CaseStatus.closed,
        on=data.closed_on,
        close_reason=data.close_reason,
        note=data.note,
        actor=actor,
    )
    # A closed case is not for another team to take: its pending transfer is withdrawn.
    # Imported here because the transfers service builds on this module (CASES).
    from app.transfers.service import withdraw_on_close

    withdraw_on_close(session, case, actor=actor)
    return case


def reopen_case(session: Session, case: Case, data: CaseReopen, *, actor: User) -> Case:
    """Reopen a closed case (back to open), recording the reason."""
    ensure_case_writer(actor)
    check_version(case, data.version)
    if case.status != CaseStatus.closed:
        raise CaseNotClosed()
    return _close_or_reopen(
        session, case, CaseStatus.open, on=today(), close_reason=None, note=data.reason, actor=actor
    )


def _close_or_reopen(
    session: Session,
    case: Case,
    to: CaseStatus,
    *,
    on: date,
    close_reason: CloseReason | None,
    note: str | None,
    actor: User,
) -> Case:
    closing = to == CaseStatus.closed
    _status_change(
        session,
        case,
        to,
        on=on,
        actor=actor,
        from_=case.status,
        close_reason=close_reason,
        note=note,
    )
    case.status = to
    case.closed_on = on if closing else None
    case.close_reason = close_reason
    fields = ["status", "closed_on", "close_reason"]
    detail = "close" if closing else "reopen"
    CASES.audit(session, AuditAction.update, case, actor=actor, fields=fields, detail=detail)
    session.flush()
    return case
