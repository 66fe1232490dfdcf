"""Indicators beyond the published tables: data quality and outcomes (Política Nacional, OP3).

Both come back in the same table shape as Tablas 10-18, so the CSV, XLSX and HTML
renderings serve them unchanged. Counting is done by the database, as for the tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, exists, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.cases.models import Case
from app.catalogs import (
    LABELS,
    ActionType,
    CloseReason,
    FollowUpKind,
    Institution,
    PlanStatus,
    ReferralOutcome,
    Team,
    Typology,
    ViolenceType,
)
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan
from app.referrals.models import Referral
from app.statistics import queries as q
from app.statistics.schemas import (
    Column,
    CountRow,
    DataQualityTable,
    OutcomesTable,
    QualityGroup,
    QualityRow,
    ReferralRow,
    UnitGroup,
)
from app.statistics.tables import (
    INDICATORS,
    UNIT_LABELS,
    count_group,
    count_rows,
    percent,
    shaped,
)
from app.victims.models import RouteLeg, Victim

ROUTE_TYPOLOGIES = ("trafficking", "sexual_exploitation", "forced_labour", "migrant_smuggling")
MISSING = ("unknown", "not_recorded")


QualityField = tuple[str, str, ColumnElement[bool], ColumnElement[bool]]


def _quality_fields() -> list[QualityField]:
    """(key, label, applies-to condition, missing condition) of each profile field."""
    everyone = Victim.id.is_not(None)
    trafficking = Victim.typology == Typology.trafficking
    has_legs = exists(select(RouteLeg.id).where(RouteLeg.victim_id == Victim.id))
    fields = [
        (
            "education_level",
            "Nivel educativo",
            everyone,
            or_(Victim.education_level.is_(None), Victim.education_level == "unknown"),
        ),
        ("disability", "Discapacidad", everyone, Victim.disability.is_(None)),
        (
            "migration_status",
            "Situación migratoria",
            everyone,
            or_(Victim.migration_status.is_(None), Victim.migration_status == "unknown"),
        ),
        (
            "trafficker_relation",
            "Relación con el tratante",
            everyone,
            or_(Victim.trafficker_relation.is_(None), Victim.trafficker_relation == "unknown"),
        ),
        (
            "capture_modality",
            "Modalidad de captación (trata)",
            trafficking,
            Victim.capture_modality.is_(None),
        ),
        (
            "route",
            "Ruta (trata, explotación, tráfico)",
            Victim.typology.in_(ROUTE_TYPOLOGIES),
            ~has_legs,
        ),
    ]
    for kind in ViolenceType:
        column = q.violence_column(kind)
        fields.append(
            (
                f"violence_{kind.value}",
                f"Violencia {LABELS['violence_type'][kind.value].lower()}",
                everyone,
                column.in_(MISSING),
            )
        )
    return fields


def data_quality(session: Session, scope: q.Scope) -> DataQualityTable:
    """Per team and intake year: share of victims with each profile field unknown or unrecorded."""
    fields = _quality_fields()
    year = extract("year", Victim.intake_on)
    columns: list[ColumnElement[Any]] = [
        Case.team.label("team"),
        year.label("year"),
        func.count().label("victims"),
    ]
    for i, (_, _, applies, missing) in enumerate(fields):
        columns.append(func.sum(case((applies, 1), else_=0)).label(f"d{i}"))
        columns.append(func.sum(case((and_(applies, missing), 1), else_=0)).label(f"m{i}"))
    stmt = (
        q.victims_from()
        .add_columns(*columns)
        .where(*q.counted_victims(scope))
        .group_by(Case.team, year)
    )
    cells: dict[tuple[str, int], Row[Any]] = {}
    for row in session.execute(stmt):
        cells[(str(row.team), int(row.year))] = row
    years = (
        []
        if scope.first is None or scope.last is None
        else list(range(scope.first, scope.last + 1))
    )
    teams = [t.value for t in Team if scope.team in (None, t.value)]
    groups = []
    sums: dict[int, dict[str, int]] = {y: {} for y in years}
    for team in teams:
        rows = []
        for y in years:
            cell = cells.get((team, y))
            counts = {"victims": int(cell.victims) if cell else 0}
            for i, (key, _, _, _) in enumerate(fields):
                counts[f"d:{key}"] = int(getattr(cell, f"d{i}") or 0) if cell else 0
                counts[f"m:{key}"] = int(getattr(cell, f"m{i}") or 0) if cell else 0
            for k, v in counts.items():
                sums[y][k] = sums[y].get(k, 0) + v
            rows.append(_quality_row(str(y), counts, fields))
        groups.append(_quality_group(team, LABELS["team"][team], rows))
    if scope.team is None:
        groups.append(
            _quality_group(
                "all", "Todos los equipos", [_quality_row(str(y), sums[y], fields) for y in years]
            )
        )
    keyed = [Column(key=key, label=label) for key, label, _, _ in fields]
    return shaped(DataQualityTable, INDICATORS["data-quality"], scope, columns=keyed, groups=groups)


def _quality_row(key: str, counts: dict[str, int], fields: list[QualityField]) -> QualityRow:
    names = [f[0] for f in fields]
    return QualityRow(
        key=key,
        label=key,
        total=counts.get("victims", 0),
        counts={n: counts.get(f"m:{n}", 0) for n in names},
        denominators={n: counts.get(f"d:{n}", 0) for n in names},
        percents={n: percent(counts.get(f"m:{n}", 0), counts.get(f"d:{n}", 0)) for n in names},
    )


def _quality_group(name: str, label: str, rows: list[QualityRow]) -> QualityGroup:
    return QualityGroup(
        name=name, label=label, rows=rows, total=sum(r.total for r in rows), not_recorded=0
    )


def _unit_group(
    name: str,
    label: str,
    rows: list[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    total: int,
    unit: str,
    not_recorded: int = 0,
) -> UnitGroup[CountRow]:
    """A group of `count` + `percent` rows counting `unit` (every code, zeros included)."""
    group = count_group(name, label, rows, counts, total=total, not_recorded=not_recorded)
    return UnitGroup[CountRow](**dict(group), unit=unit, unit_label=UNIT_LABELS[unit])


def _codes(enum: type[StrEnum]) -> list[str]:
    return [m.value for m in enum]


def _rows(catalog: str, enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(code, LABELS[catalog][code]) for code in _codes(enum)]


def outcomes(session: Session, scope: q.Scope) -> OutcomesTable:
    """Plan coverage and status, actions, closures and referrals for the period."""
    victims = q.counted_victims(scope)
    live_plan = and_(Plan.deleted_at.is_(None))
    with_plan = exists(select(Plan.id).where(Plan.victim_id == Victim.id, live_plan))
    cov = q.conditional_counts(session, q.victims_from().where(*victims), {"with_plan": with_plan})
    coverage = _unit_group(
        "plan_coverage",
        "Víctimas con plan de trabajo individual",
        [("with_plan", "Con plan"), ("without_plan", "Sin plan")],
        {"with_plan": cov["with_plan"], "without_plan": cov["total"] - cov["with_plan"]},
        total=cov["total"],
        unit="victims",
    )

    plan_base = (
        select()
        .select_from(Plan)
        .join(Victim, Victim.id == Plan.victim_id)
        .join(Case, Case.id == Victim.case_id)
        .where(live_plan, *victims)
    )
    pc = q.conditional_counts(session, plan_base, {c: Plan.status == c for c in _codes(PlanStatus)})
    plans = _unit_group(
        "plan_status",
        "Planes por estado",
        _rows("plan_status", PlanStatus),
        pc,
        total=pc["total"],
        unit="plans",
    )

    later = aliased(FollowUp)
    action_base = (
        select()
        .select_from(FollowUpAction)
        .join(FollowUp, FollowUp.id == FollowUpAction.follow_up_id)
        .join(Victim, Victim.id == FollowUp.victim_id)
        .join(Case, Case.id == Victim.case_id)
        .where(
            Victim.deleted_at.is_(None),
            Case.deleted_at.is_(None),
            ~exists(select(later.id).where(later.supersedes_id == FollowUp.id)),
            *q.in_span(FollowUp.occurred_on, scope),
            *q.team_filter(scope),
        )
    )
    conditions: dict[str, ColumnElement[bool]] = {
        f"kind:{c}": FollowUp.kind == c for c in _codes(FollowUpKind)
    }
    conditions.update({f"type:{c}": FollowUpAction.type == c for c in _codes(ActionType)})
    ac = q.conditional_counts(session, action_base, conditions)
    by_kind = _unit_group(
        "follow_up_kind",
        "Acciones por tipo de seguimiento",
        _rows("follow_up_kind", FollowUpKind),
        {c: ac[f"kind:{c}"] for c in _codes(FollowUpKind)},
        total=ac["total"],
        unit="actions",
    )
    by_type = _unit_group(
        "action_type",
        "Acciones por tipo de acción",
        _rows("action_type", ActionType),
        {c: ac[f"type:{c}"] for c in _codes(ActionType)},
        total=ac["total"],
        unit="actions",
    )

    closed_base = (
        select()
        .select_from(Case)
        .where(
            Case.deleted_at.is_(None),
            Case.status == "closed",
            *q.in_span(Case.closed_on, scope),
            *q.team_filter(scope),
        )
    )
    cc = q.conditional_counts(
        session, closed_base, {c: Case.close_reason == c for c in _codes(CloseReason)}
    )
    closures = _unit_group(
        "close_reason",
        "Casos cerrados por motivo",
        _rows("close_reason", CloseReason),
        cc,
        total=cc["total"],
        unit="cases",
    )
    by_institution, by_outcome = _referral_groups(session, scope)
    groups = [coverage, plans, by_kind, by_type, closures, by_institution, by_outcome]
    return shaped(OutcomesTable, INDICATORS["outcomes"], scope, groups=groups)


def _referral_groups(
    session: Session, scope: q.Scope
) -> tuple[UnitGroup[ReferralRow], UnitGroup[CountRow]]:
    """Referrals of the period by institution (with outcomes) and by outcome."""
    stmt = (
        select(Referral.institution, Referral.outcome, func.count())
        .join(Victim, Victim.id == Referral.victim_id)
        .join(Case, Case.id == Victim.case_id)
        .where(
            Referral.deleted_at.is_(None),
            Victim.deleted_at.is_(None),
            Case.deleted_at.is_(None),
            *q.in_span(Referral.referred_on, scope),
            *q.team_filter(scope),
        )
        .group_by(Referral.institution, Referral.outcome)
    )
    matrix: dict[str, dict[str, int]] = {}
    for institution, outcome, n in session.execute(stmt):
        cell = matrix.setdefault(str(institution), {})
        key = str(outcome) if outcome is not None else "not_recorded"
        cell[key] = cell.get(key, 0) + int(n)
    total = sum(sum(c.values()) for c in matrix.values())
    per_institution = {i: sum(c.values()) for i, c in matrix.items()}
    per_outcome: dict[str, int] = {}
    for c in matrix.values():
        for k, n in c.items():
            per_outcome[k] = per_outcome.get(k, 0) + n
    outcome_codes = [*_codes(ReferralOutcome), "not_recorded"]
    by_institution = UnitGroup[ReferralRow](
        name="referral_institution",
        label="Derivaciones por institución",
        rows=[
            ReferralRow(
                **dict(row),
                outcomes={o: matrix.get(row.key, {}).get(o, 0) for o in outcome_codes},
            )
            for row in count_rows(_rows("institution", Institution), per_institution, total)
        ],
        total=total,
        unit="referrals",
        unit_label=UNIT_LABELS["referrals"],
    )
    by_outcome = _unit_group(
        "referral_outcome",
        "Derivaciones por resultado",
        _rows("referral_outcome", ReferralOutcome),
        per_outcome,
        total=total,
        not_recorded=per_outcome.get("not_recorded", 0),
        unit="referrals",
    )
    return by_institution, by_outcome
