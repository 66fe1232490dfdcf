"""The counting queries of the published tables: GROUP BY and conditional sums, one
statement per table (or one for Tablas 12-16 together).

Everything is counted by the database (the same SQL on SQLite and PostgreSQL); Python only
receives a handful of totals. Deleted cases and victims, deleted detections and superseded
follow-ups never count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import Typology, ViolenceAnswer, ViolenceType
from app.detections.models import Detection
from app.statistics.counting import (
    Scope,
    conditional_counts,
    count_if,
    counted_cases,
    counted_victims,
    in_span,
    team_filter,
    victims_from,
)
from app.victims.models import Victim


def age_range_expr() -> ColumnElement[str]:
    """The age range at intake, as Tabla 12 groups it (mirrors catalogs.age_range_of)."""
    age = Victim.age_at_intake
    return case(
        (age <= 10, "0_10"),
        (age <= 17, "11_17"),
        (age <= 25, "18_25"),
        (age <= 39, "26_39"),
        else_="40_plus",
    )


def nationality_expr() -> ColumnElement[str]:
    return case((Victim.nationality == "PE", "peruvian"), else_="foreign")


CasesVictimsCounts = dict[str, dict[int | str, int]]  # "cases"/"victims" -> team or year -> n


def cases_and_victims_by(session: Session, scope: Scope, key: str) -> CasesVictimsCounts:
    """Tablas 10 and 11 in one statement: cases and victims per team or per year."""
    if key == "team":  # Tabla 10's región: the team that opened the case (transfers aside)
        case_key: Any = Case.opened_by_team
        victim_key: Any = Case.opened_by_team
    else:
        case_key = extract("year", Case.opened_on)
        victim_key = extract("year", Victim.intake_on)
    cases = (
        select(literal("cases").label("kind"), case_key.label("k"), func.count().label("n"))
        .select_from(Case)
        .where(*counted_cases(scope))
        .group_by(case_key)
    )
    victims = (
        victims_from()
        .add_columns(
            literal("victims").label("kind"), victim_key.label("k"), func.count().label("n")
        )
        .where(*counted_victims(scope))
        .group_by(victim_key)
    )
    out: CasesVictimsCounts = {"cases": {}, "victims": {}}
    for kind, k, n in session.execute(union_all(cases, victims)):
        k = int(k) if key == "year" else str(k)
        out[str(kind)][k] = int(n)
    return out


def profile_conditions() -> dict[str, ColumnElement[bool]]:
    age, nat = age_range_expr(), nationality_expr()
    conditions: dict[str, ColumnElement[bool]] = {}
    for code in ("female", "male"):
        conditions[f"sex:{code}"] = Victim.sex == code
    for code in ("0_10", "11_17", "18_25", "26_39", "40_plus"):
        conditions[f"age_range:{code}"] = age == code
    for code in ("peruvian", "foreign"):
        conditions[f"nationality:{code}"] = nat == code
    return conditions


def column_conditions(column: Any, codes: list[str]) -> dict[str, ColumnElement[bool]]:
    conditions: dict[str, ColumnElement[bool]] = {c: column == c for c in codes}
    conditions["null"] = column.is_(None)
    return conditions


def modality_conditions() -> dict[str, ColumnElement[bool]]:
    modality = Victim.capture_modality
    return {
        "false_job_offer": modality == "false_job_offer",
        "ict": modality == "ict",
        "other": and_(modality.is_not(None), modality.not_in(["false_job_offer", "ict"])),
        "null": modality.is_(None),
    }


def violence_conditions() -> dict[str, ColumnElement[bool]]:
    conditions: dict[str, ColumnElement[bool]] = {}
    for kind in ViolenceType:
        for answer in ViolenceAnswer:
            conditions[f"{kind.value}:{answer.value}"] = violence_column(kind) == answer
    conditions["none_recorded"] = and_(
        *(violence_column(k) == ViolenceAnswer.not_recorded for k in ViolenceType)
    )
    conditions["any_unknown"] = or_(
        *(violence_column(k) == ViolenceAnswer.unknown for k in ViolenceType)
    )
    return conditions


def victim_profile(session: Session, scope: Scope) -> dict[str, int]:
    """Tabla 12 in one pass: sex, age range and nationality group."""
    base = victims_from().where(*counted_victims(scope))
    return conditional_counts(session, base, profile_conditions())


def by_column(
    session: Session, scope: Scope, column: Any, codes: list[str], *extra: ColumnElement[bool]
) -> dict[str, int]:
    """Counted victims per code of `column` (plus total and `null`), in one pass."""
    base = victims_from().where(*counted_victims(scope), *extra)
    return conditional_counts(session, base, column_conditions(column, codes))


def typology(session: Session, scope: Scope) -> dict[str, int]:
    return by_column(session, scope, Victim.typology, [t.value for t in Typology])


def trafficking_purpose(session: Session, scope: Scope, codes: list[str]) -> dict[str, int]:
    return by_column(
        session, scope, Victim.trafficking_purpose, codes, Victim.typology == Typology.trafficking
    )


def capture_modality(session: Session, scope: Scope) -> dict[str, int]:
    """Tabla 15: trafficking victims by modality; every other recorded one is "other"."""
    base = victims_from().where(*counted_victims(scope), Victim.typology == Typology.trafficking)
    return conditional_counts(session, base, modality_conditions())


def violence_column(kind: str) -> Any:
    return getattr(Victim, f"violence_{kind}")


def violence_history(session: Session, scope: Scope) -> dict[str, int]:
    """Tabla 16 in one pass: every (type, answer) pair, and victims with nothing recorded."""
    base = victims_from().where(*counted_victims(scope))
    return conditional_counts(session, base, violence_conditions())


def victim_tables(
    session: Session, scope: Scope, purpose_codes: list[str]
) -> dict[str, dict[str, int]]:
    """Tablas 12-16 for the full report in ONE pass over the counted victims.

    The same counts as the five functions above (each a pass of its own): on a large
    database the report's cold time is the number of scans of victims x cases, so one
    scan instead of five is most of the cost.
    """
    trafficking = Victim.typology == Typology.trafficking
    parts: dict[str, tuple[ColumnElement[bool] | None, dict[str, ColumnElement[bool]]]] = {
        "12": (None, profile_conditions()),
        "13": (None, column_conditions(Victim.typology, [t.value for t in Typology])),
        "14": (trafficking, column_conditions(Victim.trafficking_purpose, purpose_codes)),
        "15": (trafficking, modality_conditions()),
        "16": (None, violence_conditions()),
    }
    names: list[tuple[str, str]] = []
    columns: list[ColumnElement[int]] = []
    for table, (extra, conditions) in parts.items():
        names.append((table, "total"))
        columns.append(func.count() if extra is None else count_if(extra))
        for name, condition in conditions.items():
            names.append((table, name))
            columns.append(count_if(condition if extra is None else and_(extra, condition)))
    stmt = (
        victims_from()
        .where(*counted_victims(scope))
        .add_columns(*(c.label(f"c{i}") for i, c in enumerate(columns)))
    )
    row = session.execute(stmt).one()
    out: dict[str, dict[str, int]] = {table: {} for table in parts}
    for (table, name), value in zip(names, row, strict=True):
        out[table][name] = int(value or 0)
    return out


def practices(session: Session, scope: Scope, polarity: str, codes: list[str]) -> dict[str, int]:
    """Tablas 17-18: detections of one polarity by category, in one pass."""
    conditions: dict[str, ColumnElement[bool]] = {c: Detection.category == c for c in codes}
    base = (
        select()
        .select_from(Detection)
        .join(Case, Case.id == Detection.case_id)
        .where(
            Detection.deleted_at.is_(None),
            Case.deleted_at.is_(None),
            Detection.polarity == polarity,
            *in_span(Detection.detected_on, scope),
            *team_filter(scope),
        )
    )
    return conditional_counts(session, base, conditions)
