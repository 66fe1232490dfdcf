"""The calp benchmark: synthetic databases of N victims on SQLite and PostgreSQL, measured.

    .venv/bin/python -m bench.run --sizes 10000,100000,1000000 --db sqlite,postgresql

For each size and database: build (Alembic, then bulk load), then measure the statistics
report and tables (API cold/warm, bare SQL, pandas), case list and search latency,
follow-up writes with 32 concurrent clients against `calp serve` (1 worker; 2 workers on
PostgreSQL too) and the server's RSS and CPU. Prints a table and writes
bench/results/<ts>.json. Every database and server is removed/stopped at the end, except
the databases kept with --keep DIR (measure them again with --reuse DIR, remove them with
--drop-kept DIR; bench/keep.py). See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_engine
from bench import api, floor, keep, load, wrkclient
from bench.report import print_tables
from bench.server import Server
from bench.server import cpu_s as server_cpu_s
from bench.synth import Generator, Samples

RESULTS = Path(__file__).resolve().parent / "results"
FOLLOW_UP_PATH = "/api/v1/victims/{victim_id}/follow-ups"


def log(msg: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


def machine(pg_server: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
    }
    with open("/proc/meminfo") as fh:
        info["mem_total_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    with open("/proc/cpuinfo") as fh:
        info["cpu"] = next(
            (line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "?"
        )
    for mod in ("sqlalchemy", "fastapi", "uvicorn", "pandas", "psycopg", "httpx"):
        info[mod] = __import__(mod).__version__
    try:
        engine = make_engine(f"{pg_server}/postgres")
        with engine.connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - reported, the SQLite part still runs
        info["postgresql"] = f"unreachable: {type(exc).__name__}"
    return info


def db_size_mb(url: str, engine: Any) -> float:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return (
            sum(
                Path(f"{path}{s}").stat().st_size
                for s in ("", "-wal")
                if Path(f"{path}{s}").exists()
            )
            / 2**20
        )
    with engine.connect() as conn:
        return (
            int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
            / 2**20
        )


def _repeat(n: int, size: int) -> int:
    # At 1M a cold report takes seconds: one run per figure keeps the whole bench bounded.
    return 1 if size >= 500_000 else n


def not_run(why: str) -> dict[str, str]:
    return {"not_run": why}


def follow_ups(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM follow_ups")).scalar_one())


def pg_backends_cpu(engine: Any) -> dict[int, float] | None:
    """CPU seconds of the PostgreSQL backends serving this database (a local server only)."""
    if engine.dialect.name != "postgresql":
        return None  # SQLite runs inside the server's processes: already in its CPU
    with engine.connect() as conn:
        pids = conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = "
                "current_database() AND pid <> pg_backend_pid()"
            )
        ).scalars()
        return {int(p): server_cpu_s(int(p)) for p in pids}


def writes(srv: Server, engine: Any, samples: Samples, args: argparse.Namespace) -> dict[str, Any]:
    """The follow-up write test, with the server's CPU and a count of the rows it added."""
    client = wrkclient if args.load_client == "wrk" else api
    headers = api.login(srv.base, "bench_worker")
    rows0, db0, cpu0 = follow_ups(engine), pg_backends_cpu(engine), srv.cpu_s()
    out: dict[str, Any] = client.follow_up_writes(
        srv.base, headers, samples.victim_ids, args.clients, args.writes_per_client
    )
    cpu, db1 = srv.cpu_s() - cpu0, pg_backends_cpu(engine)
    if db0 is not None and db1 is not None:
        # Backends alive at the end (the server's pool): a backend that exited meanwhile is
        # missed, one opened meanwhile counts from zero.
        db_cpu = sum(v - db0.get(pid, 0.0) for pid, v in db1.items())
        out["db_cpu_ms_per_write"] = db_cpu * 1000 / max(1, out["requests"])
    out["server_cpu_s"] = cpu
    out["server_cpu_ms_per_write"] = cpu * 1000 / max(1, out["requests"])
    # Cores the server kept busy: about 1 per worker (Python holds one core per process)
    # means it was CPU-bound; well below, it waited (database locks, I/O, the client).
    out["server_cores_busy"] = cpu / out["elapsed_s"] if out["elapsed_s"] else None
    out["followups_added"] = follow_ups(engine) - rows0
    if out["followups_added"] != out["created"]:
        log(
            f"    !! {out['created']} writes answered 201 but "
            f"{out['followups_added']} follow-ups were added"
        )
    return out


