"""SQL for the routes: each cell's count and record-key sum (a flow, a place of the summary).

Every cell comes back as a `Cell`: the number of distinct victims in it and the sum of their
record keys (`victims.route_key`, `app.routes.cellkey`), both computed by the database in one
GROUP BY per kind of cell. No victim id leaves the database; only places and counts ever leave
`app.routes.service`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.cases.models import Case
from app.catalogs import ConsentPurpose, RouteStage, Team
from app.consents.models import Consent
from app.routes.cellkey import Cell
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


def counted_victims(flt: RouteFilter) -> Select[uuid.UUID, int]:
    """Ids and record keys of the victims the routes may count."""
    stmt = (
        select(Victim.id.label("id"), Victim.route_key.label("route_key"))
        .join(Case, Case.id == Victim.case_id)
        .where(Victim.deleted_at.is_(None), Case.deleted_at.is_(None), ~_publication_revoked())
    )
    if flt.from_year is not None:
        stmt = stmt.where(Victim.intake_on >= date(flt.from_year, 1, 1))
    if flt.to_year is not None:
        stmt = stmt.where(Victim.intake_on <= date(flt.to_year, 12, 31))
    if flt.team is not None:  # counted where the case was opened, as the statistics do
        stmt = stmt.where(Case.opened_by_team == flt.team)
    return stmt


FlowKey = tuple[str, str | None, str, str | None]


def _cells(rows: Iterable[Any]) -> dict[Any, Cell]:
    """{key: Cell} from rows of (key columns..., count, key sum)."""
    out: dict[Any, Cell] = {}
    for *key, count, key_sum in rows:
        out[tuple(_code(part) for part in key)] = Cell(int(count), int(key_sum or 0))
    return out


def _count_and_keys(route_key: Any) -> tuple[Any, Any]:
    """COUNT and SUM of record keys over rows that hold each victim once."""
    return func.count(), func.coalesce(func.sum(route_key), 0)


def flow_cells(
    session: Session, flt: RouteFilter, stage_from: RouteStage, stage_to: RouteStage
) -> dict[FlowKey, Cell]:
    """Victims per (first leg of stage_from, last leg of stage_to); one flow per victim."""
    victims = counted_victims(flt).subquery()
    # Both ends in one pass over the legs (in index order), then one lookup per victim.
    ends = (
        select(
            RouteLeg.victim_id.label("victim_id"),
            func.min(case((RouteLeg.stage == stage_from, RouteLeg.position))).label("first"),
            func.max(case((RouteLeg.stage == stage_to, RouteLeg.position))).label("last"),
        )
        .group_by(RouteLeg.victim_id)
        .subquery()
    )
    origin = aliased(RouteLeg)
    target = aliased(RouteLeg)
    places = (origin.country, origin.region, target.country, target.region)
    stmt = (
        select(*places, *_count_and_keys(victims.c.route_key))
        .select_from(ends)
        .join(victims, victims.c.id == ends.c.victim_id)
        .join(origin, and_(origin.victim_id == ends.c.victim_id, origin.position == ends.c.first))
        .join(target, and_(target.victim_id == ends.c.victim_id, target.position == ends.c.last))
        .where(ends.c.first <= ends.c.last)
        .group_by(*places)
    )
    return _cells(session.execute(stmt))


def _once_per_victim(
    session: Session, flt: RouteFilter, places: list[Any], *where: ColumnElement[bool]
) -> dict[Any, Cell]:
    """Cells keyed by `places` (leg columns) holding each victim once however many of its
    legs fall in them: distinct legs first, then one lookup of the victim per cell."""
    victims = counted_victims(flt).subquery()
    once = (
        select(RouteLeg.victim_id.label("victim_id"), *places).where(*where).distinct().subquery()
    )
    keys = [once.c[place.key] for place in places]
    stmt = (
        select(*keys, *_count_and_keys(victims.c.route_key))
        .select_from(once)
        .join(victims, victims.c.id == once.c.victim_id)
        .group_by(*keys)
    )
    return _cells(session.execute(stmt))


def department_cells(session: Session, flt: RouteFilter) -> dict[RouteStage, dict[str, Cell]]:
    """Victims per stage and Peruvian department (a victim counts once per place and stage)."""
    cells = _once_per_victim(
        session,
        flt,
        [RouteLeg.stage, RouteLeg.region],
        RouteLeg.country == PERU,
        RouteLeg.region.is_not(None),
    )
    out: dict[RouteStage, dict[str, Cell]] = {stage: {} for stage in RouteStage}
    for (stage, region), cell in cells.items():
        out[RouteStage(stage)][str(region)] = cell
    return out


def foreign_capture_cells(session: Session, flt: RouteFilter) -> dict[str, Cell]:
    """Victims per foreign country of capture."""
    cells = _once_per_victim(
        session,
        flt,
        [RouteLeg.country],
        RouteLeg.stage == RouteStage.capture,
        RouteLeg.country != PERU,
    )
    return {str(country): cell for (country,), cell in cells.items()}


def border_crossing_cells(session: Session, flt: RouteFilter) -> tuple[Cell, Cell]:
    """(victims with a route, those of them with a leg outside Peru).

    CALP attends people in Peru, so any leg abroad means the route crossed a border.
    """
    victims = counted_victims(flt).subquery()
    per_victim = (
        select(
            RouteLeg.victim_id.label("victim_id"),
            func.max(case((RouteLeg.country != PERU, 1), else_=0)).label("crossed"),
        )
        .group_by(RouteLeg.victim_id)
        .subquery()
    )
    key = victims.c.route_key
    row = session.execute(
        select(
            *_count_and_keys(key),
            func.coalesce(func.sum(per_victim.c.crossed), 0),
            func.coalesce(func.sum(case((per_victim.c.crossed == 1, key), else_=0)), 0),
        )
        .select_from(per_victim)
        .join(victims, victims.c.id == per_victim.c.victim_id)
    ).one()
    return Cell(int(row[0]), int(row[1])), Cell(int(row[2]), int(row[3]))


def _code(region: object) -> str | None:
    return None if region is None else str(getattr(region, "value", region))
