"""The victims API: registration rules, reading (identity, audited), edits, delete/restore."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import Role, Team
from app.db import today
from app.victims.models import RouteLeg, Victim, VictimIdentity
from tests.factories import make_case, make_user, make_victim


def payload(**overrides):
    body = {
        "intake_on": "2024-03-12",
        "sex": "female",
        "age_at_intake": 15,
        "birth_date": None,
        "nationality": "VE",
        "typology": "trafficking",
        "trafficking_purpose": "sexual",
        "capture_modality": "false_job_offer",
        "trafficker_relation": "acquaintance",
        "education_level": "secondary",
        "disability": False,
        "indigenous_language": None,
        "migration_status": "irregular",
        "reflection_until": None,
        "violence_history": {"psychological": "yes", "sexual": "unknown"},
        "route": [
            {"stage": "capture", "country": "PE", "region": "16"},
            {"stage": "transit", "country": "PE", "region": "15"},
            {"stage": "exploitation", "country": "PE", "region": "17"},
        ],
        "identity": {
            "given_names": "Ana",
            "family_names": "Pérez",
            "document_type": "dni",
            "document_number": "70112233",
            "phone": "999",
            "address": "Jr. X",
        },
    }
    return body | overrides


def _url(case):
    return f"/api/v1/cases/{case.id}/victims"


class TestRegisterVictim:
    def test_anonymous_gets_401(self, db, client):
        assert client.post(_url(make_case(db)), json=payload()).status_code == 401

    def test_other_team_case_is_404_and_coordinator_403(self, db, login_as):
        other = make_case(db, team=Team.cusco)
        assert login_as(make_user(db)).post(_url(other), json=payload()).status_code == 404
        own = make_case(db)
        resp = login_as(make_user(db, role=Role.coordinator)).post(_url(own), json=payload())
        assert resp.status_code == 403

    def test_stores_profile_route_identity_and_code(self, db, login_as):
        case = make_case(db)
        client = login_as(make_user(db))
        resp = client.post(_url(case), json=payload())
        assert resp.status_code == 201
        body = resp.json()
        assert body["code"] == f"{case.code}-V1"
        assert body["violence_history"] == {
            "psychological": "yes",
            "sexual": "unknown",
            "physical": "not_recorded",
            "family": "not_recorded",
            "economic": "not_recorded",
        }
        assert [leg["stage"] for leg in body["route"]] == ["capture", "transit", "exploitation"]
        assert body["possible_duplicates"] == []
        second = client.post(_url(case), json=payload(identity=None)).json()
        assert second["code"] == f"{case.code}-V2" and second["identity"] is None
        identity = db.get(VictimIdentity, uuid.UUID(body["id"]))
        assert identity.document_number == "70112233"
        assert len(identity.document_index) == 64 and "70112233" not in identity.document_index
        raw = db.execute(
            text(
                "SELECT document_number, given_names FROM victim_identities "
                "WHERE document_index = :i"
            ),
            {"i": identity.document_index},
        ).one()
        assert "70112233" not in raw[0] and "Ana" not in raw[1]
        event = db.scalar(select(AuditEvent).where(AuditEvent.record_id == body["id"]))
        assert event.action == AuditAction.create
        assert "identity.document_number" in event.fields and "70112233" not in event.fields

    def test_birth_date_gives_the_age_at_intake(self, db, login_as):
        resp = login_as(make_user(db)).post(
            _url(make_case(db)),
            json=payload(age_at_intake=None, birth_date="2008-03-13", identity=None),
        )
        assert resp.status_code == 201
        assert resp.json()["age_at_intake"] == 15
        assert resp.json()["identity"]["birth_date"] == "2008-03-13"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"age_at_intake": None}, "age_at_intake"),
            ({"trafficking_purpose": None}, "trafficking_purpose"),
            ({"typology": "forced_labour"}, "trafficking_purpose"),
            ({"nationality": "XX"}, "nationality"),
            ({"sex": "unknown"}, "sex"),
            ({"capture_modality": "magic"}, "capture_modality"),
            ({"intake_on": "2999-01-01"}, "intake_on"),
            ({"birth_date": "2010-01-01"}, "age_at_intake"),
            (
                {
                    "route": [
                        {"stage": "exploitation", "country": "PE", "region": "15"},
                        {"stage": "capture", "country": "PE", "region": "16"},
                    ]
                },
                "route",
            ),
            ({"route": [{"stage": "capture", "country": "VE", "region": "15"}]}, "route"),
            ({"route": [{"stage": "capture", "country": "PE", "region": "99"}]}, "route"),
            ({"violence_history": {"verbal": "yes"}}, "violence_history"),
            ({"identity": {"nickname": "x"}}, "identity"),
        ],
    )
    def test_invalid_payloads_store_nothing(self, db, login_as, overrides, field):
        case = make_case(db)
        resp = login_as(make_user(db)).post(_url(case), json=payload(**overrides))
        assert resp.status_code == 422, overrides
        body = resp.json()
        assert body["error"] == "validation_error"
        # A rule on the whole payload has no field in `loc`: its code names the field.
        whole = {
            "age_at_intake": "age_or_birth_date_required",
            "trafficking_purpose": "trafficking_purpose_mismatch",
        }
        assert any(
            field in map(str, err["loc"]) or err["type"] == whole.get(field)
            for err in body["detail"]
        ), body
        assert "70112233" not in resp.text and "Pérez" not in resp.text
        assert db.scalar(select(Victim).where(Victim.case_id == case.id)) is None

    def test_future_birth_date_is_invalid(self, db, login_as):
        resp = login_as(make_user(db)).post(
            _url(make_case(db)),
            json=payload(age_at_intake=None, birth_date=(today() + timedelta(days=1)).isoformat()),
        )
        assert resp.status_code == 422


class TestReadVictim:
    def test_other_team_gets_404(self, db, login_as):
        victim = make_victim(db, case=make_case(db, team=Team.cusco))
        assert login_as(make_user(db)).get(f"/api/v1/victims/{victim.id}").status_code == 404

    def test_admin_gets_403(self, db, login_as):
        victim = make_victim(db)
        resp = login_as(make_user(db, role=Role.admin)).get(f"/api/v1/victims/{victim.id}")
        assert resp.status_code == 403

    def test_coordinator_reads_identity_and_the_read_is_audited(self, db, login_as):
        victim = make_victim(db, identity={"given_names": "Rosa", "document_number": "123"})
        boss = make_user(db, role=Role.coordinator)
        resp = login_as(boss).get(f"/api/v1/victims/{victim.id}")
        assert resp.status_code == 200
        assert resp.json()["identity"]["given_names"] == "Rosa"
        event = db.scalar(
            select(AuditEvent).where(
                AuditEvent.record_id == str(victim.id),
                AuditEvent.action == AuditAction.read_identity,
            )
        )
        assert event.user_id == boss.id
        assert event.fields == "identity.document_number,identity.given_names"

    def test_no_identity_no_read_event(self, db, login_as):
        victim = make_victim(db)
        resp = login_as(make_user(db)).get(f"/api/v1/victims/{victim.id}")
        assert resp.json()["identity"] is None
        assert db.scalar(select(AuditEvent).where(AuditEvent.record_id == str(victim.id))) is None

    def test_case_list_shows_live_victims_in_order_without_identity(self, db, login_as):
        case = make_case(db)
        first = make_victim(db, case=case, identity={"given_names": "Rosa"})
        make_victim(db, case=case, deleted_at=date(2024, 5, 1))
        third = make_victim(db, case=case)
        client = login_as(make_user(db))
        page = client.get(_url(case), params={"limit": 1}).json()
        assert [v["id"] for v in page["items"]] == [str(first.id)]
        rest = client.get(_url(case), params={"cursor": page["next_cursor"]}).json()
        assert [v["id"] for v in rest["items"]] == [str(third.id)]
        assert rest["next_cursor"] is None and "Rosa" not in str(page)


class TestUpdateVictim:
    def test_stale_version_is_409_and_nothing_changes(self, db, login_as):
        victim = make_victim(db, identity={"phone": "111"})
        client = login_as(make_user(db))
        url = f"/api/v1/victims/{victim.id}"
        assert (
            client.patch(url, json={"version": 1, "identity": {"phone": "222"}}).status_code == 200
        )
        resp = client.patch(
            url, json={"version": 1, "education_level": "none", "identity": {"phone": "333"}}
        )
        assert resp.status_code == 409
        db.expire_all()
        assert db.get(VictimIdentity, victim.id).phone == "222"
        stored = db.get(Victim, victim.id)
        assert (stored.education_level, stored.version) == (None, 2)

    def test_merged_rules_apply(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db))
        url = f"/api/v1/victims/{victim.id}"
        bad = client.patch(url, json={"version": 1, "typology": "forced_labour"})
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["trafficking_purpose"]
        assert client.patch(url, json={"version": 1, "sex": None}).status_code == 422
        ok = client.patch(
            url,
            json={
                "version": 1,
                "typology": "forced_labour",
                "trafficking_purpose": None,
                "violence_history": {"sexual": "yes"},
                "route": [{"stage": "capture", "country": "BO"}],
            },
        )
        assert ok.status_code == 200, ok.text
        body = ok.json()
        assert (body["typology"], body["trafficking_purpose"]) == ("forced_labour", None)
        assert body["violence_history"]["sexual"] == "yes"
        assert db.scalars(
            select(RouteLeg.country).where(RouteLeg.victim_id == victim.id)
        ).all() == ["BO"]

    def test_coordinator_may_not_edit(self, db, login_as):
        victim = make_victim(db)
        resp = login_as(make_user(db, role=Role.coordinator)).patch(
            f"/api/v1/victims/{victim.id}", json={"version": 1, "disability": True}
        )
        assert resp.status_code == 403


class TestDeleteAndRestoreVictim:
    def test_delete_then_coordinator_restores(self, db, login_as):
        victim = make_victim(db)
        url = f"/api/v1/victims/{victim.id}"
        client = login_as(make_user(db))
        assert client.delete(url, params={"version": 7}).status_code == 409
        assert client.delete(url, params={"version": 1}).status_code == 204
        assert client.get(url).status_code == 404
        assert client.post(f"{url}/restore", json={"version": 2}).status_code == 403
        boss = login_as(make_user(db, role=Role.coordinator))
        resp = boss.post(f"{url}/restore", json={"version": 2})
        assert resp.status_code == 200 and resp.json()["version"] == 3
        assert boss.get(url).status_code == 200
