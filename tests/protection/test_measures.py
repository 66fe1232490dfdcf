"""Protection measures API: create, list, edit (versions), delete/restore."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import Institution, Role, Team
from app.db import today
from app.protection.models import ProtectionMeasure
from tests.factories import make_user, make_victim
from tests.work_factories import make_measure


def url(victim) -> str:
    return f"/api/v1/victims/{victim.id}/protection-measures"


def body(**overrides):
    return {
        "kind": "shelter",
        "institution": "car",
        "granted_on": "2024-03-20",
        "ends_on": "2024-09-20",
    } | overrides


def count(db, victim) -> int:
    return db.scalar(
        select(func.count())
        .select_from(ProtectionMeasure)
        .where(ProtectionMeasure.victim_id == victim.id)
    )


class TestCreateMeasure:
    def test_social_worker_records_a_measure(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db, role=Role.social_worker))

        resp = client.post(url(victim), json=body())

        assert resp.status_code == 201, resp.text
        assert resp.json()["ends_on"] == "2024-09-20" and resp.json()["version"] == 1
        assert len(client.get(url(victim)).json()["items"]) == 1
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.record_id == resp.json()["id"]))
        assert event.action == AuditAction.create

    def test_invalid_measures_are_422_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db))
        future = (today() + timedelta(days=1)).isoformat()
        for bad, field in [
            ({"ends_on": "2024-03-19"}, "ends_on"),
            ({"granted_on": future, "ends_on": None}, "granted_on"),
            ({"granted_on": "2024-02-01"}, "granted_on"),
            ({"kind": "bodyguard"}, "kind"),
        ]:
            resp = client.post(url(victim), json=body(**bad))
            assert resp.status_code == 422, bad
            assert field in resp.json()["detail"][0]["loc"], resp.json()
        assert count(db, victim) == 0

    def test_anonymous_other_team_and_forbidden_roles(self, db, client, login_as):
        victim = make_victim(db)
        assert client.get(url(victim)).status_code == 401
        outsider = make_user(db, role=Role.psychologist, teams=[Team.madre_de_dios])
        assert login_as(outsider).post(url(victim), json=body()).status_code == 404
        coordinator = make_user(db, role=Role.coordinator)
        assert login_as(coordinator).post(url(victim), json=body()).status_code == 403
        assert login_as(coordinator).get(url(victim)).status_code == 200
        assert count(db, victim) == 0


class TestUpdateMeasure:
    def test_end_date_is_set(self, db, login_as):
        measure = make_measure(db, make_victim(db), granted_on=date(2024, 3, 20))
        resp = login_as(make_user(db)).patch(
            f"/api/v1/protection-measures/{measure.id}",
            json={"version": 1, "ends_on": "2024-12-31"},
        )
        assert resp.status_code == 200 and resp.json()["version"] == 2

    def test_end_before_grant_is_422(self, db, login_as):
        measure = make_measure(db, make_victim(db), granted_on=date(2024, 3, 20))
        resp = login_as(make_user(db)).patch(
            f"/api/v1/protection-measures/{measure.id}",
            json={"version": 1, "ends_on": "2024-03-01"},
        )
        assert resp.status_code == 422
        db.refresh(measure)
        assert measure.ends_on is None

    def test_stale_version_is_409_and_the_measure_is_unchanged(self, db, login_as):
        measure = make_measure(db, make_victim(db))
        client = login_as(make_user(db))
        path = f"/api/v1/protection-measures/{measure.id}"
        assert client.patch(path, json={"version": 1, "institution": "pnp"}).status_code == 200
        assert client.patch(path, json={"version": 1, "institution": "car"}).status_code == 409
        db.refresh(measure)
        assert measure.institution == Institution.pnp and measure.version == 2


class TestDeleteMeasure:
    def test_delete_hides_and_coordinator_restores(self, db, login_as):
        victim = make_victim(db)
        measure = make_measure(db, victim)
        client = login_as(make_user(db))
        path = f"/api/v1/protection-measures/{measure.id}"
        assert client.delete(path, params={"version": 2}).status_code == 409
        assert client.delete(path, params={"version": 1}).status_code == 204
        assert client.get(url(victim)).json()["items"] == []

        coordinator = login_as(make_user(db, role=Role.coordinator))
        assert coordinator.post(f"{path}/restore", json={"version": 2}).status_code == 200
        assert coordinator.post(f"{path}/restore", json={"version": 3}).status_code == 409
        assert len(coordinator.get(url(victim)).json()["items"]) == 1
