"""Deleting from the pages (staff, after a confirmation page) and restoring from the
coordinators' "Registros eliminados" page."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases.models import Case
from app.catalogs import (
    Institution,
    PlanStatus,
    Polarity,
    PracticeCategory,
    ProtectionMeasureKind,
    ReferralDirection,
    Role,
    Team,
)
from app.detections.models import Detection
from app.plans.models import Plan
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.victims.models import Victim
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import csrf, post_form

pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")


def _records(db, team=Team.lima):
    """One record of every deletable kind, all in one case of `team`."""
    case = make_case(db, team=team, opened_on=date(2024, 3, 1))
    victim = make_victim(db, case=case)
    on = date(2024, 3, 5)
    records = {
        "caso": case,
        "victima": victim,
        "plan": Plan(victim_id=victim.id, assessed_on=on, status=PlanStatus.drafted),
        "deteccion": Detection(
            case_id=case.id,
            detected_on=on,
            polarity=Polarity.good,
            category=list(PracticeCategory)[0],
            institution=Institution.fiscalia,
            description="d",
        ),
        "derivacion": Referral(
            victim_id=victim.id,
            direction=ReferralDirection.outgoing,
            institution=Institution.car,
            referred_on=on,
        ),
        "medida": ProtectionMeasure(
            victim_id=victim.id,
            kind=ProtectionMeasureKind.shelter,
            institution=Institution.car,
            granted_on=on,
        ),
    }
    for slug in ("plan", "deteccion", "derivacion", "medida"):
        db.add(records[slug])
    db.flush()
    return records


MODELS = {
    "caso": Case,
    "victima": Victim,
    "plan": Plan,
    "deteccion": Detection,
    "derivacion": Referral,
    "medida": ProtectionMeasure,
}


@pytest.mark.parametrize("slug", ["medida", "plan", "deteccion", "derivacion", "victima", "caso"])
def test_staff_deletes_after_confirming_and_coordinator_restores(db, login_as, slug):
    record = _records(db)[slug]
    staff = login_as(make_user(db, role=Role.lawyer))
    confirm = f"/eliminar/{slug}/{record.id}"
    page = staff.get(confirm)
    assert page.status_code == 200 and "Sí, eliminar" in page.text
    resp = post_form(staff, confirm, confirm, {"version": str(record.version)})
    assert resp.status_code == 303, resp.text
    db.expire_all()
    assert db.get(MODELS[slug], record.id).deleted_at is not None
    assert staff.get(confirm).status_code == 404  # gone from the staff's pages

    coordinator = login_as(make_user(db, role=Role.coordinator))
    listing = coordinator.get("/registros-eliminados")
    assert listing.status_code == 200 and f"/{slug}/{record.id}/restaurar" in listing.text
    stored = db.get(MODELS[slug], record.id)
    resp = post_form(
        coordinator,
        "/registros-eliminados",
        f"/registros-eliminados/{slug}/{record.id}/restaurar",
        {"version": str(stored.version)},
    )
    assert resp.status_code == 303, resp.text
    db.expire_all()
    assert db.get(MODELS[slug], record.id).deleted_at is None
    assert f"/{slug}/{record.id}/restaurar" not in coordinator.get("/registros-eliminados").text


def test_stale_delete_changes_nothing(db, login_as):
    measure = _records(db)["medida"]
    staff = login_as(make_user(db))
    confirm = f"/eliminar/medida/{measure.id}"
    resp = post_form(staff, confirm, confirm, {"version": str(measure.version + 3)})
    assert resp.status_code == 409
    db.expire_all()
    assert db.get(ProtectionMeasure, measure.id).deleted_at is None


def test_records_of_a_deleted_victim_wait_for_it_and_refusals_are_explained(db, login_as):
    records = _records(db)
    staff = login_as(make_user(db))
    for slug in ("medida", "victima"):
        confirm = f"/eliminar/{slug}/{records[slug].id}"
        assert (
            post_form(staff, confirm, confirm, {"version": str(records[slug].version)}).status_code
            == 303
        )
    coordinator = login_as(make_user(db, role=Role.coordinator))
    listing = coordinator.get("/registros-eliminados").text
    assert f"/victima/{records['victima'].id}/" in listing
    assert f"/medida/{records['medida'].id}/" not in listing  # its victim first
    db.expire_all()
    stale = post_form(
        coordinator,
        "/registros-eliminados",
        f"/registros-eliminados/victima/{records['victima'].id}/restaurar",
        {"version": "999"},
    )
    assert stale.status_code == 409 and "inténtelo otra vez" in stale.text
    assert db.get(Victim, records["victima"].id).deleted_at is not None


def test_other_team_roles_and_csrf(db, login_as):
    records = _records(db, team=Team.puno)
    measure = records["medida"]
    assert (
        login_as(make_user(db, teams=[Team.lima])).get(f"/eliminar/medida/{measure.id}").status_code
        == 404
    )
    assert (
        login_as(make_user(db, role=Role.coordinator))
        .get(f"/eliminar/medida/{measure.id}")
        .status_code
        == 403
    )
    assert login_as(make_user(db)).get("/registros-eliminados").status_code == 403
    assert login_as(make_user(db, role=Role.admin)).get("/registros-eliminados").status_code == 403
    assert login_as(make_user(db)).get("/eliminar/otra-cosa/" + str(measure.id)).status_code == 404

    staff = login_as(make_user(db, teams=[Team.puno]))
    csrf(staff, "/casos")
    resp = staff.post(
        f"/eliminar/medida/{measure.id}",
        data={"version": str(measure.version)},
        follow_redirects=False,
    )
    assert resp.status_code == 403
    db.expire_all()
    assert db.get(ProtectionMeasure, measure.id).deleted_at is None

    measure.deleted_at = measure.created_at
    db.flush()
    lima = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
    assert f"{measure.id}" not in lima.get("/registros-eliminados").text
    token = csrf(lima, "/registros-eliminados")
    resp = lima.post(
        f"/registros-eliminados/medida/{measure.id}/restaurar",
        data={"version": str(measure.version), "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 404
    puno = login_as(make_user(db, role=Role.coordinator, teams=[Team.puno]))
    csrf(puno, "/registros-eliminados")
    resp = puno.post(
        f"/registros-eliminados/medida/{measure.id}/restaurar",
        data={"version": str(measure.version)},
        follow_redirects=False,
    )
    assert resp.status_code == 403
    db.expire_all()
    assert db.get(ProtectionMeasure, measure.id).deleted_at is not None
