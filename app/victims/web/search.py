"""The "Buscar persona" page: by name (any part, any order, spelling variants), narrowed
by sex, birth year or age, or by document number. A POST: names never go in a URL."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep
from app.errors import RateLimited
from app.scope import ensure_case_reader
from app.victims import service
from app.victims.schemas import VictimSearch
from app.web.forms import NOT_DATA, PostedForm, attempt, nested, values_of
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter()
TEMPLATE = "victims/search.html"
LIMIT = 50


def _page(request: Request, status: int = 200, **context: object) -> Response:
    ctx = {"results": None, "errors": {}, "values": {}} | context
    return render(request, TEMPLATE, ctx, status=status)


@router.get("/victimas/buscar", name="victims:search")
def search_form(request: Request, user: WebUser) -> Response:
    """The search form (what is typed is posted, never put in a URL)."""
    ensure_case_reader(user)
    return _page(request)


@router.post("/victimas/buscar", name="victims:search:submit")
def search(request: Request, session: SessionDep, user: WebUser, form: PostedForm) -> Response:
    """Ranked victims of the caller's teams with why they matched, and strong matches in
    other teams by case code and team only (audited; past the hourly limit, a 429 page)."""
    ensure_case_reader(user)
    body, _ = nested(form, skip=NOT_DATA)
    values = values_of(form)
    try:
        found, errors = attempt(
            session,
            lambda: service.find_victims(
                session, user, VictimSearch.model_validate(body), limit=LIMIT, cursor=None
            ),
        )
    except RateLimited as exc:
        return _page(request, 429, values=values, errors={"__all__": str(exc.detail)})
    if errors:
        if "__all__" in errors:  # neither a name nor a document: said beside the name
            errors["name"] = errors.pop("__all__")
        return _page(request, 422, values=values, errors=errors)
    return _page(request, values=values, results=found)
