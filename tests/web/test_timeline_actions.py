"""The case and victim timelines link each entry to its correction or deletion, only for
those who may act on it (and never reveal a narrative the reader may not read)."""

from __future__ import annotations

from datetime import date

import pytest

from app.cases.models import Case
from app.catalogs import CaseStatus, CloseReason, FollowUpKind, Role, Team
from app.followups.models import FollowUp
from app.referrals import service as referrals
from app.referrals.schemas import ReferralCreate
from tests.factories import make_case, make_user, make_victim

pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")


@pytest.fixture
def victim(db):
    return make_victim(db, case=make_case(db, team=Team.lima, opened_on=date(2024, 3, 1)))


def _follow_up(
    db, victim, kind: FollowUpKind, narrative: str, author=None, supersedes=None
) -> FollowUp:
    fu = FollowUp(
        victim_id=victim.id,
        occurred_on=victim.intake_on,
        kind=kind,
        narrative=narrative,
        author_id=author.id if author else None,
        supersedes_id=supersedes.id if supersedes else None,
    )
    db.add(fu)
    db.flush()
    return fu


def _referral(db, victim, actor):
    return referrals.create_referral(
        db,
        victim,
        ReferralCreate(
            direction="in",
            institution="car",
            referred_on=victim.intake_on,
            reason="Acogida temporal",
        ),
        actor=actor,
    )


def _correct(victim, fu) -> str:
    return f"/victimas/{victim.id}/seguimientos/{fu.id}/corregir"


@pytest.mark.parametrize("page", ["case", "victim"])
def test_staff_see_correct_and_delete_links_on_the_timeline(db, login_as, victim, page):
    lawyer = make_user(db, role=Role.lawyer)
    legal = _follow_up(db, victim, FollowUpKind.legal, "Declaración ante la fiscalía")
    referral = _referral(db, victim, lawyer)
    client = login_as(lawyer)
    path = f"/casos/{victim.case_id}" if page == "case" else f"/victimas/{victim.id}"
    html = client.get(path).text
    assert f'href="{_correct(victim, legal)}"' in html
    assert f'href="/eliminar/derivacion/{referral.id}"' in html
    # The links lead to working pages.
    assert client.get(_correct(victim, legal)).status_code == 200
    assert client.get(f"/eliminar/derivacion/{referral.id}").status_code == 200


def test_no_correct_link_for_a_narrative_the_reader_may_not_read(db, login_as, victim):
    author = make_user(db, role=Role.psychologist)
    psych = _follow_up(
        db, victim, FollowUpKind.psychological, "Sesión de contención", author=author
    )
    lawyer_html = login_as(make_user(db, role=Role.lawyer)).get(f"/casos/{victim.case_id}").text
    assert _correct(victim, psych) not in lawyer_html
    assert "Sesión de contención" not in lawyer_html
    author_html = login_as(author).get(f"/casos/{victim.case_id}").text
    assert f'href="{_correct(victim, psych)}"' in author_html


def test_a_corrected_entry_has_no_correct_link_but_its_correction_has(db, login_as, victim):
    original = _follow_up(db, victim, FollowUpKind.legal, "Primera versión")
    fix = _follow_up(db, victim, FollowUpKind.legal, "Segunda versión", supersedes=original)
    html = login_as(make_user(db, role=Role.lawyer)).get(f"/casos/{victim.case_id}").text
    assert _correct(victim, original) not in html
    assert f'href="{_correct(victim, fix)}"' in html


def test_readers_who_may_not_write_see_no_actions(db, login_as, victim):
    lawyer = make_user(db, role=Role.lawyer)
    legal = _follow_up(db, victim, FollowUpKind.legal, "Declaración")
    referral = _referral(db, victim, lawyer)
    html = login_as(make_user(db, role=Role.coordinator)).get(f"/casos/{victim.case_id}").text
    assert "Declaración" in html  # the entry is there, without its actions
    assert _correct(victim, legal) not in html
    assert f"/eliminar/derivacion/{referral.id}" not in html


def test_closed_case_keeps_delete_but_not_correct(db, login_as, victim):
    lawyer = make_user(db, role=Role.lawyer)
    legal = _follow_up(db, victim, FollowUpKind.legal, "Declaración")
    referral = _referral(db, victim, lawyer)
    case = db.get(Case, victim.case_id)
    case.status = CaseStatus.closed
    case.closed_on, case.close_reason = date(2024, 6, 1), CloseReason.goals_met
    db.flush()
    html = login_as(lawyer).get(f"/casos/{victim.case_id}").text
    assert _correct(victim, legal) not in html
    assert f'href="/eliminar/derivacion/{referral.id}"' in html
