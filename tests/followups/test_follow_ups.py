"""Follow-ups API: append-only entries, corrections, narrative visibility, audit."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import FollowUpKind, Role, Team
from app.db import today
from app.followups.models import FollowUp
from tests.factories import make_user, make_victim
from tests.work_factories import make_follow_up

SECRET = "Relato confidencial de la sesión"


def url(victim) -> str:
    return f"/api/v1/victims/{victim.id}/follow-ups"


def body(**overrides):
    return {
        "occurred_on": today().isoformat(),
        "kind": "legal",
        "narrative": "Orientación.",
        "actions": [{"type": "orientation", "institution": "fiscalia", "status": "done"}],
    } | overrides


def count(db, victim) -> int:
    return db.scalar(
        select(func.count()).select_from(FollowUp).where(FollowUp.victim_id == victim.id)
    )


def events(db, action, record_id) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.action == action, AuditEvent.record_id == str(record_id)
            )
        )
    )


class TestAddFollowUp:
    def test_lawyer_adds_a_follow_up(self, db, login_as):
        lawyer, victim = make_user(db, role=Role.lawyer), make_victim(db)

        resp = login_as(lawyer).post(url(victim), json=body())

        assert resp.status_code == 201, resp.text
        data = resp.json()
        assert data["narrative"] == "Orientación." and data["author_id"] == str(lawyer.id)
        assert data["actions"] == [
            {"type": "orientation", "institution": "fiscalia", "status": "done", "due_on": None}
        ]
        assert data["supersedes"] is None and data["superseded_by"] is None
        [created] = events(db, AuditAction.create, data["id"])
        assert created.fields == "actions,kind,narrative,occurred_on"
        assert "Orientación" not in (created.detail or "")

    def test_anonymous_gets_401(self, db, client):
        victim = make_victim(db)
        assert client.post(url(victim), json=body()).status_code == 401

    def test_other_team_gets_404(self, db, login_as):
        victim = make_victim(db)
        outsider = make_user(db, role=Role.lawyer, teams=[Team.cusco])
        resp = login_as(outsider).post(url(victim), json=body())
        assert resp.status_code == 404
        assert count(db, victim) == 0

    def test_coordinator_and_admin_may_not_write(self, db, login_as):
        victim = make_victim(db)
        for role in (Role.coordinator, Role.admin):
            resp = login_as(make_user(db, role=role)).post(url(victim), json=body())
            assert resp.status_code == 403, role
        assert count(db, victim) == 0

    def test_invalid_dates_and_codes_are_422_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)  # case opened 2024-03-01
        client = login_as(make_user(db, role=Role.lawyer))
        tomorrow = (today() + timedelta(days=1)).isoformat()
        for bad, field in [
            ({"occurred_on": tomorrow}, "occurred_on"),
            ({"occurred_on": "2024-02-28"}, "occurred_on"),
            ({"kind": "gossip"}, "kind"),
            ({"narrative": ""}, "narrative"),
            ({"actions": [{"type": "magic", "status": "done"}]}, "type"),
        ]:
            resp = client.post(url(victim), json=body(**bad))
            assert resp.status_code == 422, bad
            assert resp.json()["error"] == "validation_error"
            assert field in resp.json()["detail"][0]["loc"], resp.json()
        assert count(db, victim) == 0


class TestSupersede:
    def test_correction_flags_the_original_and_leaves_it_listed(self, db, login_as):
        victim = make_victim(db)
        original = make_follow_up(db, victim, occurred_on=date(2024, 3, 5))
        client = login_as(make_user(db, role=Role.social_worker))

        resp = client.post(url(victim), json=body(supersedes=str(original.id)))

        assert resp.status_code == 201, resp.text
        correction = resp.json()["id"]
        assert resp.json()["supersedes"] == str(original.id)
        items = client.get(url(victim)).json()["items"]
        by_id = {i["id"]: i for i in items}
        assert by_id[str(original.id)]["superseded_by"] == correction
        assert by_id[correction]["superseded_by"] is None
        current = client.get(url(victim), params={"current_only": True}).json()["items"]
        assert [i["id"] for i in current] == [correction]

    def test_superseding_twice_is_409_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)
        original = make_follow_up(db, victim)
        make_follow_up(db, victim, supersedes_id=original.id)
        client = login_as(make_user(db, role=Role.lawyer))

        resp = client.post(url(victim), json=body(supersedes=str(original.id)))

        assert resp.status_code == 409
        assert count(db, victim) == 2

    def test_superseding_another_victims_entry_is_409(self, db, login_as):
        victim, other = make_victim(db), make_victim(db)
        foreign = make_follow_up(db, other)
        client = login_as(make_user(db, role=Role.lawyer))
        for target in (foreign.id, uuid.uuid4()):
            resp = client.post(url(victim), json=body(supersedes=str(target)))
            assert resp.status_code == 409
        assert count(db, victim) == 0


class TestNarrativeVisibility:
    def _psychological(self, db):
        author = make_user(db, role=Role.social_worker)
        victim = make_victim(db)
        entry = make_follow_up(
            db, victim, author=author, kind=FollowUpKind.psychological, narrative=SECRET
        )
        return author, victim, entry

    def test_team_psychologist_reads_it_and_it_is_audited(self, db, login_as):
        _, victim, _ = self._psychological(db)
        psychologist = make_user(db, role=Role.psychologist)

        [item] = login_as(psychologist).get(url(victim)).json()["items"]

        assert item["narrative"] == SECRET and item["narrative_hidden"] is False
        [read] = events(db, AuditAction.read_narrative, victim.id)
        assert read.user_id == psychologist.id and read.record_type == "victim"
        assert read.detail == "follow_ups:1"

    def test_author_reads_it(self, db, login_as):
        author, victim, _ = self._psychological(db)
        [item] = login_as(author).get(url(victim)).json()["items"]
        assert item["narrative"] == SECRET

    def test_lawyer_and_coordinator_get_null_with_the_rest(self, db, login_as):
        _, victim, entry = self._psychological(db)
        for role in (Role.lawyer, Role.coordinator):
            resp = login_as(make_user(db, role=role)).get(url(victim))
            [item] = resp.json()["items"]
            assert item["narrative"] is None and item["narrative_hidden"] is True
            assert item["id"] == str(entry.id) and item["kind"] == "psychological"
            assert item["actions"] and SECRET not in resp.text
        assert events(db, AuditAction.read_narrative, victim.id) == []

    def test_other_kinds_are_readable_by_the_team(self, db, login_as):
        victim = make_victim(db)
        make_follow_up(db, victim, kind=FollowUpKind.legal, narrative="Nota legal.")
        [item] = login_as(make_user(db, role=Role.lawyer)).get(url(victim)).json()["items"]
        assert item["narrative"] == "Nota legal."


class TestListFollowUps:
    def test_pages_walk_every_entry_newest_first(self, db, login_as):
        victim = make_victim(db)
        for day in (5, 7, 6):
            make_follow_up(db, victim, occurred_on=date(2024, 3, day))
        client = login_as(make_user(db, role=Role.lawyer))
        seen, cursor = [], None
        for _ in range(4):
            page = client.get(
                url(victim), params={"limit": 1} | ({"cursor": cursor} if cursor else {})
            ).json()
            seen += [i["occurred_on"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ["2024-03-07", "2024-03-06", "2024-03-05"]

    def test_other_team_gets_404_and_admin_403(self, db, login_as):
        victim = make_victim(db)
        make_follow_up(db, victim)
        outsider = make_user(db, role=Role.psychologist, teams=[Team.puno])
        assert login_as(outsider).get(url(victim)).status_code == 404
        assert login_as(make_user(db, role=Role.admin)).get(url(victim)).status_code == 403

    def test_bad_cursor_is_422(self, db, login_as):
        victim = make_victim(db)
        resp = login_as(make_user(db)).get(url(victim), params={"cursor": "nonsense"})
        assert resp.status_code == 422
