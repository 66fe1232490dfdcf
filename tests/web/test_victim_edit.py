"""Editing a victim (profile, violence history, route, identity) under the version check,
and correcting a follow-up with a new entry that supersedes it."""

from __future__ import annotations

import html as html_module
import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.catalogs import FollowUpKind, Role, Team
from app.followups.models import FollowUp
from app.victims.models import RouteLeg, Victim, VictimIdentity
from tests.factories import make_case, make_user, make_victim
from tests.web.helpers import csrf, post_form

pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")


def _form(client, victim) -> dict[str, str]:
    """The edit form as the browser would post it back unchanged."""
    return _form_from(client.get(f"/victimas/{victim.id}/editar").text)


def _form_from(html: str) -> dict[str, str]:
    values = dict(
        re.findall(
            r'<input type="[a-z]+" id="[^"]+" name="([^"]+)"[^>]*?'
            r'(?: required)?[^>]*? value="([^"]*)"',
            html,
        )
    )
    values.update(
        re.findall(r'<input type="hidden" name="(version|csrf_token|seen)" value="([^"]*)"', html)
    )
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen.group(1) if chosen else ""
    values["seen"] = html_module.unescape(values.get("seen", ""))
    return values


@pytest.fixture
def victim(db):
    return make_victim(
        db,
        case=make_case(db, team=Team.lima),
        identity={"given_names": "Rosa", "document_number": "12345678"},
        route=[("capture", "PE", "16"), ("exploitation", "PE", "17")],
    )


class TestEditVictim:
    def test_form_is_prefilled_and_saving_changes_profile_route_and_identity(
        self, db, login_as, victim
    ):
        client = login_as(make_user(db, role=Role.social_worker))
        victim_page = client.get(f"/victimas/{victim.id}").text
        assert f"/victimas/{victim.id}/editar" in victim_page
        assert f"/victimas/{victim.id}/registros" in victim_page
        data = _form(client, victim)
        assert data["identity.given_names"] == "Rosa" and data["route.1.region"] == "17"
        assert data["version"] == str(victim.version)
        data.update(
            {
                "education_level": "primary",
                "violence_history.sexual": "yes",
                "route.1.country": "",
                "route.1.region": "",
                "identity.given_names": "Rosa Elena",
                "identity.phone": "",
            }
        )
        resp = client.post(f"/victimas/{victim.id}/editar", data=data, follow_redirects=False)
        assert resp.status_code == 303, resp.text
        db.expire_all()
        stored = db.get(Victim, victim.id)
        assert stored.education_level == "primary" and stored.violence_sexual == "yes"
        assert [
            leg.country
            for leg in db.scalars(select(RouteLeg).where(RouteLeg.victim_id == victim.id))
        ] == ["PE"]
        assert db.get(VictimIdentity, victim.id).given_names == "Rosa Elena"
        event = db.scalars(
            select(AuditEvent).where(
                AuditEvent.record_id == str(victim.id), AuditEvent.action == "update"
            )
        ).one()
        assert "identity.given_names" in event.fields and "Rosa" not in str(event.fields)

    def test_stale_version_explains_the_conflict_and_keeps_both_changes(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer))
        data = _form(client, victim)
        victim.migration_status = "national"  # someone else saves meanwhile
        victim.education_level = "secondary"
        db.flush()
        data["identity.address"] = "Calle que escribí 123"
        data["education_level"] = "primary"  # changed by both: what was typed wins, flagged
        resp = client.post(f"/victimas/{victim.id}/editar", data=data, follow_redirects=False)
        assert resp.status_code == 409
        assert "Otra persona guardó cambios" in resp.text
        assert "Calle que escribí 123" in resp.text
        assert '<option value="national" selected>' in resp.text  # theirs, shown
        assert '<option value="primary" selected>' in resp.text
        assert 'id="err-education_level">Otra persona también' in resp.text
        assert f'name="version" value="{victim.version}"' in resp.text
        db.expire_all()
        assert db.get(VictimIdentity, victim.id).address is None  # nothing changed yet
        again = _form_from(resp.text)
        resp = client.post(f"/victimas/{victim.id}/editar", data=again, follow_redirects=False)
        assert resp.status_code == 303, resp.text
        db.expire_all()
        stored = db.get(Victim, victim.id)
        assert stored.migration_status == "national" and stored.education_level == "primary"
        assert db.get(VictimIdentity, victim.id).address == "Calle que escribí 123"

    def test_bad_input_shows_errors_beside_fields_and_keeps_values(self, db, login_as, victim):
        client = login_as(make_user(db))
        data = _form(client, victim)
        data.update({"sex": "", "identity.family_names": "Quispe Escrito"})
        resp = client.post(f"/victimas/{victim.id}/editar", data=data, follow_redirects=False)
        assert resp.status_code == 422
        assert re.search(r'id="err-sex">Este campo es obligatorio', resp.text)
        assert "Quispe Escrito" in resp.text
        db.expire_all()
        assert db.get(Victim, victim.id).sex == "female"

    def test_other_team_is_not_found(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer, teams=[Team.puno]))
        assert client.get(f"/victimas/{victim.id}/editar").status_code == 404
        token = csrf(client, "/casos")
        resp = client.post(
            f"/victimas/{victim.id}/editar",
            data={"csrf_token": token, "version": "1"},
            follow_redirects=False,
        )
        assert resp.status_code == 404

    def test_coordinator_may_not_edit(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.coordinator))
        assert client.get(f"/victimas/{victim.id}/editar").status_code == 403

    def test_post_without_csrf_is_refused(self, db, login_as, victim):
        client = login_as(make_user(db))
        data = _form(client, victim)
        data.pop("csrf_token")
        data["education_level"] = "university"
        resp = client.post(f"/victimas/{victim.id}/editar", data=data, follow_redirects=False)
        assert resp.status_code == 403
        db.expire_all()
        assert db.get(Victim, victim.id).education_level is None


