"""Editing saved records from the UI: a referral's outcome, a measure's end date, a
detection, a case's summary and "Derivado por" — under the version check, with a 409
shown as a clear message naming what the other person stored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.cases.models import Case
from app.catalogs import Institution, ReferralOutcome, Role, Team
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import post_form
from tests.work_factories import make_detection, make_measure, make_referral


@pytest.fixture
def lawyer(db, login_as):
    return login_as(make_user(db, role=Role.lawyer, teams=[Team.lima]))


@pytest.fixture
def victim(db):
    return make_victim(db, case=make_case(db, team=Team.lima))


def _edit(client, slug, record, data):
    page = f"/editar/{slug}/{record.id}"
    return post_form(client, page, page, {"version": str(record.version), **data})


def test_a_referral_outcome_moves_from_pending_to_accepted(db, lawyer, victim):
    referral = make_referral(db, victim, outcome=ReferralOutcome.pending)
    form = lawyer.get(f"/editar/derivacion/{referral.id}")
    assert form.status_code == 200 and "Editar derivación" in form.text
    resp = _edit(
        lawyer,
        "derivacion",
        referral,
        {
            "outcome": "accepted",
            "referred_on": referral.referred_on.isoformat(),
            "institution": referral.institution.value,
            "reason": "Denuncia.",
        },
    )
    assert resp.status_code == 303, resp.text
    assert resp.headers["location"].startswith(f"/victimas/{victim.id}/registros")
    db.refresh(referral)
    assert referral.outcome == ReferralOutcome.accepted and referral.version == 2
    events = db.scalars(
        select(AuditEvent.fields).where(
            AuditEvent.action == AuditAction.update, AuditEvent.record_id == str(referral.id)
        )
    ).all()
    assert events and "outcome" in events[-1]


def test_a_measure_is_extended(db, lawyer, victim):
    measure = make_measure(db, victim, granted_on=date(2024, 4, 5), ends_on=date(2024, 6, 1))
    resp = _edit(
        lawyer,
        "medida",
        measure,
        {
            "ends_on": "2027-06-01",
            "granted_on": measure.granted_on.isoformat(),
            "kind": measure.kind.value,
            "institution": measure.institution.value,
        },
    )
    assert resp.status_code == 303, resp.text
    db.refresh(measure)
    assert measure.ends_on == date(2027, 6, 1)


def test_a_detection_and_the_case_summary_are_edited(db, lawyer, victim):
    case = db.get(Case, victim.case_id)
    detection = make_detection(db, case)
    resp = _edit(
        lawyer,
        "deteccion",
        detection,
        {
            "detected_on": detection.detected_on.isoformat(),
            "polarity": "good",
            "category": detection.category.value,
            "institution": detection.institution.value,
            "stage": "complaint",
            "description": "La comisaría tomó la denuncia el mismo día.",
        },
    )
    assert resp.status_code == 303, resp.text
    db.refresh(detection)
    assert detection.polarity.value == "good" and detection.description.startswith("La comisaría")
    resp = _edit(lawyer, "caso", case, {"referred_by": "fiscalia", "summary": "Resumen nuevo."})
    assert resp.status_code == 303, resp.text
    db.refresh(case)
    assert case.referred_by == Institution.fiscalia and case.summary == "Resumen nuevo."


def test_an_emptied_required_field_is_refused_and_the_typing_kept(db, lawyer, victim):
    referral = make_referral(db, victim)
    resp = _edit(
        lawyer,
        "derivacion",
        referral,
        {"referred_on": "", "institution": "fiscalia", "reason": "Motivo corregido."},
    )
    assert resp.status_code == 422
    assert 'id="err-referred_on"' in resp.text and "Motivo corregido." in resp.text
    db.refresh(referral)
    assert referral.version == 1


def test_a_stale_save_shows_the_other_persons_change_and_keeps_mine(db, lawyer, victim):
    referral = make_referral(db, victim, outcome=ReferralOutcome.pending)
    seen = referral.version
    referral.outcome = ReferralOutcome.rejected  # someone else saves first
    referral.version += 1
    db.flush()
    page = f"/editar/derivacion/{referral.id}"
    resp = post_form(
        lawyer,
        page,
        page,
        {
            "version": str(seen),
            "outcome": "accepted",
            "referred_on": referral.referred_on.isoformat(),
            "institution": referral.institution.value,
            "reason": "Mi motivo.",
        },
    )
    assert resp.status_code == 409
    assert "Conflicto de edición" in resp.text
    assert "<li>Resultado: Rechazada</li>" in resp.text
    assert "<li>Motivo: Denuncia.</li>" in resp.text  # theirs, beside mine
    assert "Mi motivo." in resp.text
    assert f'name="version" value="{seen + 1}"' in resp.text
    db.refresh(referral)
    assert referral.outcome == ReferralOutcome.rejected


def test_scope_coordinators_may_not_edit_and_other_teams_do_not_see(db, login_as, victim):
    referral = make_referral(db, victim)
    coordinator = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    assert coordinator.get(f"/editar/derivacion/{referral.id}").status_code == 403
    other = login_as(make_user(db, role=Role.lawyer, teams=[Team.cusco]))
    assert other.get(f"/editar/derivacion/{referral.id}").status_code == 404
    assert other.get(f"/editar/nada/{referral.id}").status_code == 404
