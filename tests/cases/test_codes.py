"""Case codes under concurrency, on a real database of the test's own."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.schemas import CaseCreate
from app.cases.service import create_case
from app.catalogs import Team
from app.db import make_session_factory
from app.users.models import User
from tests.factories import make_user

THREADS = 12


def test_concurrent_openings_get_distinct_gapless_codes(fresh_db):
    _, engine = fresh_db
    factory = make_session_factory(engine)
    with factory() as session:
        user_id = make_user(session, teams=[Team.loreto]).id
        session.commit()

    def open_one(_: int) -> str:
        with factory() as session, session.begin():
            user = session.get_one(User, user_id)
            case = create_case(
                session, CaseCreate(team=Team.loreto, opened_on=date(2024, 6, 1)), actor=user
            )
            return case.code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(open_one, range(THREADS)))

    expected = [f"LOR-2024-{n:04d}" for n in range(1, THREADS + 1)]
    assert sorted(codes) == expected
    with Session(engine) as session:
        stored = session.scalars(select(Case.code).order_by(Case.code)).all()
    assert stored == expected
