"""The agenda page: items by date as links to their records, overdue marked, filters."""

from __future__ import annotations

import re
from datetime import timedelta

from app.catalogs import ActionStatus, ActionType, Role, Team
from app.db import today
from app.followups.models import FollowUpAction
from tests.agenda.test_agenda import assign, day, victim_case
from tests.factories import make_case, make_user, make_victim
from tests.work_factories import make_follow_up, make_measure, make_plan, make_referral


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a class="what" href="([^"]+)"', html)


def test_staff_see_their_cases_by_date_with_links_and_overdue_marked(db, login_as):
    me = make_user(db, role=Role.psychologist, teams=[Team.lima])
    v = make_victim(db, identity={"given_names": "Rosa", "family_names": "Quispe"})
    assign(db, me, victim_case(db, v))
    plan = make_plan(db, v, assessed_on=day(-40), next_review_on=day(-3))
    entry = make_follow_up(
        db,
        v,
        occurred_on=day(-1),
        actions=[
            FollowUpAction(type=ActionType.orientation, status=ActionStatus.planned, due_on=day(2))
        ],
    )
    make_referral(db, v, referred_on=day(-14))
    other = make_victim(db)  # the team's, not mine
    make_measure(db, other, granted_on=day(-90), ends_on=day(1))
    client = login_as(me)

    page = client.get("/agenda")

    assert page.status_code == 200
    html = page.text
    assert hrefs(html) == [
        f"/planes/{plan.id}/revision",
        f"/victimas/{v.id}/registros#h-referrals",
        f"/victimas/{v.id}/seguimientos/{entry.id}/corregir",
    ]
    assert "1 vencido" in html and 'class="overdue"' in html and "Vencido" in html
    assert "Mañana".lower() in html.lower() and v.code in html
    assert "Rosa" not in html and "Quispe" not in html
    for href in hrefs(html):
        assert client.get(href.split("#")[0]).status_code == 200, href

    team = client.get("/agenda", params={"scope": "team"}).text
    assert f"/victimas/{other.id}/registros#h-measures" in hrefs(team)


def test_coordinators_see_the_team_and_read_links(db, login_as):
    v = make_victim(db)
    make_plan(db, v, assessed_on=day(-40), next_review_on=day(3))
    v.reflection_until = day(4)
    db.flush()
    client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima, Team.cusco]))
    html = client.get("/agenda").text
    assert hrefs(html) == [f"/victimas/{v.id}/registros#h-plans", f"/victimas/{v.id}#h-profile"]
    assert 'name="scope"' in html and "Mis casos" not in html
    assert hrefs(client.get("/agenda", params={"team": "cusco"}).text) == []


def test_window_filters_paging_and_bad_input(db, login_as):
    me = make_user(db, role=Role.lawyer, teams=[Team.lima])
    case = make_case(db)
    assign(db, me, case)
    for n in range(55):
        v = make_victim(db, case=case)
        make_measure(db, v, granted_on=day(-90), ends_on=day(n % 10))
    client = login_as(me)
    first = client.get("/agenda").text
    assert len(hrefs(first)) == 50
    [next_link] = re.findall(r'rel="next" href="([^"]+)"', first)
    second = client.get(next_link.replace("&amp;", "&")).text
    assert len(hrefs(second)) == 5 and "Primera página" in second
    narrow = client.get("/agenda", params={"start": str(day(9)), "end": str(day(9))}).text
    assert len(hrefs(narrow)) == 5
    reversed_window = client.get("/agenda", params={"start": str(day(5)), "end": str(day(1))})
    assert reversed_window.status_code == 200
    assert "no puede ser anterior" in reversed_window.text
    junk = client.get("/agenda", params={"start": "ayer", "scope": "todo", "team": "mars"})
    assert junk.status_code == 200 and len(hrefs(junk.text)) == 50
    bad_cursor = client.get("/agenda", params={"cursor": "xx"})
    assert bad_cursor.status_code == 200 and "cursor" in bad_cursor.text
    empty = client.get("/agenda", params={"start": str(today() + timedelta(days=400))})
    assert "Nada vence" in empty.text or "no puede ser anterior" in empty.text


def test_admin_is_refused_and_the_menu_links_the_agenda(db, login_as):
    assert login_as(make_user(db, role=Role.admin)).get("/agenda").status_code == 403
    home = login_as(make_user(db, role=Role.social_worker)).get("/").text
    assert 'href="/agenda"' in home
