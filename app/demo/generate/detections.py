"""Practice detections (good and bad practices of the institutions) in the cases."""

from __future__ import annotations

from datetime import date

from app.demo.generate.draw import Draw, Record, expand
from app.demo.generate.figures import PRACTICE_COUNTS, TEAM_SLUGS, TODAY, YEARS

PRACTICE_INSTITUTIONS = {
    "coordination": (
        "pnp",
        "fiscalia",
        "upe",
        "cem",
        "mimp",
        "car",
        "minsa",
        "gobierno_regional",
        "migraciones",
        "demuna",
    ),
    "detection_referral": ("pnp", "dirctptim", "fiscalia", "fistrap", "cem", "demuna"),
    "privacy": ("pnp", "fiscalia", "minsa"),
    "forensic": ("fiscalia", "minsa"),
    "procedural": ("fiscalia", "fistrap", "poder_judicial", "pnp", "minjusdh"),
    "criminal_type": ("fiscalia", "fistrap", "poder_judicial"),
    "victim_rights": (
        "pnp",
        "fiscalia",
        "poder_judicial",
        "car",
        "upe",
        "minsa",
        "migraciones",
        "udavit",
    ),
    "other": ("reniec", "migraciones", "minedu", "gobierno_local", "defensoria", "rree", "mtpe"),
}
PRACTICE_STAGES: dict[str, tuple[str | None, ...]] = {
    "coordination": ("rescue", "complaint", "protection", "health", "reintegration", None),
    "detection_referral": ("rescue", "complaint"),
    "privacy": ("complaint", "health", "judicial"),
    "forensic": ("complaint", "health"),
    "procedural": ("complaint", "judicial"),
    "criminal_type": ("complaint", "judicial"),
    "victim_rights": ("rescue", "complaint", "judicial", "protection", "health"),
    "other": ("reintegration", "other", None),
}
PRACTICE_TEXT = {
    "good": "Texto ficticio: buena práctica observada durante el acompañamiento.",
    "bad": "Texto ficticio: mala práctica observada durante el acompañamiento.",
}


def detections(draw: Draw, cases: list[Record]) -> list[Record]:
    """Good and bad practices: Tablas 17-18 in the cases of 2023-2025, a few in 2026."""
    rng = draw.rng
    published = [c for c in cases if c["opened_on"].year in YEARS]
    recent = [c for c in cases if c["opened_on"].year not in YEARS]
    items = [(pol, cat) for pol, cats in PRACTICE_COUNTS.items() for cat in expand(cats)]
    items += [
        (draw.pick({"good": 159, "bad": 210}), draw.pick(dict(PRACTICE_COUNTS["bad"])))
        for _ in range(rng.randint(8, 15))
    ]
    out: list[Record] = []
    for k, (polarity, category) in enumerate(items):
        case = rng.choice(published if k < 369 else recent)
        end = min(case["closed_on"] or TODAY, date(2025, 12, 31) if k < 369 else TODAY)
        out.append(
            {
                "key": "",
                "case_key": case["key"],
                "detected_on": draw.day_between(case["opened_on"], end),
                "polarity": polarity,
                "category": category,
                "institution": rng.choice(PRACTICE_INSTITUTIONS[category]),
                "stage": rng.choice(PRACTICE_STAGES[category]),
                "description": PRACTICE_TEXT[polarity],
                "author": f"demo_{draw.pick({'abo': 6, 'ts': 3, 'psi': 1})}_"
                f"{TEAM_SLUGS[case['team']]}",
            }
        )
    out.sort(key=lambda d: (d["detected_on"], d["case_key"]))
    for i, d in enumerate(out, 1):
        d["key"] = f"d{i:04d}"
    return out
