"""JSON API of the route visualiser: aggregate flows and a summary, cacheable by ETag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.catalogs import RouteStage, Team
from app.db import SessionDep
from app.deps import CurrentPrincipal, SettingsDep
from app.errors import InvalidInput, NotAuthenticated, error_responses
from app.etag import encode_json, etag_response
from app.routes import service
from app.routes.disclosure import Disclosure
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


@dataclass(frozen=True)
class RouteCall:
    """One route query: the victims it counts and what the caller may see of the counts."""

    request: Request
    session: Session
    filter: RouteFilter
    disclosure: Disclosure


def route_call(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    from_year: FromYear = None,
    to_year: ToYear = None,
    team: TeamFilter = None,
) -> RouteCall:
    """The filter every route endpoint takes, and the caller's disclosure (exact or protected)."""
    disclosure = service.disclosure_for(principal.role, settings)
    return RouteCall(request, session, RouteFilter(from_year, to_year, team), disclosure)


@dataclass(frozen=True)
class FlowQuery:
    """The flows' own parameters, after the filter's in the OpenAPI document's order."""

    stage_from: RouteStage
    stage_to: RouteStage
    format: Literal["json", "geojson"]


def flow_query(
    stage_from: Annotated[
        RouteStage, Query(description="Stage the flows start at")
    ] = RouteStage.capture,
    stage_to: Annotated[
        RouteStage, Query(description="Stage the flows end at")
    ] = RouteStage.exploitation,
    format: Annotated[Literal["json", "geojson"], Query(description="json or geojson")] = "json",
) -> FlowQuery:
    """Which stages the flows join, and the answer's format."""
    return FlowQuery(stage_from, stage_to, format)


Routes = Annotated[RouteCall, Depends(route_call)]


@router.get(
    "",
    response_model=RoutesRead,
    responses={
        200: {"content": {"application/geo+json": {"example": GEOJSON_EXAMPLE}}},
        304: {"description": "Not modified (If-None-Match matched the ETag)"},
    },
)
def read_routes(call: Routes, flows: Annotated[FlowQuery, Depends(flow_query)]) -> Response:
    """Victims per flow between places (small flows left out); JSON or GeoJSON."""
    routes = service.compute_flows(
        call.session,
        call.filter,
        disclosure=call.disclosure,
        stage_from=flows.stage_from,
        stage_to=flows.stage_to,
    )
    if flows.format == "geojson":
        return etag_response(
            call.request, encode_json(service.routes_geojson(routes)), "application/geo+json"
        )
    return etag_response(call.request, encode_json(service.routes_json(routes)))


@router.get(
    "/summary",
    response_model=RoutesSummaryRead,
    responses={304: {"description": "Not modified (If-None-Match matched the ETag)"}},
)
def read_routes_summary(call: Routes) -> Response:
    """Top departments per stage, top foreign countries of capture, share crossing a border."""
    summary = service.compute_summary(call.session, call.filter, disclosure=call.disclosure)
    return etag_response(call.request, encode_json(summary.model_dump(mode="json")))