def measure_server(
    url: str,
    engine: Any,
    samples: Samples,
    size: int,
    keys: dict[str, str],
    tmp: Path,
    workers: int,
    args: argparse.Namespace,
    full: bool,
) -> dict[str, Any]:
    out: dict[str, Any] = {"workers": workers}
    with Server(url, workers, keys, tmp) as srv:
        out["rss_idle_mb"] = srv.rss_mb()
        paths = api.available_paths(srv.base)
        if full:
            if "/api/v1/stats/report" in paths:
                log(f"    stats through the API ({workers} worker)")
                with httpx.Client(
                    base_url=srv.base, headers=api.login(srv.base, "bench_coord"), timeout=600
                ) as client:
                    out["stats"] = api.stats(
                        client, engine, _repeat(args.cold_repeat, size), args.warm_repeat
                    )
            else:
                out["stats"] = not_run("/api/v1/stats/report is not served yet")
            out["rss_after_stats_mb"] = srv.rss_mb()
            if "/api/v1/cases" in paths and "/api/v1/victims/search" in paths:
                log("    case list and search")
                with httpx.Client(
                    base_url=srv.base, timeout=120, headers=api.login(srv.base, "bench_worker")
                ) as client:
                    out["list_search"] = api.list_and_search(
                        client, samples.case_codes, samples.documents, args.list_n
                    )
            else:
                out["list_search"] = not_run("/api/v1/cases or /api/v1/victims/search missing")
        if FOLLOW_UP_PATH in paths:
            log(
                f"    follow-up writes, {args.clients} clients ({args.load_client}), "
                f"{workers} worker(s)"
            )
            out["writes"] = writes(srv, engine, samples, args)
        else:
            out["writes"] = not_run(f"{FOLLOW_UP_PATH} is not served yet")
        out["rss_final_mb"] = srv.rss_mb()
        out["rss_peak_mb"] = srv.peak_mb
    return out


def run_one(
    backend: str, size: int, keys: dict[str, str], tmp: Path, args: argparse.Namespace
) -> dict[str, Any]:
    result: dict[str, Any] = {"db": backend, "size": size}
    meta = keep.load_meta(args.reuse, backend, size)
    if meta is not None:
        return run_reused(meta, result, tmp, args)
    if keep.load_meta(args.keep, backend, size) is not None:
        raise RuntimeError(
            f"{keep.meta_path(args.keep, backend, size)} exists: measure it "
            f"with --reuse, or remove it with --drop-kept first"
        )
    keyring = configure_keyring(keys["CALP_DATA_KEY"])
    with load.database(
        backend, size, tmp, args.pg_server, keep_dir=args.keep, is_kept=keep.is_kept
    ) as url:
        gen = Generator(size, keyring, seed=args.seed)
        log(f"{backend} {size:,}: building")
        result["build"] = load.build(url, gen, analyze=not args.no_analyze, log=lambda m: log(m))
        result["rows"] = dict(gen.samples.counts)
        load.create_users(url)
        if args.keep:
            path = keep.save_meta(
                args.keep, backend, size, url, keys, gen.samples, result["build"], args.seed
            )
            result["kept"] = str(path)
            log(f"    kept: {path}")
        return measure(url, size, gen.samples, keys, tmp, args, result)


