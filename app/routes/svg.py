"""A schematic map of the published flows, drawn server-side as SVG shapes.

Equirectangular projection of a box around Peru and its neighbours; a place outside the
box (Chile's or Spain's centroid, say) is pinned to the box edge in its direction, so the
map still says where a route comes from. Input is the routes API output, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# lon west..east, lat north..south of the drawn box, and pixels per degree.
WEST, EAST, NORTH, SOUTH = -84.0, -58.0, 8.0, -24.0
SCALE = 20.0
MARGIN = 30.0
WIDTH = (EAST - WEST) * SCALE + 2 * MARGIN
HEIGHT = (NORTH - SOUTH) * SCALE + 2 * MARGIN
CENTRE = (-9.19, -75.02)  # Peru's centroid: the rays to far places start here
GRID_STEP = 4


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    name: str
    outside: bool
    label_x: float
    label_y: float
    anchor: str  # SVG text-anchor: "start" (label to the right) or "end"


def _point(x: float, y: float, name: str, outside: bool, placed: list[Point]) -> Point:
    """A point with its label set where it will not sit on a neighbour's (Lima, Callao)."""
    crowded = any(abs(p.x - x) < 14 and abs(p.y - y) < 14 for p in placed)
    if crowded:
        return Point(x, y, name, outside, x - 6, y + 14, "end")
    if x > WIDTH - 90:
        return Point(x, y, name, outside, x - 6, y - 6, "end")
    return Point(x, y, name, outside, x + 6, y - 6, "start")


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    victims: int
    international: bool
    loop: bool
    label: str


def _xy(lat: float, lon: float) -> tuple[float, float]:
    return (MARGIN + (lon - WEST) * SCALE, MARGIN + (NORTH - lat) * SCALE)


def project(lat: float | None, lon: float | None) -> tuple[float, float, bool] | None:
    """Pixel position of a place, and whether it was pinned to the edge (None if unknown)."""
    if lat is None or lon is None:
        return None
    if WEST <= lon <= EAST and SOUTH <= lat <= NORTH:
        x, y = _xy(lat, lon)
        return (round(x, 1), round(y, 1), False)
    c_lat, c_lon = CENTRE
    d_lat, d_lon = lat - c_lat, lon - c_lon
    # Largest step along the ray from the centre that stays inside the box.
    limits = []
    if d_lon:
        limits.append(((EAST if d_lon > 0 else WEST) - c_lon) / d_lon)
    if d_lat:
        limits.append(((NORTH if d_lat > 0 else SOUTH) - c_lat) / d_lat)
    t = min(limits)
    x, y = _xy(c_lat + t * d_lat, c_lon + t * d_lon)
    return (round(x, 1), round(y, 1), True)


def draw(routes: dict[str, Any]) -> dict[str, Any]:
    """Points, lines (width by victims) and grid lines for the template to render."""
    flows = routes["flows"]
    biggest = max((f["victims"] for f in flows), default=1)
    points: dict[tuple[str, str | None], Point] = {}
    lines: list[Line] = []
    for f in flows:
        ends = []
        for place in (f["from"], f["to"]):
            spot = project(place["lat"], place["lon"])
            if spot is None:
                break
            key = (place["country"], place.get("region"))
            if key not in points:
                points[key] = _point(
                    spot[0], spot[1], place["name"], spot[2], list(points.values())
                )
            ends.append(spot)
        if len(ends) < 2:
            continue  # a country without coordinates: still in the table beside the map
        (x1, y1, _), (x2, y2, _) = ends
        lines.append(
            Line(
                x1,
                y1,
                x2,
                y2,
                round(1.5 + 8.5 * f["victims"] / biggest, 1),
                f["victims"],
                f["international"],
                (x1, y1) == (x2, y2),
                f"{f['from']['name']} → {f['to']['name']}: {f['victims']}",
            )
        )
    lines.sort(key=lambda line: -line.width)  # thin lines on top stay visible
    grid_lon = [
        (round(_xy(0, lon)[0], 1), int(lon)) for lon in range(int(WEST), int(EAST) + 1, GRID_STEP)
    ]
    grid_lat = [
        (round(_xy(lat, 0)[1], 1), int(lat)) for lat in range(int(SOUTH), int(NORTH) + 1, GRID_STEP)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": list(points.values()),
        "lines": lines,
        "grid_lon": grid_lon,
        "grid_lat": grid_lat,
        "margin": MARGIN,
    }
