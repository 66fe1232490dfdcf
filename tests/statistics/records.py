"""Random small record sets (hypothesis) and their insertion as ORM rows.

The records are plain dicts so `expected.py` can count them without the database.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import (
    TEAM_PREFIX,
    ActionStatus,
    ActionType,
    CaptureModality,
    CloseReason,
    FollowUpKind,
    PlanStatus,
    PracticeCategory,
    ReferralOutcome,
    Team,
    TraffickingPurpose,
    Typology,
    ViolenceAnswer,
    ViolenceType,
)
from app.db import utcnow
from app.detections.models import Detection
from app.followups.models import FollowUp, FollowUpAction
from app.plans.models import Plan
from app.referrals.models import Referral
from app.victims.models import RouteLeg, Victim

YEARS = (2022, 2023, 2024, 2025)
TEAMS = [t.value for t in Team]
_seq = itertools.count(1)


def _codes(enum: Any) -> list[str]:
    return [m.value for m in enum]


def dates(years: tuple[int, ...] = YEARS) -> st.SearchStrategy[date]:
    return st.builds(date, st.sampled_from(years), st.integers(1, 12), st.integers(1, 28))


@st.composite
def follow_ups(draw: Any) -> dict[str, Any]:
    return {
        "occurred_on": draw(dates()),
        "kind": draw(st.sampled_from(_codes(FollowUpKind))),
        "actions": draw(
            st.lists(
                st.tuples(
                    st.sampled_from(_codes(ActionType)), st.sampled_from(_codes(ActionStatus))
                ),
                max_size=2,
            )
        ),
        "superseded": draw(st.booleans()),
    }


@st.composite
def victims(draw: Any, opened: date) -> dict[str, Any]:
    typology = draw(st.sampled_from(_codes(Typology)))
    trafficking = typology == "trafficking"
    return {
        "intake_on": draw(dates((opened.year, min(opened.year + 1, 2025)))),
        "sex": draw(st.sampled_from(["female", "male"])),
        "age": draw(st.sampled_from([0, 10, 11, 17, 18, 25, 26, 39, 40, 70])),
        "nationality": draw(st.sampled_from(["PE", "VE", "BO"])),
        "typology": typology,
        "purpose": draw(st.sampled_from(_codes(TraffickingPurpose))) if trafficking else None,
        "modality": draw(st.none() | st.sampled_from(_codes(CaptureModality))),
        "violence": {
            k: draw(st.sampled_from(_codes(ViolenceAnswer))) for k in _codes(ViolenceType)
        },
        "education_level": draw(st.sampled_from([None, "unknown", "primary"])),
        "disability": draw(st.sampled_from([None, True, False])),
        "migration_status": draw(st.sampled_from([None, "unknown", "national"])),
        "trafficker_relation": draw(st.sampled_from([None, "unknown", "acquaintance"])),
        "route": draw(st.booleans()),
        "deleted": draw(st.booleans()) and draw(st.booleans()),
        "plans": draw(
            st.lists(st.tuples(st.sampled_from(_codes(PlanStatus)), st.booleans()), max_size=2)
        ),
        "follow_ups": draw(st.lists(follow_ups(), max_size=2)),
        "referrals": draw(
            st.lists(
                st.tuples(
                    dates(),
                    st.sampled_from(["pnp", "cem", "upe"]),
                    st.none() | st.sampled_from(_codes(ReferralOutcome)),
                ),
                max_size=2,
            )
        ),
    }


@st.composite
def cases(draw: Any) -> dict[str, Any]:
    opened = draw(dates())
    closed = draw(st.booleans())
    return {
        "team": draw(st.sampled_from(TEAMS)),
        "opened_on": opened,
        "deleted": draw(st.booleans()) and draw(st.booleans()),
        "closed_on": date(min(opened.year + draw(st.integers(0, 1)), 2025), 12, 31)
        if closed
        else None,
        "close_reason": draw(st.sampled_from(_codes(CloseReason))) if closed else None,
        "victims": draw(st.lists(victims(opened), min_size=1, max_size=3)),
        "detections": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "detected_on": dates(),
                        "polarity": st.sampled_from(["good", "bad"]),
                        "category": st.sampled_from(_codes(PracticeCategory)),
                        "deleted": st.booleans(),
                    }
                ),
                max_size=2,
            )
        ),
    }


record_sets = st.lists(cases(), min_size=1, max_size=8)
filters = st.fixed_dictionaries(
    {
        "from": st.none() | st.sampled_from(YEARS),
        "to": st.none() | st.sampled_from(YEARS),
        "team": st.sampled_from([None, None, None, *TEAMS]),
    }
).filter(lambda f: f["from"] is None or f["to"] is None or f["from"] <= f["to"])


def insert(db: Session, records: list[dict[str, Any]]) -> None:
    """Add every record as ORM rows and flush once."""
    now = utcnow()
    for c in records:
        n = next(_seq)
        case = Case(
            id=uuid.uuid4(),
            team=c["team"],
            year=c["opened_on"].year,
            seq=n,
            code=f"{TEAM_PREFIX[Team(c['team'])]}-{c['opened_on'].year}-{n:05d}",
            opened_on=c["opened_on"],
            status="closed" if c["closed_on"] else "open",
            closed_on=c["closed_on"],
            close_reason=c["close_reason"],
            deleted_at=now if c["deleted"] else None,
        )
        db.add(case)
        db.flush()  # rows without relationships: parents must exist before children
        for d in c["detections"]:
            db.add(
                Detection(
                    case_id=case.id,
                    detected_on=d["detected_on"],
                    polarity=d["polarity"],
                    category=d["category"],
                    institution="pnp",
                    deleted_at=now if d["deleted"] else None,
                )
            )
        for i, v in enumerate(c["victims"]):
            _victim(db, case, i, v, now)
    db.flush()


def _victim(db: Session, case: Case, i: int, v: dict[str, Any], now: Any) -> None:
    victim = Victim(
        id=uuid.uuid4(),
        case_id=case.id,
        seq=i + 1,
        code=f"{case.code}-V{i + 1}",
        intake_on=v["intake_on"],
        sex=v["sex"],
        age_at_intake=v["age"],
        nationality=v["nationality"],
        typology=v["typology"],
        trafficking_purpose=v["purpose"],
        capture_modality=v["modality"],
        education_level=v["education_level"],
        disability=v["disability"],
        migration_status=v["migration_status"],
        trafficker_relation=v["trafficker_relation"],
        deleted_at=now if v["deleted"] else None,
        **{f"violence_{k}": a for k, a in v["violence"].items()},
    )
    db.add(victim)
    db.flush()
    if v["route"]:
        db.add(RouteLeg(victim_id=victim.id, position=0, stage="capture", country="PE"))
    for status, deleted in v["plans"]:
        db.add(
            Plan(
                victim_id=victim.id,
                assessed_on=v["intake_on"],
                status=status,
                deleted_at=now if deleted else None,
            )
        )
    for f in v["follow_ups"]:
        fu = FollowUp(
            id=uuid.uuid4(),
            victim_id=victim.id,
            occurred_on=f["occurred_on"],
            kind=f["kind"],
            actions=[FollowUpAction(type=t, status=st_) for t, st_ in f["actions"]],
        )
        db.add(fu)
        db.flush()
        if f["superseded"]:  # the correction carries no actions of its own
            db.add(
                FollowUp(
                    victim_id=victim.id,
                    occurred_on=f["occurred_on"],
                    kind=f["kind"],
                    supersedes_id=fu.id,
                )
            )
    for on, institution, outcome in v["referrals"]:
        db.add(
            Referral(
                victim_id=victim.id,
                direction="out",
                institution=institution,
                referred_on=on,
                outcome=outcome,
            )
        )
