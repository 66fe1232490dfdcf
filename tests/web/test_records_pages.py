"""The victim's records page (follow-ups to correct, plans, referrals) and the case's
detections page: codes, dates and labels, never a narrative."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.catalogs import FollowUpKind, Institution, Polarity, PracticeCategory, Role, Team
from app.detections.models import Detection
from app.followups.models import FollowUp
from tests.factories import make_case, make_user, make_victim

pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")


def test_follow_ups_listed_without_narratives_and_corrigible_only_by_readers(db, login_as):
    victim = make_victim(db)
    author = make_user(db, role=Role.psychologist)
    psych = FollowUp(
        victim_id=victim.id,
        occurred_on=victim.intake_on,
        kind=FollowUpKind.psychological,
        narrative="Relato reservado",
        author_id=author.id,
    )
    legal = FollowUp(
        victim_id=victim.id,
        occurred_on=victim.intake_on,
        kind=FollowUpKind.legal,
        narrative="Texto legal",
    )
    db.add_all([psych, legal])
    db.flush()
    fix = FollowUp(
        victim_id=victim.id,
        occurred_on=victim.intake_on,
        kind=FollowUpKind.legal,
        narrative="Texto legal corregido",
        supersedes_id=legal.id,
    )
    db.add(fix)
    db.flush()
    lawyer = make_user(db, role=Role.lawyer)
    page = login_as(lawyer).get(f"/victimas/{victim.id}/registros")
    assert page.status_code == 200
    assert "Relato reservado" not in page.text and "Texto legal" not in page.text
    assert f"/seguimientos/{fix.id}/corregir" in page.text
    assert f"/seguimientos/{legal.id}/corregir" not in page.text  # already corrected
    assert f"/seguimientos/{psych.id}/corregir" not in page.text  # narrative not hers
    assert "<s>" in page.text and "corrección" in page.text
    assert (
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "read_narrative", AuditEvent.user_id == lawyer.id
            )
        ).first()
        is None
    )
    psych_page = login_as(make_user(db, role=Role.psychologist)).get(
        f"/victimas/{victim.id}/registros"
    )
    assert f"/seguimientos/{psych.id}/corregir" in psych_page.text


def test_detections_page_scope_and_buttons(db, login_as):
    case = make_case(db, team=Team.cusco, opened_on=date(2024, 3, 1))
    detection = Detection(
        case_id=case.id,
        detected_on=date(2024, 3, 9),
        polarity=Polarity.bad,
        category=list(PracticeCategory)[0],
        institution=Institution.pnp,
        description="Descripción reservada",
    )
    db.add(detection)
    db.flush()
    staff = login_as(make_user(db, teams=[Team.cusco]))
    page = staff.get(f"/casos/{case.id}/detecciones")
    assert page.status_code == 200 and "Mala práctica" in page.text
    assert f"/eliminar/deteccion/{detection.id}" in page.text
    case_page = staff.get(f"/casos/{case.id}").text
    assert f"/casos/{case.id}/detecciones" in case_page and f"/eliminar/caso/{case.id}" in case_page
    coordinator = login_as(make_user(db, role=Role.coordinator, teams=[Team.cusco]))
    page = coordinator.get(f"/casos/{case.id}/detecciones")
    assert page.status_code == 200 and "/eliminar/" not in page.text
    assert "/eliminar/" not in coordinator.get(f"/casos/{case.id}").text
    assert (
        login_as(make_user(db, teams=[Team.lima])).get(f"/casos/{case.id}/detecciones").status_code
        == 404
    )
    assert (
        login_as(make_user(db, role=Role.admin)).get(f"/casos/{case.id}/detecciones").status_code
        == 403
    )
