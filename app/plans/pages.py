"""A plan's own pages: everything it holds read back (needs, goals, every review with the
notes of each goal), and its edit form (status, dates, needs, goals) under the version
check. The new-plan and review forms are in app/plans/web.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.audit.service import record_narrative_read
from app.catalogs import STAFF_ROLES, CaseStatus
from app.db import SessionDep
from app.errors import StaleVersion
from app.plans import service as plans
from app.plans.models import Plan
from app.plans.schemas import PlanUpdate
from app.scope import get_visible_case
from app.users.models import User
from app.victims.service import VICTIMS
from app.web.forms import (
    PostedForm,
    StoredField,
    attempt,
    edit_conflict,
    nested,
    parse_id,
    remap,
    values_of,
)
from app.web.respond import redirect_to, render
from app.web.session import WebUser

router = APIRouter()
# What a person reads in the conflict panel for each stored field that differs.
STORED = {
    "assessed_on": StoredField("Fecha de la evaluación", is_date=True),
    "status": StoredField("Estado del plan", catalog="plan_status"),
    "next_review_on": StoredField("Próxima revisión", is_date=True),
}


def _context(session: Any, user: User, plan: Plan) -> dict[str, Any]:
    victim = VICTIMS.visible(session, user, plan.victim_id)
    case = get_visible_case(session, user, victim.case_id)
    writable = user.role in STAFF_ROLES and case.status != CaseStatus.closed
    return {"plan": plan, "victim": victim, "case": case, "can_write": writable}


@router.get("/planes/{plan_id}", name="plans:detail")
def plan_detail(request: Request, session: SessionDep, user: WebUser, plan_id: str) -> Response:
    """The plan as recorded, review by review (its free text read is audited)."""
    plan = plans.PLANS.visible(session, user, parse_id(plan_id))
    record_narrative_read(
        session, user, "plan", plan.id, ["needs", "goals", "reviews"], detail="plan_page"
    )
    goals = {goal.id: goal for goal in plan.goals}
    reviews = sorted(plan.reviews, key=lambda r: (r.reviewed_on, r.created_at), reverse=True)
    return render(
        request,
        "plans/detail.html",
        _context(session, user, plan) | {"goals": goals, "reviews": reviews},
    )


def _values(plan: Plan) -> dict[str, str]:
    values = {
        "version": str(plan.version),
        "assessed_on": plan.assessed_on.isoformat(),
        "status": plan.status.value,
        "next_review_on": plan.next_review_on.isoformat() if plan.next_review_on else "",
    }
    for i, need in enumerate(plan.needs):
        values |= {
            f"needs.{i}.dimension": need.dimension.value,
            f"needs.{i}.priority": need.priority.value,
            f"needs.{i}.description": need.description or "",
        }
    for i, goal in enumerate(plan.goals):
        values |= {
            f"goals.{i}.id": str(goal.id),
            f"goals.{i}.dimension": goal.dimension.value,
            f"goals.{i}.description": goal.description or "",
            f"goals.{i}.due_on": goal.due_on.isoformat() if goal.due_on else "",
            f"goals.{i}.status": goal.status.value,
        }
    return values


def _lists_changed(stored: dict[str, str], typed: dict[str, str]) -> list[tuple[str, str]]:
    """The needs and goals: said to have changed (the form shows the stored ones)."""
    out: list[tuple[str, str]] = []
    for prefix, text in (("needs.", "Necesidades"), ("goals.", "Metas")):
        mine = {k: v for k, v in typed.items() if k.startswith(prefix) and v}
        other = {k: v for k, v in stored.items() if k.startswith(prefix) and v}
        if mine != other:
            out.append((text, "cambiaron (se muestran las suyas en el formulario)"))
    return out


def _edit_page(
    request: Request, session: Any, user: User, plan: Plan, status: int = 200, **context: Any
) -> Response:
    return render(
        request,
        "plans/edit.html",
        _context(session, user, plan) | {"errors": {}} | context,
        status=status,
    )


@router.get("/planes/{plan_id}/editar", name="plans:edit")
def plan_edit(request: Request, session: SessionDep, user: WebUser, plan_id: str) -> Response:
    """The plan's status, dates, needs and goals as stored, to change."""
    plan = plans.PLANS.writable(session, user, parse_id(plan_id))
    return _edit_page(request, session, user, plan, values=_values(plan))


@router.post("/planes/{plan_id}/editar", name="plans:update")
def plan_update(
    request: Request, session: SessionDep, user: WebUser, plan_id: str, form: PostedForm
) -> Response:
    """Save: the needs listed replace the stored ones; goals are edited by id or added
    (never removed: a goal the reviews refer to is marked "Descartada")."""
    plan = plans.PLANS.writable(session, user, parse_id(plan_id))
    body, rows_of = nested(form, lists={"needs": "dimension", "goals": "dimension"})
    body.setdefault("needs", [])
    body.setdefault("next_review_on", None)
    typed = values_of(form)
    try:
        _, errors = attempt(
            session,
            lambda: plans.update_plan(session, plan, PlanUpdate.model_validate(body), actor=user),
        )
    except StaleVersion:
        session.refresh(plan)
        stored = _values(plan)
        more = _lists_changed(stored, typed)
        conflict = edit_conflict(stored, typed, STORED, more=more)
        return _edit_page(request, session, user, plan, 409, **conflict)
    if errors:
        values = typed
        return _edit_page(
            request, session, user, plan, 422, values=values, errors=remap(errors, rows_of)
        )
    return redirect_to(request, "plans:detail", notice="guardado", plan_id=plan.id)
