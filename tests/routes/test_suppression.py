"""Small-cell suppression with hand-built counts: primary, complementary, k floor, shares."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient

from app.catalogs import Role
from app.config import Settings
from app.deps import Principal, get_principal
from app.main import create_app
from app.routes.queries import RouteFilter
from app.routes.service import compute_flows, compute_summary
from app.routes.suppression import safe_share, suppress_cells
from tests.conftest import make_settings
from tests.factories import make_user
from tests.routes.builders import CUSCO, LIMA, LORETO, MDD, PUNO, add_victims, flow


def _pairs(routes) -> dict[tuple[str, str], int]:
    return {(f.from_.name, f.to.name): f.victims for f in routes.flows}


class TestSuppressCells:
    def test_primary_leaves_out_cells_below_k(self):
        assert suppress_cells({"a": 2, "b": 3, "c": 10}, 3) == {"a"}

    def test_single_left_out_cell_in_a_set_takes_the_next_smallest(self):
        cells = {"a": 1, "b": 7, "c": 5, "d": 9}
        assert suppress_cells(cells, 3, [["a", "b", "c", "d"]]) == {"a", "c"}

    def test_left_out_cells_adding_up_below_k_take_another(self):
        cells = {"a": 1, "b": 1, "c": 6, "d": 9}
        assert suppress_cells(cells, 5, [["a", "b", "c", "d"]]) == {"a", "b", "c"}

    def test_two_left_out_cells_adding_up_to_k_are_enough(self):
        cells = {"a": 2, "b": 2, "c": 6}
        assert suppress_cells(cells, 4, [["a", "b", "c"]]) == {"a", "b"}

    def test_secondary_suppression_propagates_across_sets(self):
        # a (small) forces c out of row 1; c then sits alone hidden in column 2 → e goes too.
        cells = {"a": 1, "c": 4, "e": 8, "f": 20}
        groups = [["a", "c"], ["c", "e"], ["e", "f"]]
        hidden = suppress_cells(cells, 3, groups)
        assert hidden == {"a", "c", "e", "f"}
        for group in groups:
            gone = [key for key in group if key in hidden]
            assert len(gone) != 1 or len(group) == 1

    def test_no_set_ever_isolates_a_left_out_value(self):
        rng = random.Random(5)
        for _ in range(200):  # random origin x destination tables
            k = rng.randint(3, 6)
            cells = {
                (a, b): rng.choice((1, 2, 3, 5, 8, 13, 21))
                for a in range(rng.randint(1, 5))
                for b in range(rng.randint(1, 5))
                if rng.random() < 0.7
            }
            rows = [[c for c in cells if c[0] == a] for a in {c[0] for c in cells}]
            cols = [[c for c in cells if c[1] == b] for b in {c[1] for c in cells}]
            hidden = suppress_cells(cells, k, rows + cols)
            assert {c for c, n in cells.items() if n < k} <= hidden
            for group in rows + cols:
                gone = [c for c in group if c in hidden]
                if gone and len(gone) < len(group):
                    assert len(gone) >= 2 and sum(cells[c] for c in gone) >= k, (cells, k)

    def test_share_hidden_when_part_or_rest_is_small(self):
        assert safe_share(50, 200, 5) == 25
        assert safe_share(1, 200, 5) is None
        assert safe_share(198, 200, 5) is None
        assert safe_share(0, 200, 5) == 0
        assert safe_share(0, 0, 5) is None
        assert safe_share(1, 8, 1) == 13  # 12.5 rounds half up


class TestFlows:
    def test_small_flow_left_out_and_counted(self, db):
        add_victims(db, 5, flow(LIMA, LIMA))
        add_victims(db, 4, flow(LORETO, MDD))
        add_victims(db, 2, flow(PUNO, CUSCO))
        routes = compute_flows(db, RouteFilter(), k=3)
        assert _pairs(routes) == {("Lima", "Lima"): 5, ("Loreto", "Madre de Dios"): 4}
        assert routes.suppressed_flows == 1 and routes.k == 3

    def test_complementary_suppression_hides_the_next_smallest_of_the_origin(self, db):
        # From Lima: 9 to Lima, 4 to Cusco, 2 to Puno. Lima's capture total (15) is
        # published by the summary, so hiding only the 2 would let 15 - 9 - 4 reveal it.
        add_victims(db, 9, flow(LIMA, LIMA))
        add_victims(db, 4, flow(LIMA, CUSCO))
        add_victims(db, 2, flow(LIMA, PUNO))
        routes = compute_flows(db, RouteFilter(), k=3)
        assert _pairs(routes) == {("Lima", "Lima"): 9}
        assert routes.suppressed_flows == 2
        summary = compute_summary(db, RouteFilter(), k=3)
        assert [(p.name, p.victims) for p in summary.capture] == [("Lima", 15)]
        shown_from_lima = sum(v for (a, _), v in _pairs(routes).items() if a == "Lima")
        assert summary.capture[0].victims - shown_from_lima == 6  # 4 + 2: no single flow

    def test_complementary_suppression_on_the_destination_side(self, db):
        add_victims(db, 8, flow(LIMA, MDD))
        add_victims(db, 6, flow(CUSCO, MDD))
        add_victims(db, 1, flow(PUNO, MDD))
        add_victims(db, 7, flow(LORETO, LORETO))
        routes = compute_flows(db, RouteFilter(), k=3)
        assert _pairs(routes) == {("Lima", "Madre de Dios"): 8, ("Loreto", "Loreto"): 7}
        assert routes.suppressed_flows == 2

    def test_victim_counts_once_from_first_to_last_leg(self, db):
        route = [
            ("capture", "VE", None),
            ("capture", "CO", None),
            ("transit", "PE", "24"),
            ("exploitation", "PE", LIMA),
            ("exploitation", "PE", MDD),
        ]
        add_victims(db, 3, route)
        routes = compute_flows(db, RouteFilter(), k=3)
        assert _pairs(routes) == {("Venezuela", "Madre de Dios"): 3}
        assert routes.flows[0].international is True
        transit = compute_flows(db, RouteFilter(), k=3, stage_to="transit")
        assert _pairs(transit) == {("Venezuela", "Tumbes"): 3}

    def test_routes_without_both_stages_do_not_count(self, db):
        add_victims(db, 4, [("capture", "PE", LIMA)])
        assert compute_flows(db, RouteFilter(), k=3).flows == []
        assert compute_flows(db, RouteFilter(), k=3).suppressed_flows == 0

    def test_filters_by_intake_year_and_team(self, db):
        add_victims(db, 3, flow(LIMA, LIMA), year=2023)
        add_victims(db, 4, flow(LIMA, LIMA), year=2025, team="cusco")
        assert _pairs(compute_flows(db, RouteFilter(2023, 2023), k=3)) == {("Lima", "Lima"): 3}
        assert _pairs(compute_flows(db, RouteFilter(team="cusco"), k=3)) == {("Lima", "Lima"): 4}
        assert _pairs(compute_flows(db, RouteFilter(), k=3)) == {("Lima", "Lima"): 7}


class TestFilterDifferences:
    def test_year_filter_hides_a_cell_a_few_victims_short_of_all_years(self, db):
        add_victims(db, 6, flow(LIMA, LIMA), year=2024)
        add_victims(db, 2, flow(LIMA, LIMA), year=2025)  # 8 - 6 would reveal these two
        add_victims(db, 9, flow(PUNO, PUNO), year=2024)
        add_victims(db, 6, flow(PUNO, PUNO), year=2025)
        assert _pairs(compute_flows(db, RouteFilter(), k=5)) == {
            ("Lima", "Lima"): 8,
            ("Puno", "Puno"): 15,
        }
        only_2024 = compute_flows(db, RouteFilter(2024, 2024), k=5)
        assert _pairs(only_2024) == {("Puno", "Puno"): 9}
        assert only_2024.suppressed_flows == 1
        summary = compute_summary(db, RouteFilter(2024, 2024), k=5)
        assert [p.name for p in summary.capture] == ["Puno"]
        assert [p.name for p in compute_summary(db, RouteFilter(), k=5).capture] == ["Puno", "Lima"]

    def test_team_filter_compared_with_all_teams_and_with_its_years(self, db):
        add_victims(db, 6, flow(LIMA, MDD), team="lima", year=2024)
        add_victims(db, 1, flow(LIMA, MDD), team="cusco", year=2024)
        add_victims(db, 7, flow(LORETO, LORETO), team="loreto", year=2023)
        add_victims(db, 7, flow(LORETO, LORETO), team="loreto", year=2025)
        assert _pairs(compute_flows(db, RouteFilter(team="lima"), k=5)) == {}
        both = compute_flows(db, RouteFilter(2023, 2023, "loreto"), k=5)
        assert _pairs(both) == {("Loreto", "Loreto"): 7}  # 14 - 7 = 7: nothing small
        add_victims(db, 2, flow(LORETO, LORETO), team="cusco", year=2023)
        # Now "2023, all teams" (9) minus "2023, Loreto" (7) would reveal Cusco's two.
        assert _pairs(compute_flows(db, RouteFilter(2023, 2023, "loreto"), k=5)) == {}


class TestKFloor:
    def test_setting_k_below_three_is_raised_to_three(self, monkeypatch):
        monkeypatch.setenv("CALP_SUPPRESSION_K", "1")
        assert Settings(_env_file=None).suppression_k == 3

    def test_api_applies_the_floor(self, db, session_factory, database_url):
        add_victims(db, 2, flow(LIMA, LIMA))
        add_victims(db, 3, flow(PUNO, PUNO))
        user = make_user(db, role=Role.lawyer)
        app = create_app(
            make_settings(database_url, suppression_k=1), session_factory=session_factory
        )
        app.dependency_overrides[get_principal] = lambda: Principal(user=user, token=None)
        with TestClient(app) as client:
            body = client.get("/api/v1/routes").json()
            summary = client.get("/api/v1/routes/summary").json()
        assert body["k"] == 3 and summary["k"] == 3
        assert [(f["from"]["name"], f["victims"]) for f in body["flows"]] == [("Puno", 3)]
        assert body["suppressed_flows"] == 1
        assert [p["name"] for p in summary["capture"]] == ["Puno"]
