"""`calp demo-data`: loads fast and coherently, refuses non-demo databases and production."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select, text

from app.cases.models import Case, CaseCounter
from app.config import new_key
from app.crypto import get_keyring
from app.db import current_data_version, make_session_factory
from app.demo.generate import DemoDataset, generate
from app.demo.guard import DemoRefused
from app.demo.loader import DEMO_PASSWORD, DEMO_SEED, load_demo
from app.users.models import User
from app.users.security import verify_password
from app.victims.models import VictimIdentity
from tests import dbutil
from tests.factories import make_case, make_user


class TestRefusals:
    def test_a_database_with_other_accounts_is_refused(self, db):
        make_user(db)
        with pytest.raises(DemoRefused):
            load_demo(db, fast_hash=True)

    def test_a_database_with_other_records_is_refused(self, db):
        make_case(db)  # created by nobody from the demo
        with pytest.raises(DemoRefused):
            load_demo(db, fast_hash=True)
        assert db.scalar(select(func.count()).select_from(User)) == 0


class TestLoadedData:
    def test_second_load_only_reports_the_logins(self, demo_db):
        with demo_db.factory() as session:
            before = session.scalar(select(func.count()).select_from(Case))
            result = load_demo(session, fast_hash=True)
            assert not result.loaded
            assert ("demo_coord", "coordinator") in result.users
            assert session.scalar(select(func.count()).select_from(Case)) == before

    def test_case_codes_follow_the_counters(self, demo_db):
        with demo_db.factory() as session:
            seqs = {
                (t, y): m
                for t, y, m in session.execute(
                    select(Case.team, Case.year, func.max(Case.seq)).group_by(Case.team, Case.year)
                )
            }
            counters = {(c.team, c.year): c.last_seq for c in session.scalars(select(CaseCounter))}
            assert counters == seqs
            assert (
                session.scalar(
                    select(Case.code).where(Case.team == "cusco", Case.seq == 1, Case.year == 2024)
                )
                == "CUS-2024-0001"
            )

    def test_every_outgoing_referral_carries_a_live_sharing_consent(self, demo_db):
        with demo_db.factory() as session:
            rows = session.execute(
                text(
                    "SELECT r.referred_on, c.purpose, c.given_on, c.revoked_on, "
                    "c.victim_id = r.victim_id FROM referrals r "
                    "LEFT JOIN consents c ON c.id = r.consent_id WHERE r.direction = 'out'"
                )
            ).all()
            assert len(rows) > 50
            for referred_on, purpose, given_on, revoked_on, same_victim in rows:
                assert purpose == "data_sharing" and same_victim
                assert str(given_on) <= str(referred_on) and revoked_on is None
            incoming = (
                "SELECT count(*) FROM referrals WHERE direction = 'in' AND consent_id IS NOT NULL"
            )
            assert session.execute(text(incoming)).scalar() == 0

    def test_identity_is_encrypted_with_a_blind_index(self, demo_db):
        with demo_db.factory() as session:
            # The first five with a document (some demo people have none, as CALP's often do).
            raw = session.execute(
                text(
                    "SELECT document_number FROM victim_identities "
                    "WHERE document_index IS NOT NULL ORDER BY victim_id LIMIT 5"
                )
            ).all()
            identities = session.scalars(
                select(VictimIdentity)
                .where(VictimIdentity.document_index.is_not(None))
                .order_by(VictimIdentity.victim_id)
                .limit(5)
            ).all()
            for (stored,), identity in zip(raw, identities, strict=True):
                assert identity.document_number and identity.document_number not in stored
            by_index = {i.document_index: i.document_number for i in identities}
            for index, number in by_index.items():
                assert index == get_keyring().blind_index(number)

    def test_demo_users_share_the_printed_password(self, demo_db):
        with demo_db.factory() as session:
            user = session.scalar(select(User).where(User.username == "demo_abo_lima"))
            assert verify_password(DEMO_PASSWORD, user.password_hash, fast=True)


def _calp(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=dbutil.REPO_ROOT,
    )


def test_cli_loads_once_then_reports_the_logins(subprocess_env):
    with dbutil.migrated_database("democli") as (url, _engine):
        env = subprocess_env(url)
        first = _calp(env, "demo-data")
        assert first.returncode == 0, first.stderr
        assert "datos de demostración cargados" in first.stdout and "demo_coord" in first.stdout
        assert DEMO_PASSWORD in first.stdout
        again = _calp(env, "demo-data")
        assert again.returncode == 0 and "ya estaban cargados" in again.stdout
        assert "demo_coord" in again.stdout
        keys = {"CALP_SECRET_KEY": new_key(), "CALP_DATA_KEY": new_key()}  # production's
        refused = _calp(env | keys | {"CALP_ENV": "production"}, "demo-data")
        assert refused.returncode != 0 and "se rechazan" in refused.stderr


def _small_dataset(n_cases: int) -> DemoDataset:
    full = generate(DEMO_SEED)
    cases = full.cases[:n_cases]
    keys = {c["key"] for c in cases}
    return DemoDataset(
        users=full.users,
        cases=cases,
        detections=[d for d in full.detections if d["case_key"] in keys],
    )


def test_reset_wipes_demo_records_and_loads_again(fresh_db):
    _url, engine = fresh_db
    factory = make_session_factory(engine)
    with factory() as session:
        load_demo(session, fast_hash=True, dataset=_small_dataset(6))
        session.commit()
    with factory() as session:
        version = current_data_version(session)
        result = load_demo(session, reset=True, fast_hash=True, dataset=_small_dataset(3))
        session.commit()
        assert result.loaded and result.counts["cases"] == 3
        assert session.scalar(select(func.count()).select_from(Case)) == 3
        assert session.scalar(select(func.max(CaseCounter.last_seq))) <= 3
        assert current_data_version(session) > version  # statistics caches see the change
