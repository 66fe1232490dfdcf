"""Plan pages: the new plan form (needs and goals; its route is app.work.new_web's) and the
periodic review of a plan, which moves its goals' statuses."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep, today
from app.plans import service as plans
from app.plans.schemas import PlanCreate, PlanReviewCreate
from app.web.forms import PostedForm, attempt, nested, parse_id, remap, values_of
from app.web.once import single_use
from app.web.respond import redirect_to, render
from app.web.session import WebUser
from app.work.forms import WorkForm

router = APIRouter()

NEW_FORM = WorkForm(
    "plans/new.html",
    lambda s, v, body, u: plans.create_plan(s, v, PlanCreate.model_validate(body), actor=u),
    lambda v, u: (
        {"assessed_on": today().isoformat(), "status": "drafted"}
        | {f"goals.{i}.status": "pending" for i in range(3)}
        | {f"needs.{i}.priority": "medium" for i in range(2)}
    ),
    {"needs": "dimension", "goals": "dimension"},
)


def _review_page(
    request: Request, plan: Any, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "plans/review.html",
        {"plan": plan, "values": values, "errors": errors},
        status=status,
    )


@router.get("/planes/{plan_id}/revision", name="work:review")
def review_form(request: Request, session: SessionDep, user: WebUser, plan_id: str) -> Response:
    """The form for a periodic review of a plan (moves its goals' statuses)."""
    plan = plans.PLANS.writable(session, user, parse_id(plan_id))
    values: dict[str, Any] = {"reviewed_on": today().isoformat()}
    for i, goal in enumerate(plan.goals):
        values[f"goals.{i}.goal_id"] = str(goal.id)
        values[f"goals.{i}.status"] = goal.status.value
    return _review_page(request, plan, values, {})


@router.post("/planes/{plan_id}/revision", name="work:review:submit")
@single_use
def review_submit(
    request: Request, session: SessionDep, user: WebUser, plan_id: str, form: PostedForm
) -> Response:
    """Record the review."""
    plan = plans.PLANS.writable(session, user, parse_id(plan_id))
    body, rows_of = nested(form, lists={"goals": "goal_id"})
    _, errors = attempt(
        session,
        lambda: plans.add_plan_review(
            session, plan, PlanReviewCreate.model_validate(body), actor=user
        ),
    )
    if errors:
        return _review_page(request, plan, values_of(form), remap(errors, rows_of), status=422)
    return redirect_to(request, "victims:detail", notice="creado", victim_id=plan.victim_id)
