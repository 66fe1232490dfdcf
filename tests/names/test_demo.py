"""The demo data shows the feature at once: its near-duplicates (a typo, another order, an
accent or spelling variant, with and without document) are found as strong matches."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.demo.loader import load_demo
from app.names.service import DuplicateCandidate, duplicates
from app.victims.identity import stored_birth_date
from app.victims.models import Victim, VictimIdentity


def test_every_near_duplicate_without_document_is_found(db: Session) -> None:
    load_demo(db, fast_hash=True)
    rows = db.execute(
        select(Victim, VictimIdentity)
        .join(VictimIdentity, VictimIdentity.victim_id == Victim.id)
        .where(VictimIdentity.document_index.is_(None))
    ).all()
    undocumented = [(v, i) for v, i in rows if i.given_names and not i.document_number]
    assert len(undocumented) >= 6
    for victim, identity in undocumented:
        found = duplicates(
            db,
            DuplicateCandidate(
                identity.given_names,
                identity.family_names,
                sex=victim.sex,
                birth_date=stored_birth_date(identity),
                age_at_intake=victim.age_at_intake,
                intake_on=victim.intake_on,
                exclude=victim.id,
            ),
        )
        strong = [m for m in found if m.strong]
        assert strong, "a near-duplicate of the demo is not found"
        assert all(isinstance(m.victim_code, str) and m.score > 0.8 for m in strong)
