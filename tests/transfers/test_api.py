"""Transfers between teams: propose, accept, reject, withdraw, with each team's access
before and after (the receiving team sees no identity, no narrative and no note until it
accepts; the sending team loses the case once it is accepted)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.caseload.models import Assignment
from app.cases.models import Case
from app.catalogs import Responsibility, Role, Team
from tests.factories import make_case, make_user, make_victim
from tests.work_factories import make_follow_up

NAME, FAMILY, DOCUMENT = "Zenobia", "Quispehuamán", "40917733"
NARRATIVE = "Relato confidencial de Zenobia en Juliaca."
SUMMARY = "Resumen reservado del caso de Zenobia."
NOTE = "Se mudó con su tía Herminia a Lima."
SECRETS = (NAME, FAMILY, DOCUMENT, NARRATIVE, SUMMARY, NOTE, "Herminia")


@pytest.fixture
def world(db):
    """A Puno case with one victim (identity, narrative), its staff, and Lima's staff."""
    case = make_case(db, team=Team.puno, summary=SUMMARY)
    victim = make_victim(
        db,
        case=case,
        identity={"given_names": NAME, "family_names": FAMILY, "document_number": DOCUMENT},
    )
    puno = make_user(db, role=Role.social_worker, teams=[Team.puno])
    lima = make_user(db, role=Role.lawyer, teams=[Team.lima])
    lima_coord = make_user(db, role=Role.coordinator, teams=[Team.lima])
    make_follow_up(db, victim, author=puno, narrative=NARRATIVE)
    db.add(
        Assignment(
            case_id=case.id,
            user_id=puno.id,
            responsibility=Responsibility.lead,
            since=date(2024, 3, 1),
        )
    )
    db.flush()
    return {"case": case, "victim": victim, "puno": puno, "lima": lima, "coord": lima_coord}


def _propose(client, case, **body):
    payload = {"version": case.version, "to_team": "lima", "reason": "victim_moved", "note": NOTE}
    return client.post(f"/api/v1/cases/{case.id}/transfers", json=payload | body)


def _reads(client, w):
    """Every read of the case and its victim a team might try, and the transfer list."""
    case, victim = w["case"], w["victim"]
    return {
        "case": client.get(f"/api/v1/cases/{case.id}"),
        "history": client.get(f"/api/v1/cases/{case.id}/history"),
        "victim": client.get(f"/api/v1/victims/{victim.id}"),
        "follow_ups": client.get(f"/api/v1/victims/{victim.id}/follow-ups"),
        "transfers": client.get("/api/v1/transfers"),
    }


def _no_secrets(responses):
    for name, resp in responses.items():
        for secret in SECRETS:
            assert secret not in resp.text, (name, secret)


class TestPropose:
    def test_staff_of_the_case_proposes(self, world, login_as):
        resp = _propose(login_as(world["puno"]), world["case"])
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["status"] == "pending"
        assert (body["case_code"], body["from_team"], body["to_team"]) == (
            world["case"].code,
            "puno",
            "lima",
        )
        assert body["reason"] == "victim_moved"
        assert body["note"] == NOTE  # the team in charge reads its own note
        assert body["proposed_by"]["full_name"] == world["puno"].full_name

    def test_one_pending_per_case(self, world, login_as):
        client = login_as(world["puno"])
        assert _propose(client, world["case"]).status_code == 201
        second = _propose(client, world["case"], to_team="cusco")
        assert second.status_code == 409
        assert second.json()["code"] == "transfer_pending_exists"

    def test_to_its_own_team_is_422(self, world, login_as):
        resp = _propose(login_as(world["puno"]), world["case"], to_team="puno")
        assert resp.status_code == 422
        assert resp.json()["code"] == "transfer_same_team"

    def test_stale_version_is_409(self, world, login_as):
        resp = _propose(login_as(world["puno"]), world["case"], version=world["case"].version + 1)
        assert resp.status_code == 409

    def test_unknown_reason_is_422(self, world, login_as):
        assert _propose(login_as(world["puno"]), world["case"], reason="x").status_code == 422

    def test_other_team_gets_404_and_coordinator_403(self, db, world, login_as):
        assert _propose(login_as(world["lima"]), world["case"]).status_code == 404
        coord = make_user(db, role=Role.coordinator, teams=[Team.puno])
        assert _propose(login_as(coord), world["case"]).status_code == 403


class TestPending:
    def test_receiving_team_sees_only_the_transfer(self, world, login_as):
        assert _propose(login_as(world["puno"]), world["case"]).status_code == 201
        for user in (world["lima"], world["coord"]):
            reads = _reads(login_as(user), world)
            for name in ("case", "history", "victim", "follow_ups"):
                assert reads[name].status_code == 404, name
            (item,) = reads["transfers"].json()["items"]
            assert item["case_code"] == world["case"].code
            assert (item["from_team"], item["to_team"], item["reason"]) == (
                "puno",
                "lima",
                "victim_moved",
            )
            assert item["note"] is None and item["notes_hidden"] is True
            _no_secrets(reads)

    def test_sending_team_keeps_working(self, world, login_as):
        client = login_as(world["puno"])
        assert _propose(client, world["case"]).status_code == 201
        reads = _reads(client, world)
        assert reads["case"].status_code == 200
        assert reads["victim"].json()["identity"]["given_names"] == NAME
        resp = client.patch(
            f"/api/v1/cases/{world['case'].id}",
            json={"version": world["case"].version, "status": "follow_up"},
        )
        assert resp.status_code == 200


