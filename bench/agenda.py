"""Agenda latency at scale: `GET /api/v1/agenda` on 10k / 100k / 1M victims.

    python -m bench.agenda --sizes 10000,100000,1000000 --db sqlite,postgresql
    python -m bench.agenda --sizes 1000000 --db postgresql --keep DIR --build-only  # shared lock
    python -m bench.agenda --sizes 1000000 --db postgresql --reuse DIR  # exclusive lock
    python -m bench.agenda_plan --sizes 1000000 --reuse DIR  # plan and cost per kind

Each database is built as bench/run.py builds it (bench/synth.py, bench/load.py; `--keep`
and `--reuse` as there, bench/keep.py), then gains the records the agenda reads, which
synth.py does not make, from a seeded generator of its own (`agenda_rows`): a plan for
~60 % of the victims (goals with due dates, a review for some), a protection measure for
~30 %, ~1 referral each (70 % outgoing, a quarter still unanswered), reflection periods
for a fifth of the foreign victims, and a planned date on every planned action. Dates of
open cases fall around today (the agenda's window), those of closed cases where their case
lived. Then ANALYZE, a worker of the largest team (Lima) who leads 40 of its open cases,
and `calp serve` (1 worker) answers sequential requests: the target is the first page
(limit 50) of `scope=team` for the largest team, p95 <= 50 ms at 1M victims.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_engine
from bench import keep, load
from bench.api import login, summary
from bench.load import _sqlite_value
from bench.server import Server
from bench.synth import Generator

RESULTS = Path(__file__).resolve().parent / "results"
TODAY = date.today()
LARGEST_TEAM = "lima"  # 45 % of the cases in synth.py's TEAM weights
WORKER = "bench_agenda"
BATCH = 20_000

AGENDA_COLUMNS: dict[str, tuple[str, ...]] = {
    "plans": (
        "id",
        "victim_id",
        "assessed_on",
        "status",
        "next_review_on",
        "created_at",
        "updated_at",
        "version",
    ),
    "plan_goals": ("id", "plan_id", "position", "dimension", "due_on", "status"),
    "plan_reviews": ("id", "plan_id", "reviewed_on", "next_review_on", "created_at"),
    "protection_measures": (
        "id",
        "victim_id",
        "kind",
        "institution",
        "granted_on",
        "ends_on",
        "created_at",
        "updated_at",
        "version",
    ),
    "referrals": (
        "id",
        "victim_id",
        "direction",
        "institution",
        "referred_on",
        "outcome",
        "created_at",
        "updated_at",
        "version",
    ),
}
DIMENSIONS = ("health", "identity", "education", "protection", "legal", "family", "housing")
MEASURES = ("identity_reserve", "police_protection", "shelter", "no_contact_order", "other")
INSTITUTIONS = ("fiscalia", "pnp", "cem", "minsa", "upe", "poder_judicial", "mimp", "car")
OUTCOMES = ("accepted", "rejected", "no_answer", "wrong_referral")


def log(msg: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {msg}", flush=True)


def _stamp(day: date) -> datetime:
    return datetime.combine(day, dtime(12), UTC)


def _around_today(rng: random.Random, back: int, ahead: int) -> date:
    return TODAY + timedelta(days=rng.randint(-back, ahead))


def agenda_rows(
    victims: list[tuple[uuid.UUID, date, bool, str]], seed: int
) -> Iterator[dict[str, list[tuple[object, ...]]]]:
    """Rows of the agenda's kinds for (victim id, intake, case open, nationality), in
    batches; deterministic per seed and input order."""
    rng = random.Random(f"agenda-{seed}")

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    rows: dict[str, list[tuple[object, ...]]] = {t: [] for t in AGENDA_COLUMNS}
    for n, (vid, intake, open_case, _nationality) in enumerate(victims, start=1):
        if rng.random() < 0.6:
            pid = uid()
            assessed = min(intake + timedelta(days=rng.randint(5, 60)), TODAY)
            if open_case:
                status = "in_progress" if rng.random() < 0.7 else "drafted"
                review = _around_today(rng, 60, 120)
            else:
                status = ("completed", "implemented", "abandoned")[rng.randrange(3)]
                review = assessed + timedelta(days=90)
            rows["plans"].append(
                (pid, vid, assessed, status, review, _stamp(assessed), _stamp(assessed), 1)
            )
            for pos in range(rng.randint(1, 3)):
                due = _around_today(rng, 90, 180) if open_case else assessed + timedelta(180)
                goal_status = ("pending", "in_progress", "achieved", "dropped")[
                    rng.choices(range(4), (35, 35, 25, 5))[0]
                ]
                rows["plan_goals"].append(
                    (uid(), pid, pos, rng.choice(DIMENSIONS), due, goal_status)
                )
            if rng.random() < 0.3:
                reviewed = max(assessed, review - timedelta(days=90))
                if reviewed <= TODAY:
                    rows["plan_reviews"].append((uid(), pid, reviewed, review, _stamp(reviewed)))
        if rng.random() < 0.3:
            granted = min(intake + timedelta(days=rng.randint(0, 30)), TODAY)
            ends = None
            if rng.random() < 0.7:
                ends = (
                    max(granted, _around_today(rng, 60, 300))
                    if open_case
                    else granted + timedelta(days=rng.randint(90, 720))
                )
            rows["protection_measures"].append(
                (
                    uid(),
                    vid,
                    rng.choice(MEASURES),
                    rng.choice(INSTITUTIONS),
                    granted,
                    ends,
                    _stamp(granted),
                    _stamp(granted),
                    1,
                )
            )
        for _ in range(rng.choices((0, 1, 2), (30, 45, 25))[0]):
            outgoing = rng.random() < 0.7
            referred = (
                _around_today(rng, 120, 0)
                if open_case
                else min(intake + timedelta(days=rng.randint(0, 300)), TODAY)
            )
            outcome = None if rng.random() < 0.25 else rng.choice(OUTCOMES)
            rows["referrals"].append(
                (
                    uid(),
                    vid,
                    "out" if outgoing else "in",
                    rng.choice(INSTITUTIONS),
                    referred,
                    outcome,
                    _stamp(referred),
                    _stamp(referred),
                    1,
                )
            )
        if n % BATCH == 0:
            yield rows
            rows = {t: [] for t in AGENDA_COLUMNS}
    yield rows


def _insert(conn: Any, sqlite: bool, table: str, rows: list[tuple[object, ...]]) -> None:
    if not rows:
        return
    cols = AGENDA_COLUMNS[table]
    if sqlite:
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        conn.exec_driver_sql(sql, [tuple(_sqlite_value(v) for v in row) for row in rows])
        return
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _set_dates(
    conn: Any, sqlite: bool, table: str, column: str, rows: list[tuple[Any, date]]
) -> None:
    """Set one date column by id: SQLite by executemany (a B-tree lookup each); PostgreSQL
    by COPY into a temporary table and one UPDATE ... FROM (an UPDATE statement per row
    took minutes at 1M)."""
    if sqlite:
        sql = f"UPDATE {table} SET {column} = ? WHERE id = ?"
        for i in range(0, len(rows), BATCH):
            batch = [(_sqlite_value(d), _sqlite_value(v)) for v, d in rows[i : i + BATCH]]
            conn.exec_driver_sql(sql, batch)
        return
    conn.exec_driver_sql("CREATE TEMP TABLE bench_dates (id uuid PRIMARY KEY, day date)")
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy("COPY bench_dates (id, day) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.exec_driver_sql(
        f"UPDATE {table} t SET {column} = d.day FROM bench_dates d WHERE t.id = d.id"
    )
    conn.exec_driver_sql("DROP TABLE bench_dates")


def add_agenda(url: str, seed: int) -> dict[str, Any]:
    """The agenda's records on a built database (once: a reused one that has plans is
    left as it is); returns row counts and seconds."""
    t0 = time.perf_counter()
    sqlite = url.startswith("sqlite")
    engine = make_engine(url)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        if conn.execute(text("SELECT count(*) FROM plans")).scalar_one():
            log("    agenda records already there")
            engine.dispose()
            return {"added": False}
        victims = [
            (
                uuid.UUID(str(v)),
                d if isinstance(d, date) else date.fromisoformat(d),
                status != "closed",
                nat,
            )
            for v, d, status, nat in conn.execute(
                text(
                    "SELECT v.id, v.intake_on, c.status, v.nationality FROM victims v "
                    "JOIN cases c ON c.id = v.case_id ORDER BY v.code"
                )
            )
        ]
        for chunk in agenda_rows(victims, seed):
            for table, rows in chunk.items():
                _insert(conn, sqlite, table, rows)
                counts[table] = counts.get(table, 0) + len(rows)
            conn.commit()
        rng = random.Random(f"agenda-dates-{seed}")
        # Reflection periods: a fifth of the foreign victims, 30-90 days after intake
        # (those of open cases around today).
        reflection = []
        for vid, intake, open_case, nationality in victims:
            if nationality != "PE" and rng.random() < 0.2:
                until = (
                    _around_today(rng, 40, 80)
                    if open_case
                    else intake + timedelta(rng.randint(30, 90))
                )
                reflection.append((vid, until))
        _set_dates(conn, sqlite, "victims", "reflection_until", reflection)
        counts["reflection_until"] = len(reflection)
        # A planned date on every planned action: 7-60 days after its follow-up.
        planned = conn.execute(
            text(
                "SELECT a.id, f.occurred_on FROM follow_up_actions a "
                "JOIN follow_ups f ON f.id = a.follow_up_id "
                "WHERE a.status = 'planned' ORDER BY a.id"
            )
        ).all()
        due = [
            (
                uuid.UUID(str(a)),
                (o if isinstance(o, date) else date.fromisoformat(o))
                + timedelta(days=rng.randint(7, 60)),
            )
            for a, o in planned
        ]
        _set_dates(conn, sqlite, "follow_up_actions", "due_on", due)
        counts["action_due_on"] = len(due)
        conn.commit()
    t1 = time.perf_counter()
    if sqlite:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return {"added": True, "rows": counts, "load_s": t1 - t0, "analyze_s": time.perf_counter() - t1}


def create_worker(url: str, leads: int = 40) -> None:
    """A social worker of the largest team who leads `leads` of its open cases (kept on a
    reused database)."""
    from app.catalogs import Role, Team
    from app.config import Settings
    from app.db import make_session_factory
    from app.users.models import User
    from app.users.schemas import UserCreate
    from app.users.service import create_user

    settings = Settings(
        env="development",
        database_url=url,
        fast_password_hash=True,
        secret_key="x" * 43,
        data_key="x" * 43,
    )
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        if session.query(User).filter(User.username == WORKER).first() is None:
            user = create_user(
                session,
                UserCreate(
                    username=WORKER,
                    full_name=WORKER,
                    password=load.PASSWORD,
                    role=Role.social_worker,
                    teams=[Team(LARGEST_TEAM)],
                ),
                settings=settings,
                actor=None,
            )
            session.flush()
            cases = session.execute(
                text(
                    "SELECT id FROM cases WHERE team = :team AND status <> 'closed' "
                    "AND deleted_at IS NULL ORDER BY code DESC LIMIT :n"
                ),
                {"team": LARGEST_TEAM, "n": leads},
            ).scalars()
            from app.caseload.models import Assignment
            from app.catalogs import Responsibility

            for case_id in cases:
                session.add(
                    Assignment(
                        case_id=uuid.UUID(str(case_id)),
                        user_id=user.id,
                        responsibility=Responsibility.lead,
                        since=TODAY - timedelta(days=30),
                    )
                )
        session.commit()
    engine.dispose()


def window_counts(url: str) -> dict[str, int]:
    """How much lies in the default window (all kinds' raw rows, every team): context for
    the latencies."""
    engine = make_engine(url)
    start, end = TODAY - timedelta(days=30), TODAY + timedelta(days=14)
    q = {
        "plans.next_review_on": "SELECT count(*) FROM plans WHERE next_review_on BETWEEN :s AND :e",
        "plan_goals.due_on": "SELECT count(*) FROM plan_goals WHERE due_on BETWEEN :s AND :e",
        "protection_measures.ends_on": (
            "SELECT count(*) FROM protection_measures WHERE ends_on BETWEEN :s AND :e"
        ),
        "victims.reflection_until": (
            "SELECT count(*) FROM victims WHERE reflection_until BETWEEN :s AND :e"
        ),
        "follow_up_actions.due_on": (
            "SELECT count(*) FROM follow_up_actions WHERE due_on BETWEEN :s AND :e"
        ),
    }
    with engine.connect() as conn:
        out = {
            k: int(conn.execute(text(sql), {"s": start, "e": end}).scalar_one())
            for k, sql in q.items()
        }
    engine.dispose()
    return out


def _timed(call: Callable[[], httpx.Response], n: int, srv: Server) -> dict[str, Any]:
    """Wall time per request (p50/p95) and the server's CPU per request (its process tree's
    utime+stime): on a machine shared with other work the CPU is the steadier figure."""
    times, statuses, sizes = [], set(), []
    cpu0 = 0.0
    for i in range(n + 3):
        if i == 3:
            cpu0 = srv.cpu_s()
        t0 = time.perf_counter()
        r = call()
        ms = (time.perf_counter() - t0) * 1000
        statuses.add(r.status_code)
        if i >= 3:  # the first three warm the connection and the plan cache
            times.append(ms)
            sizes.append(len(r.json().get("items", [])) if r.status_code == 200 else -1)
    cpu_ms = (srv.cpu_s() - cpu0) * 1000 / n
    return {**summary(times), "cpu_ms": cpu_ms, "statuses": sorted(statuses), "items": max(sizes)}


def measure(url: str, keys: dict[str, str], tmp: Path, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with Server(url, 1, keys, tmp) as srv:
        headers = login(srv.base, WORKER)
        with httpx.Client(base_url=srv.base, headers=headers, timeout=60) as client:
            path = "/api/v1/agenda"
            team = {"scope": "team", "team": LARGEST_TEAM, "limit": 50}
            out["team_first_page"] = _timed(lambda: client.get(path, params=team), n, srv)
            out["team_default_teams"] = _timed(
                lambda: client.get(path, params={"scope": "team", "limit": 50}), n, srv
            )
            out["mine_first_page"] = _timed(lambda: client.get(path, params={"limit": 50}), n, srv)
            wide = {
                **team,
                "from": str(TODAY - timedelta(days=365)),
                "to": str(TODAY + timedelta(days=365)),
            }
            out["team_two_year_window"] = _timed(lambda: client.get(path, params=wide), n, srv)
            # Ten pages deep by cursor.
            times, cursor = [], None
            for _ in range(10):
                params = {**team, **({"cursor": cursor} if cursor else {})}
                t0 = time.perf_counter()
                r = client.get(path, params=params)
                times.append((time.perf_counter() - t0) * 1000)
                cursor = r.json().get("next_cursor") if r.status_code == 200 else None
                if not cursor:
                    break
            out["team_next_pages"] = {**summary(times), "pages": len(times)}
            # The same server's case list (bench/run.py's list_first_page), measured in the
            # same minutes: on a shared machine the ratio is the steadier figure.
            out["ref_case_list"] = _timed(lambda: client.get("/api/v1/cases?limit=50"), n, srv)
    return out


def run_one(backend: str, size: int, keys: dict[str, str], tmp: Path, args: Any) -> dict[str, Any]:
    result: dict[str, Any] = {"db": backend, "size": size}
    meta = keep.load_meta(args.reuse, backend, size)
    if meta is not None:
        url, keys = meta["url"], meta["keys"]
        log(f"{backend} {size:,}: reusing the database built {meta['built_at']}")
        configure_keyring(keys["CALP_DATA_KEY"])
        keep.check_reachable(url)
        engine = make_engine(url)
        load.alembic_migrate(engine)
        engine.dispose()
        result["reused"] = meta["built_at"]
        return _measure_built(url, keys, tmp, args, result)
    keyring = configure_keyring(keys["CALP_DATA_KEY"])
    with load.database(
        backend, size, tmp, args.pg_server, keep_dir=args.keep, is_kept=keep.is_kept
    ) as url:
        gen = Generator(size, keyring, seed=args.seed)
        log(f"{backend} {size:,}: building")
        result["build"] = load.build(url, gen, log=log)
        result["rows"] = dict(gen.samples.counts)
        if args.keep:
            keep.save_meta(
                args.keep, backend, size, url, keys, gen.samples, result["build"], args.seed
            )
        return _measure_built(url, keys, tmp, args, result)


def _measure_built(
    url: str, keys: dict[str, str], tmp: Path, args: Any, result: dict[str, Any]
) -> dict[str, Any]:
    log("    agenda records")
    result["agenda_build"] = add_agenda(url, args.seed)
    load.create_users(url)
    create_worker(url)
    result["window_rows"] = window_counts(url)
    log(f"    in the default window: {result['window_rows']}")
    if args.build_only:  # built under the shared CPU lock; timed later with --reuse
        return result
    log("    requests")
    result["latency"] = measure(url, keys, tmp, args.n)
    return result


def print_tables(results: dict[str, Any]) -> None:
    print(
        "\n## Agenda latency (ms, sequential, 1 worker; worker of the largest team;"
        " cpu = server CPU ms per request)"
    )
    print(f"{'run':<22}{'request':>22}{'p50':>8}{'p95':>8}{'cpu':>8}{'items':>7}  HTTP")
    for run in results["runs"]:
        name = f"{run['db']} {run['size']:,}"
        if "error" in run:
            print(f"{name:<22}  error: {run['error'][:100]}")
            continue
        for kind, m in run.get("latency", {}).items():
            statuses = ",".join(map(str, m.get("statuses", [])))
            items = m.get("items", m.get("pages", ""))
            print(
                f"{name:<22}{kind:>22}{m['p50_ms']:>8.1f}{m['p95_ms']:>8.1f}"
                f"{m.get('cpu_ms', float('nan')):>8.1f}{items!s:>7}  {statuses}"
            )
    print("\n## Target: first page of scope=team for the largest team, p95 <= 50 ms at 1M")
    for run in results["runs"]:
        if "latency" in run:
            p95 = run["latency"]["team_first_page"]["p95_ms"]
            verdict = "met" if p95 <= 50 else "MISSED"
            print(f"{run['db']} {run['size']:,}: p95 {p95:.1f} ms  {verdict}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.agenda", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--db", default="sqlite,postgresql")
    p.add_argument("--pg-server", default=load.PG_SERVER)
    p.add_argument("--n", type=int, default=60, help="requests per kind (after 3 warm-ups)")
    p.add_argument("--seed", type=int, default=9)
    p.add_argument("--keep", type=Path, default=None, metavar="DIR")
    p.add_argument("--reuse", type=Path, default=None, metavar="DIR")
    p.add_argument(
        "--build-only", action="store_true", help="build (and --keep) without timing requests"
    )
    p.add_argument("--out", type=Path, default=None)
    p.add_argument("--report", type=Path, default=None, help="print a saved results JSON")
    args = p.parse_args(argv)
    if args.report:
        print_tables(json.loads(args.report.read_text()))
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_path = args.out or RESULTS / f"agenda-{stamp}.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    keys = {"CALP_SECRET_KEY": new_key(), "CALP_DATA_KEY": new_key()}
    tmp = Path(tempfile.mkdtemp(prefix="calp-bench-agenda-"))
    results: dict[str, Any] = {"started": stamp, "command": " ".join(sys.argv), "runs": []}
    try:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            for backend in [d.strip() for d in args.db.split(",") if d.strip()]:
                try:
                    results["runs"].append(run_one(backend, size, keys, tmp, args))
                except Exception as exc:  # noqa: BLE001 - one failed run must not lose the rest
                    import traceback

                    traceback.print_exc()
                    results["runs"].append(
                        {
                            "db": backend,
                            "size": size,
                            "error": f"{type(exc).__name__}: {exc}"[:2000],
                        }
                    )
                out_path.write_text(json.dumps(results, indent=1, default=str))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_tables(results)
    log(f"results written to {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
