"""SQL for the routes: which victims fall in each cell (a flow, a place of the summary).

The cells' members come back as victim ids because the published value of a cell is derived
from its records' keys (`app.routes.cellkey`); the ids stay in the process, and only
places and counts ever leave `app.routes.service`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.cases.models import Case
from app.catalogs import ConsentPurpose, RouteStage, Team
from app.consents.models import Consent
from app.victims.models import RouteLeg, Victim

PERU = "PE"


@dataclass(frozen=True)
class RouteFilter:
    """Which victims count: intake years (inclusive) and the team of their case."""

    from_year: int | None = None
    to_year: int | None = None
    team: Team | None = None


def _publication_revoked() -> ColumnElement[bool]:
    """A publication consent was revoked and no publication consent was given again since."""
    revoked = aliased(Consent)
    renewed = aliased(Consent)
    given_again = exists().where(
        renewed.victim_id == revoked.victim_id,
        renewed.purpose == ConsentPurpose.publication,
        renewed.revoked_on.is_(None),
        renewed.given_on >= revoked.revoked_on,
    )
    return exists().where(
        revoked.victim_id == Victim.id,
        revoked.purpose == ConsentPurpose.publication,
        revoked.revoked_on.is_not(None),
        ~given_again,
    )


def counted_victims(flt: RouteFilter) -> Select[uuid.UUID]:
    """Ids of the victims the routes may count."""
    stmt = (
        select(Victim.id.label("id"))
        .join(Case, Case.id == Victim.case_id)
        .where(Victim.deleted_at.is_(None), Case.deleted_at.is_(None), ~_publication_revoked())
    )
    if flt.from_year is not None:
        stmt = stmt.where(Victim.intake_on >= date(flt.from_year, 1, 1))
    if flt.to_year is not None:
        stmt = stmt.where(Victim.intake_on <= date(flt.to_year, 12, 31))
    if flt.team is not None:
        stmt = stmt.where(Case.team == flt.team)
    return stmt


FlowKey = tuple[str, str | None, str, str | None]


def flow_members(
    session: Session, flt: RouteFilter, stage_from: RouteStage, stage_to: RouteStage
) -> dict[FlowKey, set[uuid.UUID]]:
    """Victims per (first leg of stage_from, last leg of stage_to); one flow per victim."""
    victims = counted_victims(flt).subquery()

    def leg_position(stage: RouteStage, agg: Callable[[Any], Any]) -> Subquery:
        return (
            select(RouteLeg.victim_id.label("victim_id"), agg(RouteLeg.position).label("pos"))
            .join(victims, victims.c.id == RouteLeg.victim_id)
            .where(RouteLeg.stage == stage)
            .group_by(RouteLeg.victim_id)
            .subquery()
        )

    first = leg_position(stage_from, func.min)
    last = leg_position(stage_to, func.max)
    origin = aliased(RouteLeg)
    target = aliased(RouteLeg)
    stmt = (
        select(origin.country, origin.region, target.country, target.region, first.c.victim_id)
        .select_from(first)
        .join(last, last.c.victim_id == first.c.victim_id)
        .join(origin, and_(origin.victim_id == first.c.victim_id, origin.position == first.c.pos))
        .join(target, and_(target.victim_id == last.c.victim_id, target.position == last.c.pos))
        .where(first.c.pos <= last.c.pos)
    )
    out: dict[FlowKey, set[uuid.UUID]] = {}
    for fc, fr, tc, tr, victim_id in session.execute(stmt):
        out.setdefault((fc, _code(fr), tc, _code(tr)), set()).add(victim_id)
    return out


def department_members(
    session: Session, flt: RouteFilter
) -> dict[RouteStage, dict[str, set[uuid.UUID]]]:
    """Victims per stage and Peruvian department (a victim counts once per place and stage)."""
    victims = counted_victims(flt).subquery()
    stmt = (
        select(RouteLeg.stage, RouteLeg.region, RouteLeg.victim_id)
        .join(victims, victims.c.id == RouteLeg.victim_id)
        .where(RouteLeg.country == PERU, RouteLeg.region.is_not(None))
        .distinct()
    )
    out: dict[RouteStage, dict[str, set[uuid.UUID]]] = {stage: {} for stage in RouteStage}
    for stage, region, victim_id in session.execute(stmt):
        out[RouteStage(stage)].setdefault(str(_code(region)), set()).add(victim_id)
    return out


def foreign_capture_members(session: Session, flt: RouteFilter) -> dict[str, set[uuid.UUID]]:
    """Victims per foreign country of capture."""
    victims = counted_victims(flt).subquery()
    stmt = (
        select(RouteLeg.country, RouteLeg.victim_id)
        .join(victims, victims.c.id == RouteLeg.victim_id)
        .where(RouteLeg.stage == RouteStage.capture, RouteLeg.country != PERU)
        .distinct()
    )
    out: dict[str, set[uuid.UUID]] = {}
    for country, victim_id in session.execute(stmt):
        out.setdefault(country, set()).add(victim_id)
    return out


def border_crossing_members(
    session: Session, flt: RouteFilter
) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """(victims with a route, those of them with a leg outside Peru).

    CALP attends people in Peru, so any leg abroad means the route crossed a border.
    """
    victims = counted_victims(flt).subquery()
    stmt = (
        select(RouteLeg.victim_id, func.max(case((RouteLeg.country != PERU, 1), else_=0)))
        .join(victims, victims.c.id == RouteLeg.victim_id)
        .group_by(RouteLeg.victim_id)
    )
    everyone: set[uuid.UUID] = set()
    abroad: set[uuid.UUID] = set()
    for victim_id, crossed in session.execute(stmt):
        everyone.add(victim_id)
        if crossed:
            abroad.add(victim_id)
    return everyone, abroad


def _code(region: object) -> str | None:
    return None if region is None else str(getattr(region, "value", region))