class TestAccept:
    def test_case_moves_with_its_work(self, db, world, login_as):
        case = world["case"]
        transfer = _propose(login_as(world["puno"]), case).json()
        resp = login_as(world["lima"]).post(
            f"/api/v1/transfers/{transfer['id']}/accept", json={"note": "Recibido."}
        )
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["status"] == "accepted" and body["note"] == NOTE
        assert body["decided_by"]["id"] == str(world["lima"].id)
        db.expire_all()
        moved = db.get(Case, case.id)
        assert (moved.team, moved.opened_by_team, moved.code) == (Team.lima, Team.puno, case.code)
        # The receiving team now reads everything, identity and narrative included.
        reads = _reads(login_as(world["lima"]), world)
        assert reads["case"].status_code == 200
        assert reads["case"].json()["team"] == "lima"
        assert reads["victim"].json()["identity"]["document_number"] == DOCUMENT
        assert reads["follow_ups"].json()["items"][0]["narrative"] == NARRATIVE
        details = [e.get("detail") for e in reads["history"].json()["items"]]
        assert "transfer_accepted" in details and "transfer_proposed" in details
        # The sending team lost it: 404 everywhere, no note, no identity.
        gone = _reads(login_as(world["puno"]), world)
        for name in ("case", "history", "victim", "follow_ups"):
            assert gone[name].status_code == 404, name
        (item,) = gone["transfers"].json()["items"]
        assert item["status"] == "accepted" and item["note"] is None
        _no_secrets(gone)

    def test_sending_teams_assignments_end(self, db, world, login_as):
        transfer = _propose(login_as(world["puno"]), world["case"]).json()
        login_as(world["coord"]).post(f"/api/v1/transfers/{transfer['id']}/accept")
        db.expire_all()
        (assignment,) = db.scalars(
            select(Assignment).where(Assignment.case_id == world["case"].id)
        ).all()
        assert assignment.until is not None

    def test_only_the_receiving_team_accepts(self, db, world, login_as):
        transfer = _propose(login_as(world["puno"]), world["case"]).json()
        url = f"/api/v1/transfers/{transfer['id']}/accept"
        assert login_as(world["puno"]).post(url).status_code == 403
        cusco = make_user(db, role=Role.psychologist, teams=[Team.cusco])
        assert login_as(cusco).post(url).status_code == 404
        assert login_as(world["lima"]).post(url).status_code == 200
        assert login_as(world["coord"]).post(url).json()["code"] == "transfer_not_pending"

    def test_a_case_closed_meanwhile_withdraws_its_transfer(self, db, world, login_as):
        puno = login_as(world["puno"])
        transfer = _propose(puno, world["case"]).json()
        closed = _close(db, puno, world["case"])
        (mine,) = puno.get("/api/v1/transfers").json()["items"]
        assert mine["status"] == "withdrawn"
        assert mine["decided_by"]["id"] == str(world["puno"].id)
        assert "cerrar el caso" in mine["decision_note"]
        details = [
            e.get("detail")
            for e in puno.get(f"/api/v1/cases/{closed.json()['id']}/history").json()["items"]
        ]
        assert "transfer_withdrawn_case_closed" in details and "close" in details
        # The receiving team has nothing left to answer, and accepting is refused.
        lima = login_as(world["lima"])
        assert lima.get("/api/v1/transfers?status=pending").json()["items"] == []
        resp = lima.post(f"/api/v1/transfers/{transfer['id']}/accept")
        assert resp.status_code == 409
        assert resp.json()["code"] == "transfer_not_pending"
        db.expire_all()
        assert db.get(Case, world["case"].id).team == Team.puno

    def test_closing_without_a_pending_transfer_keeps_decided_ones(self, db, world, login_as):
        puno = login_as(world["puno"])
        transfer = _propose(puno, world["case"]).json()
        login_as(world["lima"]).post(f"/api/v1/transfers/{transfer['id']}/reject")
        puno = login_as(world["puno"])
        _close(db, puno, world["case"])
        (item,) = puno.get("/api/v1/transfers").json()["items"]
        assert item["status"] == "rejected" and item["decision_note"] is None

    def test_a_closed_case_is_not_proposed_nor_accepted(self, db, world, login_as):
        """Also a transfer left pending on a case closed before closing withdrew them."""
        puno = login_as(world["puno"])
        transfer = _propose(puno, world["case"]).json()
        case = world["case"]
        case.status, case.closed_on, case.close_reason = "closed", date(2024, 6, 1), "other"
        db.flush()
        resp = login_as(world["lima"]).post(f"/api/v1/transfers/{transfer['id']}/accept")
        assert resp.status_code == 409
        assert resp.json()["code"] == "transfer_case_unavailable"
        other = make_case(db, team=Team.puno)
        other.status, other.closed_on, other.close_reason = "closed", date(2024, 6, 1), "other"
        db.flush()
        resp = _propose(login_as(world["puno"]), other)
        assert resp.status_code == 409, resp.text

    def test_audited_on_the_transfer_and_the_case(self, db, world, login_as):
        transfer = _propose(login_as(world["puno"]), world["case"]).json()
        login_as(world["lima"]).post(f"/api/v1/transfers/{transfer['id']}/accept")
        events = db.scalars(
            select(AuditEvent).where(
                AuditEvent.record_id.in_([transfer["id"], str(world["case"].id)])
            )
        ).all()
        details = {(e.record_type, e.detail) for e in events}
        for step in ("transfer_proposed", "transfer_accepted"):
            assert ("transfer", step) in details and ("case", step) in details
        for e in events:  # field names, never values
            assert NOTE not in (e.fields or "") and NOTE not in (e.detail or "")


