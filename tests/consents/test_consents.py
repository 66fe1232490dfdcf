"""Consents API: give per purpose, list, revoke (once, with versions)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import ConsentPurpose, Role, Team
from app.consents.models import Consent
from app.db import today
from tests.factories import make_user, make_victim
from tests.work_factories import make_consent


def url(victim) -> str:
    return f"/api/v1/victims/{victim.id}/consents"


def count(db, victim) -> int:
    return db.scalar(
        select(func.count()).select_from(Consent).where(Consent.victim_id == victim.id)
    )


class TestGiveConsent:
    def test_consent_is_recorded_and_listed(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db, role=Role.social_worker))

        resp = client.post(url(victim), json={"purpose": "publication", "given_on": "2024-03-02"})

        assert resp.status_code == 201, resp.text
        assert resp.json()["active"] is True and resp.json()["revoked_on"] is None
        assert [c["purpose"] for c in client.get(url(victim)).json()["items"]] == ["publication"]

    def test_a_second_consent_in_force_for_a_purpose_is_409(self, db, login_as):
        victim = make_victim(db)
        make_consent(db, victim, purpose=ConsentPurpose.publication)
        resp = login_as(make_user(db)).post(
            url(victim), json={"purpose": "publication", "given_on": "2024-03-02"}
        )
        assert resp.status_code == 409
        assert count(db, victim) == 1

    def test_invalid_consents_are_422_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db))
        future = (today() + timedelta(days=1)).isoformat()
        for payload, field in [
            ({"purpose": "publication", "given_on": future}, "given_on"),
            ({"purpose": "publication", "given_on": "2024-01-01"}, "given_on"),
            ({"purpose": "marketing", "given_on": "2024-03-02"}, "purpose"),
        ]:
            resp = client.post(url(victim), json=payload)
            assert resp.status_code == 422 and field in resp.json()["detail"][0]["loc"]
        assert count(db, victim) == 0

    def test_anonymous_other_team_and_forbidden_roles(self, db, client, login_as):
        victim = make_victim(db)
        payload = {"purpose": "attention", "given_on": "2024-03-02"}
        assert client.post(url(victim), json=payload).status_code == 401
        outsider = make_user(db, teams=[Team.cusco])
        assert login_as(outsider).post(url(victim), json=payload).status_code == 404
        admin = make_user(db, role=Role.admin)
        assert login_as(admin).get(url(victim)).status_code == 403
        assert count(db, victim) == 0


class TestRevokeConsent:
    def test_revoke_then_revoke_again_is_409(self, db, login_as):
        consent = make_consent(db, make_victim(db), given_on=date(2024, 3, 2))
        client = login_as(make_user(db))
        path = f"/api/v1/consents/{consent.id}/revoke"

        resp = client.post(path, json={"revoked_on": "2024-05-02", "version": 1})
        assert resp.status_code == 200, resp.text
        assert resp.json()["active"] is False and resp.json()["version"] == 2
        assert client.post(path, json={"revoked_on": "2024-05-03"}).status_code == 409
        db.refresh(consent)
        assert consent.revoked_on == date(2024, 5, 2)
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.record_id == str(consent.id)))
        assert event.action == AuditAction.update and event.fields == "revoked_on"

    def test_stale_version_is_409_and_nothing_changes(self, db, login_as):
        consent = make_consent(db, make_victim(db))
        resp = login_as(make_user(db)).post(
            f"/api/v1/consents/{consent.id}/revoke",
            json={"revoked_on": today().isoformat(), "version": 5},
        )
        assert resp.status_code == 409
        db.refresh(consent)
        assert consent.revoked_on is None and consent.version == 1

    def test_revocation_before_the_consent_is_422(self, db, login_as):
        consent = make_consent(db, make_victim(db), given_on=date(2024, 3, 10))
        resp = login_as(make_user(db)).post(
            f"/api/v1/consents/{consent.id}/revoke", json={"revoked_on": "2024-03-09"}
        )
        assert resp.status_code == 422
        assert resp.json()["detail"][0]["loc"] == ["revoked_on"]

    def test_coordinator_may_not_revoke_and_other_team_gets_404(self, db, login_as):
        consent = make_consent(db, make_victim(db))
        path = f"/api/v1/consents/{consent.id}/revoke"
        payload = {"revoked_on": today().isoformat()}
        assert (
            login_as(make_user(db, role=Role.coordinator)).post(path, json=payload).status_code
            == 403
        )
        assert (
            login_as(make_user(db, teams=[Team.puno])).post(path, json=payload).status_code == 404
        )
