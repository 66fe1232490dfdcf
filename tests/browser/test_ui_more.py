"""In a real browser: edit a victim (with a stale-version conflict that keeps what was
typed), then revoke a consent from the victim's records page; screenshots at desktop and
phone widths."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.catalogs import ConsentPurpose, Team
from app.consents.models import Consent
from app.victims.models import Victim
from tests.browser.conftest import shoot, sign_in
from tests.factories import make_case, make_victim

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning"),
]


def test_edit_victim_and_revoke_consent(site, new_page):
    with site.session() as db:
        case = make_case(db, team=Team.lima, opened_on=date(2024, 2, 1))
        victim = make_victim(
            db, case=case, identity={"given_names": "Lucía"}, route=[("capture", "PE", "16")]
        )
        db.add(
            Consent(
                victim_id=victim.id, purpose=ConsentPurpose.publication, given_on=date(2024, 2, 3)
            )
        )
        db.commit()
        victim_id, code = victim.id, victim.code
    page = new_page()
    sign_in(page, site, "psico.lima")
    page.goto(f"{site.url}/victimas/{victim_id}")
    page.get_by_role("link", name="Editar víctima").click()
    page.wait_for_url(re.compile(r"/editar$"))
    assert page.get_by_label("Nombres").input_value() == "Lucía"
    page.get_by_label("Nivel educativo").select_option("secondary")
    page.get_by_label("Teléfono").fill("+51 999 111 222")

    with site.session() as db:  # someone else saves the victim meanwhile
        db.get_one(Victim, victim_id).migration_status = "national"
        db.commit()
    page.get_by_role("button", name="Guardar cambios").click()
    alert = page.get_by_role("alert")
    assert "Otra persona guardó cambios" in alert.inner_text()
    assert page.get_by_label("Teléfono").input_value() == "+51 999 111 222"
    assert page.get_by_label("Nivel educativo").input_value() == "secondary"
    assert page.get_by_label("Situación migratoria").input_value() == "national"  # theirs
    shoot(page, "victim-edit-conflict")
    page.get_by_role("button", name="Guardar cambios").click()  # saved deliberately now
    page.wait_for_url(re.compile(rf"/victimas/{victim_id}\?aviso=guardado$"))
    content = page.content()
    assert "Secundaria" in content and "+51 999 111 222" in content
    profile = page.locator("#h-profile + dl").inner_text()
    assert re.search(r"Situación migratoria\s+Nacional", profile)  # theirs kept too

    page.get_by_role("link", name="Medidas de protección, consentimientos y correcciones").click()
    page.wait_for_url(re.compile(r"/registros$"))
    assert "Vigente" in page.content()
    page.get_by_role("link", name=re.compile("^Revocar")).click()
    page.get_by_label("Fecha de la revocación").fill("2024-02-01")  # before it was given
    page.get_by_role("button", name="Revocar consentimiento").click()
    assert "anterior a la fecha del consentimiento" in page.locator("#err-revoked_on").inner_text()
    assert page.get_by_label("Fecha de la revocación").input_value() == "2024-02-01"
    page.get_by_label("Fecha de la revocación").fill("2024-05-02")
    shoot(page, "consent-revoke")
    page.get_by_role("button", name="Revocar consentimiento").click()
    page.wait_for_url(re.compile(r"/registros\?aviso=guardado$"))
    assert "Revocado el 2 may 2024" in page.content()
    assert page.get_by_role("link", name=re.compile("^Revocar")).count() == 0
    shoot(page, "victim-records")
    assert code in page.locator("h1").inner_text()
