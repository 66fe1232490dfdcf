"""Victim pages: register a victim in a case (profile, violence history, route, identity),
with its check for likely earlier records of the person before saving, and the victim's
page. The search page is app.victims.web.search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.cases.service import CASES
from app.cases.timeline import victim_entries
from app.catalogs import STAFF_ROLES
from app.db import SessionDep, today
from app.error_texts import error_text
from app.links.service import victim_links
from app.plans.service import PLANS
from app.scope import get_visible_case, get_visible_victim, visible_victims
from app.templating import row_range
from app.users.models import User
from app.victims import service
from app.victims.finding import Duplicates, intake_duplicates
from app.victims.models import Victim
from app.victims.schemas import VictimCreate
from app.victims.service import VIOLENCE_TYPES
from app.victims.validation import form_rules
from app.web.forms import (
    FIELD_OF_RULE,
    NOT_DATA,
    PostedForm,
    attempt,
    nested,
    parse_id,
    remap,
    values_of,
)
from app.web.once import single_use
from app.web.respond import redirect_to, render
from app.web.session import WebUser
from app.web.submit import form_page

router = APIRouter()
ROUTE_ROWS = 4
# The check step's "Continuar y registrar": save although likely duplicates were shown.
CONFIRM = "continuar"


def _defaults() -> dict[str, str]:
    values = {
        "intake_on": today().isoformat(),
        "nationality": "PE",
        "route.0.stage": "capture",
        "route.1.stage": "transit",
        "route.2.stage": "transit",
        "route.3.stage": "exploitation",
    }
    values.update({f"violence_history.{v}": "not_recorded" for v in VIOLENCE_TYPES})
    return values


def _form(request: Request, status: int = 200, **context: object) -> Response:
    """The registration form, with its route rows and violence questions."""
    return form_page(
        request,
        "victims/new.html",
        status,
        rows=row_range(context.get("values"), "route", ROUTE_ROWS),  # type: ignore[arg-type]
        violence=VIOLENCE_TYPES,
        **context,
    )


@router.get("/casos/{case_id}/victimas/nueva", name="victims:new")
def new_victim(request: Request, session: SessionDep, user: WebUser, case_id: str) -> Response:
    """The form to register a person attended in this case."""
    case = CASES.writable(session, user, parse_id(case_id))
    return _form(request, case=case, values=_defaults())


@router.post("/casos/{case_id}/victimas/nueva", name="victims:create")
@single_use
def create_victim(
    request: Request, session: SessionDep, user: WebUser, case_id: str, form: PostedForm
) -> Response:
    """Register the victim. Before saving, the first submit looks for likely earlier
    records of the person: when there are, the form comes back as typed with them above
    it (other teams' by case code and team only), and "Continuar y registrar" saves."""
    case = CASES.writable(session, user, parse_id(case_id))
    body, rows_of = nested(form, lists={"route": "country"}, skip=(*NOT_DATA, CONFIRM))
    checked = form.get(CONFIRM) == "1"

    def save() -> object:
        data = VictimCreate.model_validate(body)
        if not checked:
            found = intake_duplicates(session, user, service.intake_person(data))
            if found.items:
                return found
        return service.create_victim(session, case, data, actor=user, check_duplicates=False)

    result, errors = attempt(session, save)
    if errors:
        # Every problem in one round: the cross-field rules beside the fields' own.
        errors = {FIELD_OF_RULE[c]: error_text(c) for c in form_rules(body)} | errors
        return _form(request, 422, case=case, values=values_of(form), errors=remap(errors, rows_of))
    if isinstance(result, Duplicates):
        return _form(
            request,
            case=case,
            values=values_of(form, skip=(*NOT_DATA, CONFIRM, "password")),
            duplicates=result.items,
            withheld=result.withheld,
            opens=_own_records(session, user, result),
        )
    return redirect_to(request, "victims:detail", notice="creado", victim_id=result.id)


def _own_records(session: Session, user: User, found: Duplicates) -> dict[str, str]:
    """Victim code -> id of the duplicates the caller may open (their own teams')."""
    codes = [d.victim_code for d in found.items if d.victim_code]
    stmt = visible_victims(user).with_only_columns(Victim.code, Victim.id)
    return {code: str(vid) for code, vid in session.execute(stmt.where(Victim.code.in_(codes)))}


@router.get("/victimas/{victim_id}", name="victims:detail")
def victim_detail(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """A victim's profile, route, identity (for the team in charge) and the work on them."""
    vid = parse_id(victim_id)
    detail = service.get_victim_detail(session, user, vid)
    victim = get_visible_victim(session, user, vid)
    case = get_visible_case(session, user, victim.case_id)
    entries = sorted(
        victim_entries(session, user, victim, detail.code),
        key=lambda e: (e.on, e.at.timestamp() if e.at else 0.0),
    )
    plans, _ = PLANS.page(session, victim, limit=20)
    staff = user.role in STAFF_ROLES
    return render(
        request,
        "victims/detail.html",
        {
            "victim": detail,
            "case": case,
            "entries": entries,
            "plans": plans,
            "links": victim_links(session, user, victim)[0],
            "can_write": staff and case.status != "closed",
            "may_delete": staff,
            "may_correct": staff and case.status != "closed",
        },
    )
