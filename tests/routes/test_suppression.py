"""Who sees which counts: small cells left out, large ones kept and perturbed by cell key,
exact figures for coordinators and admins, the same value for the same victims whatever the
filters, and the k floor."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.catalogs import Role, RouteStage
from app.config import Settings
from app.deps import API_TOKEN_PREFIX, Principal, get_principal, hash_api_token
from app.main import create_app
from app.routes.cellkey import MAX_NOISE
from app.routes.queries import RouteFilter
from app.routes.service import compute_flows, compute_summary
from app.tokens.models import ApiToken
from app.victims.models import Victim
from tests.conftest import make_settings
from tests.factories import make_user
from tests.routes.builders import (
    CUSCO,
    LIMA,
    LORETO,
    MDD,
    PUNO,
    add_victims,
    cell_of,
    exact,
    flow,
    protected,
)

Pairs = dict[tuple[str, str], int]


def _pairs(routes) -> Pairs:
    return {(f.from_.name, f.to.name): f.victims for f in routes.flows}


def _api_pairs(resp) -> Pairs:
    assert resp.status_code == 200, resp.text
    return {(f["from"]["name"], f["to"]["name"]): f["victims"] for f in resp.json()["flows"]}


def _expected(victims: list[Victim], k: int = 5) -> int | None:
    """The protected value of the cell holding exactly these victims."""
    return protected(k).publish(cell_of(victims))


class TestSmallAndLargeCells:
    def test_small_flows_left_out_and_counted_large_ones_perturbed(self, db):
        lima = add_victims(db, 5, flow(LIMA, LIMA))
        loreto = add_victims(db, 4, flow(LORETO, MDD))
        add_victims(db, 2, flow(PUNO, CUSCO))
        routes = compute_flows(db, RouteFilter(), disclosure=protected(3))
        assert _pairs(routes) == {
            ("Lima", "Lima"): protected(3).publish(cell_of(lima)),
            ("Loreto", "Madre de Dios"): protected(3).publish(cell_of(loreto)),
        }
        assert routes.suppressed_flows == 1 and routes.k == 3
        for flow_ in routes.flows:
            assert flow_.victims >= 3

    def test_exact_counts_include_small_cells(self, db):
        add_victims(db, 5, flow(LIMA, LIMA))
        add_victims(db, 2, flow(PUNO, CUSCO))
        routes = compute_flows(db, RouteFilter(), disclosure=exact(3))
        assert _pairs(routes) == {("Lima", "Lima"): 5, ("Puno", "Cusco"): 2}
        assert routes.suppressed_flows == 0

    def test_large_flows_beside_a_small_one_stay_on_the_map(self, db):
        # The previous rule hid Lima -> Cusco too, so that Lima's capture total minus the
        # flows shown could not reveal the two to Puno; now that total is perturbed itself.
        nine = add_victims(db, 9, flow(LIMA, LIMA))
        four = add_victims(db, 4, flow(LIMA, CUSCO))
        two = add_victims(db, 2, flow(LIMA, PUNO))
        routes = compute_flows(db, RouteFilter(), disclosure=protected(3))
        assert _pairs(routes) == {
            ("Lima", "Lima"): protected(3).publish(cell_of(nine)),
            ("Lima", "Cusco"): protected(3).publish(cell_of(four)),
        }
        assert routes.suppressed_flows == 1
        summary = compute_summary(db, RouteFilter(), disclosure=protected(3))
        assert [(p.name, p.victims) for p in summary.capture] == [
            ("Lima", protected(3).publish(cell_of(nine + four + two)))
        ]

    def test_victim_counts_once_from_first_to_last_leg(self, db):
        route = [
            ("capture", "VE", None),
            ("capture", "CO", None),
            ("transit", "PE", "24"),
            ("exploitation", "PE", LIMA),
            ("exploitation", "PE", MDD),
        ]
        add_victims(db, 3, route)
        routes = compute_flows(db, RouteFilter(), disclosure=exact(3))
        assert _pairs(routes) == {("Venezuela", "Madre de Dios"): 3}
        assert routes.flows[0].international is True
        transit = compute_flows(db, RouteFilter(), disclosure=exact(3), stage_to=RouteStage.transit)
        assert _pairs(transit) == {("Venezuela", "Tumbes"): 3}

    def test_routes_without_both_stages_do_not_count(self, db):
        add_victims(db, 4, [("capture", "PE", LIMA)])
        routes = compute_flows(db, RouteFilter(), disclosure=exact(3))
        assert routes.flows == [] and routes.suppressed_flows == 0

    def test_filters_by_intake_year_and_team(self, db):
        add_victims(db, 3, flow(LIMA, LIMA), year=2023)
        add_victims(db, 4, flow(LIMA, LIMA), year=2025, team="cusco")
        counts = exact(3)
        assert _pairs(compute_flows(db, RouteFilter(2023, 2023), disclosure=counts)) == {
            ("Lima", "Lima"): 3
        }
        assert _pairs(compute_flows(db, RouteFilter(team="cusco"), disclosure=counts)) == {
            ("Lima", "Lima"): 4
        }
        assert _pairs(compute_flows(db, RouteFilter(), disclosure=counts)) == {("Lima", "Lima"): 7}


def _token_client(db: Session, client: TestClient) -> TestClient:
    raw = f"{API_TOKEN_PREFIX}routes-test"
    db.add(ApiToken(name="map", role=Role.visualiser, token_hash=hash_api_token(raw)))
    db.flush()
    client.headers["Authorization"] = f"Bearer {raw}"
    return client


class TestWhoSeesWhat:
    @pytest.mark.parametrize("role", [Role.psychologist, Role.lawyer, Role.social_worker, None])
    def test_casework_staff_and_visualiser_tokens_get_protected_counts(
        self, db, login_as, client, role
    ):
        big = add_victims(db, 23, flow(LIMA, MDD))
        add_victims(db, 2, flow(CUSCO, CUSCO))
        viewer = _token_client(db, client) if role is None else login_as(make_user(db, role=role))
        resp = viewer.get("/api/v1/routes")
        assert _api_pairs(resp) == {("Lima", "Madre de Dios"): _expected(big)}
        assert resp.json()["suppressed_flows"] == 1
        summary = viewer.get("/api/v1/routes/summary").json()
        assert summary["capture"] == [{"region": LIMA, "name": "Lima", "victims": _expected(big)}]

    @pytest.mark.parametrize("role", [Role.coordinator, Role.admin])
    def test_coordinators_and_admins_get_exact_counts_small_cells_included(
        self, db, login_as, role
    ):
        add_victims(db, 23, flow(LIMA, MDD))
        add_victims(db, 2, flow(CUSCO, CUSCO))
        viewer = login_as(make_user(db, role=role))
        resp = viewer.get("/api/v1/routes")
        assert _api_pairs(resp) == {("Lima", "Madre de Dios"): 23, ("Cusco", "Cusco"): 2}
        assert resp.json()["suppressed_flows"] == 0
        capture = viewer.get("/api/v1/routes/summary").json()["capture"]
        assert [(p["name"], p["victims"]) for p in capture] == [("Lima", 23), ("Cusco", 2)]


class TestConsistency:
    def test_the_same_victims_show_the_same_value_whatever_the_filters(self, db, login_as):
        group = add_victims(db, 7, flow(LIMA, MDD), year=2024, team="lima")
        add_victims(db, 6, flow(PUNO, CUSCO), year=2023, team="cusco")
        client = login_as(make_user(db, role=Role.lawyer))
        value = _expected(group)
        for params in (
            {},
            {"from": 2024},
            {"to": 2024},
            {"from": 2024, "to": 2024},
            {"team": "lima"},
            {"from": 2020, "to": 2030, "team": "lima"},
        ):
            pairs = _api_pairs(client.get("/api/v1/routes", params=params))
            assert pairs[("Lima", "Madre de Dios")] == value, params
            summary = client.get("/api/v1/routes/summary", params=params).json()
            # Lima's captures and Madre de Dios's exploitations are these seven people too.
            assert {"region": LIMA, "name": "Lima", "victims": value} in summary["capture"]
            assert {"region": MDD, "name": "Madre de Dios", "victims": value} in (
                summary["exploitation"]
            )

    def test_cells_one_victim_apart_under_two_filters_differ_by_noise(self, db, login_as):
        # 20 flows, each with 6-15 victims in 2024 and one more in 2025: per flow, the two
        # year filters select record sets exactly one victim apart.
        regions = ["01", "02", "03", "04", "05"]
        sizes = {}
        for i, origin in enumerate(regions):
            for j, target in enumerate(["06", "07", "08", "09"]):
                n = 6 + (3 * i + 5 * j) % 10
                add_victims(db, n, flow(origin, target), year=2024)
                add_victims(db, 1, flow(origin, target), year=2025)
                sizes[(origin, target)] = n
        client = login_as(make_user(db, role=Role.social_worker))

        def by_codes(params: dict[str, int]) -> dict[tuple[str, str], int]:
            flows = client.get("/api/v1/routes", params=params).json()["flows"]
            return {(f["from"]["region"], f["to"]["region"]): f["victims"] for f in flows}

        only_2024, both = by_codes({"from": 2024, "to": 2024}), by_codes({"from": 2024})
        assert set(only_2024) == set(both) == set(sizes)  # every flow published in both
        differences = [both[key] - only_2024[key] for key in sizes]
        assert all(abs(d - 1) <= 2 * MAX_NOISE for d in differences)
        assert differences.count(1) <= 12, differences  # ~20 % expected, never all
        for key, n in sizes.items():
            assert abs(only_2024[key] - n) <= MAX_NOISE and only_2024[key] >= 5


class TestKFloor:
    def test_setting_k_below_three_is_raised_to_three(self, monkeypatch):
        monkeypatch.setenv("CALP_SUPPRESSION_K", "1")
        assert Settings(_env_file=None).suppression_k == 3

    def test_api_applies_the_floor(self, db, session_factory, database_url):
        add_victims(db, 2, flow(LIMA, LIMA))
        three = add_victims(db, 3, flow(PUNO, PUNO))
        user = make_user(db, role=Role.lawyer)
        app = create_app(
            make_settings(database_url, suppression_k=1), session_factory=session_factory
        )
        app.dependency_overrides[get_principal] = lambda: Principal(user=user, token=None)
        with TestClient(app) as client:
            body = client.get("/api/v1/routes").json()
            summary = client.get("/api/v1/routes/summary").json()
        assert body["k"] == 3 and summary["k"] == 3
        published = _expected(three, k=3)
        assert published is not None and 3 <= published <= 5
        assert [(f["from"]["name"], f["victims"]) for f in body["flows"]] == [("Puno", published)]
        assert body["suppressed_flows"] == 1
        assert [p["name"] for p in summary["capture"]] == ["Puno"]
