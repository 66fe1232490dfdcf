"""Search by name on POST /api/v1/victims/search: ranking and why, scope, `elsewhere`,
disclosure audit and its hourly limit (the matching itself is app.names')."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.audit.service import record_event
from app.catalogs import Role, Team
from app.db import utcnow
from app.victims.disclosure import PER_HOUR
from tests.factories import make_case, make_user
from tests.victims.test_router import payload

SEARCH = "/api/v1/victims/search"


def register(client, case, given, family, *, sex="female", age=15, document=None, **extra):
    identity = {"given_names": given, "family_names": family, "document_number": document}
    body = payload(sex=sex, age_at_intake=age, identity=identity, **extra)
    resp = client.post(f"/api/v1/cases/{case.id}/victims", json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


@pytest.fixture
def lima(db, login_as):
    """A Lima worker's client and three Lima victims."""
    worker = make_user(db, teams=[Team.lima])
    client = login_as(worker)
    case = make_case(db, team=Team.lima)
    people = {
        "maria": register(client, case, "María Elena", "Quispe Mamani", age=15),
        "rosa": register(client, case, "Rosa", "Huamán Condori", age=22),
        "juan": register(client, case, "Juan Carlos", "Quispe Flores", sex="male", age=30),
    }
    return worker, client, people


def codes(resp):
    assert resp.status_code == 200, resp.text
    return [item["code"] for item in resp.json()["items"]]


class TestByName:
    @pytest.mark.parametrize(
        "typed",
        [
            "maria quispe",
            "Quispe Mamani María",
            "MARIA QUISPE",
            "maría kispe",  # Quechua spelling
            "maria quipse",  # one typo
            "elena mamani",
        ],
    )
    def test_variants_find_her_first(self, lima, typed):
        _, client, people = lima
        resp = client.post(SEARCH, json={"name": typed})
        assert codes(resp)[0] == people["maria"]["code"]
        first = resp.json()["items"][0]
        assert first["match"]["matched_on"][0] == "name"
        assert 0 < first["match"]["score"] <= 1
        assert "identity" not in first

    def test_waman_finds_huaman(self, lima):
        _, client, people = lima
        assert codes(client.post(SEARCH, json={"name": "rosa waman"}))[0] == people["rosa"]["code"]

    def test_best_first_and_filters_narrow(self, lima):
        _, client, people = lima
        both = client.post(SEARCH, json={"name": "quispe"}).json()["items"]
        assert {i["code"] for i in both} == {people["maria"]["code"], people["juan"]["code"]}
        scores = [i["match"]["score"] for i in both]
        assert scores == sorted(scores, reverse=True)
        male = client.post(SEARCH, json={"name": "quispe", "sex": "male"})
        assert codes(male) == [people["juan"]["code"]]
        assert male.json()["items"][0]["match"]["matched_on"] == ["name", "sex"]
        young = client.post(SEARCH, json={"name": "quispe", "age": 17})  # 15 within ± 2
        assert codes(young) == [people["maria"]["code"]]
        assert codes(client.post(SEARCH, json={"name": "quispe", "age": 18})) == []

    def test_other_people_do_not_match(self, lima):
        _, client, _ = lima
        for other in ("Pedro Vargas", "Lucía Torres", "Marco Quiroz"):
            assert codes(client.post(SEARCH, json={"name": other})) == [], other

    def test_name_or_document_either_may_match(self, db, lima):
        _, client, people = lima
        case = make_case(db, team=Team.lima)
        ana = register(client, case, "Ana", "Torres", document="70112233")
        resp = client.post(SEARCH, json={"name": "rosa huaman", "document_number": "70112233"})
        found = {i["code"]: i["match"]["matched_on"] for i in resp.json()["items"]}
        assert found == {people["rosa"]["code"]: ["name"], ana["code"]: ["document_number"]}

    def test_document_search_keeps_working_with_a_match(self, db, lima):
        _, client, _ = lima
        ana = register(client, make_case(db, team=Team.lima), "Ana", "Torres", document="7011")
        items = client.post(SEARCH, json={"document_number": "7011"}).json()["items"]
        assert [(i["code"], i["match"]["matched_on"]) for i in items] == [
            (ana["code"], ["document_number"])
        ]

    def test_pages_in_rank_order(self, db, lima):
        _, client, people = lima
        first = client.post(SEARCH, json={"name": "quispe"}, params={"limit": 1}).json()
        assert len(first["items"]) == 1 and first["next_cursor"]
        second = client.post(
            SEARCH, json={"name": "quispe"}, params={"limit": 1, "cursor": first["next_cursor"]}
        ).json()
        assert {first["items"][0]["code"], second["items"][0]["code"]} == {
            people["maria"]["code"],
            people["juan"]["code"],
        }
        assert second["next_cursor"] is None

    def test_bad_bodies_are_422(self, lima):
        _, client, _ = lima
        for body in ({}, {"name": "  "}, {"name": "x", "age": 200}, {"name": "x", "foo": 1}):
            resp = client.post(SEARCH, json=body)
            assert resp.status_code == 422, body
        assert client.post(SEARCH, json={"name": "x"}, params={"cursor": "zz"}).status_code == 422

    def test_results_are_audited_as_identity_reads(self, db, lima):
        worker, client, people = lima
        client.post(SEARCH, json={"name": "maria quispe"})
        event = db.scalars(
            select(AuditEvent).where(
                AuditEvent.user_id == worker.id,
                AuditEvent.action == AuditAction.read_identity,
                AuditEvent.record_id == people["maria"]["id"],
            )
        ).one()
        assert event.detail == "search"
        assert event.fields == "identity.family_names,identity.given_names"

    def test_roles_outside_case_work(self, db, login_as):
        admin = login_as(make_user(db, role=Role.admin))
        assert admin.post(SEARCH, json={"name": "maria"}).status_code == 403
        coordinator = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
        assert coordinator.post(SEARCH, json={"name": "maria"}).status_code == 200


