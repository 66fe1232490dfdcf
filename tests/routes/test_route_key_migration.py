"""The migration that adds `victims.route_key` fills existing rows with random keys and is
reversible, on both databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, select

from app.db import make_session_factory
from app.routes.cellkey import SCALE
from app.victims.models import Victim
from tests import dbutil
from tests.routes.builders import LIMA, MDD, add_victims, flow

BEFORE = "5b1e7c9d2f40"


def _to(engine, revision: str, *, down: bool = False) -> None:
    cfg = dbutil.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_existing_victims_get_random_keys_and_the_column_goes_on_downgrade():
    with dbutil.migrated_database("routekey") as (_, engine):
        with make_session_factory(engine)() as db:
            add_victims(db, 40, flow(LIMA, MDD))
            db.commit()
        _to(engine, BEFORE, down=True)
        assert "route_key" not in {c["name"] for c in inspect(engine).get_columns("victims")}
        _to(engine, "head")
        with engine.connect() as conn:
            keys = list(conn.scalars(select(Victim.route_key)))
        assert len(keys) == 40 and all(0 <= key < SCALE for key in keys)
        assert len(set(keys)) >= 39  # drawn per row, not one value for all
        assert max(keys) > SCALE // 2 > min(keys)  # spread over the range, not small numbers
