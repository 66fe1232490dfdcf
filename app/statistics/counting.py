"""What counts, and over which years: the scope of a figure and the predicates every count
shares (deleted cases, victims and detections never count), plus one-pass conditional counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.detections.models import Detection
from app.victims.models import Victim


@dataclass(frozen=True)
class Scope:
    """What is counted: a span of years (inclusive; None = no data at all) and a team."""

    first: int | None
    last: int | None
    team: str | None = None
    # True when the span is the data's own (from/to left out): the predicate on the dates
    # that define the span then filters nothing, and leaving it out keeps SQLite off
    # ix_victims_intake_on, whose range scan over every row is ~3x slower than scanning
    # cases and joining victims. Other dates (follow-ups, referrals...) are still filtered.
    whole: bool = False

    def dates(self) -> tuple[date, date] | None:
        if self.first is None or self.last is None:
            return None
        return date(self.first, 1, 1), date(self.last, 12, 31)


def in_span(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    span = scope.dates()
    if span is None or (scope.whole and any(column is c for c in SPAN_DATES)):
        return []
    return [column.between(span[0], span[1])]


# The dates `year_span` takes the data's span from.
SPAN_DATES = (Case.opened_on, Victim.intake_on, Detection.detected_on)


def team_filter(scope: Scope) -> list[ColumnElement[bool]]:
    # The team that opened the case: a transfer moves the case, never its statistics.
    return [] if scope.team is None else [Case.opened_by_team == scope.team]


def counted_cases(scope: Scope) -> list[ColumnElement[bool]]:
    return [Case.deleted_at.is_(None), *in_span(Case.opened_on, scope), *team_filter(scope)]


def counted_victims(scope: Scope) -> list[ColumnElement[bool]]:
    return [
        Victim.deleted_at.is_(None),
        Case.deleted_at.is_(None),
        *in_span(Victim.intake_on, scope),
        *team_filter(scope),
    ]


def victims_from() -> Select[Any]:
    return select().select_from(Victim).join(Case, Case.id == Victim.case_id)


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def conditional_counts(
    session: Session, base: Select[Any], conditions: dict[str, ColumnElement[bool]]
) -> dict[str, int]:
    """One pass: COUNT(*) as "total" plus one SUM(CASE ...) per named condition."""
    names = list(conditions)
    stmt = base.add_columns(
        func.count().label("total"),
        *(count_if(conditions[n]).label(f"c{i}") for i, n in enumerate(names)),
    )
    row = session.execute(stmt).one()
    out = {"total": int(row.total)}
    out.update({n: int(row[i + 1]) for i, n in enumerate(names)})
    return out


def year_span(session: Session, team: str | None) -> tuple[int | None, int | None]:
    """Earliest and latest years holding any counted case, victim or detection.

    Each end is `ORDER BY date LIMIT 1` over the date's index, which stops at the first
    counted row: MIN()/MAX() over a join cannot use the index and scans every victim and
    detection (1-2 s at 1M victims on PostgreSQL, paid by every cold statistics request).
    """
    scope = Scope(None, None, team)
    ends: list[Any] = []
    for column, base in (
        (Case.opened_on, select(Case.opened_on).where(*counted_cases(scope))),
        (
            Victim.intake_on,
            victims_from().add_columns(Victim.intake_on).where(*counted_victims(scope)),
        ),
        (
            Detection.detected_on,
            select(Detection.detected_on)
            .join(Case, Case.id == Detection.case_id)
            .where(Detection.deleted_at.is_(None), *counted_cases(scope)),
        ),
    ):
        ends.append(base.order_by(column.asc()).limit(1).scalar_subquery())
        ends.append(base.order_by(column.desc()).limit(1).scalar_subquery())
    row = session.execute(select(*ends)).one()
    lows = [_year(v) for v in row[0::2] if v is not None]
    highs = [_year(v) for v in row[1::2] if v is not None]
    if not lows:
        return None, None
    return min(lows), max(highs)


def _year(value: date | str) -> int:
    # SQLite returns MIN() over a DATE column of a UNION as text.
    return value.year if isinstance(value, date) else int(str(value)[:4])
