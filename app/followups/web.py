"""Follow-up pages: the new follow-up form (its route is app.work.new_web's), the correction
of a follow-up (a new entry that supersedes it: the record is never overwritten), and the
follow-up rows of the victim's records page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.catalogs import FollowUpKind, Role
from app.db import SessionDep, today
from app.errors import Conflict, NotAllowed, NotFound
from app.followups import service as followups
from app.followups.models import FollowUp
from app.followups.schemas import FollowUpCreate, FollowUpRead
from app.scope import can_read_narrative
from app.users.models import User
from app.victims.models import Victim
from app.victims.service import VICTIMS
from app.web.forms import (
    PostedForm,
    attempt,
    conflict_text,
    nested,
    parse_id,
    remap,
    values_of,
)
from app.web.once import single_use
from app.web.respond import redirect_to
from app.web.session import WebUser
from app.web.submit import form_page
from app.work.authors import Author, authors_by_id
from app.work.forms import WorkForm

router = APIRouter()
CORRECT_PAGE = "followups/correct.html"

NEW_FORM = WorkForm(
    "followups/new.html",
    lambda s, v, body, u: followups.create_follow_up(
        s, v, FollowUpCreate.model_validate(body), actor=u
    ),
    lambda v, u: (
        {"occurred_on": today().isoformat(), "kind": default_kind(u.role).value}
        | {f"actions.{i}.status": "done" for i in range(3)}
    ),
    {"actions": "type"},
)


# A follow-up opens as the author's own discipline: a lawyer's note must not become, unseen,
# a psychological one that the rest of the team cannot read.
KIND_OF_ROLE = {
    Role.psychologist: FollowUpKind.psychological,
    Role.lawyer: FollowUpKind.legal,
    Role.social_worker: FollowUpKind.social,
}


def default_kind(role: Role) -> FollowUpKind:
    return KIND_OF_ROLE.get(role, FollowUpKind.other)


@dataclass
class FollowUpRow:
    id: uuid.UUID
    occurred_on: date
    kind: FollowUpKind
    superseded: bool
    correction: bool
    correctable: bool
    created_at: datetime
    author: Author | None


def follow_up_rows(
    session: Session, user: User, victim: Victim, *, limit: int
) -> list[FollowUpRow]:
    """A victim's follow-ups for the records page, newest first. Dates and kinds only: no
    narrative is decrypted (nor audited) for this list."""
    rows = session.execute(
        select(
            FollowUp.id,
            FollowUp.occurred_on,
            FollowUp.kind,
            FollowUp.author_id,
            FollowUp.supersedes_id,
            FollowUp.created_at,
        )
        .where(FollowUp.victim_id == victim.id)
        .order_by(FollowUp.occurred_on.desc(), FollowUp.created_at.desc())
        .limit(limit)
    ).all()
    replaced = set(
        session.scalars(
            select(FollowUp.supersedes_id).where(
                FollowUp.victim_id == victim.id, FollowUp.supersedes_id.is_not(None)
            )
        )
    )
    authors = authors_by_id(session, (r.author_id for r in rows))
    return [
        FollowUpRow(
            r.id,
            r.occurred_on,
            r.kind,
            r.id in replaced,
            r.supersedes_id is not None,
            r.id not in replaced and can_read_narrative(user, r.kind, r.author_id),
            r.created_at,
            authors.get(r.author_id),
        )
        for r in rows
    ]


def _follow_up(session: Session, user: User, victim: Any, follow_up_id: str) -> FollowUpRead:
    row = session.scalar(
        select(FollowUp)
        .options(selectinload(FollowUp.actions))
        .where(FollowUp.id == parse_id(follow_up_id), FollowUp.victim_id == victim.id)
    )
    if row is None:
        raise NotFound("follow_up_not_found")
    # The service's own view builder applies the narrative rule and audits the read.
    view = followups._views(session, victim, [row], actor=user)[0]
    if view.narrative_hidden:
        raise NotAllowed("correction_needs_narrative")
    if view.superseded_by is not None:
        raise Conflict("follow_up_already_superseded")
    return view


@router.get("/victimas/{victim_id}/seguimientos/{follow_up_id}/corregir", name="followups:correct")
def correct_form(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, follow_up_id: str
) -> Response:
    """The follow-up form, filled with the entry being corrected."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    original = _follow_up(session, user, victim, follow_up_id)
    values: dict[str, str] = {
        "occurred_on": original.occurred_on.isoformat(),
        "kind": original.kind.value,
        "narrative": original.narrative or "",
    }
    for i in range(max(3, len(original.actions))):
        values[f"actions.{i}.status"] = "done"
    for i, action in enumerate(original.actions):
        values[f"actions.{i}.type"] = action.type.value
        values[f"actions.{i}.status"] = action.status.value
        if action.institution:
            values[f"actions.{i}.institution"] = action.institution.value
        if action.due_on:
            values[f"actions.{i}.due_on"] = action.due_on.isoformat()
    return form_page(request, CORRECT_PAGE, victim=victim, original=original, values=values)


@router.post(
    "/victimas/{victim_id}/seguimientos/{follow_up_id}/corregir", name="followups:correct:submit"
)
@single_use
def correct_submit(
    request: Request,
    session: SessionDep,
    user: WebUser,
    victim_id: str,
    follow_up_id: str,
    form: PostedForm,
) -> Response:
    """Post the correction as a new follow-up that supersedes the original."""
    victim = VICTIMS.writable(session, user, parse_id(victim_id))
    original = _follow_up(session, user, victim, follow_up_id)
    body, rows_of = nested(form, lists={"actions": "type"})
    body["supersedes"] = str(original.id)
    try:
        _, errors = attempt(
            session,
            lambda: followups.create_follow_up(
                session, victim, FollowUpCreate.model_validate(body), actor=user
            ),
        )
    except Conflict as exc:  # another person corrected it first
        return form_page(
            request,
            CORRECT_PAGE,
            409,
            victim=victim,
            original=original,
            values=values_of(form),
            errors={"__all__": conflict_text(exc)},
        )
    if errors:
        return form_page(
            request,
            CORRECT_PAGE,
            422,
            victim=victim,
            original=original,
            values=values_of(form),
            errors=remap(errors, rows_of),
        )
    return redirect_to(request, "victims:detail", notice="creado", victim_id=victim.id)
