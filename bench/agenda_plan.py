"""The agenda page's plan and cost per kind on a kept database (`bench.agenda --keep`).

    python -m bench.agenda_plan --reuse DIR --sizes 1000000 --db sqlite,postgresql

For the first page of `scope=team` for the largest team, as bench/agenda.py's worker asks
it: the statement exactly as `agenda_page` sends it (text and values, caught on the
connection), explained (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) under the page's own planner
settings; SQLite: EXPLAIN QUERY PLAN), then `agenda_page` timed in-process with all six
kinds and with each kind alone (the SQL and the items, no HTTP): which index each kind
walks, what a page reads, and which kind costs what. Run it under the exclusive CPU lock.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

import app.models  # noqa: F401 - every mapper, before the first query
from app.agenda import query, service
from app.agenda.schemas import AgendaScope
from app.audit.service import append_pending
from app.catalogs import Team
from app.crypto import configure_keyring
from app.db import install_commit_hooks, make_engine, make_session_factory
from app.users.models import User
from bench import keep
from bench.agenda import LARGEST_TEAM, WORKER


def page(session: Session, user: User) -> None:
    """The bench's request: the first page (50) of scope=team for the largest team."""
    service.agenda_page(session, user, scope=AgendaScope.team, team=Team(LARGEST_TEAM), limit=50)


def sent_statement(session: Session, user: User) -> tuple[str, Any]:
    """The page statement's text and values as the driver receives them."""
    sent: list[tuple[str, Any]] = []
    conn = session.connection()

    def grab(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "UNION ALL" in statement:
            sent.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", grab)
    try:
        page(session, user)
    finally:
        event.remove(conn, "before_cursor_execute", grab)
    return sent[0]


def explain(session: Session, user: User) -> list[str]:
    statement, parameters = sent_statement(session, user)
    raw: Any = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "sqlite":
        rows = raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
        return [str(r[3]) for r in rows]
    with raw.cursor() as cur:
        for name, value in service._PG_SETTINGS.items():
            cur.execute(f"SET LOCAL {name} = {value}")
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
        lines = [str(r[0]) for r in cur.fetchall()]
    session.rollback()
    return lines


@contextmanager
def only_kind(index: int | None) -> Iterator[None]:
    """The agenda statement with one kind's branch only (None: all six)."""
    real: Callable[[User], list[query.Branch]] = query._branches
    if index is not None:
        query._branches = lambda user: [real(user)[index]]
    query._STATEMENTS.clear()
    service._PAGES.clear()
    try:
        yield
    finally:
        query._branches = real  # type: ignore[assignment]
        query._STATEMENTS.clear()
        service._PAGES.clear()


def timed(session: Session, user: User, n: int) -> dict[str, float]:
    times = []
    for i in range(n + 3):
        t0 = time.perf_counter()
        page(session, user)
        if i >= 3:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "min_ms": times[0]}


def profile(url: str, keys: dict[str, str], n: int) -> dict[str, Any]:
    configure_keyring(keys["CALP_DATA_KEY"])
    engine = make_engine(url)
    out: dict[str, Any] = {}
    with make_session_factory(engine)() as session:
        user = session.scalar(select(User).where(User.username == WORKER))
        assert user is not None, f"no {WORKER}: time the database with bench.agenda first"
        out["plan"] = explain(session, user)
        kinds = [b.kind.value for b in query._branches(user)]
        for index, name in [(None, "all"), *enumerate(kinds)]:
            with only_kind(index):
                out[f"in_process_{name}"] = timed(session, user, n)
    engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.agenda_plan", description=__doc__)
    p.add_argument("--reuse", type=Path, required=True, metavar="DIR")
    p.add_argument("--sizes", default="1000000")
    p.add_argument("--db", default="sqlite,postgresql")
    p.add_argument("--n", type=int, default=20)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)
    install_commit_hooks(append_pending)
    results = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        for backend in [d.strip() for d in args.db.split(",") if d.strip()]:
            meta = keep.load_meta(args.reuse, backend, size)
            if meta is None:
                print(f"{backend} {size:,}: not kept in {args.reuse}")
                continue
            run = {"db": backend, "size": size, **profile(meta["url"], meta["keys"], args.n)}
            results.append(run)
            print(f"\n## {backend} {size:,}: the first page of scope=team&team={LARGEST_TEAM}")
            print("\n".join(run["plan"]))
            for key, value in run.items():
                if key.startswith("in_process_"):
                    name = key.removeprefix("in_process_")
                    print(
                        f"{name:<22} p50 {value['p50_ms']:6.2f} ms  min {value['min_ms']:6.2f} ms"
                    )
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
