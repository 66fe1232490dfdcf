"""Links between two victim records of the same person: create, list, unlink.

A link is seen only by whoever may see both victims (scope of app.scope on both ends), so
listing a victim's links never reveals a record of another team. Unlinking is the kind's
soft delete; statistics ignore links (each record stays one attention).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.errors import InvalidInput
from app.links.errors import LinkExists, LinkNotFound
from app.links.models import VictimLink
from app.links.schemas import LinkCreate, LinkedVictim, LinkRead
from app.scope import ensure_case_writer, visible_victims
from app.users.models import User
from app.victims.models import Victim
from app.work.kinds import DeletableKind
from app.work.lifecycle import visible_victim_ids
from app.work.pages import dated_page


def visible_links(user: User, *, include_deleted: bool = False) -> Select[VictimLink]:
    """Links whose two victims the caller may both see (live ones unless asked)."""
    ids = visible_victim_ids(user)
    stmt = select(VictimLink).where(
        VictimLink.victim_id.in_(ids), VictimLink.other_victim_id.in_(ids)
    )
    if not include_deleted:
        stmt = stmt.where(VictimLink.deleted_at.is_(None))
    return stmt


LINKS = DeletableKind(VictimLink, "victim_link", LinkNotFound, parent=None, scope=visible_links)


def link_victims(session: Session, victim: Victim, data: LinkCreate, *, actor: User) -> LinkRead:
    """Link `victim` (writable by the actor) with another victim the actor may see."""
    ensure_case_writer(actor)
    if data.other_victim_id == victim.id:
        raise InvalidInput("other_victim_id", "link_same_victim")
    other = session.scalar(
        visible_victims(actor).with_only_columns(Victim.id).where(Victim.id == data.other_victim_id)
    )
    if other is None:
        raise InvalidInput("other_victim_id", "link_victim_not_found")
    low, high = sorted((victim.id, other))
    live = select(VictimLink.id).where(
        VictimLink.victim_id == low,
        VictimLink.other_victim_id == high,
        VictimLink.deleted_at.is_(None),
    )
    if session.scalar(live) is not None:
        raise LinkExists()
    link = VictimLink(
        id=uuid.uuid4(),
        victim_id=low,
        other_victim_id=high,
        reason=data.reason or None,
        created_by_id=actor.id,
    )
    fields = ["victim_id", "other_victim_id"] + (["reason"] if link.reason else [])
    LINKS.save_new(session, link, actor=actor, fields=fields)
    return _reads(session, [link], victim.id)[0]


def victim_links(
    session: Session, user: User, victim: Victim, *, limit: int = 50, cursor: str | None = None
) -> tuple[list[LinkRead], str | None]:
    """The live links of a visible victim to other victims the caller may see, latest first."""
    stmt = visible_links(user).where(
        or_(VictimLink.victim_id == victim.id, VictimLink.other_victim_id == victim.id)
    )
    rows, next_cursor = dated_page(
        session, stmt, VictimLink, "created_at", limit=limit, cursor=cursor
    )
    return _reads(session, rows, victim.id), next_cursor


# What a link reads as stored; the rest depends on the victim it is seen from.
_AS_STORED = (
    "id",
    "reason",
    "created_by_id",
    "version",
    "created_at",
    "updated_at",
    "integrity_errors",
)


def _reads(session: Session, links: Sequence[VictimLink], seen_from: uuid.UUID) -> list[LinkRead]:
    """Each link as seen from `seen_from`, with the other record's code, case and team."""
    others = {
        link.id: link.other_victim_id if link.victim_id == seen_from else link.victim_id
        for link in links
    }
    rows = session.execute(
        select(Victim.id, Victim.code, Victim.case_id, Case.code, Case.team, Victim.intake_on)
        .join(Case, Case.id == Victim.case_id)
        .where(Victim.id.in_(set(others.values())))
    )
    found = {
        row[0]: LinkedVictim(
            id=row[0], code=row[1], case_id=row[2], case_code=row[3], team=row[4], intake_on=row[5]
        )
        for row in rows
    }
    return [
        LinkRead(
            **{f: getattr(link, f) for f in _AS_STORED},
            victim_id=seen_from,
            other_victim_id=others[link.id],
            other=found[others[link.id]],
        )
        for link in links
    ]
