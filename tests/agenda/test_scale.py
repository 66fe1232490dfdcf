"""What keeps the agenda's page cheap at scale must not leak: the PostgreSQL planner
settings of the page statement (no sorts, no JIT, no parallel workers, a generic plan)
end with it, so a later statement of the same transaction plans as usual."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from app.agenda import service
from app.agenda.schemas import AgendaScope
from app.catalogs import Role, Team
from tests import dbutil
from tests.agenda.test_agenda import day
from tests.factories import make_user, make_victim
from tests.work_factories import make_plan

SETTINGS = ("enable_sort", "jit", "max_parallel_workers_per_gather", "plan_cache_mode")


def _show(db: Any) -> dict[str, str]:
    return {name: db.execute(text(f"SHOW {name}")).scalar_one() for name in SETTINGS}


@pytest.mark.skipif(dbutil.BACKEND != "postgresql", reason="PostgreSQL planner settings")
def test_planner_settings_last_for_the_page_statement_only(db: Any) -> None:
    user = make_user(db, role=Role.social_worker, teams=[Team.lima])
    victim = make_victim(db)
    make_plan(db, victim, assessed_on=day(-40), next_review_on=day(2))
    before = _show(db)
    assert before["plan_cache_mode"] != "force_generic_plan"
    for _ in range(7):  # past psycopg's preparing threshold: the prepared path too
        items, _cursor = service.agenda_page(db, user, scope=AgendaScope.team)
        assert [i.kind.value for i in items] == ["plan_review"]
        assert _show(db) == before
