"""The post/redirect/get of a victim's record form that returns to the victim's records page
(protection measures, consents, revocations): the form again as typed (422), or with a
conflict explained (409) where the record kind has one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.errors import Conflict
from app.web.forms import attempt, nested, values_of
from app.web.respond import redirect_to, render


def form_page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A record form; `errors` is empty unless the context gives them."""
    return render(request, template, {"errors": {}} | context, status=status)


def submit_record(
    request: Request,
    session: Session,
    form: FormData,
    template: str,
    save: Callable[[dict[str, Any]], object],
    *,
    victim_id: object,
    notice: str,
    on_conflict: Callable[[Conflict], tuple[dict[str, Any], dict[str, str]]] | None = None,
    **context: Any,
) -> Response:
    """Save the posted record and go to the victim's records; else the form again, as typed
    (422), or with the conflict explained (409) where the record kind has one."""
    body, _ = nested(form)
    try:
        _, errors = attempt(session, lambda: save(body))
    except Conflict as exc:
        if on_conflict is None:
            raise
        values, errors = on_conflict(exc)
        return form_page(request, template, 409, values=values, errors=errors, **context)
    if errors:
        return form_page(request, template, 422, values=values_of(form), errors=errors, **context)
    return redirect_to(request, "victims:records", notice=notice, victim_id=victim_id)
