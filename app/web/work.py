"""Forms for the work on a victim: follow-ups (with actions), plans (needs and goals),
plan reviews and referrals. Each reuses its domain's schema and service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.db import SessionDep, today
from app.followups import service as followups
from app.followups.schemas import FollowUpCreate
from app.plans import service as plans
from app.plans.schemas import PlanCreate, PlanReviewCreate
from app.referrals import service as referrals
from app.referrals.schemas import ReferralCreate
from app.scope import get_visible_victim
from app.users.models import User
from app.web.forms import PostedForm, attempt, known, nested, parse_id, remap, values_of
from app.web.respond import redirect_to, render
from app.web.session import WebUser

router = APIRouter()


@dataclass(frozen=True)
class WorkForm:
    template: str
    save: Callable[[Session, Any, dict[str, Any], User], Any]
    defaults: Callable[[Any], dict[str, Any]]
    lists: dict[str, str] = field(default_factory=dict)


def _today(*_: Any) -> str:
    return today().isoformat()


FORMS = {
    "seguimientos": WorkForm(
        "work/follow_up.html",
        lambda s, v, body, u: followups.create_follow_up(
            s, v, FollowUpCreate.model_validate(body), actor=u
        ),
        lambda v: (
            {"occurred_on": _today(), "kind": "psychological"}
            | {f"actions.{i}.status": "done" for i in range(3)}
        ),
        {"actions": "type"},
    ),
    "planes": WorkForm(
        "work/plan.html",
        lambda s, v, body, u: plans.create_plan(s, v, PlanCreate.model_validate(body), actor=u),
        lambda v: (
            {"assessed_on": _today(), "status": "drafted"}
            | {f"goals.{i}.status": "pending" for i in range(3)}
            | {f"needs.{i}.priority": "medium" for i in range(2)}
        ),
        {"needs": "dimension", "goals": "dimension"},
    ),
    "derivaciones": WorkForm(
        "work/referral.html",
        lambda s, v, body, u: referrals.create_referral(
            s, v, ReferralCreate.model_validate(body), actor=u
        ),
        lambda v: {"referred_on": _today(), "direction": "out"},
    ),
}


def _victim_for(session: Session, user: User, victim_id: str, *, write: bool) -> Any:
    vid = parse_id(victim_id)
    if write:
        return followups.get_writable_victim(session, user, vid)
    return get_visible_victim(session, user, vid)


def _page(
    request: Request,
    spec: WorkForm,
    victim: Any,
    kind: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return render(
        request,
        spec.template,
        {"victim": victim, "kind": kind, "values": values, "errors": errors},
        status=status,
    )


@router.get("/victimas/{victim_id}/{kind}/nuevo", name="work:new")
def new_work(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, kind: str
) -> Response:
    """The form for a follow-up, a plan or a referral of this victim."""
    spec = known(FORMS, kind)
    victim = _victim_for(session, user, victim_id, write=True)
    return _page(request, spec, victim, kind, spec.defaults(victim), {})


@router.post("/victimas/{victim_id}/{kind}/nuevo", name="work:create")
def create_work(
    request: Request,
    session: SessionDep,
    user: WebUser,
    victim_id: str,
    kind: str,
    form: PostedForm,
) -> Response:
    """Save it and go back to the victim's page (errors: the form again, as typed)."""
    spec = known(FORMS, kind)
    victim = _victim_for(session, user, victim_id, write=True)
    body, rows_of = nested(form, lists=spec.lists)
    _, errors = attempt(session, lambda: spec.save(session, victim, body, user))
    if errors:
        return _page(
            request, spec, victim, kind, values_of(form), remap(errors, rows_of), status=422
        )
    return redirect_to(request, "victims:detail", notice="creado", victim_id=victim.id)


def _review_page(
    request: Request, plan: Any, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    return render(
        request,
        "work/review.html",
        {"plan": plan, "values": values, "errors": errors},
        status=status,
    )


@router.get("/planes/{plan_id}/revision", name="work:review")
def review_form(request: Request, session: SessionDep, user: WebUser, plan_id: str) -> Response:
    """The form for a periodic review of a plan (moves its goals' statuses)."""
    plan = plans.get_writable_plan(session, user, parse_id(plan_id))
    values: dict[str, Any] = {"reviewed_on": _today()}
    for i, goal in enumerate(plan.goals):
        values[f"goals.{i}.goal_id"] = str(goal.id)
        values[f"goals.{i}.status"] = goal.status.value
    return _review_page(request, plan, values, {})


@router.post("/planes/{plan_id}/revision", name="work:review:submit")
def review_submit(
    request: Request, session: SessionDep, user: WebUser, plan_id: str, form: PostedForm
) -> Response:
    """Record the review."""
    plan = plans.get_writable_plan(session, user, parse_id(plan_id))
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
