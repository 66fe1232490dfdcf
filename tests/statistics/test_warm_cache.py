"""Warm statistics: JSON served from cached bytes, byte-identical, with an ETag and 304."""

from __future__ import annotations

import pytest
from fastapi.responses import JSONResponse

from app.catalogs import Role, Team
from app.statistics import service
from app.statistics.cache import StatsCache
from tests.factories import make_user, make_victim

TABLES = {
    "cases-by-team": "10",
    "cases-by-year": "11",
    "victim-profile": "12",
    "typology": "13",
    "trafficking-purpose": "14",
    "capture-modality": "15",
    "violence-history": "16",
    "practices?polarity=good": "17",
    "practices?polarity=bad": "18",
}
FILTERS = [{}, {"from": 2023, "to": 2025}, {"team": "cusco"}]


def _fresh(session, path: str, f: dict) -> bytes:
    """The body as the endpoint encoded it before bodies were cached: JSONResponse of the
    figures computed now, without any cache (as the dict they dump to)."""
    kw = {"first": f.get("from"), "last": f.get("to"), "team": f.get("team")}
    if path == "report":
        data = service.get_report(session, **kw)
    elif path == "data-quality":
        data = service.get_data_quality(session, **kw)
    elif path == "outcomes":
        data = service.get_outcomes(session, **kw)
    else:
        data = service.get_table(session, TABLES[path], **kw)
    return bytes(JSONResponse(data.model_dump(mode="json", by_alias=True)).body)


@pytest.mark.parametrize("f", FILTERS, ids=["all", "years", "team"])
@pytest.mark.parametrize("path", ["report", "data-quality", "outcomes", *TABLES])
def test_a_cache_hit_sends_the_bytes_of_a_fresh_computation(demo_db, path, f):
    client = demo_db.client
    url, _, polarity = f"/api/v1/stats/{path}".partition("?polarity=")
    params = {**f, **({"polarity": polarity} if polarity else {})}
    first = client.get(url, params=params)
    cache: StatsCache = client.app.state.stats_cache  # type: ignore[attr-defined]
    hits = cache.hits
    again = client.get(url, params=params)
    assert cache.hits == hits + 1  # served from the cache
    assert first.status_code == again.status_code == 200
    assert again.headers["content-type"] == "application/json"
    with demo_db.factory() as session:
        assert again.content == first.content == _fresh(session, path, f)
    assert again.headers["etag"] == first.headers["etag"]


def test_if_none_match_gets_304_with_the_same_etag(demo_db):
    client = demo_db.client
    resp = client.get("/api/v1/stats/report")
    etag = resp.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong: no W/ prefix
    assert resp.headers["cache-control"] == "private, no-cache"
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        not_modified = client.get("/api/v1/stats/report", headers={"If-None-Match": header})
        assert not_modified.status_code == 304, header
        assert not_modified.content == b""
        assert not_modified.headers["etag"] == etag
    changed = client.get("/api/v1/stats/report", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.content == resp.content
    # Each filter is its own body, so its own tag.
    assert (
        client.get(
            "/api/v1/stats/report", params={"team": "puno"}, headers={"If-None-Match": etag}
        ).status_code
        == 200
    )


def test_the_role_check_comes_before_the_304(db, app, login_as):
    coord = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    etag = coord.get("/api/v1/stats/typology").headers["etag"]
    worker = login_as(make_user(db, role=Role.social_worker, teams=[Team.lima]))
    resp = worker.get("/api/v1/stats/typology", headers={"If-None-Match": etag})
    assert resp.status_code == 403


def test_a_write_changes_the_body_and_the_etag(db, app, login_as):
    coord = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    make_victim(db)
    before = coord.get("/api/v1/stats/typology")
    assert before.json()["groups"][0]["total"] == 1
    etag = before.headers["etag"]
    assert coord.get("/api/v1/stats/typology", headers={"If-None-Match": etag}).status_code == 304
    db.commit()  # ends the test's write transaction (a savepoint): the next write bumps
    make_victim(db)
    after = coord.get("/api/v1/stats/typology", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.json()["groups"][0]["total"] == 2
    assert after.headers["etag"] != etag
    assert app.state.stats_cache.hits == 1  # only the 304 above was a hit


def test_a_transaction_that_wrote_shares_nothing(db):
    cache = StatsCache()
    make_victim(db)  # this session's transaction has now written data
    encoded = service.get_json(db, service.table_figures(db, "13"), cache)
    assert b'"total":1' in encoded.body
    assert len(cache._items) == 0 and cache.hits == cache.misses == 0
