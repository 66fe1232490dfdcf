"""The labelled generators of bench/names.py keep the mix they are documented with, and the
bench runs end to end on a small SQLite database (recall and precision over the targets)."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import pytest

from bench.names_synth import GeneratorA, GeneratorB
from tests import dbutil


def test_mix_of_the_labelled_pairs() -> None:
    pairs = GeneratorA().pairs(30)
    assert Counter(p.mix for p in pairs if p.same) == {"typo": 10, "order": 10, "variant": 10}
    assert Counter(p.mix for p in pairs if not p.same) == {"other_given": 15, "age_gap": 15}
    for p in pairs:
        if p.mix == "other_given":
            assert p.first.family == p.second.family and p.first.sex == p.second.sex
            assert p.first.given != p.second.given
        if p.mix == "age_gap":
            assert abs(p.first.birth.year - p.second.birth.year) > 5
    again = GeneratorA().pairs(30)
    assert [(p.first.given, p.second.family) for p in again] == [
        (p.first.given, p.second.family) for p in pairs
    ]
    other = GeneratorB().pairs(30)
    assert {p.first.given for p in other} != {p.first.given for p in pairs}


def _args(**kw: object) -> argparse.Namespace:
    base = {
        "pairs": 30,
        "queries": 20,
        "keep": None,
        "reuse": None,
        "build_only": False,
        "sample": None,
    }
    return argparse.Namespace(**{**base, **kw})


@pytest.mark.skipif(dbutil.BACKEND != "sqlite", reason="the bench makes its own database")
def test_bench_end_to_end(tmp_path: Path) -> None:
    from app.crypto import configure_keyring
    from bench import names
    from tests.conftest import TEST_DATA_KEY

    try:
        configure_keyring(names.KEY)
        result = names.run("sqlite", 300, _args(), tmp_path)
    finally:
        configure_keyring(TEST_DATA_KEY)
    for gen in ("GeneratorA", "GeneratorB"):
        assert result[gen]["recall"] >= 0.95 and result[gen]["precision"] >= 0.9
    assert result["search"]["n"] == 20
    assert result["tokens_per_victim"] > 3  # words and pairs


@pytest.mark.skipif(dbutil.BACKEND != "sqlite", reason="the bench makes its own database")
def test_bench_keeps_then_reuses_a_database(tmp_path: Path) -> None:
    from app.crypto import configure_keyring
    from bench import names
    from tests.conftest import TEST_DATA_KEY

    kept = tmp_path / "kept"
    try:
        configure_keyring(names.KEY)
        built = names.run("sqlite", 200, _args(keep=kept, build_only=True), tmp_path)
        assert "search" not in built  # built, not timed
        meta = names.meta_file(kept, "sqlite", 200)
        assert meta.stat().st_mode & 0o777 == 0o600  # it holds the run's key
        reused = names.run("sqlite", 200, _args(reuse=kept), tmp_path)
    finally:
        configure_keyring(TEST_DATA_KEY)
    assert reused["built_at"] == built["built_at"] and reused["victims"] == built["victims"]
    assert reused["search"]["n"] == 20
    assert reused["GeneratorA"]["recall"] >= 0.95
