"""The victim's records page: protection measures and consents (list, add, revoke)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.catalogs import ConsentPurpose, Role, Team
from app.consents.models import Consent
from app.protection.models import ProtectionMeasure
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import csrf, post_form

pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")


@pytest.fixture
def victim(db):
    return make_victim(db, case=make_case(db, team=Team.lima, opened_on=date(2024, 3, 1)))


def _consent(db, victim, purpose=ConsentPurpose.publication) -> Consent:
    consent = Consent(victim_id=victim.id, purpose=purpose, given_on=date(2024, 3, 2))
    db.add(consent)
    db.flush()
    return consent


class TestMeasures:
    def test_add_a_measure_and_see_it_listed(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer))
        path = f"/victimas/{victim.id}/medidas/registrar"
        resp = post_form(
            client,
            path,
            path,
            {
                "kind": "shelter",
                "institution": "car",
                "granted_on": "2024-03-20",
                "ends_on": "2024-09-20",
            },
        )
        assert resp.status_code == 303, resp.text
        page = client.get(resp.headers["location"])
        assert "Acogida en centro o albergue" in page.text and "20 mar 2024" in page.text
        assert (
            db.scalars(select(ProtectionMeasure).where(ProtectionMeasure.victim_id == victim.id))
            .one()
            .kind
            == "shelter"
        )

    def test_end_before_grant_is_shown_beside_it_and_values_kept(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer))
        path = f"/victimas/{victim.id}/medidas/registrar"
        resp = post_form(
            client,
            path,
            path,
            {
                "kind": "police_protection",
                "institution": "pnp",
                "granted_on": "2024-03-20",
                "ends_on": "2024-03-10",
            },
        )
        assert resp.status_code == 422
        assert 'id="err-ends_on"' in resp.text and 'value="2024-03-10"' in resp.text
        assert '<option value="police_protection" selected>' in resp.text
        assert db.scalars(select(ProtectionMeasure)).first() is None

    def test_scope_roles_and_csrf(self, db, login_as, victim):
        path = f"/victimas/{victim.id}/medidas/registrar"
        assert login_as(make_user(db, teams=[Team.puno])).get(path).status_code == 404
        coordinator = login_as(make_user(db, role=Role.coordinator))
        assert coordinator.get(path).status_code == 403
        assert coordinator.get(f"/victimas/{victim.id}/registros").status_code == 200
        client = login_as(make_user(db))
        resp = client.post(
            path,
            data={"kind": "shelter", "institution": "car", "granted_on": "2024-03-20"},
            follow_redirects=False,
        )
        assert resp.status_code == 403
        assert db.scalars(select(ProtectionMeasure)).first() is None


class TestConsents:
    def test_give_then_revoke_a_consent(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.social_worker))
        path = f"/victimas/{victim.id}/consentimientos/registrar"
        resp = post_form(client, path, path, {"purpose": "publication", "given_on": "2024-03-05"})
        assert resp.status_code == 303, resp.text
        consent = db.scalars(select(Consent).where(Consent.victim_id == victim.id)).one()
        records = client.get(f"/victimas/{victim.id}/registros").text
        assert "Vigente" in records and f"/consentimientos/{consent.id}/revocar" in records
        revoke = f"/consentimientos/{consent.id}/revocar"
        resp = post_form(
            client, revoke, revoke, {"revoked_on": "2024-04-01", "version": str(consent.version)}
        )
        assert resp.status_code == 303, resp.text
        db.expire_all()
        assert db.get(Consent, consent.id).revoked_on == date(2024, 4, 1)
        records = client.get(f"/victimas/{victim.id}/registros").text
        assert "Revocado el 1 abr 2024" in records and revoke not in records
        again = client.get(revoke)
        assert again.status_code == 409 and "ya está revocado" in again.text

    def test_second_consent_in_force_is_explained_in_the_form(self, db, login_as, victim):
        _consent(db, victim)
        client = login_as(make_user(db))
        path = f"/victimas/{victim.id}/consentimientos/registrar"
        resp = post_form(client, path, path, {"purpose": "publication", "given_on": "2024-03-06"})
        assert resp.status_code == 409
        assert "Ya hay un consentimiento vigente" in resp.text
        assert 'value="2024-03-06"' in resp.text

    def test_revocation_before_the_consent_keeps_the_typed_date(self, db, login_as, victim):
        consent = _consent(db, victim)
        client = login_as(make_user(db))
        revoke = f"/consentimientos/{consent.id}/revocar"
        resp = post_form(
            client, revoke, revoke, {"revoked_on": "2024-03-01", "version": str(consent.version)}
        )
        assert resp.status_code == 422
        assert 'id="err-revoked_on"' in resp.text and 'value="2024-03-01"' in resp.text
        db.expire_all()
        assert db.get(Consent, consent.id).revoked_on is None

    def test_stale_revocation_is_a_conflict_with_nothing_changed(self, db, login_as, victim):
        consent = _consent(db, victim)
        client = login_as(make_user(db))
        revoke = f"/consentimientos/{consent.id}/revocar"
        resp = post_form(
            client,
            revoke,
            revoke,
            {"revoked_on": "2024-04-01", "version": str(consent.version + 7)},
        )
        assert resp.status_code == 409 and "Otra persona" in resp.text
        db.expire_all()
        assert db.get(Consent, consent.id).revoked_on is None

    def test_scope_roles_and_csrf(self, db, login_as, victim):
        consent = _consent(db, victim)
        revoke = f"/consentimientos/{consent.id}/revocar"
        assert login_as(make_user(db, teams=[Team.cusco])).get(revoke).status_code == 404
        assert login_as(make_user(db, role=Role.coordinator)).get(revoke).status_code == 403
        client = login_as(make_user(db))
        token = csrf(client, revoke)
        assert token
        resp = client.post(revoke, data={"revoked_on": "2024-04-01"}, follow_redirects=False)
        assert resp.status_code == 403
        db.expire_all()
        assert db.get(Consent, consent.id).revoked_on is None
