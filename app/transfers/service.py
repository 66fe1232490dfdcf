"""Transfers of a case between teams: propose, list, accept, reject, withdraw.

While a transfer is pending the sending team keeps the case and works on it; the receiving
team sees the transfer only (case code, teams, reason, steps: no identity, no narrative, no
note) and the case answers it 404, as any case of another team does. Accepting moves the
case (`cases.team`): its victims and all their work follow, because every scope is computed
from the case's team (app/scope.py). The code stays, and so does `opened_by_team`, which
the statistics count by. The sending team's current assignments end with it. Closing a
case withdraws its pending transfer (`withdraw_on_close`, called by the close).

Every step is audited twice: on the transfer (its own digest) and on the case, with a
`detail` code, so it shows in the case's history.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from app.audit.models import AuditAction
from app.caseload.service import end_team_assignments
from app.cases.errors import CaseAlreadyClosed
from app.cases.models import Case
from app.cases.service import CASES
from app.catalogs import CaseStatus, Team, TransferStatus
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotAllowed
from app.pagination import decode_dated_cursor, encode_cursor
from app.scope import CASE_READERS, ensure_case_reader, ensure_case_writer
from app.transfers.errors import TransferNotFound, TransferNotPending
from app.transfers.models import Transfer
from app.transfers.schemas import StaffRef, TransferCreate, TransferDecision, TransferRead
from app.users.models import User
from app.work.lifecycle import check_version, record_write

RECORD_TYPE = "transfer"
# The decision note of a transfer withdrawn because its case was closed (the history shows it).
CLOSED_CASE_NOTE = "Retirado automáticamente al cerrar el caso."
_DECIDED_FIELDS = ("status", "decided_at", "decided_by_id")
# What a read copies from the row as it is (the notes depend on the reader).
_COPIED = (
    "id",
    "case_id",
    "from_team",
    "to_team",
    "reason",
    "status",
    "proposed_at",
    "decided_at",
    "version",
)


def visible_transfers(user: User) -> Select[Transfer, Case]:
    """Transfers sent or received by the caller's teams, with their (live) case."""
    stmt = select(Transfer, Case).join(Case, Case.id == Transfer.case_id)
    if user.role not in CASE_READERS:
        return stmt.where(false())
    teams = user.teams
    return stmt.where(
        or_(Transfer.from_team.in_(teams), Transfer.to_team.in_(teams)),
        Case.deleted_at.is_(None),
    )


def pending_for_case(session: Session, case: Case) -> Transfer | None:
    return session.scalar(
        select(Transfer).where(
            Transfer.case_id == case.id, Transfer.status == TransferStatus.pending
        )
    )


def waiting_count(session: Session, user: User) -> int:
    """Pending transfers the caller's teams are to answer (the home page says how many)."""
    stmt = visible_transfers(user).where(
        Transfer.status == TransferStatus.pending, Transfer.to_team.in_(user.teams)
    )
    return session.scalar(stmt.with_only_columns(func.count())) or 0


def case_transfers(session: Session, case: Case) -> list[Transfer]:
    """Every transfer of a case (for the case's own page and history), oldest first."""
    return list(
        session.scalars(
            select(Transfer).where(Transfer.case_id == case.id).order_by(Transfer.proposed_at)
        )
    )


def _audit(
    session: Session,
    transfer: Transfer,
    case: Case,
    action: AuditAction,
    *,
    actor: User,
    fields: Iterable[str],
    detail: str,
    case_fields: Iterable[str],
) -> None:
    record_write(
        session,
        action,
        transfer,
        actor=actor,
        record_type=RECORD_TYPE,
        fields=fields,
        detail=detail,
    )
    CASES.audit(session, AuditAction.update, case, actor=actor, fields=case_fields, detail=detail)


def propose(session: Session, case: Case, data: TransferCreate, *, actor: User) -> Transfer:
    """Propose moving a case of the caller's team to another team (staff of the case)."""
    ensure_case_writer(actor)
    check_version(case, data.version)
    if case.status == CaseStatus.closed:
        raise CaseAlreadyClosed()
    if data.to_team == case.team:
        raise InvalidInput("to_team", "transfer_same_team")
    if pending_for_case(session, case) is not None:
        raise Conflict("transfer_pending_exists")
    transfer = Transfer(
        id=uuid.uuid4(),
        case_id=case.id,
        from_team=case.team,
        to_team=data.to_team,
        reason=data.reason,
        note=data.note or None,
        status=TransferStatus.pending,
        proposed_by_id=actor.id,
        proposed_at=utcnow(),
    )
    session.add(transfer)
    session.flush()
    fields = ["case_id", "from_team", "to_team", "reason", "status"] + (
        ["note"] if transfer.holds("note") else []
    )
    _audit(
        session,
        transfer,
        case,
        AuditAction.create,
        actor=actor,
        fields=fields,
        detail="transfer_proposed",
        case_fields=["transfer"],
    )
    return transfer


def _visible(session: Session, user: User, transfer_id: uuid.UUID) -> tuple[Transfer, Case]:
    ensure_case_reader(user)
    row = session.execute(visible_transfers(user).where(Transfer.id == transfer_id)).first()
    if row is None:
        raise TransferNotFound()
    return row[0], row[1]


