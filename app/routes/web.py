"""The `/rutas` page: the flows exactly as the API gives them to the same person, on a map."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.catalogs import LABELS, RouteStage, Team
from app.db import SessionDep
from app.deps import SettingsDep
from app.errors import InvalidInput
from app.routes import service, svg
from app.routes.queries import RouteFilter
from app.web.forms import errors_of
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter(prefix="/rutas")
FIELDS = ("from", "to", "team", "stage_from", "stage_to")


def _filters(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """Raw filter values from the query string and a Spanish message per bad one."""
    raw = {name: request.query_params.get(name, "").strip() for name in FIELDS}
    raw["stage_from"] = raw["stage_from"] or RouteStage.capture.value
    raw["stage_to"] = raw["stage_to"] or RouteStage.exploitation.value
    errors: dict[str, str] = {}
    for name in ("from", "to"):
        if raw[name] and not (raw[name].isdigit() and 1990 <= int(raw[name]) <= 2100):
            errors[name] = "Escriba un año entre 1990 y 2100."
    if raw["team"] and raw["team"] not in LABELS["team"]:
        errors["team"] = "Elija un equipo de la lista."
    for name in ("stage_from", "stage_to"):
        if raw[name] not in LABELS["route_stage"]:
            errors[name] = "Elija una etapa de la lista."
    return raw, errors


@router.get("", name="routes:page")
def routes_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: WebUser
) -> Response:
    """Flows and summary of the routes, with the same counts as the API for this person."""
    raw, errors = _filters(request)
    disclosure = service.disclosure_for(user.role, settings)
    context: dict[str, Any] = {
        "user": user,
        "filters": raw,
        "errors": errors,
        "teams": LABELS["team"],
        "stages": LABELS["route_stage"],
        "routes": None,
        "summary": None,
        "exact_counts": disclosure.exact,
    }
    if not errors:
        flt = RouteFilter(
            int(raw["from"]) if raw["from"] else None,
            int(raw["to"]) if raw["to"] else None,
            Team(raw["team"]) if raw["team"] else None,
        )
        try:
            flows = service.compute_flows(
                session,
                flt,
                disclosure=disclosure,
                stage_from=RouteStage(raw["stage_from"]),
                stage_to=RouteStage(raw["stage_to"]),
            )
            summary = service.compute_summary(session, flt, disclosure=disclosure)
        except InvalidInput as exc:
            errors.update(errors_of(exc))
        else:
            routes = service.routes_json(flows)
            query = urlencode({k: v for k, v in raw.items() if v})
            context.update(
                routes=routes,
                map=svg.draw(routes),
                summary=summary.model_dump(mode="json"),
                json_url=f"/api/v1/routes?{query}",
                geojson_url=f"/api/v1/routes?{query}&format=geojson",
            )
    return render(request, "routes/page.html", context, status=422 if errors else 200)
