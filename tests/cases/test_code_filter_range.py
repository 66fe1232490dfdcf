"""`code_filter` asks for years as `opened_on` ranges: the same cases as `year` conditions.

The range only lets the database use `ix_cases_team_opened` (the case list's own order); these
tests compare the filter with and without it (years as `year` conditions only, as before)
over cases opened on both sides of New Year.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cases import codes
from app.cases.models import Case
from app.catalogs import TEAM_PREFIX, Team
from tests.factories import make_case

# (team, opened_on, seq): openings on the last and first day of years, and a seq that is
# itself a year (a bare `2020` finds case number 2020 as well as the cases of 2020).
OPENINGS = [
    (Team.lima, date(1999, 12, 31), 9101),
    (Team.lima, date(2000, 1, 1), 9102),
    (Team.lima, date(2019, 12, 31), 9103),
    (Team.lima, date(2020, 1, 1), 9104),
    (Team.lima, date(2020, 12, 31), 9105),
    (Team.lima, date(2021, 1, 1), 9106),
    (Team.cusco, date(2020, 12, 31), 9107),
    (Team.cusco, date(2021, 1, 1), 9108),
    (Team.puno, date(2019, 6, 30), 2020),
    (Team.lima, date(2099, 12, 31), 9109),
    (Team.lima, date(2100, 1, 1), 9110),
]
QUERIES = [
    "LIM-2020",
    "LIM-2021",
    "LIM-2019",
    "LIM-20",
    "LIM-2",
    "LIM-1",
    "LIM-199",
    "LIM-209",
    "LIM-2100",
    "LIM-0",
    "LIM-0000-9101",
    "LIM-2020-9104",
    "LIM-2020-91",
    "LIM-2021-9106-V1",
    "CUS-2020",
    "L-2020",
    "2020-9105",
    "2021-91",
    "2020",
    "2021",
    "0000",
    "20",
    "LIM",
    "C",
]


def _codes(db, ids, condition) -> list[str]:
    stmt = select(Case.code).where(Case.id.in_(ids), condition).order_by(Case.code)
    return list(db.scalars(stmt))


def _year_only(bounds: tuple[int, int]):
    return codes._between(Case.year, bounds)  # the filter as it was before the range


@pytest.fixture
def cases(db) -> list[Case]:
    return [
        make_case(
            db,
            team=team,
            opened_on=opened,
            seq=seq,
            code=f"{TEAM_PREFIX[team]}-{opened.year}-{seq:04d}",
        )
        for team, opened, seq in OPENINGS
    ]


@pytest.mark.parametrize("q", QUERIES)
def test_the_range_keeps_the_same_cases(db, cases, monkeypatch, q):
    ids = [c.id for c in cases]
    with_range = _codes(db, ids, codes.code_filter(q))
    monkeypatch.setattr(codes, "_year_filter", _year_only)
    monkeypatch.setattr(codes, "_opened_within", _year_only)
    assert _codes(db, ids, codes.code_filter(q)) == with_range


def test_year_boundaries_are_inclusive_on_both_ends(db, cases):
    ids = [c.id for c in cases]
    assert _codes(db, ids, codes.code_filter("LIM-2020")) == ["LIM-2020-9104", "LIM-2020-9105"]
    assert _codes(db, ids, codes.code_filter("LIM-20")) == [
        "LIM-2000-9102",
        "LIM-2019-9103",
        "LIM-2020-9104",
        "LIM-2020-9105",
        "LIM-2021-9106",
        "LIM-2099-9109",
    ]
    assert _codes(db, ids, codes.code_filter("2020")) == [
        "CUS-2020-9107",
        "LIM-2020-9104",
        "LIM-2020-9105",
        "PUN-2019-2020",
    ]


def _sql(db, q: str) -> str:
    return str(codes.code_filter(q).compile(db.get_bind()))


def test_years_without_a_sequence_are_asked_as_an_opening_range(db):
    for q in ("LIM-2020", "LIM-20", "2020"):
        assert "cases.opened_on BETWEEN" in _sql(db, q), q
    # Team and year alone: no `year` term, whose selectivity PostgreSQL would multiply with
    # the (correlated) range's and then prefer sorting the team-year over the ordered index.
    assert "cases.year" not in _sql(db, "LIM-2020")
    # With a sequence the unique index (team, year, seq) is best: no range.
    for q in ("LIM-2020-0042", "2020-0042", "42"):
        assert "opened_on" not in _sql(db, q), q
