"""The shared record kinds: one order of checks for every restore, and a kind without a
parent must bring its own scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import Role
from app.scope import CaseNotFound
from app.work.kinds import DeletableKind
from tests.factories import make_case, make_user, make_victim
from tests.work_factories import make_detection, make_measure, make_plan, make_referral

LIVE: dict[str, Callable[[Session], Any]] = {
    "cases": make_case,
    "victims": make_victim,
    "plans": lambda db: make_plan(db, make_victim(db)),
    "referrals": lambda db: make_referral(db, make_victim(db)),
    "protection-measures": lambda db: make_measure(db, make_victim(db)),
    "detections": lambda db: make_detection(db, make_case(db)),
}


@pytest.mark.parametrize("path", list(LIVE))
def test_every_restore_checks_the_version_before_the_deleted_state(db, login_as, path):
    record = LIVE[path](db)
    coordinator = login_as(make_user(db, role=Role.coordinator))
    url = f"/api/v1/{path}/{record.id}/restore"

    stale = coordinator.post(url, json={"version": record.version + 1})
    assert stale.status_code == 409 and stale.json()["code"] == "record_stale", stale.text
    live = coordinator.post(url, json={"version": record.version})
    assert live.status_code == 409 and live.json()["code"] == "record_not_deleted", live.text


def test_a_kind_without_a_parent_needs_its_own_scope():
    with pytest.raises(ValueError, match="scope"):
        DeletableKind(Case, "case", CaseNotFound, parent=None)
