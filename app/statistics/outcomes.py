"""Outcome indicators (Política Nacional, OP3): plan coverage and status, follow-up actions
(implemented ones by kind and type, as the report counts "acciones implementadas"; every one
by status), closures and referrals of the period.

In the same table shape as Tablas 10-18 (each group counting a unit of its own), so the CSV,
XLSX and HTML renderings serve it unchanged. Counting is done by the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.cases.models import Case
from app.catalogs import (
    LABELS,
    ActionStatus,
    ActionType,
    CloseReason,
    FollowUpKind,
    Institution,
    PlanStatus,
    ReferralOutcome,
)
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan
from app.referrals.models import Referral
from app.statistics.counting import (
    Scope,
    conditional_counts,
    counted_victims,
    in_span,
    team_filter,
    victims_from,
)
from app.statistics.schemas import CountRow, OutcomesTable, ReferralRow, UnitGroup
from app.statistics.tables import (
    INDICATORS,
    UNIT_LABELS,
    count_group,
    count_rows,
    shaped,
)
from app.victims.models import Victim


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


def outcomes(session: Session, scope: Scope) -> OutcomesTable:
    """Plan coverage and status, actions, closures and referrals for the period."""
    victims = counted_victims(scope)
    live_plan = and_(Plan.deleted_at.is_(None))
    with_plan = exists(select(Plan.id).where(Plan.victim_id == Victim.id, live_plan))
    cov = conditional_counts(session, victims_from().where(*victims), {"with_plan": with_plan})
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
    pc = conditional_counts(session, plan_base, {c: Plan.status == c for c in _codes(PlanStatus)})
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
            *in_span(FollowUp.occurred_on, scope),
            *team_filter(scope),
        )
    )
    # The report's "acciones implementadas" are the actions done: kinds and types count
    # those; every action recorded (planned and cancelled ones too) is counted by status.
    done = FollowUpAction.status == ActionStatus.done
    conditions: dict[str, ColumnElement[bool]] = {
        f"kind:{c}": and_(done, FollowUp.kind == c) for c in _codes(FollowUpKind)
    }
    conditions.update(
        {f"type:{c}": and_(done, FollowUpAction.type == c) for c in _codes(ActionType)}
    )
    conditions.update({f"status:{c}": FollowUpAction.status == c for c in _codes(ActionStatus)})
    ac = conditional_counts(session, action_base, conditions)
    implemented = ac[f"status:{ActionStatus.done}"]
    by_kind = _unit_group(
        "follow_up_kind",
        "Acciones implementadas por tipo de seguimiento",
        _rows("follow_up_kind", FollowUpKind),
        {c: ac[f"kind:{c}"] for c in _codes(FollowUpKind)},
        total=implemented,
        unit="actions",
    )
    by_type = _unit_group(
        "action_type",
        "Acciones implementadas por tipo de acción",
        _rows("action_type", ActionType),
        {c: ac[f"type:{c}"] for c in _codes(ActionType)},
        total=implemented,
        unit="actions",
    )
    by_status = _unit_group(
        "action_status",
        "Todas las acciones registradas por estado (implementadas, programadas y canceladas)",
        _rows("action_status", ActionStatus),
        {c: ac[f"status:{c}"] for c in _codes(ActionStatus)},
        total=ac["total"],
        unit="actions",
    )

    closed_base = (
        select()
        .select_from(Case)
        .where(
            Case.deleted_at.is_(None),
            Case.status == "closed",
            *in_span(Case.closed_on, scope),
            *team_filter(scope),
        )
    )
    cc = conditional_counts(
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
    groups = [coverage, plans, by_kind, by_type, by_status, closures, by_institution, by_outcome]
    return shaped(OutcomesTable, INDICATORS["outcomes"], scope, groups=groups)


def _referral_groups(
    session: Session, scope: Scope
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
            *in_span(Referral.referred_on, scope),
            *team_filter(scope),
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
