"""Smoke test of the benchmark's own code (not part of the suite: `pytest bench/test_smoke.py`).

Builds a 300-victim SQLite database with the bulk loader and checks that the bare-SQL
floor and pandas count the same victims as the rows the generator made, minus the deleted.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_engine
from bench import floor, load
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
                live = conn.execute(text(
                    "SELECT count(*) FROM victims v JOIN cases c ON c.id = v.case_id "
                    "WHERE v.deleted_at IS NULL AND c.deleted_at IS NULL")).scalar_one()
                ids = {str(r[0]) for r in conn.execute(text("SELECT id FROM victims"))}
            sql = floor.bare_sql(engine, repeat=1)
            pandas = floor.pandas_report(engine)
        finally:
            engine.dispose()
    assert sql["victims_total"] == pandas["victims_total"] == live
    assert 0 < live <= 300
    assert gen.samples.victim_ids and {v.hex for v in gen.samples.victim_ids} <= ids
