"""The whole dataset, each part drawn in turn from one random stream (order matters)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.demo.generate.cases import published_cases, recent_cases
from app.demo.generate.detections import detections
from app.demo.generate.draw import Draw, Record
from app.demo.generate.duplicates import duplicates
from app.demo.generate.figures import TEAM_SLUGS, TEAMS, TODAY, YEARS
from app.demo.generate.followups import Pending, actions, follow_ups
from app.demo.generate.identity import Identities
from app.demo.generate.plans import plan
from app.demo.generate.referrals import protection_measure, referral
from app.demo.generate.routes import routes
from app.demo.generate.users import demo_users


@dataclass
class DemoDataset:
    """Everything the demo loader inserts: users, cases (victims nested) and detections."""

    users: list[Record] = field(default_factory=list)
    cases: list[Record] = field(default_factory=list)
    detections: list[Record] = field(default_factory=list)


def generate(seed: int = 2026) -> DemoDataset:
    """Build the demo dataset; the same seed always gives the same dataset."""
    draw = Draw(seed)
    users = demo_users()
    identities = Identities(draw.rng.sample(range(10_000_000, 98_999_999), 1000))
    cases = published_cases(draw, identities) + recent_cases(draw, identities)
    cases.sort(key=lambda c: (c["opened_on"], TEAMS.index(c["team"])))
    for i, case in enumerate(cases, 1):
        case["key"] = f"c{i:04d}"
        for j, v in enumerate(case["victims"], 1):
            v["key"] = f"{case['key']}-v{j}"
    pairs = [(c, v) for c in cases for v in c["victims"]]
    routes(draw, [(c, v) for c, v in pairs if c["opened_on"].year in YEARS], gap=10, gap4=5)
    routes(draw, [(c, v) for c, v in pairs if c["opened_on"].year not in YEARS], gap=0, gap4=0)
    pending: list[Pending] = []
    for case, v in pairs:
        _work(draw, case, v, pending)
    actions(draw, pending)
    duplicates(draw, cases)
    return DemoDataset(users=users, cases=cases, detections=detections(draw, cases))


def _work(draw: Draw, case: Record, v: Record, pending: list[Pending]) -> None:
    """The work on one victim: follow-ups, and maybe a plan, a referral, a protection measure."""
    start, end = v["intake_on"], case["closed_on"] or TODAY
    follow_ups(draw, case, v, pending)
    if draw.rng.random() < 0.4:
        v["plans"].append(plan(draw, case, start, end, TEAM_SLUGS[case["team"]]))
    if draw.rng.random() < 0.3:
        v["referrals"].append(referral(draw, start, end))
        if v["referrals"][-1]["direction"] == "out":
            # Sharing obeys consent: given at intake, so live on the referral's date.
            v["consents"].append({"purpose": "data_sharing", "given_on": start})
    if draw.rng.random() < 0.1:
        v["protection_measures"].append(protection_measure(draw, v, start, end))
