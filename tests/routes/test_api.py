"""The routes endpoints over HTTP: who counts, formats, summary, ETag, CORS, bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.catalogs import Role
from app.db import utcnow
from app.deps import Principal, get_principal
from app.main import create_app
from tests.conftest import make_settings
from tests.factories import make_user
from tests.routes.builders import (
    CUSCO,
    LIMA,
    LORETO,
    MDD,
    PUNO,
    TUMBES,
    add_victims,
    flow,
    pe,
    revoke_publication,
)


def _flows(resp) -> dict[tuple[str, str], int]:
    assert resp.status_code == 200, resp.text
    return {(f["from"]["name"], f["to"]["name"]): f["victims"] for f in resp.json()["flows"]}


class TestWhoCounts:
    def test_revoked_publication_consent_never_counts(self, db, login_as):
        group = add_victims(db, 6, flow(LIMA, MDD))
        client = login_as(make_user(db, role=Role.coordinator))
        assert _flows(client.get("/api/v1/routes")) == {("Lima", "Madre de Dios"): 6}
        revoke_publication(db, group[0])
        revoke_publication(db, group[1], renewed=True)  # given again after revoking: counts
        assert _flows(client.get("/api/v1/routes")) == {("Lima", "Madre de Dios"): 5}
        revoke_publication(db, group[2])
        assert _flows(client.get("/api/v1/routes")) == {("Lima", "Madre de Dios"): 4}
        staff = login_as(make_user(db, role=Role.lawyer))  # protected: 4 < k, left out
        resp = staff.get("/api/v1/routes")
        assert _flows(resp) == {} and resp.json()["suppressed_flows"] == 1
        assert staff.get("/api/v1/routes/summary").json()["capture"] == []

    def test_deleted_victims_and_cases_never_count(self, db, login_as):
        victims = add_victims(db, 7, flow(LIMA, LIMA))
        client = login_as(make_user(db, role=Role.admin))
        victims[0].deleted_at = utcnow()
        db.flush()
        assert _flows(client.get("/api/v1/routes")) == {("Lima", "Lima"): 6}
        from app.cases.models import Case

        db.get(Case, victims[1].case_id).deleted_at = utcnow()
        db.flush()
        assert _flows(client.get("/api/v1/routes")) == {("Lima", "Lima"): 5}


class TestSummary:
    def test_top_five_per_stage_and_share(self, db, login_as):
        sizes = {LIMA: 12, LORETO: 10, PUNO: 9, CUSCO: 8, MDD: 7, TUMBES: 6}
        for region, n in sizes.items():
            add_victims(db, n, [pe(region), pe(LIMA, "transit"), pe(MDD, "exploitation")])
        add_victims(db, 2, [pe("01"), pe(MDD, "exploitation")])  # sixth: not in the top 5
        add_victims(
            db, 5, [("capture", "VE", None), pe(TUMBES, "transit"), pe(LIMA, "exploitation")]
        )
        client = login_as(make_user(db, role=Role.admin))
        body = client.get("/api/v1/routes/summary").json()
        assert body["k"] == 5
        assert [(p["region"], p["victims"]) for p in body["capture"]] == [
            (LIMA, 12),
            (LORETO, 10),
            (PUNO, 9),
            (CUSCO, 8),
            (MDD, 7),
        ]
        assert body["capture"][0] == {"region": LIMA, "name": "Lima", "victims": 12}
        assert [(p["name"], p["victims"]) for p in body["transit"]] == [("Lima", 52), ("Tumbes", 5)]
        assert [(p["name"], p["victims"]) for p in body["exploitation"]] == [
            ("Madre de Dios", 54),
            ("Lima", 5),
        ]
        assert body["foreign_capture"] == [{"country": "VE", "name": "Venezuela", "victims": 5}]
        assert body["international_share"] == 8  # 5 of 59, half up

    def test_share_is_null_when_few_cross_a_border(self, db, login_as):
        add_victims(db, 20, flow(LIMA, LIMA))
        add_victims(db, 1, [("capture", "BO", None), pe(PUNO, "exploitation")])
        body = login_as(make_user(db)).get("/api/v1/routes/summary").json()
        assert body["international_share"] is None and body["foreign_capture"] == []


class TestFormats:
    def test_geojson_has_the_same_flows_as_linestrings(self, db, login_as):
        add_victims(db, 6, [("capture", "CO", None), pe(LORETO, "exploitation")])
        add_victims(db, 1, flow(CUSCO, PUNO))
        client = login_as(make_user(db))
        plain = client.get("/api/v1/routes").json()
        resp = client.get("/api/v1/routes", params={"format": "geojson"})
        assert resp.headers["content-type"].startswith("application/geo+json")
        geo = resp.json()
        assert geo["type"] == "FeatureCollection"
        assert (geo["k"], geo["suppressed_flows"]) == (plain["k"], plain["suppressed_flows"])
        assert [f["properties"] for f in geo["features"]] == plain["flows"]
        line = geo["features"][0]["geometry"]
        assert line["type"] == "LineString"
        assert line["coordinates"] == [[-74.30, 4.57], [-73.2538, -3.7491]]
        place = geo["features"][0]["properties"]["from"]
        assert "region" not in place and place["country"] == "CO"
        assert geo["features"][0]["properties"]["to"]["region"] == LORETO

    def test_country_without_coordinates_keeps_its_name_and_no_geometry(self, db, login_as):
        add_victims(db, 5, [("capture", "FJ", None), pe(LIMA, "exploitation")])
        client = login_as(make_user(db))
        flow_ = client.get("/api/v1/routes").json()["flows"][0]
        assert flow_["from"] == {"country": "FJ", "name": "Fiyi", "lat": None, "lon": None}
        geo = client.get("/api/v1/routes", params={"format": "geojson"}).json()
        assert geo["features"][0]["geometry"] is None
        assert "Fiyi" in client.get("/rutas").text  # in the table, though not on the map

    def test_bad_filters_are_422(self, db, login_as):
        client = login_as(make_user(db))
        for params in (
            {"from": 2025, "to": 2023},
            {"stage_from": "exploitation", "stage_to": "capture"},
            {"format": "csv"},
            {"team": "arequipa"},
            {"from": "dos mil"},
        ):
            resp = client.get("/api/v1/routes", params=params)
            assert resp.status_code == 422, params
            assert resp.json()["error"] == "validation_error"


class TestCaching:
    def test_etag_and_304(self, db, login_as):
        add_victims(db, 5, flow(LIMA, LIMA))
        client = login_as(make_user(db))
        for path in ("/api/v1/routes", "/api/v1/routes/summary", "/api/v1/routes?format=geojson"):
            first = client.get(path)
            etag = first.headers["etag"]
            assert first.headers["cache-control"] == "private, no-cache"
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304 and again.content == b""
            assert again.headers["etag"] == etag
            assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        before = client.get("/api/v1/routes").headers["etag"]
        # Protected counts: 5 shows as 5-7, 15 as 13-17, so the body must change.
        add_victims(db, 10, flow(LIMA, LIMA))
        changed = client.get("/api/v1/routes", headers={"If-None-Match": before})
        assert changed.status_code == 200 and changed.headers["etag"] != before

    def test_other_endpoints_keep_no_store(self, db, login_as):
        client = login_as(make_user(db))
        assert client.get("/api/v1/auth/me").headers["cache-control"] == "no-store"


class TestCors:
    def _client(self, database_url, session_factory, user) -> TestClient:
        settings = make_settings(database_url, cors_origins="https://rutas.example.org")
        app = create_app(settings, session_factory=session_factory)
        app.dependency_overrides[get_principal] = lambda: Principal(user=user, token=None)
        return TestClient(app)

    def test_listed_origin_only(self, db, database_url, session_factory):
        user = make_user(db)
        with self._client(database_url, session_factory, user) as client:
            ok = client.get("/api/v1/routes", headers={"Origin": "https://rutas.example.org"})
            assert ok.headers["access-control-allow-origin"] == "https://rutas.example.org"
            other = client.get("/api/v1/routes", headers={"Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in other.headers
            pre = client.options(
                "/api/v1/routes",
                headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
            )
            assert "access-control-allow-origin" not in pre.headers

    def test_no_cors_without_setting(self, client):
        resp = client.get("/api/v1/routes", headers={"Origin": "https://rutas.example.org"})
        assert "access-control-allow-origin" not in resp.headers