def _pending(
    session: Session, user: User, transfer_id: uuid.UUID, *, receiving: bool
) -> tuple[Transfer, Case]:
    """A visible transfer that the caller's side may still decide (403 for the other side,
    409 once decided)."""
    transfer, case = _visible(session, user, transfer_id)
    if receiving and transfer.to_team not in user.teams:
        raise NotAllowed("transfer_receiving_team_only")
    if not receiving:
        ensure_case_writer(user)
        if transfer.from_team not in user.teams:
            raise NotAllowed("transfer_sending_team_only")
    if transfer.status != TransferStatus.pending:
        raise TransferNotPending()
    return transfer, case


def _decide(
    session: Session,
    transfer: Transfer,
    case: Case,
    status: TransferStatus,
    data: TransferDecision,
    *,
    actor: User,
    detail: str | None = None,
) -> tuple[Transfer, Case]:
    transfer.status = status
    transfer.decided_at = utcnow()
    transfer.decided_by_id = actor.id
    if data.note:
        transfer.decision_note = data.note
    session.flush()
    fields = [*_DECIDED_FIELDS, *(["decision_note"] if data.note else [])]
    case_fields = ["team"] if status == TransferStatus.accepted else ["transfer"]
    _audit(
        session,
        transfer,
        case,
        AuditAction.update,
        actor=actor,
        fields=fields,
        detail=detail or f"transfer_{status.value}",
        case_fields=case_fields,
    )
    return transfer, case


def accept(
    session: Session, user: User, transfer_id: uuid.UUID, data: TransferDecision
) -> tuple[Transfer, Case]:
    """The receiving team takes the case: it moves with its victims and all their work."""
    transfer, case = _pending(session, user, transfer_id, receiving=True)
    if case.status == CaseStatus.closed or case.team != transfer.from_team:
        raise Conflict("transfer_case_unavailable")
    case.team = transfer.to_team
    session.flush()  # the case's new team (and version) before its audit event
    end_team_assignments(session, case, user)
    return _decide(session, transfer, case, TransferStatus.accepted, data, actor=user)


def reject(
    session: Session, user: User, transfer_id: uuid.UUID, data: TransferDecision
) -> tuple[Transfer, Case]:
    """The receiving team declines: the case stays where it is."""
    transfer, case = _pending(session, user, transfer_id, receiving=True)
    return _decide(session, transfer, case, TransferStatus.rejected, data, actor=user)


def withdraw(
    session: Session, user: User, transfer_id: uuid.UUID, data: TransferDecision
) -> tuple[Transfer, Case]:
    """The sending team's staff take the proposal back."""
    transfer, case = _pending(session, user, transfer_id, receiving=False)
    return _decide(session, transfer, case, TransferStatus.withdrawn, data, actor=user)


def withdraw_on_close(session: Session, case: Case, *, actor: User) -> Transfer | None:
    """Withdraw the pending transfer of a case being closed (by whoever closes it).

    Left pending, it would offer the receiving team a closed case it may not take. Audited
    as a withdrawal, with its own detail code, and its note says why.
    """
    transfer = pending_for_case(session, case)
    if transfer is None:
        return None
    decision = TransferDecision(note=CLOSED_CASE_NOTE)
    _decide(
        session,
        transfer,
        case,
        TransferStatus.withdrawn,
        decision,
        actor=actor,
        detail="transfer_withdrawn_case_closed",
    )
    return transfer


def list_transfers(
    session: Session,
    user: User,
    *,
    status: TransferStatus | None = None,
    team: Team | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[TransferRead], str | None]:
    """Transfers of the caller's teams (sent or received), newest proposal first."""
    ensure_case_reader(user)
    stmt = visible_transfers(user)
    if status is not None:
        stmt = stmt.where(Transfer.status == status)
    if team is not None:
        stmt = stmt.where(or_(Transfer.from_team == team, Transfer.to_team == team))
    if cursor:
        c_at, c_id = decode_dated_cursor(cursor, datetime.fromisoformat)
        stmt = stmt.where(
            or_(
                Transfer.proposed_at < c_at,
                and_(Transfer.proposed_at == c_at, Transfer.id < c_id),
            )
        )
    rows = session.execute(
        stmt.order_by(Transfer.proposed_at.desc(), Transfer.id.desc()).limit(limit + 1)
    ).all()
    page = [(t, c) for t, c in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = page[-1][0]
        next_cursor = encode_cursor(last.proposed_at.isoformat(), last.id)
    return reads(session, user, page), next_cursor


def reads(
    session: Session, user: User, rows: Iterable[tuple[Transfer, Case]]
) -> list[TransferRead]:
    """What the caller may read of each transfer: the notes only for the team in charge."""
    rows = list(rows)
    ids = {i for t, _ in rows for i in (t.proposed_by_id, t.decided_by_id) if i is not None}
    names = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}

    def ref(user_id: uuid.UUID | None) -> StaffRef | None:
        staff = names.get(user_id) if user_id is not None else None
        return StaffRef(id=staff.id, full_name=staff.full_name) if staff else None

    out = []
    for t, case in rows:
        in_charge = case.team in user.teams
        fields = {name: getattr(t, name) for name in _COPIED}
        out.append(
            TransferRead.model_validate(
                fields
                | {
                    "case_code": case.code,
                    "note": t.note if in_charge else None,
                    "notes_hidden": not in_charge,
                    "decision_note": t.decision_note if in_charge else None,
                    "proposed_by": ref(t.proposed_by_id),
                    "decided_by": ref(t.decided_by_id),
                }
            )
        )
    return out


def read_one(session: Session, user: User, transfer: Transfer, case: Case) -> TransferRead:
    return reads(session, user, [(transfer, case)])[0]
