"""Filters (from, to, team), default years, what never counts, bad input, and the cache."""

from __future__ import annotations

from datetime import date

import pytest

from app.audit.models import AuditAction
from app.audit.service import record_event
from app.catalogs import Polarity, PracticeCategory, Role, Team
from app.db import current_data_version, utcnow
from app.detections.models import Detection
from tests.factories import make_case, make_user, make_victim


@pytest.fixture
def coord(db, login_as):
    return login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))


def _detect(db, case, on, polarity=Polarity.bad, **kw):
    d = Detection(
        case_id=case.id,
        detected_on=on,
        polarity=polarity,
        category=PracticeCategory.procedural,
        institution="pnp",
        **kw,
    )
    db.add(d)
    db.flush()
    return d


def _get(client, path, **params):
    resp = client.get(f"/api/v1/stats/{path}", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def _cv(table):
    return {r["key"]: (r["cases"], r["victims"]) for r in table["groups"][0]["rows"]}


class TestYears:
    def test_no_data_gives_null_years_and_zero_rows(self, coord):
        report = _get(coord, "report")
        assert report["from"] is None and report["to"] is None
        for table in report["tables"]:
            for group in table["groups"]:
                for row in group["rows"]:
                    assert row.get("count", 0) == 0 and row.get("cases", 0) == 0
                    assert set((row.get("counts") or {}).values()) <= {0}

    def test_default_years_span_the_data(self, db, coord):
        make_victim(db, case=make_case(db, opened_on=date(2022, 5, 1)))
        _detect(db, make_case(db, opened_on=date(2024, 2, 1)), date(2024, 3, 1))
        table = _get(coord, "cases-by-year")
        assert (table["from"], table["to"]) == (2022, 2024)
        assert _cv(table) == {"2022": (1, 1), "2023": (0, 0), "2024": (1, 0)}

    def test_years_are_inclusive_calendar_years(self, db, coord):
        for day in (date(2022, 12, 31), date(2023, 1, 1), date(2024, 12, 31), date(2025, 1, 1)):
            make_victim(db, case=make_case(db, opened_on=day), intake_on=day)
        table = _get(coord, "cases-by-year", **{"from": 2023, "to": 2024})
        assert _cv(table) == {"2023": (1, 1), "2024": (1, 1)}
        only_from = _get(coord, "cases-by-year", **{"from": 2024})
        assert (only_from["from"], only_from["to"]) == (2024, 2025)


class TestTeamAndDeletion:
    def test_team_filter_counts_only_that_team(self, db, coord):
        lima = make_case(db, team=Team.lima)
        make_victim(db, case=lima)
        make_victim(db, case=lima)
        cusco = make_case(db, team=Team.cusco)
        make_victim(db, case=cusco)
        _detect(db, cusco, date(2024, 5, 1))
        table = _get(coord, "cases-by-team", team="cusco")
        assert table["team"] == "cusco"
        assert _cv(table)["cusco"] == (1, 1) and _cv(table)["lima"] == (0, 0)
        assert _get(coord, "typology", team="lima")["groups"][0]["total"] == 2
        assert _get(coord, "practices", polarity="bad", team="lima")["groups"][0]["total"] == 0
        assert _get(coord, "practices", polarity="bad", team="cusco")["groups"][0]["total"] == 1

    def test_deleted_records_never_count(self, db, coord):
        now = utcnow()
        kept = make_case(db)
        make_victim(db, case=kept)
        make_victim(db, case=kept, deleted_at=now)
        gone = make_case(db, deleted_at=now)
        make_victim(db, case=gone)
        _detect(db, gone, date(2024, 4, 1))
        _detect(db, kept, date(2024, 4, 1), deleted_at=now)
        _detect(db, kept, date(2024, 4, 2))
        assert _cv(_get(coord, "cases-by-team"))["lima"] == (1, 1)
        assert _get(coord, "violence-history")["groups"][0]["total"] == 1
        assert _get(coord, "practices", polarity="bad")["groups"][0]["total"] == 1


class TestBadInput:
    @pytest.mark.parametrize(
        "params",
        [
            {"from": 2025, "to": 2023},
            {"team": "arequipa"},
            {"format": "pdf"},
            {"from": "dos mil"},
            {"to": 1200},
        ],
    )
    def test_bad_filters_are_422(self, coord, params):
        resp = coord.get("/api/v1/stats/typology", params=params)
        assert resp.status_code == 422
        assert resp.json()["error"] == "validation_error"

    def test_practices_needs_a_polarity(self, coord):
        assert coord.get("/api/v1/stats/practices").status_code == 422
        assert coord.get("/api/v1/stats/practices?polarity=neutral").status_code == 422


class TestCache:
    def test_a_write_invalidates_the_cached_table(self, db, coord, app):
        make_victim(db)
        assert _get(coord, "typology")["groups"][0]["total"] == 1
        assert _get(coord, "typology")["groups"][0]["total"] == 1
        assert app.state.stats_cache.hits == 1
        db.commit()  # ends the test's write transaction (a savepoint): the next write bumps
        make_victim(db)
        assert _get(coord, "typology")["groups"][0]["total"] == 2

    def test_audit_writes_leave_the_cache_valid(self, db, coord, app):
        make_victim(db)
        _get(coord, "victim-profile")
        version = current_data_version(db)
        record_event(
            db,
            AuditAction.read_identity,
            actor=None,
            record_type="victim",
            record_id="x",
            detail="test",
        )
        db.flush()
        assert current_data_version(db) == version
        _get(coord, "victim-profile")
        assert app.state.stats_cache.hits == 1
