"""The counting queries: GROUP BY and conditional sums, one statement per table.

Everything is counted by the database (the same SQL on SQLite and PostgreSQL); Python only
receives a handful of totals. Deleted cases and victims, deleted detections and superseded
follow-ups never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    extract,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import Typology, ViolenceAnswer, ViolenceType
from app.detections.models import Detection
from app.victims.models import Victim


@dataclass(frozen=True)
class Scope:
    """What is counted: a span of years (inclusive; None = no data at all) and a team."""

    first: int | None
    last: int | None
    team: str | None = None

    def dates(self) -> tuple[date, date] | None:
        if self.first is None or self.last is None:
            return None
        return date(self.first, 1, 1), date(self.last, 12, 31)


def in_span(column: Any, scope: Scope) -> list[ColumnElement[bool]]:
    span = scope.dates()
    return [] if span is None else [column.between(span[0], span[1])]


def team_filter(scope: Scope) -> list[ColumnElement[bool]]:
    return [] if scope.team is None else [Case.team == scope.team]


def counted_cases(scope: Scope) -> list[ColumnElement[bool]]:
    return [Case.deleted_at.is_(None), *in_span(Case.opened_on, scope), *team_filter(scope)]


def counted_victims(scope: Scope) -> list[ColumnElement[bool]]:
    return [Victim.deleted_at.is_(None), Case.deleted_at.is_(None),
            *in_span(Victim.intake_on, scope), *team_filter(scope)]


def victims_from() -> Select[Any]:
    return select().select_from(Victim).join(Case, Case.id == Victim.case_id)


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def conditional_counts(session: Session, base: Select[Any],
                       conditions: dict[str, ColumnElement[bool]]) -> dict[str, int]:
    """One pass: COUNT(*) as "total" plus one SUM(CASE ...) per named condition."""
    names = list(conditions)
    stmt = base.add_columns(func.count().label("total"),
                            *(_count_if(conditions[n]).label(f"c{i}")
                              for i, n in enumerate(names)))
    row = session.execute(stmt).one()
    out = {"total": int(row.total)}
    out.update({n: int(row[i + 1]) for i, n in enumerate(names)})
    return out


def age_range_expr() -> ColumnElement[str]:
    """The age range at intake, as Tabla 12 groups it (mirrors catalogs.age_range_of)."""
    age = Victim.age_at_intake
    return case((age <= 10, "0_10"), (age <= 17, "11_17"), (age <= 25, "18_25"),
                (age <= 39, "26_39"), else_="40_plus")


def nationality_expr() -> ColumnElement[str]:
    return case((Victim.nationality == "PE", "peruvian"), else_="foreign")


def year_span(session: Session, team: str | None) -> tuple[int | None, int | None]:
    """Earliest and latest years holding any counted case, victim or detection."""
    scope = Scope(None, None, team)
    cases = select(func.min(Case.opened_on), func.max(Case.opened_on)).where(
        *counted_cases(scope))
    victims = victims_from().add_columns(
        func.min(Victim.intake_on), func.max(Victim.intake_on)).where(*counted_victims(scope))
    detections = (select(func.min(Detection.detected_on), func.max(Detection.detected_on))
                  .join(Case, Case.id == Detection.case_id)
                  .where(Detection.deleted_at.is_(None), *counted_cases(scope)))
    stmt = union_all(cases, victims, detections)
    lows, highs = [], []
    for low, high in session.execute(stmt):
        if low is not None:
            lows.append(_year(low))
            highs.append(_year(high))
    if not lows:
        return None, None
    return min(lows), max(highs)


def _year(value: date | str) -> int:
    # SQLite returns MIN() over a DATE column of a UNION as text.
    return value.year if isinstance(value, date) else int(str(value)[:4])


def cases_and_victims_by(session: Session, scope: Scope, key: str) -> dict[str, dict[Any, int]]:
    """Tablas 10 and 11 in one statement: cases and victims per team or per year."""
    if key == "team":
        case_key: Any = Case.team
        victim_key: Any = Case.team
    else:
        case_key = extract("year", Case.opened_on)
        victim_key = extract("year", Victim.intake_on)
    cases = (select(literal("cases").label("kind"), case_key.label("k"),
                    func.count().label("n"))
             .select_from(Case).where(*counted_cases(scope)).group_by(case_key))
    victims = (victims_from().add_columns(literal("victims").label("kind"),
                                          victim_key.label("k"), func.count().label("n"))
               .where(*counted_victims(scope)).group_by(victim_key))
    out: dict[str, dict[Any, int]] = {"cases": {}, "victims": {}}
    for kind, k, n in session.execute(union_all(cases, victims)):
        k = int(k) if key == "year" else str(k)
        out[str(kind)][k] = int(n)
    return out


def victim_profile(session: Session, scope: Scope) -> dict[str, int]:
    """Tabla 12 in one pass: sex, age range and nationality group."""
    age, nat = age_range_expr(), nationality_expr()
    conditions: dict[str, ColumnElement[bool]] = {}
    for code in ("female", "male"):
        conditions[f"sex:{code}"] = Victim.sex == code
    for code in ("0_10", "11_17", "18_25", "26_39", "40_plus"):
        conditions[f"age_range:{code}"] = age == code
    for code in ("peruvian", "foreign"):
        conditions[f"nationality:{code}"] = nat == code
    base = victims_from().where(*counted_victims(scope))
    return conditional_counts(session, base, conditions)


def by_column(session: Session, scope: Scope, column: Any, codes: list[str],
              *extra: ColumnElement[bool]) -> dict[str, int]:
    """Counted victims per code of `column` (plus total and `null`), in one pass."""
    conditions: dict[str, ColumnElement[bool]] = {c: column == c for c in codes}
    conditions["null"] = column.is_(None)
    base = victims_from().where(*counted_victims(scope), *extra)
    return conditional_counts(session, base, conditions)


def typology(session: Session, scope: Scope) -> dict[str, int]:
    return by_column(session, scope, Victim.typology, [t.value for t in Typology])


def trafficking_purpose(session: Session, scope: Scope, codes: list[str]) -> dict[str, int]:
    return by_column(session, scope, Victim.trafficking_purpose, codes,
                     Victim.typology == Typology.trafficking)


def capture_modality(session: Session, scope: Scope) -> dict[str, int]:
    """Tabla 15: trafficking victims by modality; every other recorded one is "other"."""
    modality = Victim.capture_modality
    conditions: dict[str, ColumnElement[bool]] = {
        "false_job_offer": modality == "false_job_offer",
        "ict": modality == "ict",
        "other": and_(modality.is_not(None), modality.not_in(["false_job_offer", "ict"])),
        "null": modality.is_(None),
    }
    base = victims_from().where(*counted_victims(scope), Victim.typology == Typology.trafficking)
    return conditional_counts(session, base, conditions)


def violence_column(kind: str) -> Any:
    return getattr(Victim, f"violence_{kind}")


def violence_history(session: Session, scope: Scope) -> dict[str, int]:
    """Tabla 16 in one pass: every (type, answer) pair, and victims with nothing recorded."""
    conditions: dict[str, ColumnElement[bool]] = {}
    for kind in ViolenceType:
        for answer in ViolenceAnswer:
            conditions[f"{kind.value}:{answer.value}"] = violence_column(kind) == answer
    conditions["none_recorded"] = and_(*(violence_column(k) == ViolenceAnswer.not_recorded
                                         for k in ViolenceType))
    conditions["any_unknown"] = or_(*(violence_column(k) == ViolenceAnswer.unknown
                                      for k in ViolenceType))
    base = victims_from().where(*counted_victims(scope))
    return conditional_counts(session, base, conditions)


def practices(session: Session, scope: Scope, polarity: str, codes: list[str]) -> dict[str, int]:
    """Tablas 17-18: detections of one polarity by category, in one pass."""
    conditions: dict[str, ColumnElement[bool]] = {c: Detection.category == c for c in codes}
    base = (select().select_from(Detection).join(Case, Case.id == Detection.case_id)
            .where(Detection.deleted_at.is_(None), Case.deleted_at.is_(None),
                   Detection.polarity == polarity, *in_span(Detection.detected_on, scope),
                   *team_filter(scope)))
    return conditional_counts(session, base, conditions)
