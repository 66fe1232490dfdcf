"""Who did what: every case, victim, follow-up, plan, review, referral, measure, consent and
detection carries its author and when, in every API list and on every page listing it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from app.catalogs import (
    ConsentPurpose,
    FollowUpKind,
    Institution,
    PlanStatus,
    Polarity,
    PracticeCategory,
    ProtectionMeasureKind,
    ReferralDirection,
)
from app.consents.models import Consent
from app.detections.models import Detection
from app.followups.models import FollowUp
from app.plans.models import Plan, PlanReview
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from tests.factories import make_case, make_user, make_victim

ON = date(2024, 5, 2)


@pytest.fixture
def world(db):
    author = make_user(db, full_name="Rosa Huamán")
    reader = make_user(db)
    case = make_case(db, created_by_id=author.id)
    victim = make_victim(db, case=case, created_by_id=author.id)
    plan = Plan(
        victim_id=victim.id, assessed_on=ON, status=PlanStatus.in_progress, author_id=author.id
    )
    db.add(plan)
    db.flush()
    records = [
        FollowUp(victim_id=victim.id, occurred_on=ON, kind=FollowUpKind.legal, author_id=author.id),
        PlanReview(plan_id=plan.id, reviewed_on=ON, author_id=author.id),
        Referral(
            victim_id=victim.id,
            direction=ReferralDirection.incoming,
            institution=Institution.pnp,
            referred_on=ON,
            created_by_id=author.id,
        ),
        ProtectionMeasure(
            victim_id=victim.id,
            kind=ProtectionMeasureKind.identity_reserve,
            institution=Institution.pnp,
            granted_on=ON,
            created_by_id=author.id,
        ),
        Consent(
            victim_id=victim.id,
            purpose=ConsentPurpose.attention,
            given_on=ON,
            created_by_id=author.id,
        ),
        # Imported or older data: no author recorded.
        Consent(victim_id=victim.id, purpose=ConsentPurpose.data_sharing, given_on=ON),
        Detection(
            case_id=case.id,
            detected_on=ON,
            polarity=Polarity.good,
            category=PracticeCategory.coordination,
            institution=Institution.pnp,
            created_by_id=author.id,
        ),
    ]
    db.add_all(records)
    db.flush()
    return {"author": author, "reader": reader, "case": case, "victim": victim, "plan": plan}


def _is_authored(item, author) -> None:
    assert item["author"] == {"id": str(author.id), "full_name": "Rosa Huamán"}, item
    assert item["created_at"], item


def test_every_api_list_carries_author_and_created_at(world, login_as):
    client = login_as(world["reader"])
    author, case, victim, plan = world["author"], world["case"], world["victim"], world["plan"]
    lists = [
        "/api/v1/cases",
        f"/api/v1/cases/{case.id}/victims",
        f"/api/v1/victims/{victim.id}/follow-ups",
        f"/api/v1/victims/{victim.id}/plans",
        f"/api/v1/victims/{victim.id}/referrals",
        f"/api/v1/victims/{victim.id}/protection-measures",
        f"/api/v1/cases/{case.id}/detections",
    ]
    for path in lists:
        resp = client.get(path)
        assert resp.status_code == 200, (path, resp.text)
        items = resp.json()["items"]
        assert items, path
        _is_authored(items[0], author)
    consents = client.get(f"/api/v1/victims/{victim.id}/consents").json()["items"]
    by_purpose = {c["purpose"]: c for c in consents}
    _is_authored(by_purpose["attention"], author)
    assert by_purpose["data_sharing"]["author"] is None  # imported: null, not missing
    detail = client.get(f"/api/v1/cases/{case.id}").json()
    _is_authored(detail, author)
    _is_authored(detail["victims"][0], author)
    _is_authored(client.get(f"/api/v1/victims/{victim.id}").json(), author)
    review = client.get(f"/api/v1/plans/{plan.id}").json()["reviews"][0]
    _is_authored(review, author)


def test_authors_of_a_list_are_read_in_one_query(db, login_as, engine):
    reader = make_user(db)
    victim = make_victim(db)
    for n in range(12):
        someone = make_user(db, full_name=f"Autora {n}")
        db.add(
            Referral(
                victim_id=victim.id,
                direction=ReferralDirection.incoming,
                institution=Institution.pnp,
                referred_on=ON,
                created_by_id=someone.id,
            )
        )
    db.flush()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        resp = login_as(reader).get(f"/api/v1/victims/{victim.id}/referrals")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    names = {i["author"]["full_name"] for i in resp.json()["items"]}
    assert names == {f"Autora {n}" for n in range(12)}
    author_reads = [s for s in statements if s.startswith("SELECT users.id, users.full_name")]
    assert len(author_reads) == 1, author_reads


def test_pages_show_author_and_date(world, login_as):
    client = login_as(world["reader"])
    case, victim = world["case"], world["victim"]
    pages = {
        "/casos": 1,  # the case in the list
        f"/casos/{case.id}": 1,  # victims table, and the timeline below counts too
        f"/casos/{case.id}/detecciones": 1,
        f"/victimas/{victim.id}/registros": 5,  # measure, consent, follow-up, plan, referral
        f"/victimas/{victim.id}": 1,
    }
    for path, at_least in pages.items():
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.text.count("Rosa Huamán") >= at_least, path
    records = client.get(f"/victimas/{victim.id}/registros").text
    assert "Autoría no registrada" in records  # the imported consent
    timeline = client.get(f"/casos/{case.id}").text
    assert "Registrado por Rosa Huamán" in timeline
