"""The two baselines of the statistics report: bare SQL (the floor) and pandas.

Bare SQL: the natural GROUP BY statements for each published table, with the counting
rules of api.md (deleted cases, victims and detections left out; victims counted under
their case's team; years from opened_on / intake_on / detected_on), run on a raw DBAPI
connection, rows fetched, nothing else. The year span (earliest and latest year holding
data) is computed first, as the API does when `from`/`to` are left out.

pandas: what a coordinator would otherwise do: `pd.read_sql` of the needed columns of
cases, victims and detections, then merge and `groupby` for every table.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

# Filters shared by every victim query: the victim and its case are not deleted, and the
# intake date lies in the span.
_V = (
    "FROM victims v JOIN cases c ON c.id = v.case_id WHERE v.deleted_at IS NULL "
    "AND c.deleted_at IS NULL AND v.intake_on BETWEEN :f AND :t"
)
_C = "FROM cases c WHERE c.deleted_at IS NULL AND c.opened_on BETWEEN :f AND :t"
_D = (
    "FROM detections d JOIN cases c ON c.id = d.case_id WHERE d.deleted_at IS NULL "
    "AND c.deleted_at IS NULL AND d.detected_on BETWEEN :f AND :t"
)
_AGE = (
    "CASE WHEN v.age_at_intake <= 10 THEN '0_10' WHEN v.age_at_intake <= 17 THEN '11_17' "
    "WHEN v.age_at_intake <= 25 THEN '18_25' WHEN v.age_at_intake <= 39 THEN '26_39' "
    "ELSE '40_plus' END"
)
_VIOLENCE = ", ".join(
    f"SUM(CASE WHEN v.violence_{k} = '{a}' THEN 1 ELSE 0 END)"
    for k in ("psychological", "sexual", "physical", "family", "economic")
    for a in ("yes", "no", "unknown", "not_recorded")
)


def _year(column: str, dialect: str) -> str:
    return (
        f"CAST(substr({column}, 1, 4) AS INTEGER)"
        if dialect == "sqlite"
        else f"EXTRACT(YEAR FROM {column})::int"
    )


def table_queries(dialect: str) -> dict[str, list[str]]:
    """Statements per table, keyed by the API path of that table."""
    return {
        "cases-by-team": [
            f"SELECT c.team, count(*) {_C} GROUP BY c.team",
            f"SELECT c.team, count(*) {_V} GROUP BY c.team",
        ],
        "cases-by-year": [
            f"SELECT {_year('c.opened_on', dialect)} AS y, count(*) {_C} GROUP BY y",
            f"SELECT {_year('v.intake_on', dialect)} AS y, count(*) {_V} GROUP BY y",
        ],
        # One pass over the three keys (the three groups are its margins).
        "victim-profile": [
            f"SELECT v.sex, {_AGE} AS r, "
            "CASE WHEN v.nationality = 'PE' THEN 'peruvian' ELSE 'foreign' END AS n, "
            f"count(*) {_V} GROUP BY v.sex, r, n"
        ],
        "typology": [f"SELECT v.typology, count(*) {_V} GROUP BY v.typology"],
        "trafficking-purpose": [
            f"SELECT v.trafficking_purpose, count(*) {_V} "
            "AND v.typology = 'trafficking' GROUP BY v.trafficking_purpose"
        ],
        "capture-modality": [
            "SELECT CASE WHEN v.capture_modality IN ('false_job_offer', 'ict') "
            f"THEN v.capture_modality ELSE 'other' END AS m, count(*) {_V} "
            "AND v.typology = 'trafficking' AND v.capture_modality IS NOT NULL GROUP BY m"
        ],
        "violence-history": [f"SELECT count(*), {_VIOLENCE} {_V}"],
        "practices?polarity=good": [
            f"SELECT d.category, count(*) {_D} AND d.polarity = 'good' GROUP BY d.category"
        ],
        "practices?polarity=bad": [
            f"SELECT d.category, count(*) {_D} AND d.polarity = 'bad' GROUP BY d.category"
        ],
    }


SPAN_SQL = (
    "SELECT min(lo), max(hi) FROM ("
    "SELECT min(c.opened_on) AS lo, max(c.opened_on) AS hi FROM cases c "
    "WHERE c.deleted_at IS NULL UNION ALL "
    "SELECT min(v.intake_on), max(v.intake_on) FROM victims v JOIN cases c "
    "ON c.id = v.case_id WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL UNION ALL "
    "SELECT min(d.detected_on), max(d.detected_on) FROM detections d JOIN cases c "
    "ON c.id = d.case_id WHERE d.deleted_at IS NULL AND c.deleted_at IS NULL) s"
)


def _run(cursor: Any, sql: str, params: dict[str, str], dialect: str) -> list[Any]:
    if dialect == "sqlite":
        cursor.execute(sql, params)  # sqlite3 takes :name parameters as they are
    else:
        cursor.execute(sql.replace(":f", "%(f)s").replace(":t", "%(t)s"), params)
    return list(cursor.fetchall())


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time in ms over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def bare_sql(engine: Engine, repeat: int = 3) -> dict[str, Any]:
    """Per-table and full-report floor times (ms), and the figures they produced."""
    dialect = engine.dialect.name
    queries = table_queries(dialect)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()

        def span() -> dict[str, str]:
            lo, hi = _run(cur, SPAN_SQL, {}, dialect)[0]
            return {"f": f"{str(lo)[:4]}-01-01", "t": f"{str(hi)[:4]}-12-31"}

        def table(name: str, params: dict[str, str]) -> list[list[Any]]:
            return [_run(cur, q, params, dialect) for q in queries[name]]

        def report() -> dict[str, list[list[Any]]]:
            params = span()
            return {name: table(name, params) for name in queries}

        params = span()
        report()  # prime the page cache like the API's first request would find it
        out: dict[str, Any] = {"tables_ms": {}}
        for name in queries:
            out["tables_ms"][name], _ = timed(lambda n=name: table(n, params), repeat)
        out["report_ms"], figures = timed(report, repeat)
        out["span"] = params
        out["victims_total"] = sum(n for _, n in figures["typology"][0])
        out["cases_total"] = sum(n for _, n in figures["cases-by-team"][0])
        cur.close()
        raw.rollback()
    finally:
        raw.close()
    return out


def pandas_report(engine: Engine, repeat: int = 1) -> dict[str, Any]:
    """Read the needed columns with pd.read_sql, then group for every table (ms)."""
    import pandas as pd

    def run() -> dict[str, Any]:
        t0 = time.perf_counter()
        with engine.connect() as conn:
            cases = pd.read_sql("SELECT id, team, opened_on, deleted_at FROM cases", conn)
            victims = pd.read_sql(
                "SELECT case_id, intake_on, sex, age_at_intake, nationality, typology, "
                "trafficking_purpose, capture_modality, violence_psychological, "
                "violence_sexual, violence_physical, violence_family, violence_economic, "
                "deleted_at FROM victims",
                conn,
            )
            detections = pd.read_sql(
                "SELECT case_id, detected_on, polarity, category, deleted_at FROM detections", conn
            )
        t_read = time.perf_counter()
        cases = cases[cases.deleted_at.isna()]
        cases = cases.assign(year=pd.to_datetime(cases.opened_on).dt.year)
        v = victims[victims.deleted_at.isna()].merge(
            cases[["id", "team"]], left_on="case_id", right_on="id"
        )
        v = v.assign(year=pd.to_datetime(v.intake_on).dt.year)
        d = detections[detections.deleted_at.isna()].merge(
            cases[["id"]], left_on="case_id", right_on="id"
        )
        d = d.assign(year=pd.to_datetime(d.detected_on).dt.year)
        lo = min(cases.year.min(), v.year.min(), d.year.min())
        hi = max(cases.year.max(), v.year.max(), d.year.max())
        c = cases[cases.year.between(lo, hi)]
        v = v[v.year.between(lo, hi)]
        d = d[d.year.between(lo, hi)]
        tables = {
            "t10": (c.groupby("team").size(), v.groupby("team").size()),
            "t11": (c.groupby("year").size(), v.groupby("year").size()),
            "t12": (
                v.groupby("sex").size(),
                pd.cut(v.age_at_intake, [-1, 10, 17, 25, 39, 200]).value_counts(),
                (v.nationality == "PE").value_counts(),
            ),
            "t13": v.groupby("typology").size(),
            "t14": v[v.typology == "trafficking"].groupby("trafficking_purpose").size(),
            "t15": v[(v.typology == "trafficking") & v.capture_modality.notna()]
            .capture_modality.where(v.capture_modality.isin(["false_job_offer", "ict"]), "other")
            .value_counts(),
            "t16": {
                k: v[f"violence_{k}"].value_counts()
                for k in ("psychological", "sexual", "physical", "family", "economic")
            },
            "t17_18": d.groupby(["polarity", "category"]).size(),
        }
        t_end = time.perf_counter()
        return {
            "read_ms": (t_read - t0) * 1000,
            "group_ms": (t_end - t_read) * 1000,
            "victims_total": int(tables["t13"].sum()),
        }

    runs = [run() for _ in range(repeat)]
    best = min(runs, key=lambda r: r["read_ms"] + r["group_ms"])
    best["report_ms"] = best["read_ms"] + best["group_ms"]
    return best
