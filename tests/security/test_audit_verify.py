"""`calp audit verify` names an edited, inserted or deleted audit event (a real subprocess)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.security.builders import audit_verify, seed


@pytest.mark.parametrize("tamper", ["edit", "garble", "insert", "delete_middle", "delete_last"])
def test_audit_verify_detects_tampering(fresh_db, subprocess_env, tamper):
    url, engine = fresh_db
    if tamper == "garble" and not url.startswith("sqlite"):
        pytest.skip("PostgreSQL's typed columns refuse such a value in the first place")
    seed(engine)  # a few events: user creations are not audited here, victims are
    env = subprocess_env(url)
    ok = audit_verify(env)
    assert ok.returncode == 0, ok.stderr
    assert "íntegra" in ok.stdout
    with engine.begin() as conn:
        last = conn.execute(text("SELECT max(id) FROM audit_events")).scalar()
        assert last >= 2
        if tamper == "edit":
            conn.execute(text("UPDATE audit_events SET action = 'delete' WHERE id = 1"))
        elif tamper == "garble":  # a value the model cannot parse must not crash verify
            conn.execute(text("UPDATE audit_events SET at = 'ayer' WHERE id = 2"))
        elif tamper == "insert":
            row = (
                conn.execute(text("SELECT * FROM audit_events WHERE id = :i"), {"i": last})
                .mappings()
                .one()
            )
            forged = dict(row, id=last + 1, hash="f" * 64, prev_hash=row["hash"])
            conn.execute(
                text(
                    "INSERT INTO audit_events (id, at, user_id, username, action, record_type, "
                    "record_id, client, fields, detail, prev_hash, hash) VALUES (:id, :at, "
                    ":user_id, :username, :action, :record_type, :record_id, :client, :fields, "
                    ":detail, :prev_hash, :hash)"
                ),
                forged,
            )
        elif tamper == "delete_middle":
            conn.execute(text("DELETE FROM audit_events WHERE id = 1"))
        else:
            conn.execute(text("DELETE FROM audit_events WHERE id = :i"), {"i": last})
    bad = audit_verify(env)
    assert bad.returncode != 0
    assert "NO está íntegra" in bad.stderr
    expected = {
        "edit": "event 1: contents were edited",
        "garble": "event 2: unreadable",
        "insert": f"event {last + 1}: contents were edited",
        "delete_middle": "event 2: gap after 0",
        "delete_last": f"event {last}: missing",
    }[tamper]
    assert expected in bad.stderr, bad.stderr
