"""Assignments of staff to cases: who may be assigned, one lead, ending, reassignment,
`assigned=me` and the case's current assignments."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.caseload.models import Assignment
from app.catalogs import CaseStatus, Role, Team
from app.db import today
from tests.factories import make_case, make_user

CASES = "/api/v1/cases"


def _assign(client, case, user, responsibility="lead"):
    return client.post(
        f"{CASES}/{case.id}/assignments",
        json={"user_id": str(user.id), "responsibility": responsibility},
    )


class TestAssign:
    def test_staff_assigns_a_colleague_of_the_case_team(self, db, login_as):
        me, colleague = make_user(db), make_user(db, role=Role.lawyer, full_name="Ana Torres")
        case = make_case(db)
        resp = _assign(login_as(me), case, colleague, "legal")
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["user"] == {"id": str(colleague.id), "full_name": "Ana Torres"}
        assert body["responsibility"] == "legal"
        assert body["since"] == today().isoformat() and body["until"] is None
        event = db.scalar(select(AuditEvent).where(AuditEvent.record_id == body["id"]))
        assert event.action == AuditAction.create and event.record_type == "assignment"
        detail = login_as(me).get(f"{CASES}/{case.id}").json()
        assert [a["id"] for a in detail["assignments"]] == [body["id"]]

    def test_only_active_staff_of_the_case_team(self, db, login_as):
        me = make_user(db)
        case = make_case(db)
        others = [
            make_user(db, teams=[Team.cusco]),  # another team
            make_user(db, active=False),  # deactivated
            make_user(db, role=Role.coordinator),  # not staff
            make_user(db, role=Role.admin),
        ]
        for other in others:
            resp = _assign(login_as(me), case, other)
            assert resp.status_code == 422, other.role
            assert resp.json()["code"] == "assignee_not_team_staff"
        assert db.scalar(select(Assignment).where(Assignment.case_id == case.id)) is None

    def test_case_of_another_team_is_404(self, db, login_as):
        me = make_user(db)
        case = make_case(db, team=Team.puno)
        puno = make_user(db, teams=[Team.puno])
        resp = _assign(login_as(me), case, puno)
        assert resp.status_code == 404 and resp.json()["code"] == "case_not_found"

    def test_admin_and_visualiser_403(self, db, login_as):
        case, staff = make_case(db), make_user(db)
        for role in (Role.admin, Role.visualiser):
            resp = _assign(login_as(make_user(db, role=role)), case, staff)
            assert resp.status_code == 403, role

    def test_coordinator_assigns(self, db, login_as):
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
        resp = _assign(login_as(coord), make_case(db), make_user(db))
        assert resp.status_code == 201

    def test_one_current_lead(self, db, login_as):
        me, other = make_user(db), make_user(db, role=Role.social_worker)
        case = make_case(db)
        client = login_as(me)
        first = _assign(client, case, me).json()
        second = _assign(client, case, other).json()
        leads = db.scalars(
            select(Assignment).where(Assignment.case_id == case.id).order_by(Assignment.created_at)
        ).all()
        assert [(str(a.id), a.until) for a in leads] == [
            (first["id"], today()),
            (second["id"], None),
        ]
        current = client.get(f"{CASES}/{case.id}").json()["assignments"]
        assert [a["user"]["id"] for a in current] == [str(other.id)]

    def test_several_responsibilities_but_not_the_same_twice(self, db, login_as):
        me = make_user(db)
        case = make_case(db)
        client = login_as(me)
        assert _assign(client, case, me, "lead").status_code == 201
        assert _assign(client, case, me, "psychological").status_code == 201
        again = _assign(client, case, me, "psychological")
        assert again.status_code == 409 and again.json()["code"] == "assignment_exists"
        current = client.get(f"{CASES}/{case.id}").json()["assignments"]
        assert [a["responsibility"] for a in current] == ["lead", "psychological"]

    def test_unknown_responsibility_422(self, db, login_as):
        me = make_user(db)
        resp = _assign(login_as(me), make_case(db), me, "boss")
        assert resp.status_code == 422


class TestEnd:
    def test_end_keeps_history_and_twice_is_409(self, db, login_as):
        me = make_user(db)
        case = make_case(db)
        client = login_as(me)
        made = _assign(client, case, me).json()
        resp = client.post(f"/api/v1/assignments/{made['id']}/end", json={})
        assert resp.status_code == 200 and resp.json()["until"] == today().isoformat()
        again = client.post(f"/api/v1/assignments/{made['id']}/end", json={})
        assert again.status_code == 409 and again.json()["code"] == "assignment_ended"
        assert client.get(f"{CASES}/{case.id}").json()["assignments"] == []
        assert db.get(Assignment, uuid.UUID(made["id"])) is not None  # still in the history
        updates = db.scalars(
            select(AuditEvent).where(
                AuditEvent.record_id == made["id"], AuditEvent.action == AuditAction.update
            )
        ).all()
        assert [e.fields for e in updates] == ["until"]

    def test_until_not_future_nor_before_start(self, db, login_as):
        me = make_user(db)
        client = login_as(me)
        made = _assign(client, make_case(db), me).json()
        for until in (today() + timedelta(days=1), today() - timedelta(days=1)):
            resp = client.post(
                f"/api/v1/assignments/{made['id']}/end", json={"until": until.isoformat()}
            )
            assert resp.status_code == 422
            assert resp.json()["code"] == "assignment_until_invalid"

    def test_outside_scope_404(self, db, login_as):
        puno = make_user(db, teams=[Team.puno])
        made = _assign(login_as(puno), make_case(db, team=Team.puno), puno).json()
        resp = login_as(make_user(db)).post(f"/api/v1/assignments/{made['id']}/end", json={})
        assert resp.status_code == 404 and resp.json()["code"] == "assignment_not_found"


class TestReassign:
    def test_moves_all_and_skips_teams_the_new_person_is_not_in(self, db, login_as):
        leaving = make_user(db, teams=[Team.lima, Team.cusco])
        taking = make_user(db, teams=[Team.lima])
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima, Team.cusco])
        lima1, lima2, cusco = make_case(db), make_case(db), make_case(db, team=Team.cusco)
        client = login_as(coord)
        for case in (lima1, lima2, cusco):
            assert _assign(client, case, leaving).status_code == 201
        assert _assign(client, lima2, leaving, "psychological").status_code == 201
        resp = client.post(
            "/api/v1/assignments/reassign",
            json={"from_user_id": str(leaving.id), "to_user_id": str(taking.id)},
        )
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["moved"] == 3
        assert body["skipped"] == [
            {"case_id": str(cusco.id), "case_code": cusco.code, "responsibility": "lead"}
        ]
        for case in (lima1, lima2):
            current = client.get(f"{CASES}/{case.id}").json()["assignments"]
            assert {a["user"]["id"] for a in current} == {str(taking.id)}
        assert client.get(f"{CASES}/{cusco.id}").json()["assignments"][0]["user"]["id"] == str(
            leaving.id
        )

    def test_one_responsibility_one_team(self, db, login_as):
        leaving, taking = make_user(db), make_user(db)
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
        case = make_case(db)
        client = login_as(coord)
        _assign(client, case, leaving, "lead")
        _assign(client, case, leaving, "psychological")
        resp = client.post(
            "/api/v1/assignments/reassign",
            json={
                "from_user_id": str(leaving.id),
                "to_user_id": str(taking.id),
                "team": "lima",
                "responsibility": "psychological",
            },
        )
        assert resp.json() == {"moved": 1, "skipped": []}
        current = client.get(f"{CASES}/{case.id}").json()["assignments"]
        assert [(a["responsibility"], a["user"]["id"]) for a in current] == [
            ("lead", str(leaving.id)),
            ("psychological", str(taking.id)),
        ]

    def test_coordinators_only_and_their_teams(self, db, login_as):
        a, b = make_user(db), make_user(db)
        body = {"from_user_id": str(a.id), "to_user_id": str(b.id)}
        resp = login_as(a).post("/api/v1/assignments/reassign", json=body)
        assert resp.status_code == 403 and resp.json()["code"] == "caseload_coordinators_only"
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
        resp = login_as(coord).post("/api/v1/assignments/reassign", json=body | {"team": "puno"})
        assert resp.status_code == 404
        inactive = make_user(db, active=False)
        resp = login_as(coord).post(
            "/api/v1/assignments/reassign", json=body | {"to_user_id": str(inactive.id)}
        )
        assert resp.status_code == 422


class TestAssignedToMe:
    def test_lists_only_my_current_cases(self, db, login_as):
        me, other = make_user(db), make_user(db)
        mine, ended, theirs, none = (make_case(db) for _ in range(4))
        client = login_as(me)
        _assign(client, mine, me, "social")
        made = _assign(client, ended, me).json()
        client.post(f"/api/v1/assignments/{made['id']}/end", json={})
        _assign(client, theirs, other)
        codes = [c["code"] for c in client.get(CASES, params={"assigned": "me"}).json()["items"]]
        assert codes == [mine.code]
        everything = {c["code"] for c in client.get(CASES).json()["items"]}
        assert {mine.code, ended.code, theirs.code, none.code} <= everything
        assert client.get(CASES, params={"assigned": "you"}).status_code == 422


class TestStaff:
    def test_staff_of_my_team_with_inactive_marked(self, db, login_as):
        me = make_user(db, full_name="A Primera")
        gone = make_user(db, role=Role.lawyer, active=False, full_name="B Segunda")
        make_user(db, role=Role.coordinator)  # not staff
        make_user(db, teams=[Team.puno])
        items = login_as(me).get("/api/v1/teams/lima/staff").json()["items"]
        ids = {i["id"]: i for i in items}
        assert ids[str(me.id)]["active"] is True and ids[str(me.id)]["role"] == "psychologist"
        assert ids[str(gone.id)]["active"] is False
        assert all(i["role"] != "coordinator" for i in items)

    def test_another_team_404_and_admin_403(self, db, login_as):
        assert login_as(make_user(db)).get("/api/v1/teams/puno/staff").status_code == 404
        admin = make_user(db, role=Role.admin)
        assert login_as(admin).get("/api/v1/teams/lima/staff").status_code == 403


class TestCaseload:
    def test_per_worker_and_unassigned_incl_deactivated(self, db, login_as):
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
        worker, leaving = make_user(db), make_user(db, role=Role.lawyer)
        led, orphan, _nobody = make_case(db), make_case(db), make_case(db)
        closed = make_case(db)
        client = login_as(coord)
        _assign(client, led, worker)
        _assign(client, closed, worker, "social")
        _assign(client, orphan, leaving)
        closed.status, closed.closed_on, closed.close_reason = (
            CaseStatus.closed,
            closed.opened_on,
            "goals_met",
        )
        db.flush()
        before = client.get("/api/v1/caseload").json()
        leaving.active = False
        db.flush()
        body = client.get("/api/v1/caseload", params={"team": "lima"}).json()
        rows = {r["user"]["id"]: r for r in body["items"]}
        assert rows[str(worker.id)]["open_cases"] == 1  # the closed one does not count
        assert rows[str(worker.id)]["overdue"] == 0
        assert str(leaving.id) not in rows  # deactivated: no row, its case unassigned
        assert before["unassigned_open_cases"] == 1  # `nobody`
        assert body["unassigned_open_cases"] == 2  # and `orphan`, whose lead left

    def test_coordinators_only(self, db, login_as):
        resp = login_as(make_user(db)).get("/api/v1/caseload")
        assert resp.status_code == 403
        coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
        assert login_as(coord).get("/api/v1/caseload", params={"team": "puno"}).status_code == 404
