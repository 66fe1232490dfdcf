"""An independent, pure-Python count of the statistics over `records.py` record sets.

Written from api.md's counting rules, sharing no code with app.statistics.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.catalogs import (
    ActionStatus,
    ActionType,
    CloseReason,
    FollowUpKind,
    Institution,
    PlanStatus,
    PracticeCategory,
    ReferralOutcome,
    TraffickingPurpose,
    Typology,
    ViolenceAnswer,
    ViolenceType,
)
from tests.statistics.records import TEAMS, _codes

AGES = [
    ("0_10", 0, 10),
    ("11_17", 11, 17),
    ("18_25", 18, 25),
    ("26_39", 26, 39),
    ("40_plus", 40, 200),
]
ROUTE_TYPOLOGIES = {"trafficking", "sexual_exploitation", "forced_labour", "migrant_smuggling"}


def pct(n: int, total: int) -> float:
    if total == 0:
        return 0.0
    return float((Decimal(100 * n) / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP))


class Expected:
    def __init__(self, records: list[dict[str, Any]], f: dict[str, Any]) -> None:
        self.team = f["team"]
        mine = [c for c in records if not c["deleted"] and self.team in (None, c["team"])]
        live_victims = [(c, v) for c in mine for v in c["victims"] if not v["deleted"]]
        live_dets = [(c, d) for c in mine for d in c["detections"] if not d["deleted"]]
        years = (
            [c["opened_on"].year for c in mine]
            + [v["intake_on"].year for _, v in live_victims]
            + [d["detected_on"].year for _, d in live_dets]
        )
        low, high = (min(years), max(years)) if years else (None, None)
        first, last = f["from"], f["to"]
        if first is None and last is None:
            first, last = low, high
        elif first is None:
            first = low if low is not None and low <= last else last
        elif last is None:
            last = high if high is not None and high >= first else first
        self.first, self.last = first, last
        self.cases = [c for c in mine if self.within(c["opened_on"])]
        self.victims = [(c, v) for c, v in live_victims if self.within(v["intake_on"])]
        self.detections = [(c, d) for c, d in live_dets if self.within(d["detected_on"])]
        self.mine, self.live_victims = mine, live_victims

    def within(self, day: Any) -> bool:
        return self.first is None or self.first <= day.year <= self.last

    def t10(self) -> dict[str, tuple[int, int]]:
        return {
            t: (
                sum(c["team"] == t for c in self.cases),
                sum(c["team"] == t for c, _ in self.victims),
            )
            for t in TEAMS
        }

    def t11(self) -> dict[str, tuple[int, int]]:
        if self.first is None:
            return {}
        return {
            str(y): (
                sum(c["opened_on"].year == y for c in self.cases),
                sum(v["intake_on"].year == y for _, v in self.victims),
            )
            for y in range(self.first, self.last + 1)
        }

    def t12(self) -> dict[str, dict[str, tuple[int, float]]]:
        vs = [v for _, v in self.victims]
        n = len(vs)

        def grp(fn: Any, codes: list[str]) -> dict[str, tuple[int, float]]:
            return {
                k: (sum(fn(v) == k for v in vs), pct(sum(fn(v) == k for v in vs), n)) for k in codes
            }

        def age(v: dict[str, Any]) -> str:
            return next(k for k, lo, hi in AGES if lo <= v["age"] <= hi)

        return {
            "sex": grp(lambda v: v["sex"], ["female", "male"]),
            "age_range": grp(age, [a[0] for a in AGES]),
            "nationality": grp(
                lambda v: "peruvian" if v["nationality"] == "PE" else "foreign",
                ["peruvian", "foreign"],
            ),
        }

    def simple(self, vs: list[dict[str, Any]], key: Any, codes: list[str]) -> dict[str, Any]:
        counts = {k: sum(key(v) == k for v in vs) for k in codes}
        total = sum(counts.values())
        return {
            "rows": {k: (n, pct(n, total)) for k, n in counts.items()},
            "total": total,
            "not_recorded": sum(key(v) is None for v in vs),
        }

    def t13(self) -> dict[str, Any]:
        return self.simple([v for _, v in self.victims], lambda v: v["typology"], _codes(Typology))

    def trafficking(self) -> list[dict[str, Any]]:
        return [v for _, v in self.victims if v["typology"] == "trafficking"]

    def t14(self) -> dict[str, Any]:
        return self.simple(self.trafficking(), lambda v: v["purpose"], _codes(TraffickingPurpose))

    def t15(self) -> dict[str, Any]:
        def group(v: dict[str, Any]) -> str | None:
            m = v["modality"]
            return m if m in (None, "false_job_offer", "ict") else "other"

        return self.simple(self.trafficking(), group, ["false_job_offer", "ict", "other"])

    def t16(self) -> dict[str, Any]:
        vs = [v for _, v in self.victims]
        rows = {}
        for k in _codes(ViolenceType):
            counts = {a: sum(v["violence"][k] == a for v in vs) for a in _codes(ViolenceAnswer)}
            rows[k] = (counts, {a: pct(n, len(vs)) for a, n in counts.items()})
        return {"rows": rows, "total": len(vs)}

    def practices(self, polarity: str) -> dict[str, Any]:
        ds = [d for _, d in self.detections if d["polarity"] == polarity]
        return self.simple(ds, lambda d: d["category"], _codes(PracticeCategory))

    def quality(self) -> dict[tuple[str, str], dict[str, tuple[int, int]]]:
        """(team, year) -> field -> (missing, applies)."""
        checks = {
            "education_level": (
                lambda v: True,
                lambda v: v["education_level"] in (None, "unknown"),
            ),
            "disability": (lambda v: True, lambda v: v["disability"] is None),
            "migration_status": (
                lambda v: True,
                lambda v: v["migration_status"] in (None, "unknown"),
            ),
            "trafficker_relation": (
                lambda v: True,
                lambda v: v["trafficker_relation"] in (None, "unknown"),
            ),
            "capture_modality": (
                lambda v: v["typology"] == "trafficking",
                lambda v: v["modality"] is None,
            ),
            "route": (lambda v: v["typology"] in ROUTE_TYPOLOGIES, lambda v: not v["route"]),
        }
        for k in _codes(ViolenceType):
            checks[f"violence_{k}"] = (
                lambda v: True,
                lambda v, k=k: v["violence"][k] in ("unknown", "not_recorded"),
            )
        out = {}
        years = [] if self.first is None else range(self.first, self.last + 1)
        teams = [t for t in TEAMS if self.team in (None, t)]
        for team in [*teams, *(["all"] if self.team is None else [])]:
            for y in years:
                vs = [
                    v
                    for c, v in self.victims
                    if team in ("all", c["team"]) and v["intake_on"].year == y
                ]
                out[(team, str(y))] = {"_victims": (len(vs), 0)} | {
                    name: (sum(applies(v) and miss(v) for v in vs), sum(applies(v) for v in vs))
                    for name, (applies, miss) in checks.items()
                }
        return out

    def outcomes(self) -> dict[str, Any]:
        vs = [v for _, v in self.victims]
        with_plan = sum(any(not d for _, d in v["plans"]) for v in vs)
        plans = [s for v in vs for s, d in v["plans"] if not d]
        fus = [
            f
            for _, v in self.live_victims
            for f in v["follow_ups"]
            if not f["superseded"] and self.within(f["occurred_on"])
        ]
        every = [(f["kind"], t, status) for f in fus for t, status in f["actions"]]
        actions = [a for a in every if a[2] == "done"]  # the report's "implementadas"
        closed = [c for c in self.mine if c["closed_on"] and self.within(c["closed_on"])]
        refs = [r for _, v in self.live_victims for r in v["referrals"] if self.within(r[0])]
        return {
            "plan_coverage": {"with_plan": with_plan, "without_plan": len(vs) - with_plan},
            "plan_status": {s: plans.count(s) for s in _codes(PlanStatus)},
            "follow_up_kind": {k: sum(a[0] == k for a in actions) for k in _codes(FollowUpKind)},
            "action_type": {t: sum(a[1] == t for a in actions) for t in _codes(ActionType)},
            "action_status": {s: sum(a[2] == s for a in every) for s in _codes(ActionStatus)},
            "close_reason": {
                r: sum(c["close_reason"] == r for c in closed) for r in _codes(CloseReason)
            },
            "referral_institution": {i: sum(r[1] == i for r in refs) for i in _codes(Institution)},
            "referral_outcome": {o: sum(r[2] == o for r in refs) for o in _codes(ReferralOutcome)},
        }
