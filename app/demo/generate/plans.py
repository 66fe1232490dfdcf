"""Individual work plans (needs, goals, reviews) of the victims who have one."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.generate.draw import Draw, Record
from app.demo.generate.figures import TODAY

PLAN_DIMENSIONS = (
    "health",
    "identity",
    "education",
    "protection",
    "legal",
    "employment",
    "safety",
    "family",
    "housing",
    "migration",
)
DIMENSION_TEXT = {
    "health": "salud física y mental",
    "identity": "documentación de identidad",
    "education": "continuidad educativa",
    "protection": "medidas de protección",
    "legal": "proceso penal y reparación",
    "employment": "capacitación laboral",
    "safety": "seguridad personal",
    "family": "vínculos familiares",
    "housing": "vivienda estable",
    "migration": "regularización migratoria",
}


def plan(draw: Draw, case: Record, start: date, end: date, slug: str) -> Record:
    """An individual work plan: needs, goals and reviews, its status following the case's."""
    rng = draw.rng
    closed = case["status"] == "closed"
    if closed:
        status = (
            "abandoned"
            if case["close_reason"] in ("voluntary_withdrawal", "lost_contact")
            else draw.pick({"completed": 3, "implemented": 1})
        )
    elif case["status"] == "follow_up":
        status = draw.pick({"implemented": 1, "in_progress": 1})
    else:
        status = draw.pick({"drafted": 2, "in_progress": 3})
    assessed = draw.day_between(start, min(start + timedelta(days=30), end))
    dims = rng.sample(PLAN_DIMENSIONS, rng.randint(2, 4))
    needs = [
        {
            "dimension": d,
            "description": f"Necesidad ficticia: {DIMENSION_TEXT[d]}.",
            "priority": draw.pick({"high": 2, "medium": 2, "low": 1}),
        }
        for d in dims
    ]
    goal_status = {
        "completed": {"achieved": 8, "dropped": 1},
        "abandoned": {"dropped": 3, "pending": 1, "in_progress": 1},
        "implemented": {"achieved": 2, "in_progress": 2},
        "in_progress": {"pending": 1, "in_progress": 2, "achieved": 1},
        "drafted": {"pending": 1},
    }[status]
    goals = [
        {
            "dimension": d,
            "description": f"Meta ficticia: avanzar en {DIMENSION_TEXT[d]}.",
            "due_on": draw.day_between(
                min(assessed + timedelta(days=30), end),
                min(assessed + timedelta(days=240), end),
            ),
            "status": draw.pick(dict(goal_status)),
        }
        for d in (dims + rng.sample(PLAN_DIMENSIONS, 2))[: rng.randint(1, 4)]
    ]
    reviews = []
    n_reviews = 0 if status == "drafted" else rng.randint(0, 2)
    dates = sorted(draw.day_between(assessed + timedelta(days=1), end) for _ in range(n_reviews))
    for k, reviewed in enumerate(dates):
        last = k == len(dates) - 1
        picked = sorted(rng.sample(range(len(goals)), rng.randint(1, len(goals))))
        nxt = reviewed + timedelta(days=90)
        reviews.append(
            {
                "reviewed_on": reviewed,
                "summary": "Balance ficticio del plan de trabajo.",
                "next_review_on": nxt if nxt <= end and not closed else None,
                "goals": [
                    {
                        "goal_index": g,
                        "note": "Nota ficticia de avance.",
                        "status": goals[g]["status"] if last else "in_progress",
                    }
                    for g in picked
                ],
            }
        )
    nxt = (dates[-1] if dates else assessed) + timedelta(days=90)
    return {
        "assessed_on": assessed,
        "status": status,
        "next_review_on": None if closed or status == "completed" else min(nxt, TODAY),
        "needs": needs,
        "goals": goals,
        "reviews": reviews,
        "author": f"demo_{rng.choice(('psi', 'abo', 'ts'))}_{slug}",
    }
