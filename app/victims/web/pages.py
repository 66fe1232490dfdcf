"""Victim pages: register a victim in a case (profile, violence history, route, identity),
the victim's page, and the search by document number (a POST: never in a URL)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.cases.service import CASES
from app.cases.timeline import victim_entries
from app.catalogs import STAFF_ROLES
from app.db import SessionDep, today
from app.links.service import victim_links
from app.plans.service import PLANS
from app.scope import ensure_case_reader, get_visible_case, get_visible_victim
from app.victims import service
from app.victims.schemas import VictimCreate
from app.victims.service import VIOLENCE_TYPES
from app.web.forms import PostedForm, attempt, nested, parse_id, remap, values_of
from app.web.once import made, single_use
from app.web.respond import redirect_to, render
from app.web.session import WebUser
from app.web.submit import form_page

router = APIRouter()
ROUTE_ROWS = 4


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
        rows=range(ROUTE_ROWS),
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
    """Register the victim; same-document victims elsewhere are named by case code only."""
    case = CASES.writable(session, user, parse_id(case_id))
    body, rows_of = nested(form, lists={"route": "country"})
    created, errors = attempt(
        session,
        lambda: service.create_victim(session, case, VictimCreate.model_validate(body), actor=user),
    )
    if errors:
        return _form(request, 422, case=case, values=values_of(form), errors=remap(errors, rows_of))
    if created.possible_duplicates:
        made(request, str(request.url_for("victims:detail", victim_id=created.id).path))
        return render(
            request,
            "victims/duplicates.html",
            {"victim": created, "duplicates": created.possible_duplicates},
        )
    return redirect_to(request, "victims:detail", notice="creado", victim_id=created.id)


@router.get("/victimas/buscar", name="victims:search")
def search_form(request: Request, user: WebUser) -> Response:
    """Search by document number (the number is posted, never put in a URL)."""
    ensure_case_reader(user)
    return render(request, "victims/search.html", {"results": None, "errors": {}})


@router.post("/victimas/buscar", name="victims:search:submit")
def search(request: Request, session: SessionDep, user: WebUser, form: PostedForm) -> Response:
    """Victims of the caller's teams holding exactly that document number."""
    number = str(form.get("document_number") or "").strip()[:40]
    if not number:
        return render(
            request,
            "victims/search.html",
            {"results": None, "errors": {"document_number": "Escriba el número."}},
            status=422,
        )
    results, _ = service.search_victims(session, user, number, limit=50)
    return render(request, "victims/search.html", {"results": results, "errors": {}})


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
