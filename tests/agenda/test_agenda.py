"""Agenda API: each kind appears with its record and ends when the record changes; scope,
window, overdue, paging, labels without identity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from app.agenda import service
from app.caseload.models import Assignment
from app.catalogs import (
    ActionStatus,
    ActionType,
    Institution,
    PlanDimension,
    PlanStatus,
    ReferralDirection,
    ReferralOutcome,
    Responsibility,
    Role,
    Team,
    label,
)
from app.db import today
from app.followups.models import FollowUpAction
from app.plans.models import PlanGoal
from tests.factories import make_case, make_user, make_victim
from tests.work_factories import make_follow_up, make_measure, make_plan, make_referral

URL = "/api/v1/agenda"


def day(offset: int) -> date:
    return today() + timedelta(days=offset)


def assign(db: Any, user: Any, case: Any) -> Assignment:
    row = Assignment(
        case_id=case.id, user_id=user.id, responsibility=Responsibility.lead, since=day(-60)
    )
    db.add(row)
    db.flush()
    return row


def agenda(client: Any, **params: Any) -> list[dict[str, Any]]:
    resp = client.get(URL, params={"scope": "team", **params})
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def kinds(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(i["kind"], i["due_on"]) for i in items]


@pytest.fixture
def staff(db: Any, login_as: Any) -> Any:
    return login_as(make_user(db, role=Role.lawyer, teams=[Team.lima]))


@pytest.fixture
def victim(db: Any) -> Any:
    return make_victim(db, identity={"given_names": "Rosa", "family_names": "Quispe"})


class TestKinds:
    def test_plan_review_moves_with_a_review_and_ends_when_the_plan_closes(self, db, staff, victim):
        plan = make_plan(db, victim, assessed_on=day(-40), next_review_on=day(3))
        [item] = agenda(staff)
        assert (item["kind"], item["due_on"], item["overdue"]) == (
            "plan_review",
            str(day(3)),
            False,
        )
        assert (item["record_type"], item["record_id"]) == ("plan", str(plan.id))
        assert (item["victim_code"], item["case_code"]) == (victim.code, plan_case_code(db, victim))
        assert item["label"] == "Revisión del plan"

        resp = staff.post(
            f"/api/v1/plans/{plan.id}/reviews",
            json={"reviewed_on": str(day(0)), "summary": "Avance.", "next_review_on": str(day(10))},
        )
        assert resp.status_code == 201, resp.text
        assert kinds(agenda(staff)) == [("plan_review", str(day(10)))]

        staff.post(f"/api/v1/plans/{plan.id}/reviews", json={"reviewed_on": str(day(0))})
        # A review recorded without a new date: moved to day 10, still due (not yet reviewed).
        assert kinds(agenda(staff)) == [("plan_review", str(day(10)))]

        version = staff.get(f"/api/v1/plans/{plan.id}").json()["version"]
        resp = staff.patch(
            f"/api/v1/plans/{plan.id}", json={"version": version, "status": "completed"}
        )
        assert resp.status_code == 200, resp.text
        assert agenda(staff) == []

    def test_an_overdue_review_ends_when_it_is_recorded(self, db, staff, victim):
        plan = make_plan(db, victim, assessed_on=day(-40), next_review_on=day(-5))
        [item] = agenda(staff)
        assert item["overdue"] is True
        resp = staff.post(f"/api/v1/plans/{plan.id}/reviews", json={"reviewed_on": str(day(-1))})
        assert resp.status_code == 201, resp.text
        assert agenda(staff) == []

    def test_only_the_latest_plan_of_a_victim_counts(self, db, staff, victim):
        make_plan(db, victim, assessed_on=day(-90), next_review_on=day(2))
        newer = make_plan(db, victim, assessed_on=day(-10), next_review_on=day(5))
        assert [i["record_id"] for i in agenda(staff)] == [str(newer.id)]
        newer.status = PlanStatus.abandoned
        db.flush()
        assert agenda(staff) == []

    def test_goal_due_ends_when_achieved_in_a_review(self, db, staff, victim):
        plan = make_plan(db, victim, assessed_on=day(-40), status=PlanStatus.in_progress)
        goal = db.get(PlanGoal, plan.goals[0].id)
        goal.due_on = day(-2)
        goal.dimension = PlanDimension.health
        db.flush()
        [item] = agenda(staff)
        assert (item["kind"], item["overdue"], item["record_id"]) == (
            "goal_due",
            True,
            str(plan.id),
        )
        assert item["label"] == f"Objetivo del plan: {label('plan_dimension', 'health')}"
        resp = staff.post(
            f"/api/v1/plans/{plan.id}/reviews",
            json={
                "reviewed_on": str(day(0)),
                "goals": [{"goal_id": str(goal.id), "status": "achieved"}],
            },
        )
        assert resp.status_code == 201, resp.text
        assert agenda(staff) == []

    def test_measure_ends_moves_out_when_extended_and_ends_when_deleted(self, db, staff, victim):
        measure = make_measure(db, victim, granted_on=day(-100), ends_on=day(6))
        [item] = agenda(staff)
        assert item["kind"] == "measure_ends" and item["record_type"] == "protection_measure"
        kind, institution = (
            label("protection_measure_kind", "identity_reserve"),
            label("institution", "fiscalia"),
        )
        assert item["label"] == f"Término de medida de protección: {kind} ({institution})"
        url = f"/api/v1/protection-measures/{measure.id}"
        resp = staff.patch(url, json={"version": measure.version, "ends_on": str(day(120))})
        assert resp.status_code == 200, resp.text
        assert agenda(staff) == []
        assert kinds(agenda(staff, to=str(day(130)))) == [("measure_ends", str(day(120)))]
        resp = staff.delete(url, params={"version": resp.json()["version"]})
        assert resp.status_code == 204
        assert agenda(staff, to=str(day(130))) == []

    def test_reflection_ends_with_the_victims_date(self, db, staff, victim):
        victim.reflection_until = day(1)
        db.flush()
        [item] = agenda(staff)
        assert (item["kind"], item["record_type"], item["record_id"]) == (
            "reflection_ends",
            "victim",
            str(victim.id),
        )
        victim.reflection_until = None
        db.flush()
        assert agenda(staff) == []

    def test_action_planned_ends_when_a_correction_records_it_done(self, db, staff, victim):
        entry = make_follow_up(
            db,
            victim,
            occurred_on=day(-3),
            actions=[
                FollowUpAction(
                    type=ActionType.accompaniment,
                    institution=Institution.fistrap,
                    status=ActionStatus.planned,
                    due_on=day(4),
                ),
                # A planned action without a date is not listed.
                FollowUpAction(type=ActionType.orientation, status=ActionStatus.planned),
            ],
        )
        [item] = agenda(staff)
        assert (item["kind"], item["record_type"], item["record_id"]) == (
            "action_planned",
            "follow_up",
            str(entry.id),
        )
        assert item["label"] == "Acción prevista: Acompañamiento (FISTRAP)"
        resp = staff.post(
            f"/api/v1/victims/{victim.id}/follow-ups",
            json={
                "occurred_on": str(day(0)),
                "kind": "legal",
                "narrative": "Acompañamiento realizado.",
                "actions": [{"type": "accompaniment", "institution": "fistrap", "status": "done"}],
                "supersedes": str(entry.id),
            },
        )
        assert resp.status_code == 201, resp.text
        assert agenda(staff) == []

    def test_action_due_on_is_written_and_read_through_the_api(self, db, staff, victim):
        resp = staff.post(
            f"/api/v1/victims/{victim.id}/follow-ups",
            json={
                "occurred_on": str(day(0)),
                "kind": "social",
                "narrative": "Se acuerda cita.",
                "actions": [{"type": "orientation", "status": "planned", "due_on": str(day(2))}],
            },
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["actions"][0]["due_on"] == str(day(2))
        assert kinds(agenda(staff)) == [("action_planned", str(day(2)))]

    def test_referral_unanswered_15_days_after_and_ends_with_any_outcome(self, db, staff, victim):
        referral = make_referral(db, victim, referred_on=day(-20))
        make_referral(db, victim, referred_on=day(-20), direction=ReferralDirection.incoming)
        make_referral(db, victim, referred_on=day(-20), outcome=ReferralOutcome.accepted)
        [item] = agenda(staff)
        assert (item["kind"], item["due_on"], item["overdue"]) == (
            "referral_unanswered",
            str(day(-5)),
            True,
        )
        assert item["label"] == "Derivación sin respuesta: FISTRAP"
        resp = staff.patch(
            f"/api/v1/referrals/{referral.id}",
            json={"version": referral.version, "outcome": "pending"},
        )
        assert resp.status_code == 200, resp.text
        assert len(agenda(staff)) == 1  # still pending: still due
        resp = staff.patch(
            f"/api/v1/referrals/{referral.id}",
            json={"version": resp.json()["version"], "outcome": "no_answer"},
        )
        assert resp.status_code == 200, resp.text
        assert agenda(staff) == []

    def test_closing_or_deleting_the_case_ends_every_item(self, db, staff, victim):
        make_measure(db, victim, granted_on=day(-100), ends_on=day(6))
        make_referral(db, victim, referred_on=day(-10))
        assert len(agenda(staff)) == 2
        case = victim_case(db, victim)
        resp = staff.post(
            f"/api/v1/cases/{case.id}/close",
            json={"version": case.version, "closed_on": str(day(0)), "close_reason": "goals_met"},
        )
        assert resp.status_code == 200, resp.text
        assert agenda(staff) == []

    def test_a_deleted_victim_has_no_items(self, db, staff, victim):
        make_measure(db, victim, granted_on=day(-100), ends_on=day(6))
        victim.deleted_at = victim.created_at
        db.flush()
        assert agenda(staff) == []


def victim_case(db: Any, victim: Any) -> Any:
    from app.cases.models import Case

    return db.get(Case, victim.case_id)


def plan_case_code(db: Any, victim: Any) -> str:
    return str(victim_case(db, victim).code)


class TestScopeWindowPaging:
    def test_mine_is_the_default_and_holds_only_current_assignments(self, db, login_as):
        me = make_user(db, role=Role.psychologist, teams=[Team.lima])
        mine, theirs, ended = (make_victim(db) for _ in range(3))
        for v in (mine, theirs, ended):
            make_measure(db, v, granted_on=day(-100), ends_on=day(1))
        assign(db, me, victim_case(db, mine))
        old = assign(db, me, victim_case(db, ended))
        old.until = day(-1)
        db.flush()
        client = login_as(me)
        items = client.get(URL).json()["items"]
        assert [i["victim_id"] for i in items] == [str(mine.id)]
        assert len(agenda(client)) == 3

    def test_team_scope_is_the_callers_teams_and_team_narrows(self, db, login_as):
        lima, cusco = make_victim(db), make_victim(db, case=make_case(db, team=Team.cusco))
        for v in (lima, cusco):
            make_measure(db, v, granted_on=day(-100), ends_on=day(1))
        both = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima, Team.cusco]))
        assert len(agenda(both)) == 2
        assert [i["victim_id"] for i in agenda(both, team="cusco")] == [str(cusco.id)]
        only_lima = login_as(make_user(db, role=Role.social_worker, teams=[Team.lima]))
        assert [i["victim_id"] for i in agenda(only_lima)] == [str(lima.id)]
        assert agenda(only_lima, team="cusco") == []

    def test_default_window_and_overdue(self, db, staff, victim):
        for offset in (-31, -30, -1, 0, 14, 15):
            make_measure(db, victim, granted_on=day(-200), ends_on=day(offset))
        items = agenda(staff)
        assert [i["due_on"] for i in items] == [str(day(o)) for o in (-30, -1, 0, 14)]
        assert [i["overdue"] for i in items] == [True, True, False, False]
        wide = agenda(staff, **{"from": str(day(-40)), "to": str(day(20))})
        assert len(wide) == 6

    def test_a_reversed_window_and_a_bad_cursor_are_422(self, staff):
        resp = staff.get(URL, params={"from": str(day(5)), "to": str(day(1))})
        assert resp.status_code == 422 and resp.json()["code"] == "window_reversed"
        for cursor in ("nonsense", service.encode_cursor("2026-01-01", "luck", "x")):
            resp = staff.get(URL, params={"cursor": cursor})
            assert resp.status_code == 422 and resp.json()["code"] == "cursor_invalid"
        assert staff.get(URL, params={"scope": "everyone"}).status_code == 422
        assert staff.get(URL, params={"from": "yesterday"}).status_code == 422

    def test_cursor_pages_through_every_kind_in_order_without_repeats(self, db, staff):
        expected = []
        for n in range(3):
            v = make_victim(db)
            v.reflection_until = day(n)
            make_measure(db, v, granted_on=day(-100), ends_on=day(n))
            make_referral(db, v, referred_on=day(n - 15))
            plan = make_plan(db, v, assessed_on=day(-40), next_review_on=day(n))
            db.get(PlanGoal, plan.goals[0].id).due_on = day(n)
            make_follow_up(
                db,
                v,
                occurred_on=day(-1),
                actions=[
                    FollowUpAction(
                        type=ActionType.orientation, status=ActionStatus.planned, due_on=day(n)
                    )
                ],
            )
            expected += [day(n)] * 6
        db.flush()
        seen: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"scope": "team", "limit": 4}
            if cursor:
                params["cursor"] = cursor
            body = staff.get(URL, params=params).json()
            seen += body["items"]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert [i["due_on"] for i in seen] == [str(d) for d in sorted(expected)]
        keys = {(i["kind"], i["record_id"], i["due_on"]) for i in seen}
        assert len(keys) == 18
        # One day's items come in the kinds' order.
        assert [i["kind"] for i in seen[:6]] == [
            "plan_review",
            "goal_due",
            "measure_ends",
            "reflection_ends",
            "action_planned",
            "referral_unanswered",
        ]

    def test_labels_hold_no_identity_and_no_free_text(self, db, staff, victim):
        plan = make_plan(db, victim, assessed_on=day(-40), next_review_on=day(1))
        db.get(PlanGoal, plan.goals[0].id).due_on = day(1)
        make_measure(db, victim, granted_on=day(-100), ends_on=day(1))
        make_referral(db, victim, referred_on=day(-14), reason="Rosa Quispe denuncia.")
        make_follow_up(
            db,
            victim,
            narrative="Rosa Quispe pide cita.",
            actions=[
                FollowUpAction(
                    type=ActionType.orientation, status=ActionStatus.planned, due_on=day(1)
                )
            ],
        )
        victim.reflection_until = day(1)
        db.flush()
        body = staff.get(URL, params={"scope": "team"}).text
        assert len(agenda(staff)) == 6
        for secret in ("Rosa", "Quispe", "Tramitar", "Sin DNI", "denuncia", "cita"):
            assert secret not in body

    def test_roles_outside_case_work_are_refused(self, db, login_as):
        admin = login_as(make_user(db, role=Role.admin))
        assert admin.get(URL).status_code == 403


class TestForOtherPages:
    def test_next_due_by_victim_gives_each_victims_first_item(self, db):
        user = make_user(db, role=Role.psychologist, teams=[Team.lima])
        a, b, quiet = make_victim(db), make_victim(db), make_victim(db)
        other = make_victim(db, case=make_case(db, team=Team.cusco))
        make_measure(db, a, granted_on=day(-100), ends_on=day(9))
        make_referral(db, a, referred_on=day(-18))  # due day -3: first
        make_measure(db, b, granted_on=day(-100), ends_on=day(2))
        make_measure(db, other, granted_on=day(-100), ends_on=day(2))
        got = service.next_due_by_victim(db, user, [a.id, b.id, quiet.id, other.id])
        assert set(got) == {a.id, b.id}
        assert (got[a.id].kind, got[a.id].due_on, got[a.id].overdue) == (
            "referral_unanswered",
            day(-3),
            True,
        )
        assert got[b.id].kind == "measure_ends"
        assert service.next_due_by_victim(db, user, []) == {}

    def test_overdue_count_by_user_counts_current_holders_once(self, db):
        coordinator = make_user(db, role=Role.coordinator, teams=[Team.lima])
        ana, ben = (make_user(db, role=Role.psychologist, teams=[Team.lima]) for _ in range(2))
        v = make_victim(db)
        case = victim_case(db, v)
        make_measure(db, v, granted_on=day(-100), ends_on=day(-2))
        make_referral(db, v, referred_on=day(-20))
        make_measure(db, v, granted_on=day(-100), ends_on=day(3))  # not overdue
        make_measure(db, v, granted_on=day(-100), ends_on=day(-45))  # before the window
        assign(db, ana, case)
        db.add(
            Assignment(
                case_id=case.id,
                user_id=ana.id,
                responsibility=Responsibility.legal,
                since=day(-60),
            )
        )
        db.add(
            Assignment(
                case_id=case.id,
                user_id=ben.id,
                responsibility=Responsibility.social,
                since=day(-60),
                until=day(-1),
            )
        )
        db.flush()
        assert service.overdue_count_by_user(db, coordinator) == {ana.id: 2}
        assert service.overdue_count_by_user(db, coordinator, team=Team.cusco) == {}
        assert service.overdue_count_by_user(db, coordinator, since=day(-60)) == {ana.id: 3}
