"""The migration that binds ciphertexts: legacy `k1` values written by the previous schema
come out bound (`k2`) and read back; without a key it stops with one line; an empty
database needs none; the downgrade writes `k1` back, or refuses once digests exist."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, Engine, select, text

import app.crypto
from app.crypto import decode_key, key_id
from app.db import UTCDateTime, make_engine, make_session_factory
from app.followups.models import FollowUp
from app.security.integrity import verify_ciphertexts
from app.users.models import User
from app.victims.models import VictimIdentity
from tests import dbutil
from tests.conftest import TEST_DATA_KEY

PREVIOUS = "292ec4f2657b"
VIOLENCE = ("psychological", "sexual", "physical", "family", "economic")
KEY = decode_key(TEST_DATA_KEY)
PLAIN = {
    "otp": "JBSWY3DPEHPK3PXP",
    "summary": "Resumen confidencial del caso",
    "given": "Rosaura",
    "narrative": "Narrativa anterior a la vinculación",
}


def _aead() -> AESGCM:
    info = b"calp-field-encryption"
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(KEY))


def legacy_seal(plaintext: str) -> str:
    """A value as the previous code stored it (written here independently of app.crypto)."""
    nonce = os.urandom(12)
    body = nonce + _aead().encrypt(nonce, plaintext.encode(), b"k1")
    return f"k1.{key_id(KEY)}.{base64.b64encode(body).decode()}"


def legacy_open(stored: str) -> str:
    prefix, _, body = stored.split(".", 2)
    assert prefix == "k1"
    raw = base64.b64decode(body)
    return _aead().decrypt(raw[:12], raw[12:], b"k1").decode()


def _alembic(engine: Engine, verb: str, revision: str) -> None:
    cfg = dbutil.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)


def _insert(conn: Connection, table: str, **values: object) -> None:
    """A row as written at the previous revision, by a static table (as a migration
    would): the models describe the newest schema, not that one."""
    types = {uuid.UUID: sa.Uuid(), date: sa.Date(), datetime: UTCDateTime()}
    cols = [sa.column(k, types.get(type(v))) for k, v in values.items()]
    conn.execute(sa.insert(sa.table(table, *cols)).values(**values))


@pytest.fixture
def legacy_db() -> Iterator[tuple[Engine, dict[str, uuid.UUID]]]:
    """A database at the previous revision holding `k1` values in four tables."""
    with dbutil.empty_database("legacy") as url:
        engine = make_engine(url)
        _alembic(engine, "upgrade", PREVIOUS)
        ids = {k: uuid.uuid4() for k in ("user", "case", "victim", "follow_up")}
        now = datetime(2024, 5, 1, tzinfo=UTC)
        stamps = {"version": 1, "created_at": now, "updated_at": now}
        violence = {f"violence_{k}": "not_recorded" for k in VIOLENCE}
        with engine.begin() as conn:
            _insert(
                conn,
                "users",
                id=ids["user"],
                username="ana",
                full_name="",
                password_hash="x",
                role="psychologist",
                active=True,
                token_generation=0,
                otp_enrolled=True,
                otp_secret=legacy_seal(PLAIN["otp"]),
                **stamps,
            )
            _insert(
                conn,
                "cases",
                id=ids["case"],
                code="LIM-2024-0001",
                team="lima",
                year=2024,
                seq=1,
                opened_on=date(2024, 3, 1),
                status="open",
                summary=legacy_seal(PLAIN["summary"]),
                **stamps,
            )
            _insert(
                conn,
                "victims",
                id=ids["victim"],
                case_id=ids["case"],
                code="LIM-2024-0001-V1",
                seq=1,
                intake_on=date(2024, 3, 1),
                sex="female",
                age_at_intake=30,
                nationality="PE",
                typology="forced_labour",
                **violence,
                **stamps,
            )
            _insert(
                conn,
                "victim_identities",
                victim_id=ids["victim"],
                given_names=legacy_seal(PLAIN["given"]),
            )
            _insert(
                conn,
                "follow_ups",
                id=ids["follow_up"],
                victim_id=ids["victim"],
                occurred_on=date(2024, 4, 1),
                kind="legal",
                created_at=now,
                narrative=legacy_seal(PLAIN["narrative"]),
            )
        try:
            yield engine, ids
        finally:
            engine.dispose()


def _stored(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [
            conn.execute(text(q)).scalar_one()
            for q in (
                "SELECT otp_secret FROM users",
                "SELECT summary FROM cases",
                "SELECT given_names FROM victim_identities",
                "SELECT narrative FROM follow_ups",
            )
        ]


def test_upgrade_reseals_legacy_values_and_they_read_back(legacy_db):
    engine, ids = legacy_db
    _alembic(engine, "upgrade", "head")
    assert all(v.startswith("k2.") for v in _stored(engine))
    with make_session_factory(engine)() as s:
        assert s.get_one(User, ids["user"]).otp_secret == PLAIN["otp"]
        assert s.get_one(VictimIdentity, ids["victim"]).given_names == PLAIN["given"]
        follow_up = s.get_one(FollowUp, ids["follow_up"])
        assert (follow_up.narrative, follow_up.integrity_errors) == (PLAIN["narrative"], [])
        assert verify_ciphertexts(s.connection()) == []


def test_upgrade_without_a_key_stops_with_one_line(legacy_db, monkeypatch):
    engine, _ = legacy_db
    monkeypatch.setattr(app.crypto, "_keyring", None)
    monkeypatch.delenv("CALP_DATA_KEY", raising=False)
    with pytest.raises(RuntimeError, match="no data key is configured") as info:
        _alembic(engine, "upgrade", "head")
    assert "\n" not in str(info.value)
    assert all(v.startswith("k1.") for v in _stored(engine))  # nothing half done
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == PREVIOUS


def test_an_empty_database_needs_no_key(monkeypatch):
    monkeypatch.setattr(app.crypto, "_keyring", None)
    monkeypatch.delenv("CALP_DATA_KEY", raising=False)
    with dbutil.empty_database("nokey") as url:
        engine = make_engine(url)
        _alembic(engine, "upgrade", "head")
        engine.dispose()


def test_the_key_may_come_from_the_environment(legacy_db, monkeypatch):
    engine, _ = legacy_db
    monkeypatch.setattr(app.crypto, "_keyring", None)
    monkeypatch.setenv("CALP_DATA_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    monkeypatch.setenv("CALP_OLD_DATA_KEYS", TEST_DATA_KEY)
    _alembic(engine, "upgrade", "head")
    assert all(v.startswith("k2.") for v in _stored(engine))


def test_downgrade_writes_legacy_values_back(legacy_db):
    engine, _ = legacy_db
    _alembic(engine, "upgrade", "head")
    _alembic(engine, "downgrade", PREVIOUS)
    assert [legacy_open(v) for v in _stored(engine)] == list(PLAIN.values())


def test_downgrade_refuses_once_events_carry_digests(legacy_db):
    engine, ids = legacy_db
    _alembic(engine, "upgrade", "head")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (at, action, record_type, record_id, record_digest, "
                "prev_hash, hash) VALUES (:at, 'create', 'case', :id, 'abc:def', :p, :h)"
            ),
            {"at": datetime.now(UTC), "id": str(ids["case"]), "p": "0" * 64, "h": "1" * 64},
        )
    with pytest.raises(RuntimeError, match="refusing to downgrade"):
        _alembic(engine, "downgrade", PREVIOUS)
    with engine.connect() as conn:
        assert conn.execute(select(text("count(*)")).select_from(text("audit_events"))).scalar()
