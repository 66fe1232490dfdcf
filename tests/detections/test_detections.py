"""Detections API: practices witnessed in a case; create, list, edit, delete/restore."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import PracticeCategory, Role, Team
from app.db import today
from app.detections.models import Detection
from tests.factories import make_case, make_user
from tests.work_factories import make_detection


def url(case) -> str:
    return f"/api/v1/cases/{case.id}/detections"


def body(**overrides):
    return {
        "detected_on": "2024-04-10",
        "polarity": "bad",
        "category": "privacy",
        "institution": "pnp",
        "stage": "complaint",
        "description": "Declaración en un espacio abierto.",
    } | overrides


def count(db, case) -> int:
    return db.scalar(
        select(func.count()).select_from(Detection).where(Detection.case_id == case.id)
    )


class TestCreateDetection:
    def test_lawyer_records_a_practice(self, db, login_as):
        case = make_case(db)
        client = login_as(make_user(db, role=Role.lawyer))

        resp = client.post(url(case), json=body())

        assert resp.status_code == 201, resp.text
        assert resp.json()["category"] == "privacy" and resp.json()["version"] == 1
        assert len(client.get(url(case)).json()["items"]) == 1
        assert client.get(url(case), params={"polarity": "good"}).json()["items"] == []
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.record_id == resp.json()["id"]))
        assert event.action == AuditAction.create and "description" in event.fields

    def test_invalid_detections_are_422_and_nothing_is_stored(self, db, login_as):
        case = make_case(db)  # opened 2024-03-01
        client = login_as(make_user(db))
        future = (today() + timedelta(days=1)).isoformat()
        for bad, field in [
            ({"detected_on": future}, "detected_on"),
            ({"detected_on": "2024-02-29"}, "detected_on"),
            ({"polarity": "neutral"}, "polarity"),
            ({"category": "rudeness"}, "category"),
            ({"stage": "trial"}, "stage"),
            ({"description": ""}, "description"),
        ]:
            resp = client.post(url(case), json=body(**bad))
            assert resp.status_code == 422, bad
            assert field in resp.json()["detail"][0]["loc"], resp.json()
        assert count(db, case) == 0

    def test_anonymous_other_team_and_forbidden_roles(self, db, client, login_as):
        case = make_case(db)
        assert client.post(url(case), json=body()).status_code == 401
        outsider = make_user(db, role=Role.social_worker, teams=[Team.loreto])
        assert login_as(outsider).post(url(case), json=body()).status_code == 404
        assert login_as(outsider).get(url(case)).status_code == 404
        for role in (Role.coordinator, Role.admin):
            assert (
                login_as(make_user(db, role=role)).post(url(case), json=body()).status_code == 403
            )
        assert count(db, case) == 0


class TestUpdateDetection:
    def test_stale_version_is_409_and_the_detection_is_unchanged(self, db, login_as):
        detection = make_detection(db, make_case(db))
        client = login_as(make_user(db))
        path = f"/api/v1/detections/{detection.id}"
        resp = client.patch(path, json={"version": 1, "category": "procedural"})
        assert resp.status_code == 200 and resp.json()["version"] == 2
        assert client.patch(path, json={"version": 1, "category": "forensic"}).status_code == 409
        db.refresh(detection)
        assert detection.category == PracticeCategory.procedural and detection.version == 2

    def test_future_date_in_a_patch_is_422(self, db, login_as):
        detection = make_detection(db, make_case(db))
        future = (today() + timedelta(days=2)).isoformat()
        resp = login_as(make_user(db)).patch(
            f"/api/v1/detections/{detection.id}", json={"version": 1, "detected_on": future}
        )
        assert resp.status_code == 422


class TestDeleteDetection:
    def test_delete_hides_and_coordinator_restores(self, db, login_as):
        case = make_case(db)
        detection = make_detection(db, case)
        client = login_as(make_user(db))
        path = f"/api/v1/detections/{detection.id}"
        assert client.delete(path, params={"version": 1}).status_code == 204
        assert client.get(url(case)).json()["items"] == []
        assert client.post(f"{path}/restore", json={"version": 2}).status_code == 403

        coordinator = login_as(make_user(db, role=Role.coordinator))
        assert coordinator.post(f"{path}/restore", json={"version": 2}).status_code == 200
        assert len(coordinator.get(url(case)).json()["items"]) == 1
