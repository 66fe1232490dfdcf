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
from app.catalogs import Role, Team
from app.db import Base, EncryptedText
from app.demo.loader import load_demo
from tests.factories import make_case, make_user, make_victim
from tests.routes.builders import LIMA, MDD, flow

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
    """Identity values, free text, ids and codes of every table, decrypted."""
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        cols = [
            c
            for c in table.columns
            if isinstance(c.type, EncryptedText)
            or c.name in ("id", "code", "external_id")
            or c.name.endswith("_id")
            or (table.name == "victim_identities" and isinstance(c.type, String))
        ]
        if not cols:
            continue
        for row in db.execute(select(*cols)):
            for value in row:
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
    # The demo facts first (one demo load serves both checks), then the marked people.
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
