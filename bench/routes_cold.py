"""Cold route requests as a psychologist: `GET /api/v1/routes` and `/api/v1/routes/summary`.

    .venv/bin/python -m bench.routes_cold [--size 100000] [--repeat 3] [--db-file F [--keep]]

Builds a SQLite database of `--size` victims (`bench.synth`, `bench.load`; in a temp dir
unless `--db-file`), adds the bench users and a psychologist of every team (protected
counts), starts `calp serve` (one worker) and times each endpoint: the first request after
the start (cold: nothing computed yet in the process) and `--repeat` more, each after a
data-version bump (as after any write). Prints the server's peak RSS too.

Before/after a change: the server runs the code tree this script is imported from, so run
it from an older checkout to build and measure, keep the file, then measure the same file
from the current tree (`--db-file F` on an existing file migrates it to head, timed):

    git archive <commit> | tar -x -C /tmp/before && cp bench/routes_cold.py /tmp/before/bench/
    (cd /tmp/before && /work/main/.venv/bin/python -m bench.routes_cold --db-file /tmp/r.db --keep)
    .venv/bin/python -m bench.routes_cold --db-file /tmp/r.db
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

import httpx

import app
from app.catalogs import Role
from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_engine
from bench import api, load
from bench.server import Server
from bench.synth import Generator

PSYCHOLOGIST = "bench_psych"
PATHS = ("/api/v1/routes", "/api/v1/routes/summary")


def _timed(client: httpx.Client, path: str) -> tuple[float, dict[str, Any]]:
    t0 = time.perf_counter()
    resp = client.get(path)
    elapsed = (time.perf_counter() - t0) * 1000
    resp.raise_for_status()
    return elapsed, resp.json()


def measure(url: str, keys: dict[str, str], var_dir: Path, repeat: int) -> dict[str, Any]:
    engine = make_engine(url)
    out: dict[str, Any] = {}
    # The server runs the same code tree as this script (an older checkout included).
    os.environ["PYTHONPATH"] = str(Path(app.__file__).resolve().parent.parent)
    try:
        with Server(url, 1, keys, var_dir) as srv:
            out["rss_idle_mb"] = round(srv.rss_mb(), 1)
            headers = api.login(srv.base, PSYCHOLOGIST)
            with httpx.Client(base_url=srv.base, headers=headers, timeout=600) as client:
                for path in PATHS:
                    first, body = _timed(client, path)
                    again = []
                    for _ in range(repeat):
                        load.bump_data_version(engine)
                        again.append(_timed(client, path)[0])
                    out[path] = {
                        "first_ms": round(first, 1),
                        "again_median_ms": round(statistics.median(again), 1) if again else None,
                        "published": len(body.get("flows", body.get("capture", []))),
                    }
            out["rss_peak_mb"] = round(srv.peak_mb, 1)
    finally:
        engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="victims to generate")
    parser.add_argument("--repeat", type=int, default=3, help="requests after the first")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--db-file", type=Path, help="SQLite file: built if absent")
    parser.add_argument("--keep", action="store_true", help="keep --db-file afterwards")
    args = parser.parse_args()
    keys = {"CALP_SECRET_KEY": new_key(), "CALP_DATA_KEY": new_key()}
    keyring = configure_keyring(keys["CALP_DATA_KEY"])
    result: dict[str, Any] = {"code": str(Path(app.__file__).resolve().parent.parent)}
    with tempfile.TemporaryDirectory(prefix="calp-routes-cold-") as tmp_dir:
        tmp = Path(tmp_dir)
        path = (args.db_file or tmp / "routes.db").resolve()
        url = f"sqlite:///{path}"
        try:
            t0 = time.perf_counter()
            if path.exists():
                engine = make_engine(url)
                load.alembic_migrate(engine)  # a file built by an older tree gains its columns
                engine.dispose()
                result["migrate_s"] = round(time.perf_counter() - t0, 1)
            else:
                timings = load.build(url, Generator(args.size, keyring, seed=args.seed))
                result["build_s"] = round(sum(timings.values()), 1)
            with mock.patch.dict(load.USERS, {PSYCHOLOGIST: Role.psychologist}):
                load.create_users(url)
            result.update(measure(url, keys, tmp, args.repeat))
        finally:
            if not (args.db_file and args.keep):
                load.drop_sqlite(path)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
