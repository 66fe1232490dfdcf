"""The cases API: open, list, read, edit, close, reopen, delete, restore."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.cases.models import Case, CaseStatusChange
from app.catalogs import CaseStatus, Role, Team
from app.db import today
from app.detections.models import Detection
from tests.factories import make_case, make_user, make_victim

CASES = "/api/v1/cases"


def _events(db, record_id, action=None):
    stmt = select(AuditEvent).where(AuditEvent.record_id == str(record_id))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return db.scalars(stmt.order_by(AuditEvent.id)).all()


class TestOpenCase:
    def test_anonymous_gets_401(self, client):
        assert (
            client.post(CASES, json={"team": "lima", "opened_on": "2024-01-02"}).status_code == 401
        )

    def test_admin_and_coordinator_get_403(self, db, login_as):
        for role in (Role.admin, Role.coordinator):
            resp = login_as(make_user(db, role=role, teams=[Team.lima])).post(
                CASES, json={"team": "lima", "opened_on": "2024-01-02"}
            )
            assert resp.status_code == 403, role

    def test_team_of_others_gets_403(self, db, login_as):
        resp = login_as(make_user(db)).post(CASES, json={"team": "puno", "opened_on": "2024-01-02"})
        assert resp.status_code == 403
        assert db.scalar(select(Case).where(Case.team == Team.puno)) is None

    def test_future_opening_is_invalid(self, db, login_as):
        resp = login_as(make_user(db)).post(
            CASES, json={"team": "lima", "opened_on": (today() + timedelta(days=1)).isoformat()}
        )
        assert resp.status_code == 422
        assert resp.json()["error"] == "validation_error"

    def test_unknown_field_is_invalid(self, db, login_as):
        resp = login_as(make_user(db)).post(
            CASES, json={"team": "lima", "opened_on": "2024-01-02", "status": "closed"}
        )
        assert resp.status_code == 422

    def test_codes_follow_team_and_year(self, db, login_as):
        client = login_as(make_user(db, teams=[Team.madre_de_dios, Team.cusco]))
        codes = [
            client.post(CASES, json={"team": team, "opened_on": opened}).json()["code"]
            for team, opened in [
                ("madre_de_dios", "2019-02-01"),
                ("madre_de_dios", "2019-12-31"),
                ("madre_de_dios", "2020-01-01"),
                ("cusco", "2019-05-05"),
            ]
        ]
        assert codes == ["MDD-2019-0001", "MDD-2019-0002", "MDD-2020-0001", "CUS-2019-0001"]

    def test_code_skips_sequences_taken_outside_the_counter(self, db, login_as):
        make_case(db, team=Team.puno, opened_on=date(2018, 3, 1), seq=7, code="PUN-2018-0007")
        resp = login_as(make_user(db, teams=[Team.puno])).post(
            CASES, json={"team": "puno", "opened_on": "2018-04-01"}
        )
        assert resp.json()["code"] == "PUN-2018-0008"

    def test_staff_opens_a_case_recorded_and_audited(self, db, login_as):
        user = make_user(db, role=Role.social_worker)
        resp = login_as(user).post(
            CASES,
            json={
                "team": "lima",
                "opened_on": "2024-03-12",
                "referred_by": "fiscalia",
                "summary": "Texto confidencial",
            },
        )
        assert resp.status_code == 201
        body = resp.json()
        assert (body["status"], body["version"], body["team"]) == ("open", 1, "lima")
        case = db.get(Case, uuid.UUID(body["id"]))
        assert case.summary == "Texto confidencial"
        changes = db.scalars(
            select(CaseStatusChange).where(CaseStatusChange.case_id == case.id)
        ).all()
        assert [(c.from_status, c.to_status) for c in changes] == [(None, CaseStatus.open)]
        (event,) = _events(db, case.id, AuditAction.create)
        assert event.fields == "opened_on,referred_by,summary,team"
        assert "confidencial" not in (event.detail or "")


class TestListCases:
    def test_lists_only_own_teams_newest_first(self, db, login_as):
        mine = [make_case(db, opened_on=date(2023, m, 1)) for m in (1, 5, 3)]
        make_case(db, team=Team.cusco)
        resp = login_as(make_user(db)).get(CASES, params={"year": 2023})
        assert resp.status_code == 200
        ids = [i["id"] for i in resp.json()["items"]]
        assert ids == [str(c.id) for c in sorted(mine, key=lambda c: c.opened_on, reverse=True)]
        assert "summary" not in resp.json()["items"][0]

    def test_filters_status_and_team(self, db, login_as):
        closed = make_case(
            db,
            team=Team.loreto,
            status=CaseStatus.closed,
            closed_on=date(2024, 4, 1),
            close_reason="goals_met",
        )
        make_case(db, team=Team.loreto)
        client = login_as(make_user(db, teams=[Team.loreto, Team.lima]))
        items = client.get(CASES, params={"team": "loreto", "status": "closed"}).json()["items"]
        assert [i["id"] for i in items] == [str(closed.id)]

    def test_q_matches_codes_by_prefix_and_part(self, db, login_as):
        a = make_case(db, team=Team.puno, opened_on=date(2022, 1, 5), seq=42, code="PUN-2022-0042")
        b = make_case(db, team=Team.puno, opened_on=date(2022, 2, 5), seq=43, code="PUN-2022-0043")
        c = make_case(db, team=Team.puno, opened_on=date(2021, 2, 5), seq=42, code="PUN-2021-0042")
        client = login_as(make_user(db, teams=[Team.puno]))

        def found(q):
            return {i["code"] for i in client.get(CASES, params={"q": q}).json()["items"]}

        assert found("PUN-2022-0042") == {a.code}
        assert found("pun-2022-004") == {a.code, b.code}
        assert found("PUN-202") == {a.code, b.code, c.code}
        assert found("2022-0043") == {b.code}
        assert found("42") == {a.code, c.code}
        assert found("PUN-2022-0042-V1") == {a.code}
        assert found("LIM-2022") == set()
        assert found("nombre") == set()

    def test_pages_cover_everything_once(self, db, login_as):
        made = {
            str(make_case(db, team=Team.cusco, opened_on=date(2020, 1, 1 + i % 3)).id)
            for i in range(5)
        }
        client = login_as(make_user(db, teams=[Team.cusco]))
        seen, cursor = [], None
        for _ in range(5):
            params = {"limit": 2, "team": "cusco", **({"cursor": cursor} if cursor else {})}
            page = client.get(CASES, params=params).json()
            seen += [i["id"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(made)

    def test_bad_cursor_is_invalid(self, db, login_as):
        resp = login_as(make_user(db)).get(CASES, params={"cursor": "not-a-cursor"})
        assert resp.status_code == 422

    def test_admin_gets_403(self, db, login_as):
        assert login_as(make_user(db, role=Role.admin)).get(CASES).status_code == 403


class TestReadCase:
    def test_other_team_gets_404(self, db, login_as):
        case = make_case(db, team=Team.cusco)
        resp = login_as(make_user(db)).get(f"{CASES}/{case.id}")
        assert resp.status_code == 404
        assert resp.json()["error"] == "not_found"

    def test_detail_has_live_victims_and_detections_without_identity(self, db, login_as):
        case = make_case(db)
        live = make_victim(db, case=case, identity={"given_names": "Rosa"})
        make_victim(db, case=case, deleted_at=date(2024, 5, 1))
        db.add(
            Detection(
                case_id=case.id,
                detected_on=date(2024, 4, 2),
                polarity="bad",
                category="privacy",
                institution="pnp",
                description="secreto",
            )
        )
        db.flush()
        resp = login_as(make_user(db, role=Role.coordinator)).get(f"{CASES}/{case.id}")
        assert resp.status_code == 200
        body = resp.json()
        assert [v["id"] for v in body["victims"]] == [str(live.id)]
        assert [d["category"] for d in body["detections"]] == ["privacy"]
        assert "Rosa" not in resp.text and "secreto" not in resp.text


class TestUpdateCase:
    def test_stale_version_is_409_and_nothing_changes(self, db, login_as):
        case = make_case(db, summary="antes")
        client = login_as(make_user(db))
        assert (
            client.patch(f"{CASES}/{case.id}", json={"version": 1, "summary": "uno"}).status_code
            == 200
        )
        resp = client.patch(
            f"{CASES}/{case.id}", json={"version": 1, "summary": "dos", "status": "follow_up"}
        )
        assert resp.status_code == 409
        db.refresh(case)
        assert (case.summary, case.status, case.version) == ("uno", CaseStatus.open, 2)

    def test_closing_through_patch_is_invalid(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db)).patch(
            f"{CASES}/{case.id}", json={"version": 1, "status": "closed"}
        )
        assert resp.status_code == 422

    def test_coordinator_may_not_edit(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db, role=Role.coordinator)).patch(
            f"{CASES}/{case.id}", json={"version": 1, "summary": "x"}
        )
        assert resp.status_code == 403

    def test_status_to_follow_up_is_a_recorded_transition(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db)).patch(
            f"{CASES}/{case.id}", json={"version": 1, "status": "follow_up", "referred_by": "mimp"}
        )
        assert resp.status_code == 200
        assert (resp.json()["status"], resp.json()["version"]) == ("follow_up", 2)
        change = db.scalar(select(CaseStatusChange).where(CaseStatusChange.case_id == case.id))
        assert (change.from_status, change.to_status) == (CaseStatus.open, CaseStatus.follow_up)
        (event,) = _events(db, case.id, AuditAction.update)
        assert event.fields == "referred_by,status"


class TestCloseAndReopen:
    def _close(self, client, case, **overrides):
        body = {
            "version": case.version,
            "closed_on": "2024-06-01",
            "close_reason": "goals_met",
        } | overrides
        return client.post(f"{CASES}/{case.id}/close", json=body)

    def test_close_before_opening_is_invalid(self, db, login_as):
        case = make_case(db, opened_on=date(2024, 7, 1))
        resp = self._close(login_as(make_user(db)), case)
        assert resp.status_code == 422
        assert resp.json()["detail"][0]["loc"] == ["closed_on"]

    def test_close_in_future_is_invalid(self, db, login_as):
        case = make_case(db)
        resp = self._close(
            login_as(make_user(db)), case, closed_on=(today() + timedelta(days=2)).isoformat()
        )
        assert resp.status_code == 422

    def test_stale_close_is_409_and_case_stays_open(self, db, login_as):
        case = make_case(db)
        resp = self._close(login_as(make_user(db)), case, version=case.version + 1)
        assert resp.status_code == 409
        db.refresh(case)
        assert case.status == CaseStatus.open and case.closed_on is None

    def test_close_then_reopen(self, db, login_as):
        case = make_case(db)
        client = login_as(make_user(db))
        closed = self._close(client, case, note="nota")
        assert closed.status_code == 200
        assert (closed.json()["status"], closed.json()["close_reason"]) == ("closed", "goals_met")
        assert self._close(client, case, version=2).status_code == 409
        reopened = client.post(
            f"{CASES}/{case.id}/reopen", json={"version": 2, "reason": "nueva denuncia"}
        )
        assert reopened.status_code == 200
        assert reopened.json()["status"] == "open" and reopened.json()["closed_on"] is None
        changes = db.scalars(
            select(CaseStatusChange)
            .where(CaseStatusChange.case_id == case.id)
            .order_by(CaseStatusChange.at)
        ).all()
        assert [c.to_status for c in changes] == [CaseStatus.closed, CaseStatus.open]
        assert changes[1].note == "nueva denuncia"

    def test_reopen_of_an_open_case_is_409(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db)).post(
            f"{CASES}/{case.id}/reopen", json={"version": 1, "reason": "x"}
        )
        assert resp.status_code == 409


class TestDeleteAndRestore:
    def test_stale_delete_is_409(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db)).delete(f"{CASES}/{case.id}", params={"version": 9})
        assert resp.status_code == 409
        db.refresh(case)
        assert case.deleted_at is None

    def test_delete_hides_and_coordinator_restores(self, db, login_as, app):
        case = make_case(db)
        victim = make_victim(db, case=case)
        staff, boss = make_user(db), make_user(db, role=Role.coordinator)
        client = login_as(staff)
        assert client.delete(f"{CASES}/{case.id}", params={"version": 1}).status_code == 204
        assert client.get(f"{CASES}/{case.id}").status_code == 404
        assert client.get(f"/api/v1/victims/{victim.id}").status_code == 404
        assert str(case.id) not in client.get(CASES).text
        assert client.post(f"{CASES}/{case.id}/restore", json={"version": 2}).status_code == 403
        client = login_as(boss)
        assert client.post(f"{CASES}/{case.id}/restore", json={"version": 1}).status_code == 409
        resp = client.post(f"{CASES}/{case.id}/restore", json={"version": 2})
        assert resp.status_code == 200 and resp.json()["version"] == 3
        assert client.get(f"{CASES}/{case.id}").status_code == 200
        assert [e.action for e in _events(db, case.id)] == [AuditAction.delete, AuditAction.restore]

    def test_restore_of_a_live_case_is_409(self, db, login_as):
        case = make_case(db)
        resp = login_as(make_user(db, role=Role.coordinator)).post(
            f"{CASES}/{case.id}/restore", json={"version": 1}
        )
        assert resp.status_code == 409
