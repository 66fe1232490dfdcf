"""`calp audit verify` (a real subprocess) fails on a moved ciphertext or an edited coded
field, naming the place and never a value; rotation and backups keep everything verifying."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from app.audit.records import verify_records
from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_session_factory
from app.security.backup import restore_backup, write_backup
from app.security.integrity import verify_ciphertexts
from app.security.rotation import rotate, stale_values
from tests import dbutil
from tests.conftest import TEST_DATA_KEY
from tests.security.builders import NARRATIVE, VICTIM_NAME, audit_verify, seed


def _key(engine, value: object) -> object:
    return value.hex if engine.dialect.name == "sqlite" else str(value)  # type: ignore[attr-defined]


def _intact(engine) -> bool:
    with make_session_factory(engine)() as s:
        return verify_ciphertexts(s.connection()) == [] and verify_records(s) == []


@pytest.mark.parametrize("tamper", ["move_narrative", "move_name", "typology"])
def test_verify_fails_on_tampered_data(fresh_db, subprocess_env, tamper):
    url, engine = fresh_db
    seeded = seed(engine)  # two victims, each with identity, a narrative and a create event
    env = subprocess_env(url)
    ok = audit_verify(env)
    assert ok.returncode == 0, ok.stderr
    closed, opened = _key(engine, seeded.closed_victim_id), _key(engine, seeded.open_victim_id)
    with engine.begin() as conn:
        if tamper == "move_narrative":
            conn.execute(
                text(
                    "UPDATE follow_ups SET narrative = (SELECT narrative FROM follow_ups "
                    "WHERE victim_id = :a) WHERE victim_id = :b"
                ),
                {"a": closed, "b": opened},
            )
        elif tamper == "move_name":  # the given names into the family names' column
            conn.execute(
                text(
                    "UPDATE victim_identities SET family_names = given_names WHERE victim_id = :b"
                ),
                {"b": opened},
            )
        else:
            conn.execute(
                text(
                    "UPDATE victims SET typology = 'forced_labour', trafficking_purpose = NULL "
                    "WHERE id = :b"
                ),
                {"b": opened},
            )
    bad = audit_verify(env)
    assert bad.returncode == 1, bad.stdout
    place = {
        "move_narrative": "follow_ups.narrative: 1 ",
        "move_name": "victim_identities.family_names: 1 ",
        "typology": f"victim {seeded.open_victim_id}: coded fields differ",
    }[tamper]
    assert place in bad.stderr
    assert "NO se verifican" in bad.stderr
    for secret in (NARRATIVE, *VICTIM_NAME.split()):
        assert secret not in bad.stderr + bad.stdout


def test_rotation_reseals_and_redigests_so_the_old_key_can_go(fresh_db):
    _, engine = fresh_db
    seed(engine)
    new = new_key()
    try:
        configure_keyring(new, [TEST_DATA_KEY])
        assert stale_values(engine) > 0
        report = rotate(engine, batch_size=1)
        assert report.digests == 2  # the two victims' create events
        assert stale_values(engine) == 0
        configure_keyring(new)  # the old key retired: values and digests still verify
        assert _intact(engine)
    finally:
        configure_keyring(TEST_DATA_KEY)


def test_a_retired_key_without_rotation_is_named(fresh_db):
    _, engine = fresh_db
    seed(engine)
    try:
        configure_keyring(new_key())
        with make_session_factory(engine)() as s:
            assert verify_ciphertexts(s.connection())  # values under a key not configured
            problems = verify_records(s)
        assert len(problems) == 2 and all("not configured" in p for p in problems)
    finally:
        configure_keyring(TEST_DATA_KEY)


def test_backup_restore_keeps_every_binding_and_digest(fresh_db):
    url, engine = fresh_db
    seed(engine)
    buf = io.BytesIO()
    write_backup(url, buf, TEST_DATA_KEY)
    with dbutil.migrated_database("restore") as (_, target):
        restore_backup(target, io.BytesIO(buf.getvalue()), [TEST_DATA_KEY])
        assert _intact(target)
        with target.connect() as conn:
            digests = conn.execute(
                text("SELECT count(*) FROM audit_events WHERE record_digest IS NOT NULL")
            ).scalar()
        assert digests == 2