def _follow_up(db, victim, kind=FollowUpKind.legal, author=None) -> FollowUp:
    fu = FollowUp(
        victim_id=victim.id,
        occurred_on=victim.intake_on,
        kind=kind,
        narrative="Declaración ante la fiscalía",
        author_id=author.id if author else None,
    )
    db.add(fu)
    db.flush()
    return fu


class TestCorrectFollowUp:
    def test_prefilled_form_posts_a_correction_that_supersedes(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer))
        original = _follow_up(db, victim)
        path = f"/victimas/{victim.id}/seguimientos/{original.id}/corregir"
        page = client.get(path)
        assert page.status_code == 200 and "Declaración ante la fiscalía" in page.text
        resp = post_form(
            client,
            path,
            path,
            {
                "occurred_on": victim.intake_on.isoformat(),
                "kind": "legal",
                "narrative": "Declaración ante la FISTRAP",
            },
        )
        assert resp.status_code == 303, resp.text
        fix = db.scalars(select(FollowUp).where(FollowUp.supersedes_id == original.id)).one()
        assert fix.narrative == "Declaración ante la FISTRAP"
        timeline = client.get(f"/casos/{victim.case_id}").text
        assert "corregido" in timeline
        again = client.get(path)  # a corrected entry is not corrected twice
        assert again.status_code == 409

    def test_empty_narrative_is_refused_and_values_kept(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer))
        original = _follow_up(db, victim)
        path = f"/victimas/{victim.id}/seguimientos/{original.id}/corregir"
        resp = post_form(
            client, path, path, {"occurred_on": "2999-01-01", "kind": "legal", "narrative": ""}
        )
        assert resp.status_code == 422
        assert 'value="2999-01-01"' in resp.text and 'id="err-narrative"' in resp.text
        assert (
            db.scalars(select(FollowUp).where(FollowUp.supersedes_id == original.id)).first()
            is None
        )

    def test_hidden_narrative_may_not_be_corrected_by_others(self, db, login_as, victim):
        author = make_user(db, role=Role.psychologist)
        original = _follow_up(db, victim, FollowUpKind.psychological, author)
        client = login_as(make_user(db, role=Role.lawyer))
        resp = client.get(f"/victimas/{victim.id}/seguimientos/{original.id}/corregir")
        assert resp.status_code == 403 and "Declaración" not in resp.text
        assert "psicólogas del equipo o su autora" in resp.text

    def test_other_team_and_coordinator(self, db, login_as, victim):
        original = _follow_up(db, victim)
        path = f"/victimas/{victim.id}/seguimientos/{original.id}/corregir"
        assert login_as(make_user(db, teams=[Team.cusco])).get(path).status_code == 404
        assert login_as(make_user(db, role=Role.coordinator)).get(path).status_code == 403

    def test_post_without_csrf_is_refused(self, db, login_as, victim):
        client = login_as(make_user(db, role=Role.lawyer))
        original = _follow_up(db, victim)
        resp = client.post(
            f"/victimas/{victim.id}/seguimientos/{original.id}/corregir",
            data={"occurred_on": victim.intake_on.isoformat(), "kind": "legal", "narrative": "x"},
            follow_redirects=False,
        )
        assert resp.status_code == 403
