"""An override's reason is free text like any other: key rotation re-seals it, and
anonymising a closed case clears it while the fact of the override (who, when) stays."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.config import new_key
from app.crypto import configure_keyring
from app.db import make_session_factory
from app.referrals.models import Referral
from app.referrals.schemas import ConsentOverride, ReferralCreate
from app.referrals.service import create_referral
from app.security.backup import raw_tables
from app.security.retention import _owned_rows, anonymise
from app.security.rotation import rotate, stale_values
from app.users.models import User
from app.victims.models import Victim
from tests.conftest import TEST_DATA_KEY
from tests.security.builders import seed

REASON = "Emergencia: niña sola en la terminal"


SEEDED: dict[str, object] = {}


def _override_both(engine) -> None:
    seeded = seed(engine, closed_on=date(2024, 6, 30))
    SEEDED["closed"] = seeded.closed_victim_id
    with make_session_factory(engine)() as s:
        actor = s.get_one(User, seeded.staff_id)
        for victim_id in (seeded.closed_victim_id, seeded.open_victim_id):
            body = ReferralCreate(
                direction="out",
                institution="upe",
                referred_on=date(2024, 4, 2),
                reason="Protección.",
                consent_override=ConsentOverride(reason=REASON),
            )
            create_referral(s, s.get_one(Victim, victim_id), body, actor=actor)
        s.commit()


def test_rotation_reseals_the_reason(fresh_db):
    _, engine = fresh_db
    _override_both(engine)
    new = new_key()
    try:
        configure_keyring(new, [TEST_DATA_KEY])
        report = rotate(engine)
        assert report.rows["referrals"] == 2 and stale_values(engine) == 0
        configure_keyring(new)  # the old key retired
        with make_session_factory(engine)() as s:
            reasons = [r.consent_override_reason for r in s.scalars(select(Referral))]
            assert reasons == [REASON, REASON]
    finally:
        configure_keyring(TEST_DATA_KEY)


def test_anonymising_clears_the_reason_and_keeps_the_override(fresh_db):
    _, engine = fresh_db
    _override_both(engine)
    anonymise(engine, date(2024, 7, 1))
    with make_session_factory(engine)() as s:
        found = {r.victim_id: r for r in s.scalars(select(Referral))}
        cleared = found.pop(SEEDED["closed"])
        [kept] = found.values()
        assert kept.consent_override == {"reason": REASON}
        assert cleared.reason is None and cleared.consent_override == {"reason": None}
        assert cleared.consent_overridden_at is not None
        assert cleared.consent_overridden_by_id is not None


def test_a_referral_belongs_to_its_victim_not_to_its_optional_consent():
    # Hash order used to decide which foreign key made a row "owned" by a closed case; the
    # nullable consent_id would leave every override (no consent) out of anonymisation.
    tables = {t.name: t for t in raw_tables()}
    for _ in range(3):
        clause = str(_owned_rows(tables, date(2024, 7, 1))["referrals"])
        assert clause.startswith("referrals.victim_id IN")
