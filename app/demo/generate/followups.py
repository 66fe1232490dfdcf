"""Follow-ups of each victim and their actions: exactly the 548 published implemented
(`done`) actions in the follow-ups dated 2023-2025, beside planned and cancelled ones."""

from __future__ import annotations

from datetime import timedelta

from app.demo.generate.draw import Draw, Record
from app.demo.generate.figures import FOLLOW_UP_ACTIONS, TEAM_SLUGS, TODAY, YEARS

FOLLOW_UP_KINDS = {
    "legal": 30,
    "psychological": 25,
    "social": 20,
    "health": 7,
    "education": 5,
    "employment": 5,
    "basic_needs": 5,
    "other": 3,
}
KIND_ROLE = {"legal": "abo", "psychological": "psi"}
KIND_ACTIONS = {
    "legal": (
        "legal_sponsorship",
        "accompaniment",
        "orientation",
        "referral",
        "protection_measure",
        "documentation",
    ),
    "psychological": ("psychological_care", "orientation", "home_visit"),
    "social": ("basic_needs", "home_visit", "referral", "documentation", "accompaniment"),
    "health": ("health_access", "accompaniment"),
    "education": ("education",),
    "employment": ("employment", "orientation"),
    "basic_needs": ("basic_needs",),
    "other": ("orientation", "repatriation", "other"),
}
ACTION_INSTITUTIONS: dict[str, tuple[str | None, ...]] = {
    "legal_sponsorship": ("fiscalia", "fistrap", "poder_judicial"),
    "accompaniment": ("fiscalia", "pnp", "minsa", None),
    "orientation": (None,),
    "referral": ("cem", "upe", "mimp", "car", "csmc"),
    "protection_measure": ("pnp", "poder_judicial", "fiscalia"),
    "documentation": ("reniec", "migraciones"),
    "psychological_care": (None, "csmc"),
    "home_visit": (None,),
    "basic_needs": ("gobierno_local", "mimp", "civil_society", None),
    "health_access": ("minsa", "csmc"),
    "education": ("minedu",),
    "employment": ("mtpe",),
    "repatriation": ("rree",),
    "other": (None, "civil_society"),
}
NARRATIVES = {
    "legal": "Texto ficticio: orientación legal y revisión del estado de la carpeta fiscal.",
    "psychological": "Texto ficticio: sesión de contención emocional; refiere mejoría.",
    "social": "Texto ficticio: evaluación social y de las redes de apoyo familiar.",
    "health": "Texto ficticio: acompañamiento a un control en el establecimiento de salud.",
    "education": "Texto ficticio: coordinación para la reinserción escolar.",
    "employment": "Texto ficticio: orientación sobre capacitación e inserción laboral.",
    "basic_needs": "Texto ficticio: entrega de alimentos y artículos de higiene.",
    "other": "Texto ficticio: comunicación telefónica de seguimiento.",
}
# Beside the 548 implemented actions of 2023-2025, those recorded but not done (about the
# share drawn for the other years), and the weights of the statuses of those other years.
NOT_DONE = {"planned": 80, "cancelled": 40}
STATUS_WEIGHTS = {"done": 82, "planned": 12, "cancelled": 6}
# A follow-up waiting for its actions: (follow-up, its victim, how many actions it wants).
Pending = tuple[Record, Record, int]


def follow_ups(draw: Draw, case: Record, v: Record, pending: list[Pending]) -> None:
    """The victim's follow-ups (their actions come later, from `actions`)."""
    rng = draw.rng
    start, end = v["intake_on"], case["closed_on"] or TODAY
    slug = TEAM_SLUGS[case["team"]]
    for _ in range(rng.choices((0, 1, 2, 3), weights=(55, 27, 11, 7))[0]):
        kind = draw.pick(dict(FOLLOW_UP_KINDS))
        if kind == "employment" and v["age_at_intake"] < 15:
            kind = "education"
        fu = {
            "occurred_on": draw.day_between(start + timedelta(days=1), end),
            "kind": kind,
            "narrative": NARRATIVES[kind],
            "author": f"demo_{KIND_ROLE.get(kind, 'ts')}_{slug}",
            "actions": [],
        }
        v["follow_ups"].append(fu)
        pending.append((fu, v, rng.choices((0, 1, 2, 3), weights=(15, 50, 25, 10))[0]))
    v["follow_ups"].sort(key=lambda f: f["occurred_on"])


def actions(draw: Draw, pending: list[Pending]) -> None:
    """Give the follow-ups their actions: in those dated 2023-2025, exactly the 548
    published implemented (`done`) ones beside `NOT_DONE` planned and cancelled ones."""
    rng = draw.rng
    counted = [i for i, (fu, _, _) in enumerate(pending) if fu["occurred_on"].year in YEARS]
    wanted = [n for _, _, n in pending]
    statuses = ["done"] * FOLLOW_UP_ACTIONS + [s for s, n in NOT_DONE.items() for _ in range(n)]
    if 3 * len(counted) < len(statuses):
        raise ValueError("too few follow-ups to hold the published actions")
    while sum(wanted[i] for i in counted) > len(statuses):
        wanted[rng.choice([i for i in counted if wanted[i] > 0])] -= 1
    while sum(wanted[i] for i in counted) < len(statuses):
        wanted[rng.choice([i for i in counted if wanted[i] < 3])] += 1
    rng.shuffle(statuses)  # the counted actions take these, in order: an exact multiset
    in_years = set(counted)
    for i, ((fu, v, _), n) in enumerate(zip(pending, wanted, strict=True)):
        # Distinct action types within one follow-up, drawn first from its kind's own.
        own = [
            a for a in KIND_ACTIONS[fu["kind"]] if a != "repatriation" or v["nationality"] != "PE"
        ]
        generic = [a for a in ("orientation", "accompaniment", "referral") if a not in own]
        rng.shuffle(own)
        rng.shuffle(generic)
        for action in (own + generic)[:n]:
            institution = rng.choice(ACTION_INSTITUTIONS[action])
            if action == "documentation":
                institution = "reniec" if v["nationality"] == "PE" else "migraciones"
            status = statuses.pop() if i in in_years else draw.pick(STATUS_WEIGHTS)
            fu["actions"].append({"type": action, "institution": institution, "status": status})
    if statuses:
        raise ValueError("a follow-up could not hold the actions it was given")
