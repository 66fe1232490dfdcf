"""SQL for the routes: every count is a GROUP BY in the database, never a loop over victims.

Only aggregates leave these functions: places (country, department) and numbers.
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

    def wider(self) -> list[RouteFilter]:
        """The answers a reader could subtract this one from: no filter, each filter alone."""
        years = self.from_year is not None or self.to_year is not None
        if not years and self.team is None:
            return []
        out = [RouteFilter()]
        if years and self.team is not None:
            out += [RouteFilter(self.from_year, self.to_year), RouteFilter(team=self.team)]
        return out


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
    """Ids of the victims the routes may count (never selected out of the database)."""
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


@dataclass(frozen=True)
class FlowCount:
    from_country: str
    from_region: str | None
    to_country: str
    to_region: str | None
    victims: int


def flow_counts(
    session: Session, flt: RouteFilter, stage_from: RouteStage, stage_to: RouteStage
) -> list[FlowCount]:
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
        select(
            origin.country,
            origin.region,
            target.country,
            target.region,
            func.count().label("victims"),
        )
        .select_from(first)
        .join(last, last.c.victim_id == first.c.victim_id)
        .join(origin, and_(origin.victim_id == first.c.victim_id, origin.position == first.c.pos))
        .join(target, and_(target.victim_id == last.c.victim_id, target.position == last.c.pos))
        .where(first.c.pos <= last.c.pos)
        .group_by(origin.country, origin.region, target.country, target.region)
    )
    return [
        FlowCount(fc, _code(fr), tc, _code(tr), int(n))
        for fc, fr, tc, tr, n in session.execute(stmt)
    ]


def department_counts(session: Session, flt: RouteFilter) -> dict[RouteStage, dict[str, int]]:
    """Victims per stage and Peruvian department (a victim counts once per place and stage)."""
    victims = counted_victims(flt).subquery()
    stmt = (
        select(RouteLeg.stage, RouteLeg.region, func.count(func.distinct(RouteLeg.victim_id)))
        .join(victims, victims.c.id == RouteLeg.victim_id)
        .where(RouteLeg.country == PERU, RouteLeg.region.is_not(None))
        .group_by(RouteLeg.stage, RouteLeg.region)
    )
    out: dict[RouteStage, dict[str, int]] = {stage: {} for stage in RouteStage}
    for stage, region, n in session.execute(stmt):
        out[RouteStage(stage)][str(_code(region))] = int(n)
    return out


def foreign_capture_counts(session: Session, flt: RouteFilter) -> dict[str, int]:
    """Victims per foreign country of capture."""
    victims = counted_victims(flt).subquery()
    stmt = (
        select(RouteLeg.country, func.count(func.distinct(RouteLeg.victim_id)))
        .join(victims, victims.c.id == RouteLeg.victim_id)
        .where(RouteLeg.stage == RouteStage.capture, RouteLeg.country != PERU)
        .group_by(RouteLeg.country)
    )
    return {country: int(n) for country, n in session.execute(stmt)}


def border_crossing_counts(session: Session, flt: RouteFilter) -> tuple[int, int]:
    """(victims with a route, those of them with a leg outside Peru).

    CALP attends people in Peru, so any leg abroad means the route crossed a border.
    """
    victims = counted_victims(flt).subquery()
    per_victim = (
        select(
            RouteLeg.victim_id,
            func.max(case((RouteLeg.country != PERU, 1), else_=0)).label("abroad"),
        )
        .join(victims, victims.c.id == RouteLeg.victim_id)
        .group_by(RouteLeg.victim_id)
        .subquery()
    )
    total, abroad = session.execute(
        select(func.count(), func.coalesce(func.sum(per_victim.c.abroad), 0))
    ).one()
    return int(total), int(abroad)


def _code(region: object) -> str | None:
    return None if region is None else str(getattr(region, "value", region))
