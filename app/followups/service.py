"""Follow-ups: append-only entries; a correction supersedes, never overwrites.

Narratives pass through `app.scope.can_read_narrative`: the views built here carry
`narrative=None` for a caller who may not read it, and every narrative handed out leaves
one `read_narrative` audit event per call (record: the victim; detail: how many).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, aliased, selectinload

from app.audit.service import record_narrative_read
from app.followups.errors import SupersedeConflict
from app.followups.models import FollowUp, FollowUpAction
from app.followups.schemas import ActionRead, FollowUpCreate, FollowUpRead
from app.pagination import DEFAULT_LIMIT
from app.scope import can_read_narrative, ensure_case_writer
from app.users.models import User
from app.victims.models import Victim
from app.work.checks import case_opened_on, ensure_past_date
from app.work.lifecycle import save_new
from app.work.pages import dated_page

RECORD_TYPE = "follow_up"


def current_follow_ups() -> Select[FollowUp]:
    """Follow-ups no correction has superseded: the only ones any count may include."""
    successor = aliased(FollowUp)
    return select(FollowUp).where(~exists().where(successor.supersedes_id == FollowUp.id))


def create_follow_up(
    session: Session, victim: Victim, data: FollowUpCreate, *, actor: User
) -> FollowUpRead:
    """Append a follow-up (or a correction naming the entry it supersedes)."""
    ensure_case_writer(actor)
    ensure_past_date("occurred_on", data.occurred_on, not_before=case_opened_on(session, victim))
    if data.supersedes is not None:
        _check_supersedable(session, victim, data.supersedes)
    follow_up = FollowUp(
        **data.model_dump(include={"occurred_on", "kind", "narrative"}),
        victim_id=victim.id,
        author_id=actor.id,
        supersedes_id=data.supersedes,
        actions=[FollowUpAction(**a.model_dump()) for a in data.actions],
    )
    # A concurrent correction of the same entry fails on the insert (unique supersedes_id).
    save_new(
        session,
        follow_up,
        actor=actor,
        record_type=RECORD_TYPE,
        fields=["occurred_on", "kind", "narrative", "actions"]
        + (["supersedes"] if data.supersedes else []),
    )
    # The author gets back the text just sent: no successor can exist yet, and echoing
    # one's own words is not a read of someone's record (the create event names the field).
    return _view(follow_up, actor=actor, superseded_by=None)


def _check_supersedable(session: Session, victim: Victim, target_id: uuid.UUID) -> None:
    target = session.scalar(
        select(FollowUp.id).where(FollowUp.id == target_id, FollowUp.victim_id == victim.id)
    )
    if target is None:
        raise SupersedeConflict()
    if session.scalar(select(FollowUp.id).where(FollowUp.supersedes_id == target_id)):
        raise SupersedeConflict("follow_up_already_superseded")


def list_follow_ups(
    session: Session,
    victim: Victim,
    *,
    actor: User,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    current_only: bool = False,
) -> tuple[list[FollowUpRead], str | None]:
    """The victim's follow-ups, newest first; superseded ones flagged (or left out)."""
    stmt = current_follow_ups() if current_only else select(FollowUp)
    stmt = stmt.where(FollowUp.victim_id == victim.id).options(selectinload(FollowUp.actions))
    rows, next_cursor = dated_page(
        session, stmt, FollowUp, "occurred_on", limit=limit, cursor=cursor
    )
    return _views(session, victim, rows, actor=actor), next_cursor


def _view(f: FollowUp, *, actor: User, superseded_by: uuid.UUID | None) -> FollowUpRead:
    readable = can_read_narrative(actor, f.kind, f.author_id)
    return FollowUpRead(
        id=f.id,
        victim_id=f.victim_id,
        occurred_on=f.occurred_on,
        kind=f.kind,
        narrative=f.narrative if readable else None,
        narrative_hidden=not readable and f.holds("narrative"),
        actions=[ActionRead.model_validate(a) for a in f.actions],
        author_id=f.author_id,
        author=f.author,
        supersedes=f.supersedes_id,
        superseded_by=superseded_by,
        created_at=f.created_at,
        integrity_errors=f.integrity_errors if readable else [],
    )


def _views(
    session: Session, victim: Victim, rows: list[FollowUp], *, actor: User
) -> list[FollowUpRead]:
    ids = [f.id for f in rows]
    successors: dict[uuid.UUID | None, uuid.UUID] = {}  # original -> its correction
    if ids:
        successors.update(
            session.execute(
                select(FollowUp.supersedes_id, FollowUp.id).where(FollowUp.supersedes_id.in_(ids))
            ).all()
        )
    views = [_view(f, actor=actor, superseded_by=successors.get(f.id)) for f in rows]
    shown = sum(1 for v in views if v.narrative is not None)
    if shown:
        record_narrative_read(
            session, actor, "victim", victim.id, ["narrative"], detail=f"follow_ups:{shown}"
        )
    return views
