"""The route visualiser's data: flows and a summary, aggregated and suppressed.

Everything published here comes from `app.routes.queries` (aggregates only) and passes
`app.routes.suppression` (see its docstring for the rule). No record id, code, identity
or free text is ever read, so none can leave.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.catalogs import RouteStage
from app.errors import InvalidInput
from app.routes import queries
from app.routes.places import PERU, Place, country_label, department_name, place_of
from app.routes.queries import RouteFilter
from app.routes.schemas import FlowRead, PlaceCount, PlaceRead, RoutesRead, RoutesSummaryRead
from app.routes.suppression import differs_little, safe_share, suppress_cells

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


def _place_read(place: Place) -> PlaceRead:
    return PlaceRead(
        country=place.country, region=place.region, name=place.name, lat=place.lat, lon=place.lon
    )


def compute_flows(
    session: Session,
    flt: RouteFilter,
    *,
    k: int,
    stage_from: RouteStage = RouteStage.capture,
    stage_to: RouteStage = RouteStage.exploitation,
) -> RoutesRead:
    """Flows with at least k victims, after complementary suppression; largest first."""
    check_filter(flt, stage_from, stage_to)

    def flow_cells(f: RouteFilter) -> dict[tuple[Place, Place], int]:
        cells: dict[tuple[Place, Place], int] = {}
        for row in queries.flow_counts(session, f, stage_from, stage_to):
            key = (
                place_of(row.from_country, row.from_region),
                place_of(row.to_country, row.to_region),
            )
            # Two unknown departments can map to one place: merge, never publish twice.
            cells[key] = cells.get(key, 0) + row.victims
        return cells

    cells = flow_cells(flt)
    wider = [flow_cells(f) for f in flt.wider()]
    groups: dict[tuple[str, Place], list[tuple[Place, Place]]] = {}
    for key in cells:
        groups.setdefault(("from", key[0]), []).append(key)
        groups.setdefault(("to", key[1]), []).append(key)
    hidden = suppress_cells(cells, k, groups.values(), wider)
    shown = sorted(
        (key for key in cells if key not in hidden),
        key=lambda key: (-cells[key], key[0].name, key[1].name),
    )
    flows = [
        FlowRead(
            from_=_place_read(a),
            to=_place_read(b),
            victims=cells[(a, b)],
            international=not (a.country == PERU and b.country == PERU),
        )
        for a, b in shown
    ]
    return RoutesRead(k=k, flows=flows, suppressed_flows=len(hidden))


def _top(
    counts: dict[str, int], k: int, wider: list[dict[str, int]], *, region: bool
) -> list[PlaceCount]:
    hidden = differs_little(counts, k, wider)
    kept = [(code, n) for code, n in counts.items() if n >= k and code not in hidden]
    kept.sort(key=lambda item: (-item[1], item[0]))
    if region:
        return [
            PlaceCount(region=code, name=department_name(code), victims=n) for code, n in kept[:TOP]
        ]
    return [PlaceCount(country=code, name=country_label(code), victims=n) for code, n in kept[:TOP]]


def compute_summary(session: Session, flt: RouteFilter, *, k: int) -> RoutesSummaryRead:
    """Top departments per stage, top foreign countries of capture, share crossing a border."""
    check_filter(flt)
    by_stage = queries.department_counts(session, flt)
    wider_stage = [queries.department_counts(session, f) for f in flt.wider()]
    foreign = queries.foreign_capture_counts(session, flt)
    wider_foreign = [queries.foreign_capture_counts(session, f) for f in flt.wider()]
    total, abroad = queries.border_crossing_counts(session, flt)

    def stage_top(stage: RouteStage) -> list[PlaceCount]:
        return _top(by_stage[stage], k, [w[stage] for w in wider_stage], region=True)

    return RoutesSummaryRead(
        k=k,
        capture=stage_top(RouteStage.capture),
        transit=stage_top(RouteStage.transit),
        exploitation=stage_top(RouteStage.exploitation),
        foreign_capture=_top(foreign, k, wider_foreign, region=False),
        international_share=safe_share(abroad, total, k),
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
