"""Printing the benchmark's results: tables, ratios, growth and the issue's targets."""

from __future__ import annotations

from typing import Any

from bench.api import STATS_TABLES

# Targets of issue 9.
COLD_VS_SQL = 1.5
PANDAS_VS_API = 5.0
WARM_MS = 20.0
LIST_P95_MS = 50.0
WRITES_PER_S = 200.0
WRITES_P95_MS = 150.0
RSS_MB = 300.0


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _table(title: str, head: list[str], rows: list[list[Any]]) -> None:
    cells = [head, *[[_f(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    print(f"\n## {title}")
    for i, row in enumerate(cells):
        print(
            "  ".join(
                c.rjust(w) if j else c.ljust(w)
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _run_name(run: dict[str, Any]) -> str:
    return f"{run['db']} {run['size']:,}"


def _one(run: dict[str, Any]) -> dict[str, Any]:
    servers = run.get("server") or [{}]
    return servers[0]


def stats_rows(run: dict[str, Any]) -> dict[str, Any]:
    """The headline statistics figures of one run (None where not measured)."""
    sql = run.get("bare_sql", {})
    pandas = run.get("pandas", {})
    st = _one(run).get("stats", {})
    report = st.get("report", {}) if "not_run" not in st else {}
    cold = report.get("cold_ms")
    warm = report.get("warm", {}).get("p50_ms")
    sql_ms = sql.get("report_ms")
    pd_ms = pandas.get("report_ms")
    return {
        "sql": sql_ms,
        "cold": cold,
        "warm": warm,
        "pandas": pd_ms,
        "api_vs_sql": cold / sql_ms if cold and sql_ms else None,
        "pandas_vs_api": pd_ms / cold if cold and pd_ms else None,
        "pandas_vs_sql": pd_ms / sql_ms if pd_ms and sql_ms else None,
        "same_total": (
            st.get("report_victims_total") == sql.get("victims_total") if report else None
        ),
    }


def print_tables(results: dict[str, Any]) -> None:
    runs = [r for r in results["runs"] if "error" not in r]
    for r in results["runs"]:
        if "error" in r:
            print(f"\n!! {_run_name(r)} failed: {r['error']}")
    m = results["machine"]
    print(
        f"\n# calp benchmark {results['started']}: {m['nproc']} CPUs, {m['mem_total_gb']} GB, "
        f"Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m.get('postgresql')}"
    )

    rows = []
    for r in runs:
        s = stats_rows(r)
        rows.append(
            [
                _run_name(r),
                s["sql"],
                s["cold"],
                s["api_vs_sql"],
                s["warm"],
                s["pandas"],
                s["pandas_vs_api"],
                s["same_total"],
            ]
        )
    _table(
        "Full statistics report (ms): API cold/warm vs bare SQL vs pandas",
        [
            "run",
            "bare SQL",
            "API cold",
            "API/SQL",
            "API warm p50",
            "pandas",
            "pandas/API",
            "same totals",
        ],
        rows,
    )

    rows = []
    for r in runs:
        st = _one(r).get("stats", {})
        if "not_run" in st:
            continue
        for name in STATS_TABLES:
            sql = r["bare_sql"]["tables_ms"].get(name)
            t = st.get(name, {})
            cold = t.get("cold_ms")
            rows.append(
                [
                    _run_name(r),
                    name,
                    sql,
                    cold,
                    cold / sql if cold and sql else None,
                    t.get("warm", {}).get("p50_ms"),
                    t.get("status"),
                ]
            )
    if rows:
        _table(
            "Each table (ms)",
            ["run", "table", "bare SQL", "API cold", "API/SQL", "API warm p50", "HTTP"],
            rows,
        )

    rows = []
    for r in runs:
        ls = _one(r).get("list_search", {})
        for kind, v in ls.items():
            if isinstance(v, dict) and "p95_ms" in v:
                rows.append(
                    [
                        _run_name(r),
                        kind,
                        v["p50_ms"],
                        v["p95_ms"],
                        ",".join(map(str, v.get("statuses", []))),
                    ]
                )
            elif kind == "not_run":
                rows.append([_run_name(r), "not run: " + v, None, None, ""])
    _table(
        "Case list and search latency (ms, sequential)",
        ["run", "request", "p50", "p95", "HTTP"],
        rows,
    )

    rows = []
    for r in runs:
        for srv in r.get("server", []):
            w = srv.get("writes", {})
            if "not_run" in w:
                rows.append(
                    [
                        _run_name(r),
                        srv["workers"],
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        w["not_run"],
                    ]
                )
                continue
            rows.append(
                [
                    _run_name(r),
                    srv["workers"],
                    w.get("client", "httpx"),
                    w.get("writes_per_s"),
                    w.get("p50_ms"),
                    w.get("p95_ms"),
                    w.get("server_cpu_ms_per_write"),
                    w.get("db_cpu_ms_per_write"),
                    w.get("server_cores_busy"),
                    w.get("client_cpu_ms_per_request"),
                    " ".join(f"{k}x{v}" for k, v in w.get("statuses", {}).items()),
                ]
            )
    clients = {srv.get("writes", {}).get("clients") for r in runs for srv in r.get("server", [])}
    clients.discard(None)
    _table(
        f"Follow-up writes, {'/'.join(map(str, sorted(clients))) or 32} concurrent clients "
        "(CPU ms per request of the server, the PostgreSQL backends and the client; "
        "cores the server kept busy)",
        [
            "run",
            "workers",
            "client",
            "writes/s",
            "p50 ms",
            "p95 ms",
            "srv CPU ms",
            "db CPU ms",
            "srv cores",
            "client CPU ms",
            "HTTP",
        ],
        rows,
    )

    rows = []
    for r in runs:
        for srv in r.get("server", []):
            rows.append(
                [
                    _run_name(r),
                    srv["workers"],
                    srv.get("rss_idle_mb"),
                    srv.get("rss_after_stats_mb"),
                    srv.get("rss_peak_mb"),
                    srv.get("rss_final_mb"),
                ]
            )
    _table(
        "Server RSS (MB, summed over its processes)",
        ["run", "workers", "idle", "after stats", "peak", "final"],
        rows,
    )

    rows = []
    for r in runs:
        b = r.get("build", {})
        rows.append(
            [
                _run_name(r),
                sum(r.get("rows", {}).values()),
                r.get("db_size_mb"),
                b.get("load_s"),
                b.get("analyze_s"),
                f"reused (built {r.get('built_at')})"
                if r.get("reused")
                else "kept"
                if r.get("kept")
                else "",
            ]
        )
    _table("Build", ["run", "rows", "size MB", "load s", "analyze s", "database"], rows)

    print_growth(runs)
    print_targets(runs)


def _metrics(r: dict[str, Any]) -> dict[str, float | None]:
    s = stats_rows(r)
    one = _one(r)
    ls = one.get("list_search", {})
    w = one.get("writes", {})
    return {
        "bare SQL report ms": s["sql"],
        "API cold report ms": s["cold"],
        "API warm report ms": s["warm"],
        "pandas report ms": s["pandas"],
        "list first page p95 ms": ls.get("list_first_page", {}).get("p95_ms"),
        "victim search p95 ms": ls.get("victim_search", {}).get("p95_ms"),
        "writes/s (1 worker)": w.get("writes_per_s"),
        "write p95 ms (1 worker)": w.get("p95_ms"),
        "RSS peak MB (1 worker)": one.get("rss_peak_mb"),
    }


def print_growth(runs: list[dict[str, Any]]) -> None:
    rows = []
    for db in ("sqlite", "postgresql"):
        mine = sorted((r for r in runs if r["db"] == db), key=lambda r: r["size"])
        if len(mine) < 2:
            continue
        lo, hi = mine[0], mine[-1]
        for name, a in _metrics(lo).items():
            b = _metrics(hi)[name]
            rows.append([db, name, a, b, b / a if a and b else None])
        label = f"{lo['size']:,} -> {hi['size']:,}"
    if rows:
        _table(f"Growth ({label} victims)", ["db", "figure", "small", "large", "factor"], rows)


def targets(r: dict[str, Any]) -> list[tuple[str, Any, bool | None]]:
    """(target, measured, met?) for one run; met is None when not measured."""
    s = stats_rows(r)
    out: list[tuple[str, Any, bool | None]] = []

    def check(name: str, value: Any, ok: bool | None) -> None:
        out.append((name, value, None if value is None else ok))

    check(
        f"cold report <= {COLD_VS_SQL}x bare SQL",
        s["api_vs_sql"],
        s["api_vs_sql"] is not None and s["api_vs_sql"] <= COLD_VS_SQL,
    )
    if r["size"] >= 1_000_000:
        check(
            f"pandas >= {PANDAS_VS_API}x slower than API (1M)",
            s["pandas_vs_api"],
            s["pandas_vs_api"] is not None and s["pandas_vs_api"] >= PANDAS_VS_API,
        )
        check(
            f"warm report <= {WARM_MS} ms (1M)",
            s["warm"],
            s["warm"] is not None and s["warm"] <= WARM_MS,
        )
        ls = _one(r).get("list_search", {})
        worst = max(
            (v["p95_ms"] for v in ls.values() if isinstance(v, dict) and "p95_ms" in v),
            default=None,
        )
        check(
            f"list/search p95 <= {LIST_P95_MS} ms (1M, worst kind)",
            worst,
            worst is not None and worst <= LIST_P95_MS,
        )
        for srv in r.get("server", []):
            rss = srv.get("rss_peak_mb")
            check(
                f"RSS <= {RSS_MB} MB ({srv['workers']} worker)",
                rss,
                rss is not None and rss <= RSS_MB,
            )
    for srv in r.get("server", []):
        w = srv.get("writes", {})
        wps, p95 = w.get("writes_per_s"), w.get("p95_ms")
        check(
            f">= {WRITES_PER_S} writes/s ({srv['workers']} worker)",
            wps,
            wps is not None and wps >= WRITES_PER_S,
        )
        check(
            f"write p95 <= {WRITES_P95_MS} ms ({srv['workers']} worker)",
            p95,
            p95 is not None and p95 <= WRITES_P95_MS,
        )
    return out


def print_targets(runs: list[dict[str, Any]]) -> None:
    rows = []
    for r in runs:
        for name, value, ok in targets(r):
            rows.append(
                [_run_name(r), name, value, "not run" if ok is None else "met" if ok else "MISSED"]
            )
    _table("Targets of issue 9", ["run", "target", "measured", "verdict"], rows)
