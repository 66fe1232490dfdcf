"""The agenda: what is due on open cases, computed from the records already there.

Nothing is stored or typed twice: each kind of item is read from the record it comes from
(a plan's next review, a goal's due date, a measure's end, a reflection period's end, a
planned action's date, an outgoing referral still unanswered 15 days after it was sent) in
one statement (app/agenda/query.py). An item ends by itself when its record changes: a
review recorded, a measure extended, a referral answered, a goal achieved, an action
corrected to done, the record deleted, the case closed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select, text
from sqlalchemy.orm import Session

from app.agenda.query import DAYS_BACK, After, Shape, Window, default_window, params, union
from app.agenda.schemas import KIND_LABELS, AgendaItem, AgendaKind, AgendaScope
from app.caseload.models import Assignment
from app.catalogs import Team, label
from app.db import today
from app.errors import InvalidInput
from app.pagination import DEFAULT_LIMIT, decode_cursor, encode_cursor
from app.scope import ensure_case_reader
from app.users.models import User

__all__ = [
    "Window",
    "agenda_page",
    "default_window",
    "next_due_by_victim",
    "overdue_count_by_user",
]

# Catalog of each kind's first and second detail code (for its label).
_DETAIL_CATALOGS: dict[AgendaKind, tuple[str | None, str | None]] = {
    AgendaKind.plan_review: (None, None),
    AgendaKind.goal_due: ("plan_dimension", None),
    AgendaKind.measure_ends: ("protection_measure_kind", "institution"),
    AgendaKind.reflection_ends: (None, None),
    AgendaKind.action_planned: ("action_type", "institution"),
    AgendaKind.referral_unanswered: ("institution", None),
}


def _label(kind: AgendaKind, detail: str | None, detail2: str | None) -> str:
    catalogs = _DETAIL_CATALOGS[kind]
    codes = [
        label(catalog, code)
        for catalog, code in zip(catalogs, (detail, detail2), strict=True)
        if catalog and code
    ]
    text = KIND_LABELS[kind]
    if not codes:
        return text
    return f"{text}: {codes[0]}" + (f" ({codes[1]})" if len(codes) > 1 else "")


def _item(row: Any, now: date) -> AgendaItem:
    kind = AgendaKind(row.kind)
    return AgendaItem(
        kind=kind,
        due_on=row.due_on,
        overdue=row.due_on < now,
        case_id=row.case_id,
        case_code=row.case_code,
        victim_id=row.victim_id,
        victim_code=row.victim_code,
        record_type=row.record_type,
        record_id=row.record_id,
        label=_label(kind, row.detail, row.detail2),
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


_PAGES: dict[tuple[Shape, tuple[str, ...]], Select[Any]] = {}


def _page(user: User, shape: Shape) -> Select[Any]:
    """The page statement around the union (both built once per shape and teams)."""
    key = (shape, tuple(sorted(user.teams)))
    found = _PAGES.get(key)
    if found is None:
        if len(_PAGES) > 512:
            _PAGES.clear()
        agenda = union(user, shape)
        stmt = select(agenda).order_by(agenda.c.due_on, agenda.c.rank, agenda.c.key)
        found = _PAGES[key] = stmt.limit(bindparam("limit", type_=Integer()))
    return found


# For the page statement on PostgreSQL only (restored after it; see _walking_indexes).
_PG_SETTINGS = {
    "enable_sort": "off",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "plan_cache_mode": "force_generic_plan",
}


@contextmanager
def _walking_indexes(session: Session) -> Iterator[None]:
    """On PostgreSQL, plan the page with explicit sorts priced out, without JIT, without
    parallel workers and (once prepared) generic, for this statement only.

    Each kind must walk its (date, id) index from the window's start and stop after a page.
    PostgreSQL cannot know that a window's records belong mostly to open cases (those of
    closed cases lie in the past), so it expects few rows to pass the case's filters and
    prefers reading the whole window and sorting it: the first page then costs every
    record due in those six weeks, all teams. Without sorts it walks the indexes (the
    final sort of at most six pages stays). The price put on sorts would make the plan
    look expensive enough to JIT-compile (seconds, for a query that runs in milliseconds),
    and a page of 50 rows gains nothing from parallel workers. Once psycopg prepares the
    statement (its fifth run on a connection), a generic plan spares planning the six
    branches on every request (~2 ms at 1M); it is the same walk, since the partial
    indexes' conditions are literals, not parameters (app/agenda/models.py).
    """
    if _dialect(session) != "postgresql":
        yield
        return
    names = list(_PG_SETTINGS)
    read = ", ".join(f"current_setting('{n}')" for n in names)
    before = session.execute(text(f"SELECT {read}")).one()
    _set(session, _PG_SETTINGS)
    try:
        yield
    finally:
        _set(session, dict(zip(names, before, strict=True)))


def _set(session: Session, values: dict[str, str]) -> None:
    calls = ", ".join(f"set_config('{name}', :v{i}, true)" for i, name in enumerate(values))
    session.execute(
        text(f"SELECT {calls}"), {f"v{i}": value for i, value in enumerate(values.values())}
    )


def _decode(cursor: str) -> After:
    due, kind, key = decode_cursor(cursor, 3)
    try:
        return After(date.fromisoformat(due), AgendaKind(kind), uuid.UUID(key))
    except ValueError as exc:
        raise InvalidInput("cursor", "cursor_invalid") from exc


def agenda_page(
    session: Session,
    user: User,
    *,
    scope: AgendaScope = AgendaScope.mine,
    window: Window | None = None,
    team: Team | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> tuple[list[AgendaItem], str | None]:
    """One page of what is due in the window, earliest first (keyset on due_on, kind, row)."""
    ensure_case_reader(user)
    window = window or default_window()
    if window.end < window.start:
        raise InvalidInput("to", "window_reversed")
    after = _decode(cursor) if cursor else None
    shape = Shape(
        _dialect(session), (), scope, team=team is not None, after=after is not None, per_kind=True
    )
    values = params(user, window, team=team, after=after, per_kind=limit + 1)
    with _walking_indexes(session):
        rows = session.execute(_page(user, shape), values | {"limit": limit + 1}).all()
    now = today()
    items = [_item(r, now) for r in rows[:limit]]
    if len(rows) <= limit:
        return items, None
    last = rows[limit - 1]
    return items, encode_cursor(last.due_on.isoformat(), last.kind, uuid.UUID(str(last.key)))


def next_due_by_victim(
    session: Session,
    user: User,
    victim_ids: Iterable[uuid.UUID],
    *,
    window: Window | None = None,
) -> dict[uuid.UUID, AgendaItem]:
    """For "Mis casos": each victim's first item due in the window (default: the agenda's
    30 days back to 14 ahead), overdue ones first since they come earlier.

    Victims outside the caller's teams, of closed cases, or with nothing due are absent
    from the answer. One query for all the victims of a page; no assignment needed.
    """
    ids = list(dict.fromkeys(victim_ids))
    if not ids:
        return {}
    ensure_case_reader(user)
    agenda = union(user, Shape(_dialect(session), (), AgendaScope.team, victims=True))
    stmt = select(agenda).order_by(agenda.c.due_on, agenda.c.rank, agenda.c.key)
    values = params(user, window or default_window(), victim_ids=ids)
    now = today()
    out: dict[uuid.UUID, AgendaItem] = {}
    for row in session.execute(stmt, values):
        if row.victim_id not in out:
            out[row.victim_id] = _item(row, now)
    return out


def overdue_count_by_user(
    session: Session, user: User, *, team: Team | None = None, since: date | None = None
) -> dict[uuid.UUID, int]:
    """For the caseload: per staff member, the overdue items of the cases they hold a
    current assignment on, in the caller's teams (or `team`).

    Overdue = due before today and not before `since` (default: 30 days ago, the agenda's
    default window, so a record forgotten for years does not count forever). An item of a
    case counts once per person however many responsibilities they hold on it.
    """
    ensure_case_reader(user)
    now = today()
    start = since or now - timedelta(days=DAYS_BACK)
    if start >= now:
        return {}
    agenda = union(user, Shape(_dialect(session), (), AgendaScope.team, team=team is not None))
    values = params(user, Window(start, now - timedelta(days=1)), team=team)
    holders = (
        select(Assignment.user_id, Assignment.case_id)
        .where(Assignment.until.is_(None))
        .distinct()
        .subquery()
    )
    stmt = (
        select(holders.c.user_id, func.count())
        .select_from(agenda.join(holders, holders.c.case_id == agenda.c.case_id))
        .group_by(holders.c.user_id)
    )
    return {row[0]: row[1] for row in session.execute(stmt, values)}
