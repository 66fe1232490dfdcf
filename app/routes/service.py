"""The route visualiser's data: flows and a summary, aggregated and protected.

`app.routes.queries` gives each cell's count and record-key sum; every count published here
passes `app.routes.disclosure` (exact for coordinators and admins, cell-key protected for
anyone else; see its docstring). Only places and counts are returned: no record id, code,
identity or free text is read or leaves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.catalogs import Role, RouteStage
from app.config import Settings
from app.errors import InvalidInput
from app.routes import queries
from app.routes.cellkey import Cell
from app.routes.disclosure import Disclosure
from app.routes.places import PERU, Place, country_label, department_name, place_of
from app.routes.queries import RouteFilter
from app.routes.schemas import FlowRead, PlaceCount, PlaceRead, RoutesRead, RoutesSummaryRead

TOP = 5
_STAGE_ORDER = {stage: i for i, stage in enumerate(RouteStage)}


def check_filter(
    flt: RouteFilter, stage_from: RouteStage | None = None, stage_to: RouteStage | None = None
) -> None:
    """422 for a filter that can match nothing by construction."""
    if flt.from_year is not None and flt.to_year is not None and flt.from_year > flt.to_year:
        raise InvalidInput("from", "year_range_reversed")
    if (
        stage_from is not None
        and stage_to is not None
        and _STAGE_ORDER[stage_from] > _STAGE_ORDER[stage_to]
    ):
        raise InvalidInput("stage_from", "stage_range_reversed")


def disclosure_for(role: Role, settings: Settings) -> Disclosure:
    """Exact counts for coordinators and admins, protected ones for anyone else."""
    return Disclosure.for_role(role, k=settings.suppression_k)


def _place_read(place: Place) -> PlaceRead:
    return PlaceRead(
        country=place.country, region=place.region, name=place.name, lat=place.lat, lon=place.lon
    )


def compute_flows(
    session: Session,
    flt: RouteFilter,
    *,
    disclosure: Disclosure,
    stage_from: RouteStage = RouteStage.capture,
    stage_to: RouteStage = RouteStage.exploitation,
) -> RoutesRead:
    """Flows as `disclosure` publishes them (largest first) and how many were left out."""
    check_filter(flt, stage_from, stage_to)
    cells: dict[tuple[Place, Place], Cell] = {}
    for (fc, fr, tc, tr), cell in queries.flow_cells(session, flt, stage_from, stage_to).items():
        # Two unknown departments can map to one place: merge, never publish twice. Each
        # victim has one flow, so the merged cells hold disjoint victims and add up.
        key = (place_of(fc, fr), place_of(tc, tr))
        cells[key] = cells.get(key, Cell()) + cell
    published = {key: disclosure.publish(cell) for key, cell in cells.items()}
    shown = sorted(
        ((key, n) for key, n in published.items() if n is not None),
        key=lambda item: (-item[1], item[0][0].name, item[0][1].name),
    )
    flows = [
        FlowRead(
            from_=_place_read(a),
            to=_place_read(b),
            victims=n,
            international=not (a.country == PERU and b.country == PERU),
        )
        for (a, b), n in shown
    ]
    return RoutesRead(k=disclosure.k, flows=flows, suppressed_flows=len(cells) - len(shown))


def top_places(cells: dict[str, Cell], disclosure: Disclosure, *, region: bool) -> list[PlaceCount]:
    """The TOP places by published count (ties by code), left-out cells never among them."""
    published = ((code, disclosure.publish(cell)) for code, cell in cells.items())
    kept = sorted(
        ((code, n) for code, n in published if n is not None), key=lambda item: (-item[1], item[0])
    )[:TOP]
    if region:
        return [PlaceCount(region=code, name=department_name(code), victims=n) for code, n in kept]
    return [PlaceCount(country=code, name=country_label(code), victims=n) for code, n in kept]


def compute_summary(
    session: Session, flt: RouteFilter, *, disclosure: Disclosure
) -> RoutesSummaryRead:
    """Top departments per stage, top foreign countries of capture, share crossing a border."""
    check_filter(flt)
    by_stage = queries.department_cells(session, flt)
    everyone, abroad = queries.border_crossing_cells(session, flt)
    return RoutesSummaryRead(
        k=disclosure.k,
        capture=top_places(by_stage[RouteStage.capture], disclosure, region=True),
        transit=top_places(by_stage[RouteStage.transit], disclosure, region=True),
        exploitation=top_places(by_stage[RouteStage.exploitation], disclosure, region=True),
        foreign_capture=top_places(
            queries.foreign_capture_cells(session, flt), disclosure, region=False
        ),
        international_share=disclosure.share(abroad, everyone),
    )


def routes_json(routes: RoutesRead) -> dict[str, Any]:
    """The flows as the API publishes them (JSON-ready)."""
    return routes.model_dump(mode="json", by_alias=True)


def routes_geojson(routes: RoutesRead) -> dict[str, Any]:
    """The same flows as a GeoJSON FeatureCollection of LineStrings ([lon, lat] order)."""
    features = []
    for flow in routes_json(routes)["flows"]:
        a, b = flow["from"], flow["to"]
        geometry = None
        if None not in (a["lat"], a["lon"], b["lat"], b["lon"]):
            geometry = {
                "type": "LineString",
                "coordinates": [[a["lon"], a["lat"]], [b["lon"], b["lat"]]],
            }
        features.append({"type": "Feature", "geometry": geometry, "properties": flow})
    return {
        "type": "FeatureCollection",
        "k": routes.k,
        "suppressed_flows": routes.suppressed_flows,
        "features": features,
    }
