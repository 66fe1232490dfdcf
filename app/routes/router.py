"""JSON API of the route visualiser: aggregate flows and a summary, cacheable by ETag."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.catalogs import RouteStage, Team
from app.db import SessionDep
from app.deps import CurrentPrincipal, SettingsDep
from app.errors import InvalidInput, NotAuthenticated, error_responses
from app.etag import encode_json, etag_response
from app.routes import service
from app.routes.queries import RouteFilter
from app.routes.schemas import GEOJSON_EXAMPLE, RoutesRead, RoutesSummaryRead

router = APIRouter(
    prefix="/api/v1/routes",
    tags=["routes"],
    responses=error_responses(NotAuthenticated, InvalidInput),
)

FromYear = Annotated[
    int | None, Query(alias="from", ge=1990, le=2100, description="First intake year (inclusive)")
]
ToYear = Annotated[
    int | None, Query(alias="to", ge=1990, le=2100, description="Last intake year (inclusive)")
]
TeamFilter = Annotated[Team | None, Query(description="Only victims of this team's cases")]


@router.get(
    "",
    response_model=RoutesRead,
    responses={
        200: {"content": {"application/geo+json": {"example": GEOJSON_EXAMPLE}}},
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
    },
)
def read_routes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    from_year: FromYear = None,
    to_year: ToYear = None,
    team: TeamFilter = None,
    stage_from: Annotated[
        RouteStage, Query(description="Stage the flows start at")
    ] = RouteStage.capture,
    stage_to: Annotated[
        RouteStage, Query(description="Stage the flows end at")
    ] = RouteStage.exploitation,
    format: Annotated[Literal["json", "geojson"], Query(description="json or geojson")] = "json",
) -> Response:
    """Victims per flow between places (small flows left out); JSON or GeoJSON."""
    routes = service.compute_flows(
        session,
        RouteFilter(from_year, to_year, team),
        disclosure=service.disclosure_for(principal.role, settings),
        stage_from=stage_from,
        stage_to=stage_to,
    )
    if format == "geojson":
        return etag_response(
            request, encode_json(service.routes_geojson(routes)), "application/geo+json"
        )
    return etag_response(request, encode_json(service.routes_json(routes)))


@router.get(
    "/summary",
    response_model=RoutesSummaryRead,
    responses={304: {"description": "Not modified (If-None-Match matched the ETag)"}},
)
def read_routes_summary(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    from_year: FromYear = None,
    to_year: ToYear = None,
    team: TeamFilter = None,
) -> Response:
    """Top departments per stage, top foreign countries of capture, share crossing a border."""
    summary = service.compute_summary(
        session,
        RouteFilter(from_year, to_year, team),
        disclosure=service.disclosure_for(principal.role, settings),
    )
    return etag_response(request, encode_json(summary.model_dump(mode="json")))
