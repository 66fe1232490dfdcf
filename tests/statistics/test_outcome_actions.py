"""Outcomes count actions as the report does (issue 15.6): `follow_up_kind` and
`action_type` count the implemented (`done`) actions of the period's live follow-ups, and
`action_status` every action of those follow-ups by status."""

from __future__ import annotations

from datetime import date

from app.catalogs import ActionStatus, ActionType, FollowUpKind, Role
from app.followups.models import FollowUpAction
from tests.factories import make_user, make_victim
from tests.work_factories import make_follow_up


def _action(kind: ActionType, status: ActionStatus) -> FollowUpAction:
    return FollowUpAction(type=kind, status=status)


def _groups(client, **params) -> dict[str, dict]:
    resp = client.get("/api/v1/stats/outcomes", params=params)
    assert resp.status_code == 200, resp.text
    return {g["name"]: g for g in resp.json()["groups"]}


def _counts(group: dict) -> dict[str, int]:
    return {r["key"]: r["count"] for r in group["rows"] if r["count"]}


def test_done_planned_and_cancelled_are_counted_apart(db, login_as):
    victim = make_victim(db)
    done, planned, cancelled = ActionStatus.done, ActionStatus.planned, ActionStatus.cancelled
    make_follow_up(
        db,
        victim,
        occurred_on=date(2024, 5, 2),
        actions=[
            _action(ActionType.orientation, done),
            _action(ActionType.referral, planned),
            _action(ActionType.accompaniment, cancelled),
        ],
    )
    make_follow_up(
        db,
        victim,
        kind=FollowUpKind.social,
        occurred_on=date(2024, 6, 1),
        actions=[_action(ActionType.home_visit, done), _action(ActionType.orientation, planned)],
    )
    # Outside the period, and a superseded entry: neither counts at all.
    make_follow_up(db, victim, occurred_on=date(2023, 1, 5))
    old = make_follow_up(
        db, victim, occurred_on=date(2024, 7, 1), actions=[_action(ActionType.education, done)]
    )
    make_follow_up(db, victim, occurred_on=date(2024, 7, 2), actions=[], supersedes_id=old.id)

    groups = _groups(login_as(make_user(db, role=Role.coordinator)), **{"from": 2024, "to": 2024})

    assert _counts(groups["action_type"]) == {"orientation": 1, "home_visit": 1}
    assert groups["action_type"]["total"] == 2
    assert _counts(groups["follow_up_kind"]) == {"legal": 1, "social": 1}
    assert groups["follow_up_kind"]["total"] == 2
    assert _counts(groups["action_status"]) == {"done": 2, "planned": 2, "cancelled": 1}
    assert groups["action_status"]["total"] == 5
    assert [r["key"] for r in groups["action_status"]["rows"]] == ["planned", "done", "cancelled"]
    assert "implementadas" in groups["action_type"]["label"]
    assert "implementadas" in groups["follow_up_kind"]["label"]
    statuses = {r["key"]: r for r in groups["action_status"]["rows"]}
    assert statuses["done"]["percent"] == 40.0 and statuses["done"]["label"] == "Realizada"
