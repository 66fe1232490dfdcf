"""Nothing about a person leaves the routes; the demo data shows the published route facts."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import String, select
from sqlalchemy.orm import Session

import app.models  # noqa: F401  (every table in the metadata)
from app.catalogs import Role, RouteStage, Team
from app.db import Base, EncryptedText
from app.demo.loader import load_demo
from app.routes import queries
from app.routes.cellkey import MAX_NOISE, SCALE
from app.routes.queries import RouteFilter
from app.routes.service import TOP, compute_flows, compute_summary
from app.victims.models import Victim
from tests.factories import make_case, make_user, make_victim
from tests.routes.builders import LIMA, MDD, exact, flow, protected

# Every way the routes may be asked, in every format.
REQUESTS = [
    ("/api/v1/routes", {}),
    ("/api/v1/routes", {"format": "geojson"}),
    ("/api/v1/routes", {"stage_from": "capture", "stage_to": "transit"}),
    ("/api/v1/routes", {"stage_from": "transit", "stage_to": "exploitation", "format": "geojson"}),
    ("/api/v1/routes", {"stage_from": "capture", "stage_to": "capture"}),
    ("/api/v1/routes", {"from": 2024, "to": 2024, "team": "lima"}),
    ("/api/v1/routes/summary", {}),
    ("/api/v1/routes/summary", {"team": "loreto", "from": 2023, "to": 2025}),
    ("/rutas", {}),
]


def _strings(value: Any) -> list[str]:
    """Every string (keys included) inside a decoded JSON value."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def _secrets(db: Session) -> set[str]:
    """Identity values, free text, ids, codes and record keys of every table, decrypted."""
    values: list[object] = []
    for table in Base.metadata.sorted_tables:
        cols = [
            c
            for c in table.columns
            if c.name in ("id", "code", "external_id")
            or c.name.endswith("_id")
            or (table.name == "victim_identities" and isinstance(c.type, String))
        ]
        if cols:
            values += [value for row in db.execute(select(*cols)) for value in row]
    # Encrypted columns are read through their models: the attribute named after the column
    # gives the plaintext.
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        names = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if names:
            values += [
                getattr(o, name) for o in db.scalars(select(mapper.class_)) for name in names
            ]
    # Record keys are never sent out either (those long enough not to match a count).
    values += [str(key) for key in db.scalars(select(Victim.route_key)) if key >= 10**5]
    found: set[str] = set()
    for value in values:
        if isinstance(value, uuid.UUID):
            found |= {str(value), value.hex}
        elif isinstance(value, str) and value.strip():
            found.add(value.strip())
    return found


def _add_marked_people(db: Session) -> None:
    """A published-size flow of people whose every identifying field is distinctive."""
    case = make_case(
        db,
        team=Team.lima,
        opened_on=date(2019, 5, 2),  # no demo case in 2019
        summary="Resumen confidencial Zyxwvu de prueba",
    )
    for i in range(6):
        make_victim(
            db,
            case=case,
            route=flow(LIMA, MDD),
            identity={
                "given_names": f"Qwertina{i}",
                "family_names": f"Asdfgh Jklmn{i}",
                "document_number": f"4455667{i}",
                "phone": f"+51 987 654 32{i}",
                "address": f"Calle Inventada {i}00",
            },
        )


@pytest.fixture
def demo(db: Session) -> Session:
    result = load_demo(db, fast_hash=True)
    assert result.loaded
    return db


def test_demo_route_facts_and_nothing_personal_leaves_the_routes(demo, login_as):
    # The demo facts first (one demo load serves these checks), then the marked people.
    # The demo's bulk insert draws every victim's record key like any other insert.
    keys = list(demo.scalars(select(Victim.route_key)))
    assert len(keys) > 300 and all(0 <= key < SCALE for key in keys)
    assert len(set(keys)) >= len(keys) - 2, "record keys must be random, not shared"
    check_demo_route_facts(login_as(make_user(demo, role=Role.lawyer)))
    _add_marked_people(demo)
    secrets_ = _secrets(demo)
    assert any(s.startswith("Qwertina") for s in secrets_)  # the scan would see them
    assert any(s.startswith("LIM-") for s in secrets_)
    client = login_as(make_user(demo, role=Role.coordinator))
    published: list[str] = []
    for path, params in REQUESTS:
        resp = client.get(path, params=params)
        assert resp.status_code == 200, (path, params, resp.text[:200])
        if path.startswith("/api/"):
            body = resp.json()
            published += _strings(body)
            published += [resp.text, resp.headers.get("etag", "")]
        else:
            published.append(resp.text)
    assert len(published) > 100  # the responses are not empty: the scan means something
    everything = "\x00".join(published)  # one haystack: the scan stays fast
    exact = set(published)
    leaks = {s for s in secrets_ if (s in everything if len(s) >= 4 else s in exact)}
    assert not leaks, sorted(leaks)[:10]


