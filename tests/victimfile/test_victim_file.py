"""The printable victim file: what each reader sees in it, as a page and as a PDF, and
that printing it is audited like any read of identity and narratives."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import FollowUpKind, Role, Team
from tests.factories import make_case, make_user, make_victim
from tests.work_factories import make_follow_up, make_measure, make_plan, make_referral

PSY_NOTE = "Relato psicologico reservado"
LEGAL_NOTE = "Denuncia presentada ante la fiscalia"


@pytest.fixture
def victim(db):
    case = make_case(db, team=Team.lima)
    victim = make_victim(
        db,
        case=case,
        identity={"given_names": "Rosa Elvira", "family_names": "Quispe Ñahui"},
    )
    author = make_user(db, role=Role.psychologist, teams=[Team.lima])
    make_follow_up(db, victim, author=author, kind=FollowUpKind.psychological, narrative=PSY_NOTE)
    make_follow_up(db, victim, author=author, kind=FollowUpKind.legal, narrative=LEGAL_NOTE)
    make_plan(db, victim)
    make_referral(db, victim)
    make_measure(db, victim)
    return victim


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def _reader(db, login_as, role, team=Team.lima):
    user = make_user(db, role=role, teams=[team], full_name="Ana Torres Vega")
    return user, login_as(user)


def test_the_pdf_holds_the_file_and_who_printed_it(db, login_as, victim):
    user, client = _reader(db, login_as, Role.psychologist)
    resp = client.get(f"/api/v1/victims/{victim.id}/file.pdf")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.headers["content-disposition"] == f'attachment; filename="ficha-{victim.code}.pdf"'
    assert resp.headers["cache-control"] == "no-store"
    text = _pdf_text(resp.content)
    for expected in (
        victim.code,
        "Rosa Elvira",
        "Quispe Ñahui",
        "Planes de trabajo",
        "Tramitar DNI.",
        "Sin DNI.",
        "Derivaciones",
        "Medidas de protección",
        PSY_NOTE,
        LEGAL_NOTE,
        "Impreso por Ana Torres Vega",
    ):
        assert expected in text, expected


def test_a_lawyer_gets_no_psychological_narrative(db, login_as, victim):
    _, client = _reader(db, login_as, Role.lawyer)
    text = _pdf_text(client.get(f"/api/v1/victims/{victim.id}/file.pdf").content)
    assert LEGAL_NOTE in text and PSY_NOTE not in text
    page = client.get(f"/victimas/{victim.id}/ficha")
    assert page.status_code == 200
    assert LEGAL_NOTE in page.text and PSY_NOTE not in page.text


def test_a_coordinator_sees_identity_but_no_psychological_narrative(db, login_as, victim):
    _, client = _reader(db, login_as, Role.coordinator)
    page = client.get(f"/victimas/{victim.id}/ficha")
    assert page.status_code == 200
    assert "Rosa Elvira" in page.text and PSY_NOTE not in page.text
    assert "Impreso por Ana Torres Vega" in page.text


def test_outside_the_team_it_does_not_exist_and_admin_never(db, login_as, victim):
    _, other = _reader(db, login_as, Role.psychologist, team=Team.cusco)
    assert other.get(f"/api/v1/victims/{victim.id}/file.pdf").status_code == 404
    assert other.get(f"/victimas/{victim.id}/ficha").status_code == 404
    admin = login_as(make_user(db, role=Role.admin))
    assert admin.get(f"/api/v1/victims/{victim.id}/file.pdf").status_code == 403


def test_printing_is_audited_as_a_read_of_identity_and_narratives(db, login_as, victim):
    user, client = _reader(db, login_as, Role.psychologist)
    assert client.get(f"/victimas/{victim.id}/ficha.pdf").status_code == 200
    events = db.execute(
        select(AuditEvent.action, AuditEvent.detail).where(
            AuditEvent.user_id == user.id, AuditEvent.record_id == str(victim.id)
        )
    ).all()
    actions = {a for a, _ in events}
    assert AuditAction.read_identity in actions
    assert (AuditAction.read_narrative, "victim_file") in events
    assert (AuditAction.read_narrative, "follow_ups:2") in events


def test_a_letter_the_font_lacks_is_never_quoted_in_a_log(db, login_as, caplog):
    odd = "Ana \U0008e50c Ruiz"  # a private-use code point no font draws
    case = make_case(db, team=Team.lima)
    victim = make_victim(db, case=case, identity={"given_names": odd, "family_names": "Ruiz"})
    _, client = _reader(db, login_as, Role.psychologist)
    with caplog.at_level("DEBUG"):
        assert client.get(f"/api/v1/victims/{victim.id}/file.pdf").status_code == 200
    assert not [r for r in caplog.records if "\U0008e50c" in r.getMessage()]