def run_reused(
    meta: dict[str, Any], result: dict[str, Any], tmp: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """A kept database: its own keys and samples, migrated to head, no build."""
    url, keys = meta["url"], meta["keys"]
    log(f"{result['db']} {result['size']:,}: reusing the database built {meta['built_at']}")
    configure_keyring(keys["CALP_DATA_KEY"])
    keep.check_reachable(url)
    t0 = time.perf_counter()
    engine = make_engine(url)
    try:
        load.alembic_migrate(engine)  # the schema may have gained revisions since
    finally:
        engine.dispose()
    load.create_users(url)
    result.update(
        {
            "reused": True,
            "built_at": meta["built_at"],
            "build": meta["build"],
            "rows": meta["rows"],
            "reuse_migrate_s": time.perf_counter() - t0,
            "kept": str(keep.meta_path(args.reuse, result["db"], result["size"])),
        }
    )
    return measure(url, result["size"], keep.samples_of(meta), keys, tmp, args, result)


def measure(
    url: str,
    size: int,
    samples: Samples,
    keys: dict[str, str],
    tmp: Path,
    args: argparse.Namespace,
    result: dict[str, Any],
) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        result["db_size_mb"] = db_size_mb(url, engine)
        if not result.get("reused"):
            log(
                f"    built in {sum(result['build'].values()):.0f} s "
                f"({sum(samples.counts.values()):,} rows, {result['db_size_mb']:.0f} MB)"
            )
        log("    bare SQL")
        result["bare_sql"] = floor.bare_sql(engine, _repeat(args.sql_repeat, size))
        if args.no_pandas:
            result["pandas"] = not_run("--no-pandas")
        else:
            log("    pandas")
            result["pandas"] = floor.pandas_report(engine, 1 if size >= 500_000 else 2)
        result["server"] = [measure_server(url, engine, samples, size, keys, tmp, 1, args, True)]
        if result["db"] == "postgresql":
            result["server"].append(
                measure_server(url, engine, samples, size, keys, tmp, 2, args, False)
            )
    finally:
        engine.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="victim counts, comma-separated")
    p.add_argument("--db", default="sqlite,postgresql", help="sqlite and/or postgresql")
    p.add_argument(
        "--pg-server",
        default=os.environ.get("CALP_TEST_PG_SERVER", load.PG_SERVER),
        help="PostgreSQL server URL without a database (bash scripts/pg-cluster.sh)",
    )
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--writes-per-client", type=int, default=20)
    p.add_argument("--list-n", type=int, default=40, help="requests per list/search kind")
    p.add_argument("--sql-repeat", type=int, default=3)
    p.add_argument("--cold-repeat", type=int, default=3)
    p.add_argument("--warm-repeat", type=int, default=10)
    p.add_argument("--seed", type=int, default=9)
    p.add_argument("--no-analyze", action="store_true", help="skip ANALYZE after the load")
    p.add_argument("--no-pandas", action="store_true")
    p.add_argument("--out", type=Path, default=None, help="JSON path (default bench/results/)")
    p.add_argument(
        "--report",
        type=Path,
        default=None,
        help="print the tables of a saved results JSON and exit",
    )
    p.add_argument(
        "--load-client",
        choices=["wrk", "httpx"],
        default="wrk" if wrkclient.wrk_path() else "httpx",
        help="the follow-up write test's client (default: wrk when installed)",
    )
    p.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep each built database (and its keys, samples, build times) in DIR",
    )
    p.add_argument(
        "--reuse",
        type=Path,
        default=None,
        metavar="DIR",
        help="measure the databases kept in DIR instead of building them",
    )
    p.add_argument(
        "--drop-kept",
        type=Path,
        default=None,
        metavar="DIR",
        help="remove every database kept in DIR and exit",
    )
    args = p.parse_args(argv)
    if args.report:
        print_tables(json.loads(args.report.read_text()))
        return 0
    if args.drop_kept:
        log(f"dropping the databases kept in {args.drop_kept}")
        keep.drop_kept(args.drop_kept, log=log)
        return 0
    if args.load_client == "wrk" and not wrkclient.wrk_path():
        p.error("--load-client wrk: wrk is not installed (apt-get install wrk)")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if set(dbs) - {"sqlite", "postgresql"}:
        p.error("--db takes sqlite and/or postgresql")

    # SIGTERM (and SIGINT, which background shells ignore) must still run the cleanups:
    # servers stopped, databases dropped, temp files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_path = args.out or RESULTS / f"{stamp}.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    keys = {"CALP_SECRET_KEY": new_key(), "CALP_DATA_KEY": new_key()}
    tmp = Path(tempfile.mkdtemp(prefix="calp-bench-"))
    results: dict[str, Any] = {
        "started": stamp,
        "command": " ".join(sys.argv),
        "machine": machine(args.pg_server),
        "runs": [],
        "load_client": args.load_client,
    }
    t_start = time.perf_counter()
    try:
        for size in sizes:
            for backend in dbs:
                try:
                    results["runs"].append(run_one(backend, size, keys, tmp, args))
                except Exception as exc:  # noqa: BLE001 - one failed run must not lose the rest
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
    results["machine"]["loadavg_end"] = os.getloadavg()
    results["elapsed_s"] = time.perf_counter() - t_start
    out_path.write_text(json.dumps(results, indent=1, default=str))
    print_tables(results)
    log(f"results written to {out_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
