"""Links between two victim records of the same person: both ways, scope, unlink, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import Role, Team
from app.links.models import VictimLink
from tests.factories import make_case, make_user, make_victim


def _link(client, victim, other, **body):
    return client.post(
        f"/api/v1/victims/{victim.id}/links", json={"other_victim_id": str(other.id), **body}
    )


def _links(client, victim):
    resp = client.get(f"/api/v1/victims/{victim.id}/links")
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def _pair(db, team=Team.lima):
    first = make_victim(db, case=make_case(db, team=team))
    again = make_victim(db, case=make_case(db, team=team))
    return first, again


class TestLink:
    def test_link_is_seen_from_both_victims(self, db, login_as):
        first, again = _pair(db)
        client = login_as(make_user(db))
        resp = _link(client, again, first, reason="Misma fecha de nacimiento")
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["victim_id"] == str(again.id)
        assert body["other_victim_id"] == str(first.id)
        assert body["other"]["code"] == first.code
        assert body["reason"] == "Misma fecha de nacimiento"
        from_first = _links(client, first)
        assert [(x["id"], x["other"]["code"]) for x in from_first] == [(body["id"], again.code)]
        assert [x["other_victim_id"] for x in _links(client, again)] == [str(first.id)]
        # Coordinators read links (and never write them).
        coordinator = login_as(make_user(db, role=Role.coordinator))
        assert len(_links(coordinator, first)) == 1

    def test_reason_is_sealed_at_rest(self, db, login_as):
        first, again = _pair(db)
        _link(login_as(make_user(db)), first, again, reason="Atendida de nuevo en Iquitos")
        stored = db.execute(text("SELECT reason FROM victim_links")).scalars().all()
        assert stored and all("Iquitos" not in (value or "") for value in stored)

    def test_same_victim_twice_or_already_linked(self, db, login_as):
        first, again = _pair(db)
        client = login_as(make_user(db))
        same = _link(client, first, first)
        assert same.status_code == 422
        assert same.json()["code"] == "link_same_victim"
        assert _link(client, first, again).status_code == 201
        twice = _link(client, again, first)  # the other way round is the same pair
        assert twice.status_code == 409
        assert twice.json()["code"] == "link_exists"

    def test_creation_is_audited_without_the_reason(self, db, login_as):
        first, again = _pair(db)
        _link(login_as(make_user(db)), first, again, reason="Texto libre secreto")
        event = db.scalars(select(AuditEvent).where(AuditEvent.record_type == "victim_link")).one()
        assert event.action == AuditAction.create
        assert event.fields is not None and "reason" in event.fields
        assert "secreto" not in (event.fields + (event.detail or ""))


class TestScope:
    def test_other_team_victim_cannot_be_linked(self, db, login_as):
        mine = make_victim(db, case=make_case(db, team=Team.lima))
        theirs = make_victim(db, case=make_case(db, team=Team.cusco))
        client = login_as(make_user(db, teams=[Team.lima]))
        resp = _link(client, mine, theirs)
        assert resp.status_code == 422
        assert resp.json()["code"] == "link_victim_not_found"
        assert _link(client, theirs, mine).status_code == 404
        assert db.scalars(select(VictimLink)).all() == []

    def test_link_hidden_from_who_sees_only_one_end(self, db, login_as):
        mine = make_victim(db, case=make_case(db, team=Team.lima))
        theirs = make_victim(db, case=make_case(db, team=Team.cusco))
        both = login_as(make_user(db, teams=[Team.lima, Team.cusco]))
        created = _link(both, mine, theirs)
        assert created.status_code == 201
        lima_only = login_as(make_user(db, teams=[Team.lima]))
        assert _links(lima_only, mine) == []
        unlink = lima_only.delete(f"/api/v1/links/{created.json()['id']}", params={"version": 1})
        assert unlink.status_code == 404

    def test_deleted_victim_leaves_the_list(self, db, login_as):
        first, again = _pair(db)
        client = login_as(make_user(db))
        _link(client, first, again)
        client.delete(f"/api/v1/victims/{again.id}", params={"version": again.version})
        assert _links(client, first) == []

    def test_roles_outside_case_work(self, db, login_as):
        first, again = _pair(db)
        coordinator = login_as(make_user(db, role=Role.coordinator))
        assert _link(coordinator, first, again).status_code == 403
        admin = login_as(make_user(db, role=Role.admin))
        assert admin.get(f"/api/v1/victims/{first.id}/links").status_code == 403


class TestUnlink:
    def test_unlink_soft_deletes_audits_and_allows_linking_again(self, db, login_as):
        first, again = _pair(db)
        client = login_as(make_user(db))
        link = _link(client, first, again).json()
        stale = client.delete(f"/api/v1/links/{link['id']}", params={"version": 99})
        assert stale.status_code == 409
        resp = client.delete(f"/api/v1/links/{link['id']}", params={"version": link["version"]})
        assert resp.status_code == 204
        assert _links(client, first) == [] and _links(client, again) == []
        row = db.get(VictimLink, __import__("uuid").UUID(link["id"]))
        db.refresh(row)
        assert row is not None and row.deleted_at is not None
        actions = db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.record_id == link["id"])
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [AuditAction.create, AuditAction.delete]
        again_link = _link(client, again, first)
        assert again_link.status_code == 201
        gone = client.delete(f"/api/v1/links/{link['id']}", params={"version": 2})
        assert gone.status_code == 404


def test_statistics_keep_counting_each_attention(db, login_as):
    first, again = _pair(db)

    def lima(client):
        table = client.get("/api/v1/stats/cases-by-team").json()
        (row,) = [r for r in table["groups"][0]["rows"] if r["key"] == "lima"]
        return row["cases"], row["victims"]

    before = lima(login_as(make_user(db, role=Role.coordinator)))
    assert _link(login_as(make_user(db)), first, again).status_code == 201
    assert lima(login_as(make_user(db, role=Role.coordinator))) == before
    assert before[1] >= 2


def test_links_verify_as_written(db, login_as):
    from app.audit.records import verify_records
    from app.security.integrity import verify_ciphertexts

    first, again = _pair(db)
    client = login_as(make_user(db))
    link = _link(client, first, again, reason="Motivo").json()
    client.delete(f"/api/v1/links/{link['id']}", params={"version": link["version"]})
    assert not [p for p in verify_records(db) if link["id"] in p]
    assert not [p for p in verify_ciphertexts(db.connection()) if "victim_links" in p]
    db.execute(text("UPDATE victim_links SET created_by_id = NULL"))  # outside the app
    assert [p for p in verify_records(db) if link["id"] in p]


@pytest.mark.parametrize("closed_end", [0, 1])
def test_anonymise_clears_the_reason_whichever_end_is_anonymised(fresh_db, closed_end):
    """The pair is stored in id order: the closed case's victim may be either column."""
    from datetime import date

    from app.cases.models import Case
    from app.catalogs import CaseStatus, CloseReason
    from app.db import make_session_factory
    from app.security.retention import anonymise

    _, engine = fresh_db
    factory = make_session_factory(engine)
    with factory() as db:
        pair = sorted((make_victim(db), make_victim(db)), key=lambda v: v.id)
        closed = db.get_one(Case, pair[closed_end].case_id)
        closed.status, closed.closed_on = CaseStatus.closed, date(2024, 6, 30)
        closed.close_reason = CloseReason.goals_met
        db.add(VictimLink(victim_id=pair[0].id, other_victim_id=pair[1].id, reason="Sobre ella"))
        db.commit()
    assert anonymise(engine, date(2024, 7, 1)).cases == 1
    with factory() as db:
        (link,) = db.scalars(select(VictimLink)).all()
        assert link.reason is None