class TestRejectAndWithdraw:
    def test_rejected_stays(self, db, world, login_as):
        transfer = _propose(login_as(world["puno"]), world["case"]).json()
        resp = login_as(world["coord"]).post(f"/api/v1/transfers/{transfer['id']}/reject", json={})
        assert resp.status_code == 200 and resp.json()["status"] == "rejected"
        assert _reads(login_as(world["puno"]), world)["case"].status_code == 200
        reads = _reads(login_as(world["lima"]), world)
        assert reads["case"].status_code == 404
        _no_secrets(reads)
        # A new proposal is possible again.
        assert _propose(login_as(world["puno"]), world["case"]).status_code == 201

    def test_withdrawn_by_the_sending_team(self, db, world, login_as):
        transfer = _propose(login_as(world["puno"]), world["case"]).json()
        url = f"/api/v1/transfers/{transfer['id']}/withdraw"
        assert login_as(world["lima"]).post(url).status_code == 403
        coord = make_user(db, role=Role.coordinator, teams=[Team.puno])
        assert login_as(coord).post(url).status_code == 403
        resp = login_as(world["puno"]).post(url)
        assert resp.status_code == 200 and resp.json()["status"] == "withdrawn"
        assert login_as(world["puno"]).post(url).status_code == 409
        assert _reads(login_as(world["puno"]), world)["case"].json()["team"] == "puno"
        _no_secrets(_reads(login_as(world["lima"]), world))


class TestList:
    def test_filters_and_pages(self, db, world, login_as):
        puno = login_as(world["puno"])
        other = make_case(db, team=Team.puno)
        first = _propose(puno, world["case"]).json()
        second = _propose(puno, other, to_team="cusco").json()
        login_as(world["puno"]).post(f"/api/v1/transfers/{second['id']}/withdraw")
        client = login_as(world["puno"])
        assert [
            t["id"] for t in client.get("/api/v1/transfers?status=pending").json()["items"]
        ] == [first["id"]]
        assert len(client.get("/api/v1/transfers?team=cusco").json()["items"]) == 1
        page = client.get("/api/v1/transfers?limit=1").json()
        assert len(page["items"]) == 1 and page["next_cursor"]
        rest = client.get(f"/api/v1/transfers?limit=1&cursor={page['next_cursor']}").json()
        assert len(rest["items"]) == 1 and rest["items"][0]["id"] != page["items"][0]["id"]
        assert login_as(make_user(db, role=Role.admin)).get("/api/v1/transfers").status_code == 403
        lima = login_as(world["lima"]).get("/api/v1/transfers").json()["items"]
        assert [t["id"] for t in lima] == [first["id"]]  # Cusco's transfer is not Lima's


def test_the_database_keeps_one_pending_transfer_per_case(db, world):
    """Two proposals racing past the service's check still leave one (the partial index)."""
    from sqlalchemy.exc import IntegrityError

    from app.catalogs import TransferReason, TransferStatus
    from app.db import utcnow
    from app.transfers.models import Transfer

    def transfer(to, **decided):
        fields = {"status": TransferStatus.pending, "proposed_at": utcnow()} | decided
        return Transfer(
            case_id=world["case"].id,
            from_team=Team.puno,
            to_team=to,
            reason=TransferReason.other,
            **fields,
        )

    db.add(transfer(Team.lima))
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(transfer(Team.cusco))
        db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():  # decided without a date
        db.add(transfer(Team.cusco, status=TransferStatus.rejected))
        db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():  # to its own team
        db.add(transfer(Team.puno, status=TransferStatus.withdrawn, decided_at=utcnow()))
        db.flush()


def _close(db, client, case):
    """Close the case through the API (at its current version); the closed case's JSON."""
    db.refresh(case)
    body = {"version": case.version, "closed_on": "2024-06-01", "close_reason": "relocated"}
    closed = client.post(f"/api/v1/cases/{case.id}/close", json=body)
    assert closed.status_code == 200, closed.text
    return closed
