"""In a real browser: the agenda (/agenda) lists what is due by date, overdue first and
marked, each item a link that opens its record; the home page shows the first items and
leads there. Screenshots at 1280x800 and 375x812."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.caseload.models import Assignment
from app.catalogs import ActionStatus, ActionType, Responsibility, Team
from app.db import today
from app.followups.models import FollowUpAction
from app.users.models import User
from tests.browser.conftest import SCREENSHOTS, sign_in
from tests.factories import make_case, make_victim
from tests.work_factories import make_follow_up, make_measure, make_plan, make_referral

pytestmark = [pytest.mark.browser]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def day(offset: int) -> date:
    return today() + timedelta(days=offset)


def shoot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)  # type: ignore[attr-defined]
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(SIZES["desktop"])  # type: ignore[attr-defined]


def _seed(site: object) -> None:
    with site.session() as db:  # type: ignore[attr-defined]
        me = db.scalars(select(User).where(User.username == "psico.lima")).one()
        for n in range(3):
            case = make_case(db, team=Team.lima, opened_on=date(2026, 1, 10))
            db.add(
                Assignment(
                    case_id=case.id,
                    user_id=me.id,
                    responsibility=Responsibility.lead,
                    since=date(2026, 1, 10),
                )
            )
            victim = make_victim(
                db, case=case, identity={"given_names": "Rosa", "family_names": "Quispe"}
            )
            make_plan(db, victim, assessed_on=date(2026, 1, 20), next_review_on=day(-4 + 5 * n))
            make_measure(db, victim, granted_on=date(2026, 1, 20), ends_on=day(2 + n))
            make_referral(db, victim, referred_on=day(-18 + 4 * n))
            make_follow_up(
                db,
                victim,
                occurred_on=day(-2),
                actions=[
                    FollowUpAction(
                        type=ActionType.accompaniment,
                        status=ActionStatus.planned,
                        due_on=day(1 + 3 * n),
                    )
                ],
            )
            victim.reflection_until = day(6 + n)
        db.commit()


def test_agenda_page_by_date_with_overdue_and_links(site, new_page):
    _seed(site)
    failed: list[str] = []
    page = new_page()
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(page, site, "psico.lima")

    home = page.get_by_role("region", name="Lo que vence en mis casos")
    assert home.locator("li").count() == 8
    assert home.locator("li.overdue").count() >= 1
    shoot(page, "agenda-home")

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Agenda").click()
    page.wait_for_url(f"{site.url}/agenda")
    assert page.get_by_role("heading", name="Agenda", exact=True).is_visible()
    items = page.locator(".agenda-list li")
    assert items.count() == 15
    overdue = page.locator(".agenda-list li.overdue")
    assert overdue.count() == 2  # the first review (day -4) and first referral (day -3)
    first_day = page.locator("section.agenda-day").first
    assert "vencido" in first_day.locator("h2").inner_text()
    assert "Rosa" not in page.content() and "Quispe" not in page.content()
    shoot(page, "agenda-page")

    # Each item opens its record: the plan review page for a review.
    page.get_by_role("link", name="Revisión del plan").first.click()
    page.wait_for_load_state()
    assert "/planes/" in page.url and "/revision" in page.url
    page.go_back()

    # The window filter: only tomorrow.
    page.get_by_label("Desde").fill(day(1).isoformat())
    page.get_by_label("Hasta").fill(day(1).isoformat())
    page.get_by_role("button", name="Mostrar").click()
    page.wait_for_load_state()
    assert page.locator(".agenda-list li").count() == 3  # an action, a review, a referral
    assert page.locator("section.agenda-day h2").inner_text().endswith("mañana")
    assert not [url for url in failed if not url.endswith("/favicon.ico")], failed

    coordinator = new_page()
    sign_in(coordinator, site, "coord.lima")
    coordinator.goto(f"{site.url}/agenda")
    assert coordinator.locator(".agenda-list li").count() == 15
    shoot(coordinator, "agenda-coordinator")
