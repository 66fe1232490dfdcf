"""Cases: the published ones of 2023-2025 (Tablas 10-11 to the unit) and a few of 2026."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.generate.draw import Draw, Record
from app.demo.generate.figures import (
    CASES_GRID,
    EXPLOITATION_TYPOLOGIES,
    TEAM_LABELS,
    TEAM_SLUGS,
    TEAMS,
    TODAY,
    TYPOLOGY_COUNTS,
    VICTIMS_GRID,
    YEARS,
)
from app.demo.generate.identity import Identities
from app.demo.generate.profiles import Profile, partition, published_profiles, sample_profile
from app.demo.generate.victims import make_victim

TYPOLOGY_TEXT = {
    "trafficking": "trata de personas",
    "violence_women_family": "violencia contra la mujer e integrantes del grupo familiar",
    "sexual_exploitation": "explotación sexual",
    "migrant_smuggling": "tráfico ilícito de migrantes",
    "risk_prevention": "prevención de riesgos",
    "missing_person": "persona desaparecida",
    "forced_labour": "trabajo forzoso",
}


def published_cases(draw: Draw, identities: Identities) -> list[Record]:
    """The cases of 2023-2025: the team x year grid of Tablas 10-11, victims placed in them."""
    cases: list[Record] = []
    by_team = partition(draw, published_profiles(draw))
    typ_order = list(TYPOLOGY_COUNTS)
    for team in TEAMS:
        shapes: list[tuple[int, int]] = []
        for i, year in enumerate(YEARS):
            sizes = [1] * CASES_GRID[team][i]
            for _ in range(VICTIMS_GRID[team][i] - len(sizes)):
                sizes[draw.rng.choice([k for k, s in enumerate(sizes) if s < 6])] += 1
            shapes += [(year, s) for s in sizes]
        draw.rng.shuffle(shapes)
        rows = sorted(
            by_team[team],
            key=lambda p: (
                p.purpose != "child_sale",
                typ_order.index(p.typology),
                p.purpose or "",
                p.nat_group,
                p.tiebreak,
            ),
        )
        if team == "cusco":  # the five child-sale victims, one case each
            singles = [k for k, s in enumerate(shapes) if s[1] == 1][:5]
            shapes = [shapes[k] for k in singles] + [
                s for k, s in enumerate(shapes) if k not in singles
            ]
        pos = 0
        for year, size in shapes:
            opened = draw.day_between(date(year, 1, 1), date(year, 12, 31))
            cases.append(make_case(draw, identities, team, opened, rows[pos : pos + size]))
            pos += size
    return cases


def recent_cases(draw: Draw, identities: Identities) -> list[Record]:
    """A few 2026 cases, so that year filters matter (none of them is counted in the report)."""
    cases: list[Record] = []
    weights = {t: sum(CASES_GRID[t]) for t in TEAMS}
    for _ in range(draw.rng.randint(24, 36)):
        team = draw.pick(dict(weights))
        first = sample_profile(draw)
        group = [first] + [sample_profile(draw) for _ in range(int(draw.rng.random() < 0.3))]
        for p in group[1:]:
            p.typology, p.purpose, p.modality = first.typology, first.purpose, first.modality
            if p.typology in EXPLOITATION_TYPOLOGIES and p.age_range == "0_10":
                p.age_range = "11_17"
            if p.typology == "migrant_smuggling":
                p.nat_group = "foreign"
        opened = draw.day_between(date(2026, 1, 1), date(2026, 11, 15))
        cases.append(make_case(draw, identities, team, opened, group))
    return cases


def make_case(
    draw: Draw, identities: Identities, team: str, opened: date, group: list[Profile]
) -> Record:
    rng = draw.rng
    year_end = min(date(opened.year, 12, 31), TODAY)
    intakes = sorted(
        [opened] + [min(opened + timedelta(days=rng.randint(0, 20)), year_end) for _ in group[1:]]
    )
    status = draw.pick(
        {
            2023: {"closed": 75, "follow_up": 20, "open": 5},
            2024: {"closed": 55, "follow_up": 30, "open": 15},
            2025: {"closed": 15, "follow_up": 40, "open": 45},
        }.get(opened.year, {"closed": 5, "follow_up": 25, "open": 70})
    )
    closed_on = reason = None
    if status == "closed":
        closed_on = min(intakes[-1] + timedelta(days=rng.randint(45, 540)), TODAY)
        foreign = any(p.nat_group == "foreign" for p in group)
        reason = draw.pick(
            {
                "goals_met": 40,
                "voluntary_withdrawal": 15,
                "lost_contact": 15,
                "transferred": 12,
                "relocated": 25 if foreign else 6,
                "other": 5,
            }
        )
    slug = TEAM_SLUGS[team]
    typology = group[0].typology
    n = len(group)
    return {
        "key": "",
        "team": team,
        "opened_on": opened,
        "status": status,
        "closed_on": closed_on,
        "close_reason": reason,
        "referred_by": draw.pick(
            {
                "": 30,
                "pnp": 15,
                "fiscalia": 12,
                "fistrap": 8,
                "dirctptim": 5,
                "cem": 8,
                "demuna": 5,
                "upe": 6,
                "defensoria": 3,
                "civil_society": 5,
                "migraciones": 3,
            }
        )
        or None,
        "summary": f"Resumen ficticio: caso de {TYPOLOGY_TEXT[typology]} atendido por el "
        f"equipo de {TEAM_LABELS[team]}, con {n} "
        f"{'víctima' if n == 1 else 'víctimas'}. Datos sintéticos.",
        "created_by": f"demo_{draw.pick({'abo': 5, 'ts': 3, 'psi': 2})}_{slug}",
        "victims": [
            make_victim(draw, identities, team, p, d) for p, d in zip(group, intakes, strict=True)
        ],
    }
