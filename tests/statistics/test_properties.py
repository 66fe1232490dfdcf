"""Property test: every statistics endpoint agrees with a pure-Python count of random records."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.catalogs import Role
from app.statistics.cache import StatsCache
from tests.factories import make_user
from tests.statistics.expected import Expected, pct
from tests.statistics.records import filters, insert, record_sets

TABLE_PATHS = {
    "10": ("cases-by-team", {}),
    "11": ("cases-by-year", {}),
    "12": ("victim-profile", {}),
    "13": ("typology", {}),
    "14": ("trafficking-purpose", {}),
    "15": ("capture-modality", {}),
    "16": ("violence-history", {}),
    "17": ("practices", {"polarity": "good"}),
    "18": ("practices", {"polarity": "bad"}),
}


def _params(f):
    return {k: v for k, v in f.items() if v is not None}


def _rows(table, group=0):
    return {r["key"]: r for r in table["groups"][group]["rows"]}


def _simple(table, exp):
    group = table["groups"][0]
    got = {k: (r["count"], r["percent"]) for k, r in _rows(table).items()}
    return got, group["total"], group["not_recorded"]


def check_report(report, e: Expected):
    assert (report["from"], report["to"]) == (e.first, e.last)
    t = {tb["table"]: tb for tb in report["tables"]}
    assert {k: (r["cases"], r["victims"]) for k, r in _rows(t["10"]).items()} == e.t10()
    assert {k: (r["cases"], r["victims"]) for k, r in _rows(t["11"]).items()} == e.t11()
    for i, (name, rows) in enumerate(e.t12().items()):
        assert t["12"]["groups"][i]["name"] == name
        assert {k: (r["count"], r["percent"]) for k, r in _rows(t["12"], i).items()} == rows
    for number, exp in (
        ("13", e.t13()),
        ("14", e.t14()),
        ("15", e.t15()),
        ("17", e.practices("good")),
        ("18", e.practices("bad")),
    ):
        assert _simple(t[number], exp) == (exp["rows"], exp["total"], exp["not_recorded"]), number
    v16 = e.t16()
    assert t["16"]["groups"][0]["total"] == v16["total"]
    assert {k: (r["counts"], r["percents"]) for k, r in _rows(t["16"]).items()} == v16["rows"]


def check_quality(table, e: Expected):
    got = {}
    for group in table["groups"]:
        for row in group["rows"]:
            got[(group["name"], row["key"])] = {"_victims": (row["total"], 0)} | {
                k: (row["counts"][k], row["denominators"][k]) for k in row["counts"]
            }
            for k, n in row["counts"].items():
                assert row["percents"][k] == pct(n, row["denominators"][k])
    assert got == e.quality()


def check_outcomes(table, e: Expected):
    got = {g["name"]: {r["key"]: r["count"] for r in g["rows"]} for g in table["groups"]}
    assert got == e.outcomes()
    totals = {g["name"]: g["total"] for g in table["groups"]}
    implemented = got["action_status"]["done"]
    assert totals["action_type"] == totals["follow_up_kind"] == implemented
    assert totals["action_status"] == sum(got["action_status"].values())


# No shrinking: a failure prints its (small) example at once instead of spending minutes.
@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(records=record_sets, f=filters, number=st.sampled_from(sorted(TABLE_PATHS)))
def test_every_endpoint_matches_an_independent_count(db, app, login_as, records, f, number):
    client = login_as(make_user(db, role=Role.admin))
    savepoint = db.begin_nested()
    try:
        insert(db, records)
        # Rolled-back examples reuse data-version numbers, which no real database does.
        app.state.stats_cache = StatsCache()
        e = Expected(records, f)
        params = _params(f)
        report = client.get("/api/v1/stats/report", params=params).json()
        check_report(report, e)
        path, extra = TABLE_PATHS[number]
        single = client.get(f"/api/v1/stats/{path}", params=params | extra).json()
        assert single == report["tables"][int(number) - 10]
        check_quality(client.get("/api/v1/stats/data-quality", params=params).json(), e)
        check_outcomes(client.get("/api/v1/stats/outcomes", params=params).json(), e)
    finally:
        savepoint.rollback()
