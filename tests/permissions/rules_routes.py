"""Permission rules of the route visualiser API: every staff role and visualiser tokens."""

from __future__ import annotations

from tests.permissions.framework import Rule, everyone

RULES = [
    Rule("GET", "/api/v1/routes", everyone(200, visualiser=200)),
    Rule(
        "GET",
        "/api/v1/routes",
        everyone(200, visualiser=200),
        query=lambda w: {"format": "geojson", "team": w["team"]},
        note="geojson",
    ),
    Rule("GET", "/api/v1/routes/summary", everyone(200, visualiser=200)),
]
