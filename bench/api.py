"""Measurements through the HTTP API of a running `calp serve`.

Statistics: each table and the full report, cold (the data version bumped just before, as
any write would) and warm (repeated with no write in between). Case list and search:
sequential requests, p50/p95. Follow-up writes (the httpx fallback; bench/wrkclient.py
is the default client): 32 client threads with their own connections, a bounded number of
POSTs each, throughput and p95.
"""

from __future__ import annotations

import math
import random
import statistics
import threading
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import Engine

from bench.load import PASSWORD, bump_data_version

STATS_TABLES = [
    "cases-by-team",
    "cases-by-year",
    "victim-profile",
    "typology",
    "trafficking-purpose",
    "capture-modality",
    "violence-history",
    "practices?polarity=good",
    "practices?polarity=bad",
]


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": pct(values, 50),
        "p95_ms": pct(values, 95),
        "mean_ms": statistics.fmean(values),
    }


def login(base: str, username: str) -> dict[str, str]:
    r = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30
    )
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def available_paths(base: str) -> set[str]:
    """Paths the running app serves (endpoints still being written are reported not run)."""
    return set(httpx.get(f"{base}/openapi.json", timeout=30).json().get("paths", {}))


def _get(client: httpx.Client, path: str) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    r = client.get(path)
    return (time.perf_counter() - t0) * 1000, r


def stats(
    client: httpx.Client, engine: Engine, cold_repeat: int = 3, warm_repeat: int = 10
) -> dict[str, Any]:
    """Cold and warm latency of every statistics path (ms), and the report's victims total."""
    out: dict[str, Any] = {}
    for name in ["report", *STATS_TABLES]:
        path = f"/api/v1/stats/{name}"
        cold, warm = [], []
        status = 200
        body: Any = None
        for _ in range(cold_repeat):
            bump_data_version(engine)
            ms, r = _get(client, path)
            status = r.status_code if r.status_code != 200 else status
            cold.append(ms)
        for _ in range(warm_repeat):
            ms, r = _get(client, path)
            status = r.status_code if r.status_code != 200 else status
            warm.append(ms)
            body = r.json() if r.status_code == 200 else None
        out[name] = {
            "cold_ms": statistics.median(cold),
            "cold_all_ms": cold,
            "warm": summary(warm),
            "status": status,
        }
        if name == "report" and body:
            out["report_victims_total"] = _victims_total(body)
            out["report_bytes"] = len(r.content)
    return out


def _victims_total(report: dict[str, Any]) -> int | None:
    for table in report.get("tables", []):
        if str(table.get("table")) == "13":
            return int(table["groups"][0]["total"])
    return None


def list_and_search(
    client: httpx.Client, case_codes: list[str], documents: list[str], n: int = 40, seed: int = 3
) -> dict[str, Any]:
    """p50/p95 of the case list (first page, next pages, filters, code search) and search."""
    rng = random.Random(seed)
    kinds: dict[str, Any] = {
        "list_first_page": lambda: client.get("/api/v1/cases?limit=50"),
        "list_team_year": lambda: client.get(
            f"/api/v1/cases?team={rng.choice(['lima', 'cusco', 'puno'])}"
            f"&year={rng.randint(2006, 2026)}&limit=50"
        ),
        "list_status_open": lambda: client.get("/api/v1/cases?status=open&limit=50"),
        "q_full_code": lambda: client.get(f"/api/v1/cases?q={rng.choice(case_codes)}"),
        "q_team_year_prefix": lambda: client.get(f"/api/v1/cases?q={rng.choice(case_codes)[:8]}"),
        "q_number_fragment": lambda: client.get(
            f"/api/v1/cases?q={rng.choice(case_codes).rsplit('-', 1)[1][-3:]}"
        ),
        "victim_search": lambda: client.post(
            "/api/v1/victims/search", json={"document_number": rng.choice(documents)}
        ),
        "victim_search_miss": lambda: client.post(
            "/api/v1/victims/search", json={"document_number": f"X{rng.randint(1, 10**9)}"}
        ),
    }
    out: dict[str, Any] = {}
    for kind, call in kinds.items():
        times, statuses, hits = [], set(), 0
        for i in range(n + 3):
            t0 = time.perf_counter()
            r = call()
            ms = (time.perf_counter() - t0) * 1000
            statuses.add(r.status_code)
            if i >= 3:  # the first three warm the connection and the plan cache
                times.append(ms)
                if r.status_code == 200:
                    hits += len(r.json().get("items", [])) > 0
        out[kind] = {**summary(times), "statuses": sorted(statuses), "non_empty": hits}
    # Deep paging: follow next_cursor for up to 20 pages.
    times, cursor = [], None
    for _ in range(20):
        t0 = time.perf_counter()
        r = client.get("/api/v1/cases?limit=50" + (f"&cursor={cursor}" if cursor else ""))
        times.append((time.perf_counter() - t0) * 1000)
        cursor = r.json().get("next_cursor") if r.status_code == 200 else None
        if not cursor:
            break
    out["list_next_pages"] = summary(times)
    return out


def follow_up_body(day: str) -> dict[str, Any]:
    """The body of every benchmark write (both load clients send exactly this)."""
    return {
        "occurred_on": day,
        "kind": "social",
        "narrative": "Texto ficticio: visita de seguimiento (benchmark).",
        "actions": [{"type": "home_visit", "status": "done"}],
    }


def follow_up_writes(
    base: str,
    headers: dict[str, str],
    victim_ids: list[Any],
    clients: int = 32,
    per_client: int = 20,
    seed: int = 5,
) -> dict[str, Any]:
    """32 threads, each its own connection, POSTing follow-ups as fast as they are answered.

    The fallback client when wrk is not installed: on a 2-core machine its own CPU per
    request (several ms of Python) competes with the server being measured.
    """
    day = datetime.now(UTC).date().isoformat()
    cpu0 = time.process_time()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def worker(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            mine: list[float] = []
            codes: dict[int, int] = {}
            barrier.wait()
            for _ in range(per_client):
                body = follow_up_body(day)
                t0 = time.perf_counter()
                try:
                    r = client.post(
                        f"/api/v1/victims/{rng.choice(victim_ids)}/follow-ups", json=body
                    )
                    code = r.status_code
                except httpx.HTTPError:
                    code = 0
                mine.append((time.perf_counter() - t0) * 1000)
                codes[code] = codes.get(code, 0) + 1
        with lock:
            latencies.extend(mine)
            for c, n in codes.items():
                statuses[c] = statuses.get(c, 0) + n

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    client_cpu = time.process_time() - cpu0
    ok = statuses.get(201, 0)
    return {
        "client": "httpx",
        "clients": clients,
        "requests": len(latencies),
        "created": ok,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "elapsed_s": elapsed,
        "writes_per_s": ok / elapsed if elapsed else 0.0,
        "client_cpu_s": client_cpu,
        "client_cpu_ms_per_request": client_cpu * 1000 / max(1, len(latencies)),
        **summary(latencies),
    }
