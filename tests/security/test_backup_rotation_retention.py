"""Backups (round trip, refusals), data-key rotation, and anonymisation by retention date."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select, text

from app.config import new_key
from app.crypto import configure_keyring, get_keyring
from app.db import make_session_factory
from app.followups.models import FollowUp
from app.security.backup import BackupError, restore_backup, write_backup
from app.security.retention import anonymise
from app.security.rotation import encrypted_columns, rotate, stale_values
from app.statistics.service import get_report
from app.victims.models import VictimIdentity
from tests import dbutil
from tests.conftest import TEST_DATA_KEY
from tests.security.builders import NARRATIVE, VICTIM_DOC, VICTIM_NAME, row_counts, seed


def _audit_actions(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT action FROM audit_events ORDER BY id")).scalars())


class TestBackup:
    def test_cli_round_trip_keeps_every_record(self, fresh_db, subprocess_env, tmp_path):
        url, engine = fresh_db
        seeded = seed(engine)
        before = row_counts(engine)
        file = tmp_path / "calp.backup"
        run = subprocess.run(
            [sys.executable, "-m", "app.cli", "backup", str(file)],
            env=subprocess_env(url),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        raw = file.read_bytes()
        for secret in (VICTIM_DOC, VICTIM_NAME.split()[0], NARRATIVE[:20]):
            assert secret.encode() not in raw  # encrypted as a whole, not only field by field
        assert _audit_actions(engine)[-1] == "backup"
        with dbutil.empty_database("restore") as target:  # no schema: restore migrates it
            run = subprocess.run(
                [sys.executable, "-m", "app.cli", "restore", str(file)],
                env=subprocess_env(target),
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert run.returncode == 0, run.stderr
            t_engine = dbutil.make_engine(target)
            try:
                after = row_counts(t_engine)
                # The source gained its `backup` event after the snapshot; the target gained
                # its `restore_backup` event: every other table is identical.
                assert after == before | {"audit_events": before["audit_events"] + 1}
                assert _audit_actions(t_engine)[-1] == "restore_backup"
                with make_session_factory(t_engine)() as s:
                    ident = s.get_one(VictimIdentity, seeded.closed_victim_id)
                    assert ident.document_number == VICTIM_DOC
                    assert ident.given_names == VICTIM_NAME.split()[0]
                    assert [f.narrative for f in s.scalars(select(FollowUp))] == [NARRATIVE] * 2
                    from app.audit.service import verify_chain

                    assert verify_chain(s) == []
                # A second restore finds the database no longer empty and refuses.
                again = subprocess.run(
                    [sys.executable, "-m", "app.cli", "restore", str(file)],
                    env=subprocess_env(target),
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                assert again.returncode != 0 and "not empty" in again.stderr
                assert row_counts(t_engine) == after
            finally:
                t_engine.dispose()

    def test_altered_or_truncated_or_foreign_key_backup_is_refused(self, fresh_db):
        url, engine = fresh_db
        seed(engine)
        buf = io.BytesIO()
        write_backup(url, buf, TEST_DATA_KEY)
        data = buf.getvalue()
        flipped = bytearray(data)
        flipped[-40] ^= 1
        with dbutil.migrated_database("target") as (_, target):
            for bad, message in (
                (bytes(flipped), "damaged"),
                (data[:-30], "truncated"),
                (data[: len(data) // 2], "damaged|truncated"),
            ):
                with pytest.raises(BackupError, match=message):
                    restore_backup(target, io.BytesIO(bad), [TEST_DATA_KEY])
            with pytest.raises(BackupError, match="not configured"):
                restore_backup(target, io.BytesIO(data), [new_key()])
            assert row_counts(target)["victims"] == 0  # nothing half restored
            restore_backup(target, io.BytesIO(data), [TEST_DATA_KEY])
            assert row_counts(target)["victims"] == 2


class TestRotation:
    def test_rotation_reencrypts_everything_and_new_key_alone_reads_it(self, fresh_db):
        url, engine = fresh_db
        seeded = seed(engine)
        old_index = get_keyring().blind_index(VICTIM_DOC)
        new = new_key()
        try:
            configure_keyring(new, [TEST_DATA_KEY])  # the service reads both meanwhile
            assert stale_values(engine) > 0
            with make_session_factory(engine)() as s:  # meanwhile the service reads both
                assert s.get_one(VictimIdentity, seeded.open_victim_id).document_number
                assert old_index in get_keyring().blind_index_candidates(VICTIM_DOC)
            report = rotate(engine, batch_size=1)  # one row per transaction
            assert report.rows["victim_identities"] == 2
            assert report.rows["follow_ups"] == 2
            assert stale_values(engine) == 0
            configure_keyring(new)  # the old key is retired
            with make_session_factory(engine)() as s:
                ident = s.get_one(VictimIdentity, seeded.closed_victim_id)
                assert ident.document_number == VICTIM_DOC
                assert ident.document_index == get_keyring().blind_index(VICTIM_DOC)
                assert ident.document_index != old_index
                assert [f.narrative for f in s.scalars(select(FollowUp))] == [NARRATIVE] * 2
            # Every EncryptedText column is found from the models, including ones added later.
            assert {"victim_identities", "follow_ups", "cases", "users"} <= set(encrypted_columns())
        finally:
            configure_keyring(TEST_DATA_KEY)


class TestRetention:
    def test_anonymise_removes_identity_and_text_and_keeps_statistics(self, fresh_db):
        url, engine = fresh_db
        seeded = seed(engine, closed_on=date(2024, 6, 30))
        factory = make_session_factory(engine)
        with factory() as s:
            stats_before = get_report(s)
        counts_before = row_counts(engine)
        report = anonymise(engine, date(2024, 7, 1))
        assert report.cases == 1 and report.identities_deleted == 1
        with factory() as s:
            assert get_report(s) == stats_before
            assert s.get(VictimIdentity, seeded.closed_victim_id) is None
            assert s.get(VictimIdentity, seeded.open_victim_id) is not None  # open case kept
            narratives = {f.victim_id: f.narrative for f in s.scalars(select(FollowUp))}
            assert narratives == {seeded.closed_victim_id: None, seeded.open_victim_id: NARRATIVE}
            summaries = dict(s.execute(text("SELECT id, summary FROM cases")).all())
            assert [v is None for v in summaries.values()].count(True) == 1
        after = row_counts(engine)
        assert after["victim_identities"] == counts_before["victim_identities"] - 1
        assert after["victims"] == counts_before["victims"]
        assert after["follow_ups"] == counts_before["follow_ups"]
        assert _audit_actions(engine)[-1] == "delete"

    def test_cases_closed_on_or_after_the_date_are_untouched(self, fresh_db):
        url, engine = fresh_db
        seed(engine, closed_on=date(2024, 6, 30))
        before = row_counts(engine)
        assert anonymise(engine, date(2024, 6, 30)).cases == 0
        assert row_counts(engine) == before