@pytest.fixture
def cusco_maria(db, login_as):
    """María Quispe Mamani, 15, attended in Cusco."""
    case = make_case(db, team=Team.cusco)
    victim = register(
        login_as(make_user(db, teams=[Team.cusco])), case, "María", "Quispe Mamani", age=15
    )
    return case, victim


def disclosures(db, user):
    return db.scalars(
        select(AuditEvent).where(
            AuditEvent.user_id == user.id, AuditEvent.action == AuditAction.disclose_existence
        )
    ).all()


class TestOtherTeams:
    def test_never_in_items_and_elsewhere_only_when_strong(self, db, login_as, cusco_maria):
        case, victim = cusco_maria
        worker = make_user(db, teams=[Team.lima])
        client = login_as(worker)
        weak = client.post(SEARCH, json={"name": "maria quispe"})
        assert weak.json() == {"items": [], "next_cursor": None, "elsewhere": []}
        strong = client.post(SEARCH, json={"name": "maria quispe", "sex": "female", "age": 15})
        body = strong.json()
        assert body["items"] == []
        assert body["elsewhere"] == [{"case_code": case.code, "team": "cusco"}]
        for leaked in (victim["id"], victim["code"], str(case.id), "Mamani"):
            assert leaked not in strong.text
        (event,) = disclosures(db, worker)
        assert (event.record_type, event.record_id, event.detail) == (
            "victim",
            victim["id"],
            "search",
        )
        assert event.fields is None

    def test_a_worker_of_both_teams_sees_her_in_items(self, db, login_as, cusco_maria):
        _, victim = cusco_maria
        client = login_as(make_user(db, teams=[Team.lima, Team.cusco]))
        resp = client.post(SEARCH, json={"name": "maria quispe", "sex": "female"})
        assert codes(resp) == [victim["code"]] and resp.json()["elsewhere"] == []

    def test_429_after_the_hourly_limit_counted_in_the_audit_log(self, db, login_as, cusco_maria):
        case, _ = cusco_maria
        worker = make_user(db, teams=[Team.lima])
        client = login_as(worker)
        strong = {"name": "maria quispe", "sex": "female", "age": 15}
        for _ in range(PER_HOUR):
            resp = client.post(SEARCH, json=strong)
            assert resp.json()["elsewhere"] == [{"case_code": case.code, "team": "cusco"}]
        refused = client.post(SEARCH, json=strong)
        assert refused.status_code == 429
        assert refused.json()["code"] == "disclosure_limit_reached"
        assert "límite" in refused.json()["detail"]
        assert int(refused.headers["Retry-After"]) > 0
        # Past the limit the answer does not depend on a match existing.
        assert client.post(SEARCH, json={**strong, "name": "nadie nunca"}).status_code == 429
        assert len(disclosures(db, worker)) == PER_HOUR
        # Searching her own teams still works (no other team consulted without sex or age).
        assert client.post(SEARCH, json={"name": "maria quispe"}).status_code == 200

    def test_only_the_last_hour_counts(self, db, login_as, cusco_maria, monkeypatch):
        worker = make_user(db, teams=[Team.lima])
        two_hours_ago = utcnow() - timedelta(hours=2)
        with monkeypatch.context() as m:
            m.setattr("app.audit.service.utcnow", lambda: two_hours_ago)
            for _ in range(PER_HOUR):
                record_event(db, AuditAction.disclose_existence, actor=worker, detail="search")
        db.flush()
        assert len(disclosures(db, worker)) == PER_HOUR
        resp = login_as(worker).post(SEARCH, json={"name": "maria quispe", "sex": "female"})
        assert resp.status_code == 200 and len(resp.json()["elsewhere"]) == 1
