"""The calp benchmark: synthetic databases of N victims on SQLite and PostgreSQL, measured.

    .venv/bin/python -m bench.run --sizes 10000,100000,1000000 --db sqlite,postgresql

For each size and database: build (Alembic, then bulk load), then measure the statistics
report and tables (API cold/warm, bare SQL, pandas), case list and search latency,
follow-up writes with 32 concurrent clients against `calp serve` (1 worker; 2 workers on
PostgreSQL too) and the server's RSS. Prints a table and writes bench/results/<ts>.json.
Every database and server is removed/stopped at the end. See docs/performance.md.
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
from bench import api, floor, load
from bench.report import print_tables
from bench.server import Server
from bench.synth import Generator

RESULTS = Path(__file__).resolve().parent / "results"
FOLLOW_UP_PATH = "/api/v1/victims/{victim_id}/follow-ups"


def log(msg: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


def machine(pg_server: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": os.cpu_count(), "loadavg_start": os.getloadavg(),
        "python": platform.python_version(), "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
    }
    with open("/proc/meminfo") as fh:
        info["mem_total_gb"] = round(int(fh.readline().split()[1]) / 1024 / 1024, 1)
    with open("/proc/cpuinfo") as fh:
        info["cpu"] = next((line.split(":", 1)[1].strip() for line in fh
                            if line.startswith("model name")), "?")
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
        return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal")
                   if Path(f"{path}{s}").exists()) / 2**20
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())"))
                   .scalar_one()) / 2**20


def _repeat(n: int, size: int) -> int:
    # At 1M a cold report takes seconds: one run per figure keeps the whole bench bounded.
    return 1 if size >= 500_000 else n


def not_run(why: str) -> dict[str, str]:
    return {"not_run": why}


def measure_server(url: str, engine: Any, gen: Generator, keys: dict[str, str], tmp: Path,
                   workers: int, args: argparse.Namespace, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"workers": workers}
    with Server(url, workers, keys, tmp) as srv:
        out["rss_idle_mb"] = srv.rss_mb()
        paths = api.available_paths(srv.base)
        if full:
            if "/api/v1/stats/report" in paths:
                log(f"    stats through the API ({workers} worker)")
                with httpx.Client(base_url=srv.base, headers=api.login(srv.base, "bench_coord"),
                                  timeout=600) as client:
                    out["stats"] = api.stats(client, engine,
                                             _repeat(args.cold_repeat, gen.n), args.warm_repeat)
            else:
                out["stats"] = not_run("/api/v1/stats/report is not served yet")
            out["rss_after_stats_mb"] = srv.rss_mb()
            if "/api/v1/cases" in paths and "/api/v1/victims/search" in paths:
                log("    case list and search")
                with httpx.Client(base_url=srv.base, timeout=120,
                                  headers=api.login(srv.base, "bench_worker")) as client:
                    out["list_search"] = api.list_and_search(
                        client, gen.samples.case_codes, gen.samples.documents, args.list_n)
            else:
                out["list_search"] = not_run("/api/v1/cases or /api/v1/victims/search missing")
        if FOLLOW_UP_PATH in paths:
            log(f"    follow-up writes, {args.clients} clients, {workers} worker(s)")
            out["writes"] = api.follow_up_writes(
                srv.base, api.login(srv.base, "bench_worker"), gen.samples.victim_ids,
                args.clients, args.writes_per_client)
        else:
            out["writes"] = not_run(f"{FOLLOW_UP_PATH} is not served yet")
        out["rss_final_mb"] = srv.rss_mb()
        out["rss_peak_mb"] = srv.peak_mb
    return out


def run_one(backend: str, size: int, keys: dict[str, str], tmp: Path,
            args: argparse.Namespace) -> dict[str, Any]:
    keyring = configure_keyring(keys["CALP_DATA_KEY"])
    result: dict[str, Any] = {"db": backend, "size": size}
    with load.database(backend, size, tmp, args.pg_server) as url:
        gen = Generator(size, keyring, seed=args.seed)
        log(f"{backend} {size:,}: building")
        result["build"] = load.build(url, gen, analyze=not args.no_analyze,
                                     log=lambda m: log(m))
        result["rows"] = dict(gen.samples.counts)
        load.create_users(url)
        engine = make_engine(url)
        try:
            result["db_size_mb"] = db_size_mb(url, engine)
            log(f"    built in {sum(result['build'].values()):.0f} s "
                f"({sum(gen.samples.counts.values()):,} rows, {result['db_size_mb']:.0f} MB)")
            log("    bare SQL")
            result["bare_sql"] = floor.bare_sql(engine, _repeat(args.sql_repeat, size))
            if args.no_pandas:
                result["pandas"] = not_run("--no-pandas")
            else:
                log("    pandas")
                result["pandas"] = floor.pandas_report(engine, 1 if size >= 500_000 else 2)
            result["server"] = [measure_server(url, engine, gen, keys, tmp, 1, args, True)]
            if backend == "postgresql":
                result["server"].append(
                    measure_server(url, engine, gen, keys, tmp, 2, args, False))
        finally:
            engine.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000",
                   help="victim counts, comma-separated")
    p.add_argument("--db", default="sqlite,postgresql", help="sqlite and/or postgresql")
    p.add_argument("--pg-server", default=os.environ.get("CALP_TEST_PG_SERVER", load.PG_SERVER),
                   help="PostgreSQL server URL without a database (bash scripts/pg-cluster.sh)")
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
    p.add_argument("--report", type=Path, default=None,
                   help="print the tables of a saved results JSON and exit")
    args = p.parse_args(argv)
    if args.report:
        print_tables(json.loads(args.report.read_text()))
        return 0
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
    results: dict[str, Any] = {"started": stamp, "command": " ".join(sys.argv),
                               "machine": machine(args.pg_server), "runs": []}
    t_start = time.perf_counter()
    try:
        for size in sizes:
            for backend in dbs:
                try:
                    results["runs"].append(run_one(backend, size, keys, tmp, args))
                except Exception as exc:  # noqa: BLE001 - one failed run must not lose the rest
                    traceback.print_exc()
                    results["runs"].append({"db": backend, "size": size,
                                            "error": f"{type(exc).__name__}: {exc}"[:2000]})
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
