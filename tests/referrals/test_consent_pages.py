"""Pages of consent that sharing obeys: the new referral form (consent shown, refusal
explained with the typed values kept, the override), the coordinator's list of overrides,
and the referrals a consent covered on its revoke page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditAction, AuditEvent
from app.catalogs import ConsentPurpose, Role, Team
from app.referrals.models import Referral
from app.referrals.schemas import ConsentOverride, ReferralCreate
from app.referrals.service import create_referral
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import post_form
from tests.work_factories import make_consent, make_referral

SHARING = ConsentPurpose.data_sharing
REASON = "Adolescente en riesgo inminente, sin adulto responsable."


def form_path(victim) -> str:
    return f"/victimas/{victim.id}/derivaciones/nuevo"


def fields(**overrides):
    return {
        "direction": "out",
        "institution": "upe",
        "referred_on": "2024-04-10",
        "reason": "Protección urgente.",
    } | overrides


@pytest.fixture
def victim(db):
    return make_victim(db)


@pytest.fixture
def worker(db):
    return make_user(db, role=Role.lawyer, full_name="Lucía Abogada")


def referrals_of(db, victim) -> list[Referral]:
    return list(db.scalars(select(Referral).where(Referral.victim_id == victim.id)))


class TestReferralForm:
    def test_the_form_says_whether_a_consent_is_live(self, db, login_as, victim, worker):
        client = login_as(worker)
        page = client.get(form_path(victim)).text
        assert "Sin consentimiento vigente hoy" in page
        assert f"/victimas/{victim.id}/consentimientos/registrar" in page
        assert 'name="override"' in page and 'name="consent_override.reason"' in page
        make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 2))
        page = client.get(form_path(victim)).text
        assert "Sin consentimiento vigente hoy" not in page
        assert "Vigente" in page and "2 mar 2024" in page

    def test_refusal_is_explained_and_the_typed_values_stay(self, db, login_as, victim, worker):
        client = login_as(worker)
        resp = post_form(client, form_path(victim), form_path(victim), fields())
        assert resp.status_code == 422
        assert "no tiene un consentimiento vigente para compartir datos" in resp.text
        assert 'id="err-consent_id"' in resp.text
        assert "Protección urgente." in resp.text
        assert 'value="upe" selected' in resp.text and 'value="2024-04-10"' in resp.text
        assert referrals_of(db, victim) == []

    def test_a_ticked_override_without_reason_is_refused_beside_the_reason(
        self, db, login_as, victim, worker
    ):
        client = login_as(worker)
        resp = post_form(client, form_path(victim), form_path(victim), fields(override="1"))
        assert resp.status_code == 422
        assert 'id="err-consent_override-reason"' in resp.text
        assert 'name="override" value="1" checked' in resp.text
        assert referrals_of(db, victim) == []

    def test_the_override_saves_the_referral_and_is_audited(self, db, login_as, victim, worker):
        client = login_as(worker)
        data = fields(override="1", **{"consent_override.reason": REASON})
        resp = post_form(client, form_path(victim), form_path(victim), data)
        assert resp.status_code == 303, resp.text
        [referral] = referrals_of(db, victim)
        assert referral.consent_override_reason == REASON and referral.consent_id is None
        event = db.scalar(
            select(AuditEvent).where(
                AuditEvent.record_id == str(referral.id),
                AuditEvent.action == AuditAction.consent_override,
            )
        )
        assert event is not None and event.user_id == worker.id

    def test_a_reason_typed_without_ticking_the_box_is_not_an_override(
        self, db, login_as, victim, worker
    ):
        make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 2))
        client = login_as(worker)
        data = fields(**{"consent_override.reason": "por si acaso"})
        resp = post_form(client, form_path(victim), form_path(victim), data)
        assert resp.status_code == 303
        [referral] = referrals_of(db, victim)
        assert referral.consent_id is not None and referral.consent_overridden_at is None


class TestOverridesPage:
    PATH = "/derivaciones/excepciones-de-consentimiento"

    def test_coordinators_see_the_overrides_of_their_teams(self, db, login_as, victim, worker):
        client = login_as(worker)
        data = fields(override="1", **{"consent_override.reason": REASON})
        assert post_form(client, form_path(victim), form_path(victim), data).status_code == 303
        other = make_victim(db, case=make_case(db, team=Team.cusco))
        cusco = make_user(db, role=Role.social_worker, teams=[Team.cusco])
        create_referral(
            db,
            other,
            ReferralCreate(
                **fields(reason="Otro equipo."),
                consent_override=ConsentOverride(reason="Motivo del Cusco"),
            ),
            actor=cusco,
        )
        make_referral(db, victim)  # made before the rule: no override, not listed
        db.commit()

        page = login_as(make_user(db, role=Role.coordinator)).get(self.PATH)
        assert page.status_code == 200
        html = page.text
        assert victim.code in html and "Lucía Abogada" in html and REASON in html
        assert "10 abr 2024" in html and "Unidad de Protección Especial" in html
        assert "Motivo del Cusco" not in html and other.code not in html
        assert html.count("<tr>") == 2  # the header and the one override of Lima

    def test_only_coordinators_open_it_and_their_menu_leads_there(self, db, login_as):
        for role in (Role.lawyer, Role.psychologist, Role.social_worker, Role.admin):
            assert login_as(make_user(db, role=role)).get(self.PATH).status_code == 403
        coordinator = login_as(make_user(db, role=Role.coordinator))
        home = coordinator.get("/").text
        assert home.count(f'href="{self.PATH}"') == 2  # the menu and the home page
        assert "No hay excepciones de consentimiento" in coordinator.get(self.PATH).text


class TestRevokePage:
    def test_the_referrals_made_under_the_consent_are_listed(self, db, login_as, victim):
        consent = make_consent(db, victim, purpose=SHARING, given_on=date(2024, 3, 2))
        make_referral(db, victim, referred_on=date(2024, 4, 3), consent_id=consent.id)
        make_referral(db, victim, referred_on=date(2024, 4, 4))  # under no consent
        client = login_as(make_user(db))
        html = client.get(f"/consentimientos/{consent.id}/revocar").text
        assert "Derivaciones hechas bajo este consentimiento" in html
        assert "3 abr 2024" in html and "4 abr 2024" not in html
        assert "no deshace estas derivaciones" in html
        other = make_consent(db, victim, purpose=ConsentPurpose.publication)
        html = client.get(f"/consentimientos/{other.id}/revocar").text
        assert "Derivaciones hechas bajo" not in html


class TestEditPage:
    """The edit page of a saved referral goes through the domain's update."""

    def _post(self, client, referral, **changes):
        page = f"/editar/derivacion/{referral.id}"
        data = {
            "version": str(referral.version),
            "outcome": "accepted",
            "referred_on": referral.referred_on.isoformat(),
            "institution": referral.institution.value,
            "reason": "Denuncia.",
        } | changes
        return post_form(client, page, page, data)

    def test_a_referral_made_before_the_rule_is_edited_without_consent(
        self, db, login_as, victim, worker
    ):
        legacy = make_referral(db, victim, referred_on=date(2024, 4, 1))
        resp = self._post(login_as(worker), legacy)
        assert resp.status_code == 303, resp.text
        db.refresh(legacy)
        assert legacy.outcome == "accepted" and legacy.consent_id is None

    def test_moving_its_date_without_a_consent_is_explained(self, db, login_as, victim, worker):
        legacy = make_referral(db, victim, referred_on=date(2024, 4, 1))
        resp = self._post(login_as(worker), legacy, referred_on="2024-04-20")
        assert resp.status_code == 422
        assert "no tiene un consentimiento vigente para compartir datos" in resp.text
        db.refresh(legacy)
        assert legacy.referred_on == date(2024, 4, 1) and legacy.version == 1
