"""Referrals API: create, list, edit (versions), delete/restore."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import ConsentPurpose, ReferralOutcome, Role, Team
from app.db import today, utcnow
from app.referrals.models import Referral
from tests.factories import make_user, make_victim
from tests.work_factories import make_consent, make_referral


def url(victim) -> str:
    return f"/api/v1/victims/{victim.id}/referrals"


def body(**overrides):
    return {
        "direction": "out",
        "institution": "fistrap",
        "referred_on": "2024-03-15",
        "reason": "Denuncia.",
        "outcome": "pending",
        "external_ref_kind": "fiscal_case",
        "external_ref": "CF 123-2024",
    } | overrides


def count(db, victim) -> int:
    return db.scalar(
        select(func.count()).select_from(Referral).where(Referral.victim_id == victim.id)
    )


class TestCreateReferral:
    def test_lawyer_records_a_referral_and_lists_it(self, db, login_as):
        victim = make_victim(db)
        make_consent(db, victim, purpose=ConsentPurpose.data_sharing, given_on=victim.intake_on)
        client = login_as(make_user(db, role=Role.lawyer))

        resp = client.post(url(victim), json=body())

        assert resp.status_code == 201, resp.text
        assert resp.json()["external_ref"] == "CF 123-2024" and resp.json()["version"] == 1
        assert [r["id"] for r in client.get(url(victim)).json()["items"]] == [resp.json()["id"]]
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.record_id == resp.json()["id"]))
        assert event.action == AuditAction.create and "external_ref" in event.fields
        assert "CF 123" not in (event.fields + (event.detail or ""))

    def test_incoming_referral_may_predate_the_case(self, db, login_as):
        victim = make_victim(db)  # case opened 2024-03-01
        client = login_as(make_user(db))
        resp = client.post(url(victim), json=body(direction="in", referred_on="2024-02-20"))
        assert resp.status_code == 201

    def test_invalid_referrals_are_422_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db, role=Role.social_worker))
        future = (today() + timedelta(days=1)).isoformat()
        for bad, field in [
            ({"referred_on": future}, "referred_on"),
            ({"referred_on": "2024-02-20"}, "referred_on"),
            ({"external_ref_kind": None}, "external_ref_kind"),
            ({"direction": "sideways"}, "direction"),
            ({"institution": "nasa"}, "institution"),
            ({"reason": ""}, "reason"),
        ]:
            resp = client.post(url(victim), json=body(**bad))
            assert resp.status_code == 422, bad
            assert field in resp.json()["detail"][0]["loc"], resp.json()
        assert count(db, victim) == 0

    def test_anonymous_other_team_and_forbidden_roles(self, db, client, login_as):
        victim = make_victim(db)
        assert client.post(url(victim), json=body()).status_code == 401
        outsider = make_user(db, role=Role.lawyer, teams=[Team.cusco])
        assert login_as(outsider).post(url(victim), json=body()).status_code == 404
        assert login_as(outsider).get(url(victim)).status_code == 404
        for role in (Role.coordinator, Role.admin):
            assert (
                login_as(make_user(db, role=role)).post(url(victim), json=body()).status_code == 403
            )
        assert count(db, victim) == 0


class TestUpdateReferral:
    def test_outcome_is_recorded(self, db, login_as):
        referral = make_referral(db, make_victim(db))
        resp = login_as(make_user(db)).patch(
            f"/api/v1/referrals/{referral.id}", json={"version": 1, "outcome": "wrong_referral"}
        )
        assert resp.status_code == 200
        assert resp.json()["outcome"] == "wrong_referral" and resp.json()["version"] == 2

    def test_stale_version_is_409_and_the_referral_is_unchanged(self, db, login_as):
        referral = make_referral(db, make_victim(db), outcome=ReferralOutcome.pending)
        client = login_as(make_user(db))
        assert (
            client.patch(
                f"/api/v1/referrals/{referral.id}", json={"version": 1, "outcome": "accepted"}
            ).status_code
            == 200
        )
        resp = client.patch(
            f"/api/v1/referrals/{referral.id}", json={"version": 1, "outcome": "rejected"}
        )
        assert resp.status_code == 409
        db.refresh(referral)
        assert referral.outcome == ReferralOutcome.accepted and referral.version == 2

    def test_nulling_a_required_field_is_422(self, db, login_as):
        referral = make_referral(db, make_victim(db))
        resp = login_as(make_user(db)).patch(
            f"/api/v1/referrals/{referral.id}", json={"version": 1, "institution": None}
        )
        assert resp.status_code == 422


class TestDeleteReferral:
    def test_delete_hides_and_coordinator_restores(self, db, login_as):
        victim = make_victim(db)
        referral = make_referral(db, victim)
        client = login_as(make_user(db))
        assert (
            client.delete(f"/api/v1/referrals/{referral.id}", params={"version": 1}).status_code
            == 204
        )
        assert client.get(url(victim)).json()["items"] == []
        assert (
            client.patch(
                f"/api/v1/referrals/{referral.id}", json={"version": 2, "outcome": "accepted"}
            ).status_code
            == 404
        )

        coordinator = login_as(make_user(db, role=Role.coordinator))
        resp = coordinator.post(f"/api/v1/referrals/{referral.id}/restore", json={"version": 2})
        assert resp.status_code == 200
        assert len(coordinator.get(url(victim)).json()["items"]) == 1

    def test_coordinator_of_another_team_cannot_restore(self, db, login_as):
        referral = make_referral(db, make_victim(db), deleted_at=utcnow())
        other = make_user(db, role=Role.coordinator, teams=[Team.puno])
        resp = login_as(other).post(f"/api/v1/referrals/{referral.id}/restore", json={"version": 1})
        assert resp.status_code == 404
