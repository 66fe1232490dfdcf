"""Ciphertexts are bound to their table, column and row; coded fields to their last audit.

Attacks made with SQL only (no key): a ciphertext moved into another row or column, an
unbound legacy value put back, a coded field edited. Reads answer null with the field named
in `integrity_errors` (and audit it); the scans behind `calp audit verify` name the place.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import StatementError

from app.audit.models import AuditAction, AuditEvent
from app.audit.records import canonical, verify_records
from app.catalogs import FollowUpKind, Role, Team
from app.crypto import get_keyring
from app.db import Base, today
from app.followups.models import FollowUp
from app.security.integrity import verify_ciphertexts
from tests.factories import PASSWORD, make_case, make_user, make_victim

PSY_TEXT = "Relato psicológico reservado de la sesión"
LEGAL_TEXT = "Orientación legal ante la fiscalía"


def _follow_up(client, victim, kind: str, narrative: str) -> str:
    resp = client.post(
        f"/api/v1/victims/{victim.id}/follow-ups",
        json={
            "occurred_on": today().isoformat(),
            "kind": kind,
            "narrative": narrative,
            "actions": [{"type": "orientation", "institution": "fiscalia", "status": "done"}],
        },
    )
    assert resp.status_code == 201, resp.text
    return str(resp.json()["id"])


def _register_victim(db, client, identity: dict[str, str] | None = None) -> str:
    """A victim registered through the API (so its creation is audited): her id."""
    body = {
        "intake_on": "2024-03-12",
        "sex": "female",
        "age_at_intake": 30,
        "nationality": "PE",
        "typology": "forced_labour",
    }
    resp = client.post(
        f"/api/v1/cases/{make_case(db).id}/victims",
        json=body | ({"identity": identity} if identity else {}),
    )
    assert resp.status_code == 201, resp.text
    return str(resp.json()["id"])


def _unverifiable_events(db, record_id: str) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.unverifiable, AuditEvent.record_id == record_id
            )
        )
    )


def _copy(db, table: str, column: str, key: str, source: object, target: object) -> None:
    """What an attacker with SQL and no key can do: copy a stored value to another row."""
    db.execute(
        text(
            f"UPDATE {table} SET {column} = (SELECT {column} FROM {table} WHERE {key} = :s) "
            f"WHERE {key} = :t"
        ),
        {"s": source, "t": target},
    )


def _db_id(db, value: str) -> object:
    # Ids as the database stores them (32 hex digits on SQLite), for raw SQL.
    import uuid

    return uuid.UUID(value).hex if db.get_bind().dialect.name == "sqlite" else value


class TestMovedNarrative:
    def test_lawyer_reads_null_and_flag_not_the_psychological_narrative(self, db, login_as):
        psychologist = make_user(db, role=Role.psychologist, teams=[Team.lima])
        lawyer = make_user(db, role=Role.lawyer, teams=[Team.lima])
        victim = make_victim(db)
        psy_id = _follow_up(login_as(psychologist), victim, "psychological", PSY_TEXT)
        legal_id = _follow_up(login_as(lawyer), victim, "legal", LEGAL_TEXT)
        assert verify_ciphertexts(db.connection()) == []

        _copy(db, "follow_ups", "narrative", "id", _db_id(db, psy_id), _db_id(db, legal_id))
        client = login_as(lawyer)
        client.app.dependency_overrides.clear()  # signed in for real: the audit names her
        token = client.post(
            "/api/v1/auth/token", data={"username": lawyer.username, "password": PASSWORD}
        ).json()["access_token"]
        resp = client.get(
            f"/api/v1/victims/{victim.id}/follow-ups", headers={"Authorization": f"Bearer {token}"}
        )

        assert resp.status_code == 200, resp.text
        assert PSY_TEXT not in resp.text
        by_id = {item["id"]: item for item in resp.json()["items"]}
        assert by_id[legal_id]["narrative"] is None
        assert by_id[legal_id]["integrity_errors"] == ["narrative"]
        assert by_id[psy_id]["narrative_hidden"] is True  # still not the lawyer's to read
        [event] = _unverifiable_events(db, legal_id)
        assert (event.record_type, event.fields) == ("follow_ups", "narrative")
        assert event.user_id == lawyer.id
        [problem] = verify_ciphertexts(db.connection())
        assert problem.startswith("follow_ups.narrative: 1 stored values fail")
        assert legal_id in problem and PSY_TEXT not in problem

    def test_the_psychologist_still_reads_the_original(self, db, login_as):
        psychologist = make_user(db, role=Role.psychologist, teams=[Team.lima])
        lawyer = make_user(db, role=Role.lawyer, teams=[Team.lima])
        victim = make_victim(db)
        psy_id = _follow_up(login_as(psychologist), victim, "psychological", PSY_TEXT)
        legal_id = _follow_up(login_as(lawyer), victim, "legal", LEGAL_TEXT)
        _copy(db, "follow_ups", "narrative", "id", _db_id(db, psy_id), _db_id(db, legal_id))

        items = login_as(psychologist).get(f"/api/v1/victims/{victim.id}/follow-ups").json()
        by_id = {item["id"]: item for item in items["items"]}
        assert by_id[psy_id]["narrative"] == PSY_TEXT
        assert by_id[psy_id]["integrity_errors"] == []

    def test_an_unbound_legacy_value_is_refused(self, db, login_as):
        # A `k1` ciphertext (as stored before the binding, e.g. in an old backup) put back.
        lawyer = make_user(db, role=Role.lawyer, teams=[Team.lima])
        victim = make_victim(db)
        legal_id = _follow_up(login_as(lawyer), victim, "legal", LEGAL_TEXT)
        legacy = get_keyring().seal_unbound(PSY_TEXT)
        db.execute(
            text("UPDATE follow_ups SET narrative = :v WHERE id = :i"),
            {"v": legacy, "i": _db_id(db, legal_id)},
        )

        [item] = login_as(lawyer).get(f"/api/v1/victims/{victim.id}/follow-ups").json()["items"]
        assert (item["narrative"], item["integrity_errors"]) == (None, ["narrative"])


class TestMovedIdentity:
    def _two_victims(self, db, login_as):
        client = login_as(make_user(db, role=Role.social_worker, teams=[Team.lima]))
        ids = [
            _register_victim(db, client, {"given_names": given, "family_names": "Quispe"})
            for given in ("Anacleta", "Brunilda")
        ]
        return client, ids

    def test_a_name_copied_to_another_victim_reads_null_and_flagged(self, db, login_as):
        client, (first, second) = self._two_victims(db, login_as)
        _copy(
            db,
            "victim_identities",
            "given_names",
            "victim_id",
            _db_id(db, first),
            _db_id(db, second),
        )

        resp = client.get(f"/api/v1/victims/{second}")
        assert resp.status_code == 200, resp.text
        assert "Anacleta" not in resp.text
        identity = resp.json()["identity"]
        assert identity["given_names"] is None and identity["family_names"] == "Quispe"
        assert identity["integrity_errors"] == ["given_names"]
        assert _unverifiable_events(db, second)
        page = client.get(f"/victimas/{second}")
        assert page.status_code == 200
        assert "dato no verificable" in page.text and "Anacleta" not in page.text
        [problem] = verify_ciphertexts(db.connection())
        assert problem.startswith("victim_identities.given_names: 1 ") and second in problem

    def test_a_copied_blind_index_is_named(self, db, login_as):
        client, (first, second) = self._two_victims(db, login_as)
        for vid, doc in ((first, "40111222"), (second, "40333444")):
            resp = client.patch(
                f"/api/v1/victims/{vid}",
                json={"version": 1, "identity": {"document_number": doc}},
            )
            assert resp.status_code == 200, resp.text
        assert verify_ciphertexts(db.connection()) == []
        # Copied, the index would make a search for one document find the other victim.
        _copy(
            db,
            "victim_identities",
            "document_index",
            "victim_id",
            _db_id(db, first),
            _db_id(db, second),
        )
        [problem] = verify_ciphertexts(db.connection())
        assert problem.startswith("victim_identities.document_index: 1 ") and second in problem


class TestCodedFields:
    def test_a_typology_changed_by_sql_is_named(self, db, login_as):
        staff = make_user(db, role=Role.social_worker, teams=[Team.lima])
        victim_id = _register_victim(db, login_as(staff))
        assert verify_records(db) == []

        db.execute(
            text("UPDATE victims SET typology = 'migrant_smuggling' WHERE id = :i"),
            {"i": _db_id(db, victim_id)},
        )
        [problem] = verify_records(db)
        assert problem.startswith(f"victim {victim_id}: coded fields differ")

    def test_a_value_edited_into_nonsense_is_named_not_a_crash(self, db, login_as):
        if db.get_bind().dialect.name != "sqlite":
            pytest.skip("PostgreSQL's typed columns refuse such a value in the first place")
        client = login_as(make_user(db, role=Role.social_worker, teams=[Team.lima]))
        victim_id, _intact = _register_victim(db, client), _register_victim(db, client)
        db.execute(
            text("UPDATE victims SET intake_on = 'ayer' WHERE id = :i"),
            {"i": _db_id(db, victim_id)},
        )
        [problem] = verify_records(db)  # the other victim, read in the same batch, is fine
        assert problem.startswith(f"victim {victim_id}: coded fields differ")

    def test_a_column_added_empty_by_a_later_migration_voids_no_digest(self):
        victims = Base.metadata.tables["victims"]
        before = SimpleNamespace(_mapping={"id": "v1", "sex": "female"})
        after = SimpleNamespace(_mapping={"id": "v1", "sex": "female", "new_column": None})
        assert canonical(victims, before) == canonical(victims, after)  # type: ignore[arg-type]
        changed = SimpleNamespace(_mapping={"id": "v1", "sex": "male"})
        assert canonical(victims, before) != canonical(victims, changed)  # type: ignore[arg-type]

    def test_an_audited_write_moves_the_digest_along(self, db, login_as):
        staff = make_user(db, role=Role.lawyer, teams=[Team.lima])
        case = make_case(db)
        client = login_as(staff)
        resp = client.patch(
            f"/api/v1/cases/{case.id}", json={"version": 1, "referred_by": "fiscalia"}
        )
        assert resp.status_code == 200, resp.text
        assert verify_records(db) == []
        event = db.scalars(select(AuditEvent).where(AuditEvent.record_id == str(case.id))).one()
        assert event.record_digest and event.record_digest.startswith(get_keyring().active_id)


class TestWriters:
    def test_a_core_writer_cannot_store_plaintext(self, db):
        victim = make_victim(db)
        with pytest.raises(StatementError, match="unsealed"):
            db.execute(
                insert(FollowUp.__table__),
                [
                    {
                        "id": victim.id,
                        "victim_id": victim.id,
                        "occurred_on": date(2024, 1, 1),
                        "kind": FollowUpKind.legal,
                        "narrative": LEGAL_TEXT,
                    }
                ],
            )

    def test_a_value_set_before_the_row_id_is_sealed_at_insert(self, db):
        victim = make_victim(db)
        follow_up = FollowUp(victim_id=victim.id, occurred_on=date(2024, 1, 1), kind="legal")
        follow_up.narrative = LEGAL_TEXT  # no id yet: sealed when the INSERT gives it one
        db.add(follow_up)
        db.flush()
        db.expire(follow_up)
        assert follow_up.narrative == LEGAL_TEXT and follow_up.integrity_errors == []
        assert verify_ciphertexts(db.connection()) == []
