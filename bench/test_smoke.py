"""Smoke test of the benchmark's own code (not part of the suite: `pytest bench/test_smoke.py`).

Builds a 300-victim SQLite database with the bulk loader and checks that the bare-SQL
floor and pandas count the same victims as the rows the generator made, minus the deleted;
runs the wrk write script against a stand-in server (when wrk is installed); keeps, reloads
and drops a built database.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import text

from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_engine
from bench import floor, keep, load, wrkclient
from bench.api import pct
from bench.synth import Generator


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert pct(values, 50) == 50.0
    assert pct(values, 95) == 95.0
    assert pct([7.0], 95) == 7.0


def test_load_and_baselines_agree(tmp_path: Path) -> None:
    keyring = configure_keyring(new_key())
    gen = Generator(300, keyring, seed=1)
    with load.database("sqlite", 300, tmp_path) as url:
        load.build(url, gen, log=lambda m: None)
        assert load.row_counts(url)["victims"] == 300
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                live = conn.execute(
                    text(
                        "SELECT count(*) FROM victims v JOIN cases c ON c.id = v.case_id "
                        "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL"
                    )
                ).scalar_one()
                ids = {str(r[0]) for r in conn.execute(text("SELECT id FROM victims"))}
            sql = floor.bare_sql(engine, repeat=1)
            pandas = floor.pandas_report(engine)
        finally:
            engine.dispose()
    assert sql["victims_total"] == pandas["victims_total"] == live
    assert 0 < live <= 300
    assert gen.samples.victim_ids and {v.hex for v in gen.samples.victim_ids} <= ids


class _FakeFollowUps(BaseHTTPRequestHandler):
    """201 with the victim id echoed, as the API answers; 401 without the bench token."""

    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        victim = self.path.split("/")[4]
        ok = self.headers.get("Authorization") == "Bearer tok"
        self.seen.append(victim)
        body = json.dumps({"victim_id": victim} if ok else {"error": "not_authenticated"})
        self.send_response(201 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(wrkclient.wrk_path() is None, reason="wrk is not installed")
@pytest.mark.parametrize("token", ["tok", "wrong"])
def test_wrk_script_sends_exactly_the_quota(token: str) -> None:
    ThreadingHTTPServer.request_queue_size = 64  # all 8 connections accepted at once
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _FakeFollowUps)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    _FakeFollowUps.seen = []
    ids = [uuid.uuid4() for _ in range(20)]
    try:
        out = wrkclient.follow_up_writes(
            f"http://127.0.0.1:{srv.server_port}",
            {"Authorization": f"Bearer {token}"},
            ids,
            clients=8,
            per_client=7,
        )
    finally:
        srv.shutdown()
        srv.server_close()
    assert len(_FakeFollowUps.seen) == 56 and set(_FakeFollowUps.seen) <= {str(i) for i in ids}
    assert out["client"] == "wrk" and out["requests"] == 56
    if token == "tok":
        assert out["statuses"] == {"201": 56} and out["created"] == 56
        assert out["n"] == 56 and out["unmatched"] == 0  # every latency matched its request
        assert 0 < out["p50_ms"] <= out["p95_ms"] and out["writes_per_s"] > 0
    else:
        assert out["statuses"] == {"401": 56} and out["created"] == 0 and out["n"] == 0


def test_kept_database_survives_cleanup_and_reloads(tmp_path: Path) -> None:
    keyring = configure_keyring(new_key())
    gen = Generator(50, keyring, seed=2)
    keep_dir, keys = tmp_path / "kept", {"CALP_SECRET_KEY": "s", "CALP_DATA_KEY": "d"}
    with load.database("sqlite", 50, tmp_path, keep_dir=keep_dir, is_kept=keep.is_kept) as url:
        load.build(url, gen, log=lambda m: None)
        keep.save_meta(keep_dir, "sqlite", 50, url, keys, gen.samples, {"load_s": 1.0}, 2)
    with load.database("sqlite", 60, tmp_path, keep_dir=keep_dir, is_kept=keep.is_kept) as other:
        load.build(other, Generator(60, keyring, seed=2), log=lambda m: None)
    assert not Path(other.removeprefix("sqlite:///")).exists()  # not saved: removed
    meta = keep.load_meta(keep_dir, "sqlite", 50)
    assert meta is not None and meta["url"] == url and meta["keys"] == keys
    assert keep.samples_of(meta).victim_ids == gen.samples.victim_ids
    keep.check_reachable(url)
    load.create_users(url)
    load.create_users(url)  # a reused database: the users are kept, not duplicated
    assert keep.drop_kept(keep_dir, log=lambda m: None) == [url]
    assert not Path(url.removeprefix("sqlite:///")).exists() and not keep_dir.exists()
