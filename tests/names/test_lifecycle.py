"""Name tokens over a victim's life: written at registration and edits, built for existing
records (backfill), rebuilt on key rotation, removed by anonymisation; and never a
readable name in the database file."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.config import new_key
from app.crypto import configure_keyring, get_keyring
from app.db import make_session_factory
from app.names.backfill import reindex
from app.names.models import NameToken
from app.names.normalise import phonetic, plain
from app.names.service import NameQuery, search
from app.names.tokens import JOINED, PAIR, WORD, token_keys
from app.security.retention import anonymise
from app.security.rotation import rotate
from app.victims.schemas import VictimCreate, VictimUpdate
from app.victims.service import create_victim, update_victim
from tests import dbutil
from tests.conftest import TEST_DATA_KEY
from tests.factories import make_case, make_user
from tests.security.builders import VICTIM_NAME, seed
from tests.victims.test_router import payload

REPO = Path(__file__).resolve().parents[2]


def tokens(engine: Engine) -> dict[uuid.UUID, set[int]]:
    with engine.connect() as conn:
        out: dict[uuid.UUID, set[int]] = {}
        for tok, vid in conn.execute(select(NameToken.token, NameToken.victim_id)):
            out.setdefault(vid, set()).add(tok)
        return out


def pair_count(engine: Engine) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(NameToken).where(NameToken.kind == PAIR)
        return conn.scalar(query) or 0


def found(session: Session, name: str) -> list[uuid.UUID]:
    return [m.victim_id for m in search(session, NameQuery(name), None)]


def test_registration_and_edit_write_tokens(db: Session) -> None:
    staff = make_user(db)
    case = make_case(db)
    body = payload(identity={"given_names": "Rosalía", "family_names": "Huamán Ccori"})
    created = create_victim(db, case, VictimCreate.model_validate(body), actor=staff)
    assert found(db, "rosalia waman qori") == [created.id]
    victim = db.get_one(__import__("app.victims.models", fromlist=["Victim"]).Victim, created.id)
    update_victim(
        db,
        victim,
        VictimUpdate.model_validate(
            {"version": victim.version, "identity": {"family_names": "Condori"}}
        ),
        actor=staff,
    )
    assert found(db, "rosalia waman") == []
    assert found(db, "rosalia kunturi") == [created.id]


def test_backfill_of_existing_records(fresh_db: tuple[str, Engine]) -> None:
    _, engine = fresh_db
    seeded = seed(engine)  # written without the service: no tokens yet
    with make_session_factory(engine)() as s:
        assert found(s, VICTIM_NAME) == []
    assert reindex(engine, batch_size=1) == 2
    with make_session_factory(engine)() as s:
        assert set(found(s, VICTIM_NAME)) == {seeded.open_victim_id, seeded.closed_victim_id}
    before = tokens(engine)
    assert reindex(engine) == 2 and tokens(engine) == before  # runs again, same result


def test_reindex_names_command(fresh_db: tuple[str, Engine], subprocess_env) -> None:  # type: ignore[no-untyped-def]
    url, engine = fresh_db
    seed(engine)
    run = subprocess.run(
        [sys.executable, "-m", "app.cli", "reindex-names", "--batch-size", "1"],
        env=subprocess_env(url),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "tokens de nombre reconstruidos para 2 víctimas" in run.stdout
    assert len(tokens(engine)) == 2


def test_rotation_rebuilds_tokens_under_the_new_key(fresh_db: tuple[str, Engine]) -> None:
    _, engine = fresh_db
    seeded = seed(engine)
    reindex(engine)
    old = tokens(engine)
    pairs_before = pair_count(engine)
    new = new_key()
    try:
        configure_keyring(new, [TEST_DATA_KEY])
        with make_session_factory(engine)() as s:  # meanwhile the old tokens are found
            assert seeded.open_victim_id in found(s, VICTIM_NAME)
        report = rotate(engine, batch_size=1)
        assert report.name_tokens == 2
        configure_keyring(new)  # the old key retired: only new tokens can match
        after = tokens(engine)
        assert set(after) == set(old)
        for vid in old:
            assert not after[vid] & old[vid] and len(after[vid]) == len(old[vid])
        assert pair_count(engine) == pairs_before > 0  # pairs rebuilt with the words
        with make_session_factory(engine)() as s:
            assert seeded.open_victim_id in found(s, VICTIM_NAME)
    finally:
        configure_keyring(TEST_DATA_KEY)


def test_anonymise_removes_tokens(fresh_db: tuple[str, Engine]) -> None:
    _, engine = fresh_db
    seeded = seed(engine, closed_on=date(2024, 6, 30))
    reindex(engine)
    anonymise(engine, date(2024, 7, 1))
    assert set(tokens(engine)) == {seeded.open_victim_id}
    with make_session_factory(engine)() as s:
        assert found(s, VICTIM_NAME) == [seeded.open_victim_id]
    reindex(engine)  # a later backfill brings nothing back
    assert set(tokens(engine)) == {seeded.open_victim_id}


NAMES = [
    ("Ximena Rosalía", "Quispe Ccori"),
    ("Údelia", "Huamán de la Cruz"),
    ("Wenceslao", "Yllescas"),
]


def forms(text: str) -> set[str]:
    """The ways a name could be read from a file: as typed, any case, without accents,
    and every normalised or phonetic word."""
    out = {text, text.lower(), text.upper(), text.title(), plain(text)}
    for word in plain(text).split():
        if len(word) >= 4:
            out |= {word, word.upper(), word.title(), phonetic(word)}
    for word in text.split():
        out |= {word, word.lower(), word.upper()}
    return {f for f in out if len(f) >= 4}


@pytest.mark.skipif(dbutil.BACKEND != "sqlite", reason="reads the SQLite file and its WAL")
def test_database_file_and_wal_hold_no_name(fresh_db: tuple[str, Engine]) -> None:
    url, engine = fresh_db
    factory = make_session_factory(engine)
    with factory() as s:
        staff = make_user(s)
        case = make_case(s)
        for given, family in NAMES:
            body = payload(identity={"given_names": given, "family_names": family})
            create_victim(s, case, VictimCreate.model_validate(body), actor=staff)
        s.commit()
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(NameToken)) >= 10
        assert len(found(s, "ximena quispe")) == 1
    path = Path(url.removeprefix("sqlite:///"))
    blobs = [p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()]
    assert blobs and any(len(b) > 0 for b in blobs)
    for given, family in NAMES:
        for form in forms(f"{given} {family}"):
            for blob in blobs:
                for encoded in (form.encode(), form.encode("utf-16-le")):
                    assert encoded not in blob, form
    # Tokens are keyed: the same words under another key give other tokens.
    assert token_keys()[0] != token_keys(type(get_keyring())(b"x" * 32))[0]


def test_import_writes_tokens(db: Session) -> None:
    from app.imports.reader import read_upload
    from app.imports.service import import_sheets
    from tests.imports.builders import csv_bytes, victim_row

    rows = [
        victim_row(
            1,
            case="NT-C1",
            victim_external_id="NT-V1",
            given_names="Údelia",
            family_names="Huamán Ccori",
        ),
        victim_row(2, case="NT-C1", victim_external_id="NT-V2"),  # no name: no token
    ]
    victims, dets = read_upload("f.csv", csv_bytes(rows), None)
    import_sheets(db, victims, dets, actor=None, dry_run=False, username="test")
    ids = found(db, "udelia waman qori")
    assert len(ids) == 1
    # udelia, huaman, ccori and the family names run together (huamanccori), and one
    # pair token per two of those four keys
    kinds = sorted(db.scalars(select(NameToken.kind)))
    assert kinds == [WORD, WORD, WORD, JOINED] + [PAIR] * 6
