"""Consent that sharing obeys (issue 18.5): an outgoing referral is covered by the victim's
`data_sharing` consent live on its date, or by an audited override; editing re-decides only
when the date, the direction or the consent fields change."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import ConsentPurpose, ReferralDirection, Role
from app.db import today
from app.referrals.models import Referral
from tests.factories import make_user, make_victim
from tests.work_factories import make_consent, make_referral

SHARING = ConsentPurpose.data_sharing
REASON = "Niña en peligro inminente: Rosa Quispe"


def url(victim) -> str:
    return f"/api/v1/victims/{victim.id}/referrals"


def body(**overrides):
    return {
        "direction": "out",
        "institution": "upe",
        "referred_on": "2024-04-10",
        "reason": "Protección.",
    } | overrides


def stored(db, victim) -> int:
    return db.scalar(
        select(func.count()).select_from(Referral).where(Referral.victim_id == victim.id)
    )


def problems(resp) -> dict[str, str]:
    return {".".join(map(str, d["loc"])): d["type"] for d in resp.json()["detail"]}


@pytest.fixture
def victim(db):
    return make_victim(db)  # case opened 2024-03-01


@pytest.fixture
def staff(db, login_as):
    return login_as(make_user(db, role=Role.social_worker))


class TestRefused:
    def test_no_consent_is_a_clear_422_naming_consent_id_and_nothing_is_stored(
        self, db, victim, staff
    ):
        make_consent(db, victim, purpose=ConsentPurpose.publication, given_on=date(2024, 3, 1))
        resp = staff.post(url(victim), json=body())
        assert resp.status_code == 422
        assert resp.json()["error"] == "validation_error"
        assert resp.json()["code"] == "consent_required"
        [item] = resp.json()["detail"]
        assert item["loc"] == ["consent_id"]
        assert "consentimiento vigente para compartir datos" in item["msg"]
        assert stored(db, victim) == 0

    @pytest.mark.parametrize(
        "given_on, revoked_on",
        [
            (date(2024, 4, 11), None),  # given after the referral
            (date(2024, 3, 1), date(2024, 4, 1)),  # revoked before it
            (date(2024, 3, 1), date(2024, 4, 10)),  # revoked that very day: no longer live
        ],
    )
    def test_a_consent_not_live_on_the_date_does_not_cover(
        self, db, victim, staff, given_on, revoked_on
    ):
        make_consent(db, victim, purpose=SHARING, given_on=given_on, revoked_on=revoked_on)
        resp = staff.post(url(victim), json=body())
        assert resp.status_code == 422 and problems(resp) == {"consent_id": "consent_required"}

    def test_every_problem_in_one_422(self, db, victim, staff):
        future = (today() + timedelta(days=3)).isoformat()
        resp = staff.post(url(victim), json=body(referred_on=future, external_ref="CF 1"))
        assert resp.status_code == 422
        assert problems(resp) == {
            "referred_on": "date_in_future",
            "external_ref_kind": "external_ref_kind_required",
            "consent_id": "consent_required",
        }


class TestCovered:
    def test_the_live_consent_is_found_and_recorded(self, db, victim, staff):
        old = make_consent(
            db, victim, purpose=SHARING, given_on=date(2024, 3, 1), revoked_on=date(2024, 3, 5)
        )
        live = make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 6))
        resp = staff.post(url(victim), json=body())
        assert resp.status_code == 201, resp.text
        assert resp.json()["consent_id"] == str(live.id) != str(old.id)
        assert resp.json()["consent_override"] is None
        listed = staff.get(url(victim)).json()["items"]
        assert listed[0]["consent_id"] == str(live.id)
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.record_id == resp.json()["id"]))
        assert event.action == AuditAction.create and "consent_id" in event.fields

    def test_an_explicit_consent_must_be_a_live_sharing_one_of_that_victim(self, db, victim, staff):
        live = make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 1))
        attention = make_consent(db, victim, given_on=date(2024, 3, 1))
        revoked = make_consent(
            db, victim, purpose=SHARING, given_on=date(2024, 3, 1), revoked_on=date(2024, 3, 2)
        )
        other = make_victim(db)
        theirs = make_consent(db, other, purpose=SHARING, given_on=date(2024, 3, 1))
        for wrong in (attention, revoked, theirs):
            resp = staff.post(url(victim), json=body(consent_id=str(wrong.id)))
            assert resp.status_code == 422 and problems(resp) == {"consent_id": "consent_not_live"}
        assert stored(db, victim) == 0
        resp = staff.post(url(victim), json=body(consent_id=str(live.id)))
        assert resp.status_code == 201 and resp.json()["consent_id"] == str(live.id)

    def test_incoming_referrals_need_no_consent_and_take_none(self, db, victim, staff):
        live = make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 1))
        resp = staff.post(url(victim), json=body(direction="in"))
        assert resp.status_code == 201 and resp.json()["consent_id"] is None
        for extra in ({"consent_id": str(live.id)}, {"consent_override": {"reason": "x"}}):
            resp = staff.post(url(victim), json=body(direction="in", **extra))
            assert resp.status_code == 422
            assert set(problems(resp).values()) == {"consent_outgoing_only"}


class TestOverride:
    def test_override_is_recorded_sealed_and_audited(self, db, victim, staff):
        resp = staff.post(url(victim), json=body(consent_override={"reason": REASON}))
        assert resp.status_code == 201, resp.text
        out = resp.json()
        assert out["consent_id"] is None and out["consent_override"] == {"reason": REASON}
        events = list(db.scalars(select(AuditEvent).where(AuditEvent.record_id == out["id"])))
        assert [e.action for e in events] == [AuditAction.create, AuditAction.consent_override]
        assert events[1].fields == "consent_override_reason"
        assert all("Rosa" not in (e.fields or "") + (e.detail or "") for e in events)
        raw = db.execute(
            text("SELECT consent_override_reason, consent_overridden_at FROM referrals")
        ).one()
        assert raw[0] and "Rosa" not in raw[0] and raw[1] is not None
        referral = db.get(Referral, uuid.UUID(out["id"]))
        assert referral.version == 1 and referral.consent_overridden_by_id is not None

    def test_override_needs_a_reason(self, db, victim, staff):
        for bad in ({}, {"reason": ""}, {"reason": "x", "urgent": True}):
            resp = staff.post(url(victim), json=body(consent_override=bad))
            assert resp.status_code == 422
        assert stored(db, victim) == 0

    def test_no_override_where_a_consent_covers(self, db, victim, staff):
        make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 1))
        resp = staff.post(url(victim), json=body(consent_override={"reason": REASON}))
        assert resp.status_code == 422
        assert problems(resp) == {"consent_override": "consent_override_not_needed"}


class TestEdit:
    def patch(self, client, referral, **fields):
        return client.patch(
            f"/api/v1/referrals/{referral.id}", json={"version": referral.version} | fields
        )

    def test_a_referral_made_before_the_rule_stays_editable(self, db, victim, staff):
        legacy = make_referral(db, victim, referred_on=date(2024, 4, 1))
        resp = self.patch(staff, legacy, outcome="accepted", external_ref_kind="other")
        assert resp.status_code == 200, resp.text
        assert resp.json()["consent_id"] is None and resp.json()["version"] == 2

    def test_sending_the_same_date_and_direction_is_no_change(self, db, victim, staff):
        legacy = make_referral(db, victim, referred_on=date(2024, 4, 1))
        resp = self.patch(
            staff, legacy, direction="out", referred_on="2024-04-01", outcome="accepted"
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["consent_id"] is None

    def test_moving_the_date_decides_consent_again(self, db, victim, staff):
        legacy = make_referral(db, victim, referred_on=date(2024, 4, 1))
        resp = self.patch(staff, legacy, referred_on="2024-04-20")
        assert resp.status_code == 422 and problems(resp) == {"consent_id": "consent_required"}
        live = make_consent(db, victim, purpose=SHARING, given_on=date(2024, 4, 15))
        resp = self.patch(staff, legacy, referred_on="2024-04-20")
        assert resp.status_code == 200 and resp.json()["consent_id"] == str(live.id)
        db.refresh(legacy)
        resp = self.patch(staff, legacy, referred_on="2024-04-05")  # before the consent
        assert resp.status_code == 422 and problems(resp) == {"consent_id": "consent_required"}

    def test_becoming_incoming_drops_the_consent(self, db, victim, staff):
        live = make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 1))
        ref = make_referral(db, victim, referred_on=date(2024, 4, 1), consent_id=live.id)
        resp = self.patch(staff, ref, direction="in")
        assert resp.status_code == 200 and resp.json()["consent_id"] is None

    def test_an_override_keeps_covering_a_moved_referral(self, db, victim, staff):
        resp = staff.post(url(victim), json=body(consent_override={"reason": REASON}))
        ref = db.get(Referral, uuid.UUID(resp.json()["id"]))
        resp = self.patch(staff, ref, referred_on="2024-04-12", outcome="pending")
        assert resp.status_code == 200, resp.text
        assert resp.json()["consent_override"] == {"reason": REASON}

    def test_an_override_can_be_given_on_edit_and_is_audited(self, db, victim, staff):
        legacy = make_referral(db, victim, referred_on=date(2024, 4, 1))
        resp = self.patch(
            staff, legacy, referred_on="2024-04-02", consent_override={"reason": "Urgente."}
        )
        assert resp.status_code == 200
        assert resp.json()["consent_override"] == {"reason": "Urgente."}
        actions = db.scalars(
            select(AuditEvent.action).where(AuditEvent.record_id == str(legacy.id))
        ).all()
        assert AuditAction.consent_override in actions
        assert legacy.direction == ReferralDirection.outgoing
