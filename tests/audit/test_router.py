"""GET /api/v1/audit: admin and coordinators; filters by user, record and period."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from app.audit.models import AuditEvent
from app.catalogs import Role, Team
from tests.factories import make_case, make_user, make_victim

AUDIT = "/api/v1/audit"
KEYS = {"at", "user", "action", "record_type", "record_id", "client"}


def _activity(db, login_as):
    """Two workers touching two victims; returns (first worker, first victim)."""
    ana, beto = make_user(db), make_user(db, teams=[Team.cusco])
    v1 = make_victim(db, identity={"given_names": "Rosa", "document_number": "555"})
    v2 = make_victim(db, case=make_case(db, team=Team.cusco))
    login_as(ana).get(f"/api/v1/victims/{v1.id}")
    login_as(ana).patch(f"/api/v1/victims/{v1.id}", json={"version": 1, "disability": True})
    login_as(beto).patch(f"/api/v1/victims/{v2.id}", json={"version": 1, "disability": False})
    return ana, v1


class TestAuditLog:
    def test_anonymous_401_and_staff_403(self, db, client, login_as):
        assert client.get(AUDIT).status_code == 401
        assert login_as(make_user(db)).get(AUDIT).status_code == 403

    def test_filters_by_user_and_record_without_content(self, db, login_as):
        ana, v1 = _activity(db, login_as)
        client = login_as(make_user(db, role=Role.admin))
        resp = client.get(AUDIT, params={"user": ana.username})
        assert resp.status_code == 200
        items = resp.json()["items"]
        assert [(i["action"], i["record_id"]) for i in items] == [
            ("update", str(v1.id)),
            ("read_identity", str(v1.id)),
        ]
        assert all(set(i) == KEYS and i["user"] == ana.username for i in items)
        assert "Rosa" not in resp.text and "555" not in resp.text
        by_id = client.get(AUDIT, params={"user": str(ana.id)}).json()["items"]
        assert by_id == items
        record = client.get(AUDIT, params={"record": str(v1.id)}).json()["items"]
        assert {i["user"] for i in record} == {ana.username}
        assert client.get(AUDIT, params={"user": "nadie"}).json()["items"] == []

    def test_period_filter_and_pages(self, db, login_as):
        ana, v1 = _activity(db, login_as)
        db.execute(
            update(AuditEvent)
            .where(AuditEvent.action == "read_identity", AuditEvent.record_id == str(v1.id))
            .values(at=datetime(2020, 6, 15, 12, tzinfo=UTC))
        )
        db.flush()
        client = login_as(make_user(db, role=Role.coordinator, teams=[Team.puno]))
        old = client.get(
            AUDIT, params={"user": ana.username, "from": "2020-06-15", "to": "2020-06-15"}
        ).json()["items"]
        assert [i["action"] for i in old] == ["read_identity"]
        recent = client.get(AUDIT, params={"user": ana.username, "from": "2021-01-01"}).json()[
            "items"
        ]
        assert [i["action"] for i in recent] == ["update"]
        first = client.get(AUDIT, params={"limit": 1}).json()
        second = client.get(AUDIT, params={"limit": 1, "cursor": first["next_cursor"]}).json()
        assert first["items"] != second["items"] and len(second["items"]) == 1

    def test_bad_filters_are_invalid(self, db, login_as):
        client = login_as(make_user(db, role=Role.admin))
        assert client.get(AUDIT, params={"from": "ayer"}).status_code == 422
        assert client.get(AUDIT, params={"cursor": "zzz"}).status_code == 422
