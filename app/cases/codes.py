"""Case codes: `LIM-2024-0042` = team prefix, year of opening, sequence per team and year.

`next_case_seq` hands out the sequence under a row lock of `case_counters`, so concurrent
openings never share a code; `code_filter` turns a typed (partial) code into conditions on
(team, year, seq), which the unique index on those columns serves.

A case's `year` is always the year of its `opened_on` (`create_case`, the importer and the
demo loader all take it from the opening date, and `opened_on` is never edited), so a year
can be asked as an `opened_on` range, which the case list's order (`opened_on` desc) can use.
`LIM-2020` becomes team + opening range only: `ix_cases_team_opened` then returns the first
page in order and stops (0.2 ms on PostgreSQL at 100k victims), where (team, year) made it
sort every Lima-2020 case. Keeping `year = 2020` beside the range would give the same rows,
but PostgreSQL multiplies the two (correlated) selectivities, expects ~1/17 of the rows and
picks a bitmap scan plus sort again (4 ms at 100k, growing with the data). With a sequence
(`LIM-2020-0042`, `2020-0042`) the unique index finds a handful of rows: `year` stays alone.
A bare `2020` (sequence 2020 or year 2020) keeps both: the range lets the year's half of the
OR be a bitmap of two indexes (8 ms instead of 50 ms at 100k).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.cases.models import Case, CaseCounter
from app.catalogs import TEAM_PREFIX, Team

SEQ_WIDTH = 4
_TEAM_BY_PREFIX = {prefix: team for team, prefix in TEAM_PREFIX.items()}


def format_case_code(team: Team, year: int, seq: int) -> str:
    return f"{TEAM_PREFIX[team]}-{year}-{seq:0{SEQ_WIDTH}d}"


def next_case_seq(session: Session, team: Team, year: int) -> int:
    """Reserve the next sequence number of `team` in `year` (locks the counter row)."""
    return allocate_case_seqs(session, team, year, 1)


def allocate_case_seqs(session: Session, team: Team, year: int, count: int) -> int:
    """Reserve `count` consecutive case numbers of a team and year; returns the first.

    The counter row is locked by the UPDATE; an importer takes a whole block in one round
    trip (100,000 rows, not one trip per case).
    """
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        upsert(CaseCounter).values(team=team, year=year, last_seq=0).on_conflict_do_nothing()
    )
    # Cases created without the counter (imports, demo data) must never be reused.
    used = (
        select(func.coalesce(func.max(Case.seq), 0))
        .where(Case.team == team, Case.year == year)
        .scalar_subquery()
    )
    stmt = (
        update(CaseCounter)
        .where(CaseCounter.team == team, CaseCounter.year == year)
        .values(
            last_seq=case((used > CaseCounter.last_seq, used), else_=CaseCounter.last_seq) + count
        )
        .returning(CaseCounter.last_seq)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(stmt).scalar_one()) - count + 1


def _prefix_range(digits: str, width: int) -> tuple[int, int]:
    """Numbers whose zero-padded form starts with `digits` (the whole number when longer)."""
    if len(digits) >= width:
        return int(digits), int(digits)
    scale = 10 ** (width - len(digits))
    return int(digits) * scale, (int(digits) + 1) * scale - 1


def _between(col: Any, bounds: tuple[int, int]) -> ColumnElement[bool]:
    low, high = bounds
    cond: ColumnElement[bool] = col == low if low == high else col.between(low, high)
    return cond


def _opened_within(bounds: tuple[int, int]) -> ColumnElement[bool]:
    """Cases opened in the years `bounds` (= cases whose code has one of those years)."""
    low, high = bounds
    if high < date.min.year:  # year 0 (`LIM-0000`): no such date, and no such case either
        return _between(Case.year, bounds)
    return Case.opened_on.between(date(max(low, date.min.year), 1, 1), date(high, 12, 31))


def _year_filter(bounds: tuple[int, int]) -> ColumnElement[bool]:
    """`year` within `bounds`, plus the same years as an opening range (same rows)."""
    return and_(_between(Case.year, bounds), _opened_within(bounds))


def code_filter(q: str) -> ColumnElement[bool]:
    """Cases whose code matches `q`: a prefix (`LIM-20`) or a part (`2024-0042`, `42`)."""
    tokens = list(q.strip().upper().strip("-").split("-"))
    if not tokens or not all(tokens):
        return false()
    conds: list[ColumnElement[bool]] = []
    if tokens[0].isalpha():
        head = tokens.pop(0)
        teams = (
            [t for p, t in _TEAM_BY_PREFIX.items() if p.startswith(head)]
            if not tokens
            else [_TEAM_BY_PREFIX[head]]
            if head in _TEAM_BY_PREFIX
            else []
        )
        if not teams:
            return false()
        conds.append(Case.team.in_(teams))
        if tokens and not re.fullmatch(r"\d{1,4}", tokens[0]):
            return false()
        if tokens:
            year = tokens.pop(0)
            years = _prefix_range(year, 4) if not tokens else (int(year), int(year))
            # With a sequence, (team, year, seq) finds a handful of rows; without one, the
            # opening range alone lets ix_cases_team_opened serve the list's order (above).
            conds.append(_between(Case.year, years) if tokens else _opened_within(years))
    elif len(tokens) == 1:
        if not tokens[0].isdigit():
            return false()
        # A bare number is part of a code: its sequence (`42` finds …-0042) or its year.
        digits = tokens.pop(0)
        as_year = [_year_filter((int(digits), int(digits)))] if len(digits) == 4 else []
        return or_(Case.seq == int(digits), *as_year)
    else:
        if not re.fullmatch(r"\d{4}", tokens[0]):
            return false()
        conds.append(Case.year == int(tokens.pop(0)))
    if tokens:
        seq = tokens.pop(0)
        if not seq.isdigit():
            return false()
        conds.append(
            _between(
                Case.seq, _prefix_range(seq, SEQ_WIDTH) if not tokens else (int(seq), int(seq))
            )
        )
    # A victim code (`…-V2`) finds its case.
    if tokens and not (len(tokens) == 1 and re.fullmatch(r"V\d*", tokens[0])):
        return false()
    return and_(*conds)