def check_demo_route_facts(client) -> None:
    """Acceptance: top capture Lima, Loreto, Puno; top exploitation Lima, Madre de Dios,
    Cusco; international routes present (default k = 5)."""
    summary = client.get("/api/v1/routes/summary").json()
    assert summary["k"] == 5
    assert [p["name"] for p in summary["capture"][:3]] == ["Lima", "Loreto", "Puno"]
    assert [p["name"] for p in summary["exploitation"][:3]] == ["Lima", "Madre de Dios", "Cusco"]
    assert summary["foreign_capture"] and summary["international_share"] > 0
    routes = client.get("/api/v1/routes").json()
    international = [f for f in routes["flows"] if f["international"]]
    assert len(international) >= 3, json.dumps(routes)[:500]
    assert all(f["victims"] >= 5 for f in routes["flows"])


def test_demo_summary_2023_to_2025_shows_the_report_top_three(demo, login_as):
    """The bug: Lima (72), Loreto (56) and Puno (42) were hidden for 2023-2025 (each within
    k of its all-years figure) and six-victim departments listed as the top instead."""
    params = {"from": 2023, "to": 2025}
    staff = login_as(make_user(demo, role=Role.lawyer))
    capture = staff.get("/api/v1/routes/summary", params=params).json()["capture"]
    assert [p["name"] for p in capture[:3]] == ["Lima", "Loreto", "Puno"], capture
    for place, true in zip(capture, (72, 56, 42), strict=False):
        assert abs(place["victims"] - true) <= MAX_NOISE
    coordinator = login_as(make_user(demo, role=Role.coordinator))
    capture = coordinator.get("/api/v1/routes/summary", params=params).json()["capture"]
    assert [(p["name"], p["victims"]) for p in capture[:3]] == [
        ("Lima", 72),
        ("Loreto", 56),
        ("Puno", 42),
    ]


FILTERS = [
    RouteFilter(),
    RouteFilter(2023, 2025),
    RouteFilter(2024, 2024),
    RouteFilter(to_year=2022),
    *(RouteFilter(team=team) for team in Team),
    RouteFilter(2023, 2025, Team.lima),
]


def held_ranks(sizes: dict[str, int], published: list[str], k: int) -> tuple[int, int]:
    """(ranks whose exact gaps to both neighbours exceed 2 x the noise, those of them where
    the published list has the same place); only cells of k or more rank."""
    ranked = sorted((c for c, n in sizes.items() if n >= k), key=lambda c: (-sizes[c], c))
    clear = held = 0
    for rank, code in enumerate(ranked[:TOP]):
        neighbours = ranked[rank - 1 : rank] + ranked[rank + 1 : rank + 2]
        if all(abs(sizes[code] - sizes[other]) > 2 * MAX_NOISE for other in neighbours):
            clear += 1
            held += published[rank] == code
    return clear, held


def test_demo_every_large_flow_published_and_clear_top_ranks_kept(demo):
    """Measured on the demo data, protected against exact, for many filters: (c) every flow
    of k or more victims is published; (b) a top-5 rank whose gaps exceed 4 never moves."""
    safe, clear, held, large = protected(), 0, 0, 0
    for flt in FILTERS:
        for stages in (
            (RouteStage.capture, RouteStage.exploitation),
            (RouteStage.capture, RouteStage.transit),
        ):
            everything = compute_flows(
                demo, flt, disclosure=exact(), stage_from=stages[0], stage_to=stages[1]
            )
            shown = compute_flows(
                demo, flt, disclosure=safe, stage_from=stages[0], stage_to=stages[1]
            )
            big = {(f.from_.name, f.to.name) for f in everything.flows if f.victims >= 5}
            assert {(f.from_.name, f.to.name) for f in shown.flows} == big, flt
            assert shown.suppressed_flows == len(everything.flows) - len(big)
            large += len(big)
        summary = compute_summary(demo, flt, disclosure=safe)
        by_stage = queries.department_cells(demo, flt)
        for stage in RouteStage:
            sizes = {code: cell.count for code, cell in by_stage[stage].items()}
            published = [p.region or "" for p in getattr(summary, stage.value)]
            c, h = held_ranks(sizes, published, 5)
            clear, held = clear + c, held + h
        foreign = {
            code: cell.count for code, cell in queries.foreign_capture_cells(demo, flt).items()
        }
        c, h = held_ranks(foreign, [p.country or "" for p in summary.foreign_capture], 5)
        clear, held = clear + c, held + h
    assert large > 100 and clear > 40  # both properties were exercised
    assert held == clear
