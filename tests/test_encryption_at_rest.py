"""Identity and free text never reach the database in plaintext."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from app.crypto import get_keyring
from app.db import make_session_factory
from tests import dbutil
from tests.factories import make_case, make_user, make_victim

NAME = "Xochiquetzal Huamanchumo"
DOCUMENT = "47281936"
NARRATIVE = "Relato confidencial de Quispicanchi"


def _write(session: Session) -> None:
    make_user(session)
    case = make_case(session, summary=NARRATIVE)
    make_victim(
        session,
        case=case,
        identity={
            "given_names": NAME.split()[0],
            "family_names": NAME.split()[1],
            "document_number": DOCUMENT,
            "document_index": get_keyring().blind_index(DOCUMENT),
            "phone": "987654321",
            "address": "Jr. Secreto 123",
        },
    )
    session.commit()


def test_no_plaintext_in_database() -> None:
    with dbutil.migrated_database("enc") as (url, engine):
        factory = make_session_factory(engine)
        with factory() as session:
            _write(session)
            # Reading back through the ORM decrypts: the round trip works.
            from app.victims.models import VictimIdentity

            ident = session.query(VictimIdentity).one()
            assert ident.family_names == NAME.split()[1]
        needles = [NAME.split()[0], NAME.split()[1], DOCUMENT, "Quispicanchi", "Secreto"]
        if url.startswith("sqlite"):
            path = Path(url.removeprefix("sqlite:///"))
            raw = b"".join(
                Path(f"{path}{s}").read_bytes() for s in ("", "-wal") if Path(f"{path}{s}").exists()
            )
            assert raw, "the database file should hold data"
            for needle in needles:
                assert needle.encode() not in raw, f"{needle!r} found in the SQLite file"
        else:
            with engine.connect() as conn:
                insp = inspect(conn)
                for table in insp.get_table_names():
                    for col in insp.get_columns(table):
                        values = conn.execute(
                            text(f'SELECT CAST("{col["name"]}" AS TEXT) FROM "{table}"')
                        ).scalars()
                        for value in values:
                            for needle in needles:
                                assert value is None or needle not in value, (table, col["name"])
