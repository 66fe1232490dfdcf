"""The follow-up write test driven by wrk (C, event loop) instead of Python threads.

On a 2-core machine the httpx client spends several ms of CPU per request, taking a core
from the server it measures; wrk spends a few tens of µs. `bench/wrk_followups.lua` makes
wrk send a fixed number of requests (wrk itself is duration-based), counts statuses and
measures latency per request; this module writes its inputs, runs it, waits for every
thread to finish its share, stops wrk (SIGINT: wrk then calls the script's done()) and
returns the same figures as `bench.api.follow_up_writes`.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.api import follow_up_body, summary

LUA = Path(__file__).resolve().parent / "wrk_followups.lua"
MARKER = "WRK_JSON "


def wrk_path() -> str | None:
    return shutil.which("wrk")


def parse_output(stdout: str) -> dict[str, Any]:
    """The JSON line the Lua done() prints (wrk's own text around it is ignored)."""
    for line in stdout.splitlines():
        if line.startswith(MARKER):
            return dict(json.loads(line[len(MARKER) :]))
    raise RuntimeError("wrk printed no WRK_JSON line:\n" + stdout[-2000:])


def figures(raw: dict[str, Any], clients: int, wall_s: float) -> dict[str, Any]:
    """The result dict of the write test (same keys as the httpx client's) from done()'s JSON."""
    threads = raw["threads"]
    statuses: dict[str, int] = {}
    for t in threads:
        for code, n in t["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    sent = sum(t["sent"] for t in threads)
    lost = sent - sum(t["answered"] for t in threads)
    if lost > 0:  # sent, never answered (socket error or timeout): httpx reports these as 0
        statuses["0"] = statuses.get("0", 0) + lost
    starts = [t["t0_ms"] for t in threads if t["t0_ms"] is not None]
    ends = [t["t1_ms"] for t in threads if t["t1_ms"] is not None]
    # First request sent to last response received, on wrk's monotonic clock.
    elapsed = (max(ends) - min(starts)) / 1000 if starts and ends else wall_s
    latencies = [v for t in threads for v in t["lat_ms"]]
    created = statuses.get("201", 0)
    return {
        "client": "wrk",
        "clients": clients,
        "requests": sent,
        "created": created,
        "statuses": dict(sorted(statuses.items(), key=lambda kv: int(kv[0]))),
        "elapsed_s": elapsed,
        "writes_per_s": created / elapsed if elapsed else 0.0,
        **(
            summary(latencies)
            if latencies
            else {"n": 0, "p50_ms": None, "p95_ms": None, "mean_ms": None}
        ),
        "unmatched": sum(t["unmatched"] for t in threads),
        "wall_s": wall_s,
        "wrk_errors": raw.get("wrk_errors", {}),
    }


def _interrupt(proc: subprocess.Popen[str], limit_s: float = 60) -> tuple[str, str]:
    """SIGINT until wrk exits; its output.

    Every thread is done (or the deadline passed) but wrk's main thread sleeps for the
    whole duration: SIGINT ends the sleep, then it prints the summary and calls done().
    The signal may land on a worker thread still winding down (it then only sets wrk's stop
    flag), hence repeated; communicate() drains the pipes meanwhile.
    """
    deadline = time.monotonic() + limit_s
    while True:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            return proc.communicate(timeout=0.5)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                raise


def run(
    base: str,
    token: str,
    paths: list[str],
    body: dict[str, Any],
    total: int,
    connections: int = 32,
    threads: int = 2,
    seed: int = 5,
    timeout_s: float | None = None,
) -> tuple[dict[str, Any], float, float]:
    """Run the Lua script: (done()'s JSON, wall seconds, wrk's CPU seconds).

    `paths` are the victim ids the script picks from (one per line in a file).
    """
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk), use --load-client httpx")
    threads = max(1, min(threads, connections))
    timeout_s = timeout_s or 300 + total * 0.5
    with tempfile.TemporaryDirectory(prefix="calp-wrk-") as tmp:
        d = Path(tmp)
        (d / "ids.txt").write_text("\n".join(paths) + "\n")
        (d / "body.json").write_text(json.dumps(body))
        done_dir = d / "done"
        done_dir.mkdir()
        env = {**os.environ, "CALP_BENCH_TOKEN": token}  # not on the command line (ps)
        cmd = [
            wrk,
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{int(timeout_s) + 60}s",
            "--timeout",
            "120s",
            "-s",
            str(LUA),
            f"{base}/",
            "--",
            str(d / "ids.txt"),
            str(d / "body.json"),
            str(done_dir),
            str(total),
            str(threads),
            str(seed),
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
        )
        try:
            deadline = time.monotonic() + timeout_s
            while (
                proc.poll() is None
                and time.monotonic() < deadline
                and len(list(done_dir.iterdir())) < threads
            ):
                time.sleep(0.01)
            wall = time.perf_counter() - t0
            stdout, stderr = _interrupt(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk exited {proc.returncode}: {stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return parse_output(stdout), wall, cpu


def follow_up_writes(
    base: str,
    headers: dict[str, str],
    victim_ids: list[Any],
    clients: int = 32,
    per_client: int = 20,
    seed: int = 5,
) -> dict[str, Any]:
    """`clients` connections on 2 wrk threads, `clients × per_client` POSTs in all."""
    token = headers["Authorization"].removeprefix("Bearer ")
    day = datetime.now(UTC).date().isoformat()
    raw, wall, cpu = run(
        base,
        token,
        [str(v) for v in victim_ids],
        follow_up_body(day),
        clients * per_client,
        connections=clients,
        seed=seed,
    )
    out = figures(raw, clients, wall)
    out["client_cpu_s"] = cpu
    out["client_cpu_ms_per_request"] = cpu * 1000 / max(1, out["requests"])
    return out
