"""Plans API: create, read, edit (versions), delete/restore, reviews."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import GoalStatus, PlanStatus, Role, Team
from app.db import today
from app.plans.models import Plan, PlanGoal, PlanReview
from tests.factories import make_user, make_victim
from tests.work_factories import make_plan


def body(**overrides):
    return {
        "assessed_on": "2024-03-10",
        "status": "drafted",
        "next_review_on": "2024-06-10",
        "needs": [{"dimension": "identity", "description": "Sin DNI.", "priority": "high"}],
        "goals": [
            {
                "dimension": "identity",
                "description": "Tramitar DNI.",
                "due_on": "2024-05-31",
                "status": "pending",
            }
        ],
    } | overrides


def plans_url(victim) -> str:
    return f"/api/v1/victims/{victim.id}/plans"


def plan_count(db, victim) -> int:
    return db.scalar(select(func.count()).select_from(Plan).where(Plan.victim_id == victim.id))


class TestCreatePlan:
    def test_psychologist_draws_up_a_plan(self, db, login_as):
        victim = make_victim(db)
        client = login_as(make_user(db, role=Role.psychologist))

        resp = client.post(plans_url(victim), json=body())

        assert resp.status_code == 201, resp.text
        data = resp.json()
        assert data["version"] == 1 and data["status"] == "drafted" and data["reviews"] == []
        assert data["needs"][0]["priority"] == "high"
        assert data["goals"][0]["description"] == "Tramitar DNI."
        assert client.get(f"/api/v1/plans/{data['id']}").json()["goals"] == data["goals"]
        [event] = db.scalars(select(AuditEvent).where(AuditEvent.record_id == data["id"]))
        assert event.action == AuditAction.create and "needs" in event.fields

    def test_invalid_plans_are_422_with_fields_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)  # case opened 2024-03-01
        client = login_as(make_user(db, role=Role.lawyer))
        future = (today() + timedelta(days=3)).isoformat()
        for bad, field in [
            ({"assessed_on": future}, "assessed_on"),
            ({"assessed_on": "2024-02-01"}, "assessed_on"),
            ({"next_review_on": "2024-03-01"}, "next_review_on"),
            ({"status": "finished"}, "status"),
            ({"needs": [{"dimension": "luck", "priority": "high"}]}, "dimension"),
        ]:
            resp = client.post(plans_url(victim), json=body(**bad))
            assert resp.status_code == 422, bad
            assert field in resp.json()["detail"][0]["loc"], resp.json()
        resp = client.post(
            plans_url(victim),
            json=body(goals=[{"dimension": "health", "due_on": "2024-01-01", "status": "pending"}]),
        )
        assert resp.json()["detail"][0]["loc"] == ["goals", "0", "due_on"]
        assert plan_count(db, victim) == 0

    def test_anonymous_other_team_and_coordinator(self, db, client, login_as):
        victim = make_victim(db)
        assert client.post(plans_url(victim), json=body()).status_code == 401
        outsider = make_user(db, role=Role.lawyer, teams=[Team.loreto])
        assert login_as(outsider).post(plans_url(victim), json=body()).status_code == 404
        coordinator = make_user(db, role=Role.coordinator)
        assert login_as(coordinator).post(plans_url(victim), json=body()).status_code == 403
        assert plan_count(db, victim) == 0


class TestUpdatePlan:
    def test_patch_edits_fields_and_goals_and_bumps_version(self, db, login_as):
        plan = make_plan(db, make_victim(db), assessed_on=date(2024, 3, 10))
        goal_id = plan.goals[0].id
        client = login_as(make_user(db, role=Role.social_worker))

        resp = client.patch(
            f"/api/v1/plans/{plan.id}",
            json={
                "version": 1,
                "status": "in_progress",
                "goals": [
                    {"id": str(goal_id), "dimension": "identity", "status": "in_progress"},
                    {"dimension": "education", "description": "Matrícula.", "status": "pending"},
                ],
            },
        )

        assert resp.status_code == 200, resp.text
        data = resp.json()
        assert data["version"] == 2 and data["status"] == "in_progress"
        assert [g["status"] for g in data["goals"]] == ["in_progress", "pending"]

    def test_stale_version_is_409_and_the_plan_is_unchanged(self, db, login_as):
        plan = make_plan(db, make_victim(db))
        client = login_as(make_user(db, role=Role.lawyer))
        assert (
            client.patch(
                f"/api/v1/plans/{plan.id}", json={"version": 1, "status": "implemented"}
            ).status_code
            == 200
        )

        resp = client.patch(f"/api/v1/plans/{plan.id}", json={"version": 1, "status": "abandoned"})

        assert resp.status_code == 409
        stored = client.get(f"/api/v1/plans/{plan.id}").json()
        assert stored["status"] == "implemented" and stored["version"] == 2

    def test_goal_of_another_plan_is_422(self, db, login_as):
        victim = make_victim(db)
        plan, other = make_plan(db, victim), make_plan(db, victim)
        resp = login_as(make_user(db)).patch(
            f"/api/v1/plans/{plan.id}",
            json={"version": 1, "goals": [{"id": str(other.goals[0].id), "dimension": "health"}]},
        )
        assert resp.status_code == 422
        assert resp.json()["detail"][0]["loc"] == ["goals", "0", "id"]

    def test_coordinator_reads_but_may_not_edit(self, db, login_as):
        plan = make_plan(db, make_victim(db))
        client = login_as(make_user(db, role=Role.coordinator))
        assert client.get(f"/api/v1/plans/{plan.id}").status_code == 200
        resp = client.patch(f"/api/v1/plans/{plan.id}", json={"version": 1, "status": "drafted"})
        assert resp.status_code == 403


class TestDeleteAndRestore:
    def test_delete_hides_and_coordinator_restores(self, db, login_as):
        victim = make_victim(db)
        plan = make_plan(db, victim)
        staff = make_user(db, role=Role.lawyer)
        client = login_as(staff)

        assert client.delete(f"/api/v1/plans/{plan.id}", params={"version": 1}).status_code == 204
        assert client.get(plans_url(victim)).json()["items"] == []
        assert client.get(f"/api/v1/plans/{plan.id}").status_code == 404
        assert (
            client.post(f"/api/v1/plans/{plan.id}/restore", json={"version": 2}).status_code == 403
        )

        client = login_as(make_user(db, role=Role.coordinator))
        assert (
            client.post(f"/api/v1/plans/{plan.id}/restore", json={"version": 1}).status_code == 409
        )  # stale
        resp = client.post(f"/api/v1/plans/{plan.id}/restore", json={"version": 2})
        assert resp.status_code == 200 and resp.json()["version"] == 3
        assert [p["id"] for p in client.get(plans_url(victim)).json()["items"]] == [str(plan.id)]
        actions = db.scalars(
            select(AuditEvent.action).where(AuditEvent.record_id == str(plan.id))
        ).all()
        assert actions == [AuditAction.delete, AuditAction.restore]

    def test_stale_delete_is_409_and_nothing_changes(self, db, login_as):
        plan = make_plan(db, make_victim(db))
        resp = login_as(make_user(db)).delete(f"/api/v1/plans/{plan.id}", params={"version": 7})
        assert resp.status_code == 409
        db.refresh(plan)
        assert plan.deleted_at is None and plan.version == 1


class TestReviews:
    def test_review_moves_goal_statuses_and_next_review(self, db, login_as):
        plan = make_plan(db, make_victim(db), assessed_on=date(2024, 3, 10))
        goal = plan.goals[0]
        client = login_as(make_user(db, role=Role.psychologist))

        resp = client.post(
            f"/api/v1/plans/{plan.id}/reviews",
            json={
                "reviewed_on": "2024-06-01",
                "summary": "DNI obtenido.",
                "next_review_on": "2024-09-01",
                "goals": [{"goal_id": str(goal.id), "status": "achieved", "note": "Listo."}],
            },
        )

        assert resp.status_code == 201, resp.text
        assert resp.json()["goals"] == [
            {
                "goal_id": str(goal.id),
                "status": "achieved",
                "note": "Listo.",
                "integrity_errors": [],
            }
        ]
        stored = client.get(f"/api/v1/plans/{plan.id}").json()
        assert stored["goals"][0]["status"] == "achieved"
        assert stored["next_review_on"] == "2024-09-01" and len(stored["reviews"]) == 1

    def test_foreign_goal_or_bad_dates_are_422_and_nothing_is_stored(self, db, login_as):
        victim = make_victim(db)
        plan, other = make_plan(db, victim, assessed_on=date(2024, 3, 10)), make_plan(db, victim)
        client = login_as(make_user(db, role=Role.lawyer))
        cases = [
            (
                {
                    "reviewed_on": "2024-06-01",
                    "goals": [{"goal_id": str(other.goals[0].id), "status": "achieved"}],
                },
                ["goals", "0", "goal_id"],
            ),
            (
                {
                    "reviewed_on": "2024-06-01",
                    "goals": [{"goal_id": str(uuid.uuid4()), "status": "achieved"}],
                },
                ["goals", "0", "goal_id"],
            ),
            ({"reviewed_on": "2024-03-01"}, ["reviewed_on"]),
            ({"reviewed_on": "2024-06-01", "next_review_on": "2024-05-01"}, ["next_review_on"]),
        ]
        for payload, loc in cases:
            resp = client.post(f"/api/v1/plans/{plan.id}/reviews", json=payload)
            assert resp.status_code == 422 and resp.json()["detail"][0]["loc"] == loc, payload
        assert db.scalar(select(func.count()).select_from(PlanReview)) == 0
        assert (
            db.scalar(select(PlanGoal.status).where(PlanGoal.plan_id == plan.id))
            == GoalStatus.pending
        )
        db.refresh(plan)
        assert plan.status == PlanStatus.drafted and plan.version == 1
