"""Record histories: who, when, which fields, never values; keyset pages over two sources."""

from __future__ import annotations

from app.catalogs import Role, Team
from tests.factories import make_case, make_user, make_victim


def _all_pages(client, url, limit):
    items, cursor = [], None
    for _ in range(20):
        page = client.get(url, params={"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items
    raise AssertionError("pagination did not end")


class TestCaseHistory:
    def test_lists_changes_and_transitions_without_values(self, db, login_as):
        staff = make_user(db)
        client = login_as(staff)
        case = client.post(
            "/api/v1/cases",
            json={"team": "lima", "opened_on": "2024-01-10", "summary": "Texto muy privado"},
        ).json()
        url = f"/api/v1/cases/{case['id']}"
        client.patch(url, json={"version": 1, "summary": "Otro texto privado"})
        client.post(
            f"{url}/close",
            json={
                "version": 2,
                "closed_on": "2024-02-01",
                "close_reason": "lost_contact",
                "note": "Nota",
            },
        )
        resp = client.get(f"{url}/history")
        assert resp.status_code == 200
        items = resp.json()["items"]
        for secret in ("privado", "Nota"):
            assert secret not in resp.text
        assert {i["user"] for i in items} == {staff.username}
        actions = [(i["action"], i["to_status"]) for i in items]
        assert actions.count(("status_change", "closed")) == 1
        assert actions.count(("status_change", "open")) == 1
        updates = [i["fields"] for i in items if i["action"] == "update"]
        assert ["summary"] in updates and ["close_reason", "closed_on", "status"] in updates
        assert items[-1]["action"] in ("create", "status_change")
        times = [i["at"] for i in items]
        assert times == sorted(times, reverse=True)
        assert _all_pages(client, f"{url}/history", limit=2) == items

    def test_other_team_gets_404_and_admin_403(self, db, login_as):
        case = make_case(db, team=Team.cusco)
        assert login_as(make_user(db)).get(f"/api/v1/cases/{case.id}/history").status_code == 404
        assert (
            login_as(make_user(db, role=Role.admin))
            .get(f"/api/v1/cases/{case.id}/history")
            .status_code
            == 403
        )

    def test_bad_cursor_is_invalid(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db)).get(
            f"/api/v1/cases/{case.id}/history", params={"cursor": "eyJ4Ijox"}
        )
        assert resp.status_code == 422


class TestVictimHistory:
    def test_identity_changes_name_fields_only(self, db, login_as):
        victim = make_victim(db, identity={"phone": "900111222"})
        staff = make_user(db)
        client = login_as(staff)
        url = f"/api/v1/victims/{victim.id}"
        client.get(url)  # a read is audited but is not a change
        client.patch(
            url,
            json={"version": 1, "identity": {"phone": "955666777", "document_number": "12345678"}},
        )
        client.delete(url, params={"version": 2})
        boss = login_as(make_user(db, role=Role.coordinator))
        boss.post(f"{url}/restore", json={"version": 3})
        resp = boss.get(f"{url}/history")
        assert resp.status_code == 200
        items = resp.json()["items"]
        assert [i["action"] for i in items] == ["restore", "delete", "update"]
        assert items[2]["fields"] == ["identity.document_number", "identity.phone"]
        assert items[2]["user"] == staff.username
        for secret in ("900111222", "955666777", "12345678"):
            assert secret not in resp.text
