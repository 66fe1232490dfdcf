"""Deterministic synthetic demo dataset.

`generate(seed)` builds users, cases (with victims and all the work on them) and practice
detections for fake people. Counted by the report's rules for 2023-2025 they reproduce every
published table (reference-tables.md, Tablas 10-18), the 548 follow-up actions and the route
facts; a few 2026 cases make year filters visible without touching those counts.

Standard library only: the demo loader turns these plain dicts into records.
How it works: the attribute values of the 738 published victims are built as exact multisets,
paired at random, repaired by swapping values between victims (so the multisets never change)
and then placed into a team x year grid of cases that matches both published margins.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

Record = dict[str, Any]

TODAY = date(2026, 11, 22)
YEARS = (2023, 2024, 2025)
TEAMS = ("lima", "cusco", "loreto", "puno", "madre_de_dios")
TEAM_SLUGS = {
    "lima": "lima",
    "cusco": "cusco",
    "loreto": "loreto",
    "puno": "puno",
    "madre_de_dios": "mdd",
}
TEAM_LABELS = {
    "lima": "Lima",
    "cusco": "Cusco",
    "loreto": "Loreto",
    "puno": "Puno",
    "madre_de_dios": "Madre de Dios",
}

# Tablas 10 and 11 split into a team x year grid whose rows and columns add up to both tables.
CASES_GRID = {
    "lima": (72, 93, 25),
    "loreto": (62, 80, 22),
    "madre_de_dios": (26, 33, 9),
    "puno": (22, 28, 7),
    "cusco": (14, 20, 5),
}
VICTIMS_GRID = {
    "lima": (150, 135, 74),
    "loreto": (74, 88, 28),
    "madre_de_dios": (32, 37, 12),
    "puno": (24, 30, 8),
    "cusco": (17, 22, 7),
}

SEX_COUNTS = {"female": 621, "male": 117}
AGE_RANGE_COUNTS = {"0_10": 46, "11_17": 338, "18_25": 217, "26_39": 100, "40_plus": 37}
NATIONALITY_COUNTS = {"peruvian": 440, "foreign": 298}
TYPOLOGY_COUNTS = {
    "trafficking": 355,
    "violence_women_family": 182,
    "sexual_exploitation": 78,
    "migrant_smuggling": 64,
    "risk_prevention": 35,
    "missing_person": 20,
    "forced_labour": 4,
}
PURPOSE_COUNTS = {"sexual": 175, "labour": 129, "sexual_labour": 46, "child_sale": 5}
# Tabla 15 prints 87 / 5 / 8 %: 309, 18 and 28 of 355 round to exactly that.
MODALITY_COUNTS = {
    "false_job_offer": 309,
    "ict": 18,
    "false_study_offer": 5,
    "seduction": 7,
    "sponsorship": 8,
    "kidnapping": 5,
    "other": 3,
}
VIOLENCE_COUNTS = {
    "psychological": {"yes": 147, "no": 32, "unknown": 204, "not_recorded": 355},
    "sexual": {"yes": 169, "no": 34, "unknown": 217, "not_recorded": 318},
    "physical": {"yes": 109, "no": 32, "unknown": 233, "not_recorded": 364},
    "family": {"yes": 118, "no": 36, "unknown": 215, "not_recorded": 369},
    "economic": {"yes": 49, "no": 37, "unknown": 75, "not_recorded": 577},
}
PRACTICE_COUNTS = {
    "good": {
        "coordination": 63,
        "detection_referral": 9,
        "privacy": 1,
        "forensic": 3,
        "procedural": 39,
        "criminal_type": 1,
        "victim_rights": 27,
        "other": 16,
    },
    "bad": {
        "coordination": 70,
        "detection_referral": 18,
        "privacy": 0,
        "forensic": 5,
        "procedural": 60,
        "criminal_type": 2,
        "victim_rights": 35,
        "other": 20,
    },
}
FOLLOW_UP_ACTIONS = 548

# The same person attended by two teams: each number is held by exactly two victims.
DUPLICATE_DOCUMENTS = ("99000001", "99000002", "99000003")

ROUTE_TYPOLOGIES = ("trafficking", "sexual_exploitation", "forced_labour", "migrant_smuggling")
EXPLOITATION_TYPOLOGIES = ("trafficking", "sexual_exploitation", "forced_labour")
CHILD_TYPOLOGIES = (
    "violence_women_family",
    "migrant_smuggling",
    "risk_prevention",
    "missing_person",
)
TYPOLOGY_TEXT = {
    "trafficking": "trata de personas",
    "violence_women_family": "violencia contra la mujer e integrantes del grupo familiar",
    "sexual_exploitation": "explotación sexual",
    "migrant_smuggling": "tráfico ilícito de migrantes",
    "risk_prevention": "prevención de riesgos",
    "missing_person": "persona desaparecida",
    "forced_labour": "trabajo forzoso",
}


def _w(spec: str) -> dict[str, float]:
    """Parse "15:30 16:7" into {"15": 30.0, "16": 7.0} (keeps the weight tables compact)."""
    return {k: float(v) for k, v in (item.split(":") for item in spec.split())}


FOREIGN_BY_TEAM = {
    "lima": _w("VE:55 CO:14 EC:8 BO:4 CN:4 DO:5 BR:2 PY:3 AR:2 CL:3"),
    "loreto": _w("CO:35 BR:25 VE:25 EC:15"),
    "puno": _w("BO:65 VE:15 AR:8 PY:6 CL:6"),
    "madre_de_dios": _w("BO:40 BR:35 VE:15 PY:5 CO:5"),
    "cusco": _w("VE:40 BO:25 AR:10 CL:10 CO:10 BR:5"),
}
# Where a route from abroad enters Peru (INEI department).
ENTRY_REGION = {
    "VE": "24",
    "CO": "24",
    "EC": "24",
    "BO": "21",
    "PY": "21",
    "AR": "23",
    "CL": "23",
    "BR": "17",
    "CN": "07",
    "DO": "07",
}
REGIONS = tuple(f"{i:02d}" for i in range(1, 26))
# Team preferences for the Peruvian department of capture and of exploitation.
CAPTURE_PREFS = {
    "lima": _w(
        "15:30 16:7 12:7 25:5 08:4 21:4 02:4 10:5 13:4 06:4 20:4 11:3 07:5 05:4 09:3 "
        "14:3 22:4 01:2 04:3 03:2 19:2"
    ),
    "loreto": _w("16:60 22:8 25:8 01:5 15:3 10:2"),
    "madre_de_dios": _w("21:25 08:20 17:15 03:8 04:5 05:5 16:4 15:4 25:3"),
    "puno": _w("21:60 08:8 04:8 23:5 18:3 15:3 03:2"),
    "cusco": _w("08:45 21:15 03:15 04:5 15:4 05:5 17:3"),
}
EXPLOITATION_PREFS = {
    "lima": _w("15:60 07:6 11:5 04:3 13:3 20:3 24:3 17:5 12:3 02:2 14:2"),
    "loreto": _w("16:30 15:20 17:12 25:10 22:5 08:3"),
    "madre_de_dios": _w("17:70 08:10 21:6 15:3 04:2"),
    "puno": _w("21:30 17:25 08:15 04:10 23:10 15:5 18:3"),
    "cusco": _w("08:65 17:15 15:5 21:5 03:3 04:3"),
}
EXPLOITATION_BY_NATIONALITY = {
    "VE": _w("15:4 07:2 04:1.5 13:1.5 20:1.5 24:1.5"),
    "CO": _w("15:3 16:2 24:1.5"),
    "EC": _w("24:4 15:2 20:2"),
    "BO": _w("21:4 17:3 08:1.5 23:1.5"),
    "BR": _w("17:3 16:2"),
}
# Published ranking: capture Lima > Loreto > Puno; exploitation Lima > Madre de Dios > Cusco.
CAPTURE_TOP = (("15", 0.20), ("16", 0.16), ("21", 0.12))
CAPTURE_REST = _w(
    "08:6 12:3.5 25:3 22:2.5 10:2.5 03:2 04:2 01:1.5 02:1.5 06:1.5 13:1.5 20:1.5 "
    "05:1.5 17:1.5 07:1.5 11:1 09:1 14:1 19:0.5 23:1 18:0.5 24:1"
)
EXPLOITATION_TOP = (("15", 0.30), ("17", 0.17), ("08", 0.10))
EXPLOITATION_REST = _w(
    "16:6 21:5 24:4 04:4 23:3 25:3 12:2 07:3 11:2 20:2 13:2 22:1 06:1 02:1 14:1 18:1"
)
TRANSIT_HUBS = ("15", "08", "21", "04", "25", "12", "22")

GIVEN_FEMALE = (
    "Ana",
    "Rosa",
    "Luz",
    "Flor",
    "Carmen",
    "Julia",
    "Elena",
    "Sonia",
    "Marta",
    "Lucía",
    "Inés",
    "Diana",
)
GIVEN_MALE = ("Juan", "Luis", "Carlos", "Pedro", "Jorge", "Mario", "Raúl", "Víctor", "Hugo")
FAMILY_NAMES = (
    "Ficticia",
    "Demostración",
    "Ejemplo",
    "Prueba",
    "Simulada",
    "Inventada",
    "Modelo",
    "Ensayo",
)
STREETS = ("Calle Ficticia", "Jr. Ejemplo", "Av. Demostración", "Pasaje Prueba")

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
REFERRALS_IN = ("pnp", "fiscalia", "fistrap", "cem", "demuna", "upe", "defensoria", "civil_society")
REFERRALS_OUT = (
    "fiscalia",
    "cem",
    "upe",
    "car",
    "minsa",
    "csmc",
    "mimp",
    "migraciones",
    "rree",
    "mtpe",
    "poder_judicial",
    "civil_society",
)
EXTERNAL_REF_KIND = {
    "fiscalia": "fiscal_case",
    "fistrap": "fiscal_case",
    "pnp": "police_complaint",
    "poder_judicial": "judicial_file",
    "upe": "upe_car_file",
    "car": "upe_car_file",
    "rree": "consular_case",
}
EXTERNAL_REF_PREFIX = {
    "fiscal_case": "CF",
    "police_complaint": "DEN",
    "judicial_file": "EXP",
    "upe_car_file": "UPE",
    "consular_case": "CONS",
    "other": "REF",
}
PROTECTION_KINDS = {
    "identity_reserve": "fiscalia",
    "whereabouts_concealment": "fiscalia",
    "police_protection": "pnp",
    "shelter": "car",
    "no_contact_order": "poder_judicial",
    "communications_block": "poder_judicial",
    "virtual_patrol": "pnp",
    "other": "upe",
}
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


@dataclass
class DemoDataset:
    """Everything the demo loader inserts: users, cases (victims nested) and detections."""

    users: list[Record] = field(default_factory=list)
    cases: list[Record] = field(default_factory=list)
    detections: list[Record] = field(default_factory=list)


@dataclass
class _Profile:
    """The counted attributes of one victim, before it is placed in a case."""

    sex: str
    age_range: str
    nat_group: str
    typology: str
    tiebreak: float
    purpose: str | None = None
    modality: str | None = None
    violence: dict[str, str] = field(default_factory=dict)


def generate(seed: int = 2026) -> DemoDataset:
    """Build the demo dataset; the same seed always gives the same dataset."""
    return _Builder(seed).build()


def _expand(counts: dict[str, int]) -> list[str]:
    return [key for key, n in counts.items() for _ in range(n)]


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split `total` in proportion to `weights`; ties go to the earlier key."""
    wsum = sum(weights.values())
    exact = {k: total * w / wsum for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    order = sorted(exact, key=lambda k: -(exact[k] - counts[k]))
    for k in order[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def _quotas(
    n: int,
    top: Sequence[tuple[str, float]],
    rest: Mapping[str, float],
    rest_fraction: float,
    gap: int,
    gap4: int,
) -> dict[str, int]:
    """Region counts summing to n where the three `top` regions lead in order by the gaps."""
    others = _largest_remainder(round(n * rest_fraction), rest)
    while True:
        fourth = max(others.values(), default=0)
        base = [fourth + gap4 + 2 * gap, fourth + gap4 + gap, fourth + gap4]
        left = n - sum(others.values()) - sum(base)
        if left >= 0:
            break
        if fourth == 0:
            raise ValueError(f"{n} route victims cannot hold the published ranking")
        others[max(others, key=lambda k: others[k])] -= 1
    shares = [s for _, s in top]
    third = int(left * shares[2] / sum(shares))
    second = int(left * shares[1] / sum(shares))
    extra = [left - second - third, second, third]
    counts = {code: base[i] + extra[i] for i, (code, _) in enumerate(top)}
    counts.update(others)
    return counts


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.follow_ups: list[tuple[Record, Record, int]] = []  # (follow-up, victim, wanted)
        self.identities = 0
        self.doc_numbers: list[int] = []

    # ---- small helpers
    def pick(self, weights: Mapping[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def day_between(self, start: date, end: date) -> date:
        if end <= start:  # a one-day window (callers never pass end before the real start)
            return end
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def swap(
        self,
        profiles: list[_Profile],
        attr: str,
        bad: Callable[[_Profile], bool],
        donor: Callable[[_Profile], bool],
    ) -> None:
        """Swap `attr` of every `bad` profile with a random `donor`; the multiset stays put."""
        for p in profiles:
            if bad(p):
                q = self.rng.choice([d for d in profiles if d is not p and donor(d)])
                a, b = getattr(p, attr), getattr(q, attr)
                setattr(p, attr, b)
                setattr(q, attr, a)

    # ---- the published victims
    def profiles(self) -> list[_Profile]:
        rng = self.rng
        columns = [
            _expand(c) for c in (SEX_COUNTS, AGE_RANGE_COUNTS, NATIONALITY_COUNTS, TYPOLOGY_COUNTS)
        ]
        for col in columns:
            rng.shuffle(col)
        profiles = [_Profile(s, a, n, t, rng.random()) for s, a, n, t in zip(*columns, strict=True)]
        for vtype, counts in VIOLENCE_COUNTS.items():
            answers = _expand(counts)
            rng.shuffle(answers)
            for p, answer in zip(profiles, answers, strict=True):
                p.violence[vtype] = answer
        trafficking = [p for p in profiles if p.typology == "trafficking"]
        purposes = _expand(PURPOSE_COUNTS)
        rng.shuffle(purposes)
        for p, purpose in zip(trafficking, purposes, strict=True):
            p.purpose = purpose

        def child_sale(p: _Profile) -> bool:
            return p.purpose == "child_sale"

        def smuggled(p: _Profile) -> bool:
            return p.typology == "migrant_smuggling"

        self.swap(
            profiles,
            "nat_group",
            lambda p: smuggled(p) and p.nat_group == "peruvian",
            lambda p: not smuggled(p) and not child_sale(p) and p.nat_group == "foreign",
        )
        self.swap(
            profiles,
            "nat_group",
            lambda p: child_sale(p) and p.nat_group == "foreign",
            lambda p: not smuggled(p) and not child_sale(p) and p.nat_group == "peruvian",
        )
        self.swap(
            profiles,
            "age_range",
            lambda p: child_sale(p) and p.age_range != "0_10",
            lambda p: not child_sale(p) and p.age_range == "0_10",
        )
        # Young children are kept out of exploitation typologies (child sale aside).
        self.swap(
            profiles,
            "age_range",
            lambda p: (
                p.typology in EXPLOITATION_TYPOLOGIES
                and p.age_range == "0_10"
                and not child_sale(p)
            ),
            lambda p: p.typology in CHILD_TYPOLOGIES and p.age_range == "11_17",
        )
        modalities = _expand(MODALITY_COUNTS)
        rng.shuffle(modalities)
        for p in (p for p in trafficking if child_sale(p)):
            p.modality = next(m for m in modalities if m in ("sponsorship", "kidnapping", "other"))
            modalities.remove(p.modality)
        for p, modality in zip(
            (p for p in trafficking if not child_sale(p)), modalities, strict=True
        ):
            p.modality = modality
        for p in profiles:
            if p.typology in ("sexual_exploitation", "forced_labour") and rng.random() < 0.6:
                p.modality = self.pick({"false_job_offer": 5, "seduction": 2, "ict": 2, "other": 1})
        return profiles

    def partition(self, profiles: list[_Profile]) -> dict[str, list[_Profile]]:
        children = [p for p in profiles if p.purpose == "child_sale"]
        rest = [p for p in profiles if p.purpose != "child_sale"]
        self.rng.shuffle(rest)
        by_team: dict[str, list[_Profile]] = {}
        pos = 0
        for team in TEAMS:
            own = children if team == "cusco" else []
            need = sum(VICTIMS_GRID[team]) - len(own)
            by_team[team] = own + rest[pos : pos + need]
            pos += need
        cusco = by_team["cusco"]
        while sum(p.nat_group == "foreign" for p in cusco) < 3:  # "some of them foreign"
            i = next(
                i
                for i, p in enumerate(cusco)
                if p.nat_group == "peruvian" and p.purpose != "child_sale"
            )
            other = by_team["lima"]
            j = next(j for j, p in enumerate(other) if p.nat_group == "foreign")
            cusco[i], other[j] = other[j], cusco[i]
        return by_team

    def published_cases(self) -> list[Record]:
        cases: list[Record] = []
        by_team = self.partition(self.profiles())
        typ_order = list(TYPOLOGY_COUNTS)
        for team in TEAMS:
            shapes: list[tuple[int, int]] = []
            for i, year in enumerate(YEARS):
                sizes = [1] * CASES_GRID[team][i]
                for _ in range(VICTIMS_GRID[team][i] - len(sizes)):
                    sizes[self.rng.choice([k for k, s in enumerate(sizes) if s < 6])] += 1
                shapes += [(year, s) for s in sizes]
            self.rng.shuffle(shapes)
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
                opened = self.day_between(date(year, 1, 1), date(year, 12, 31))
                cases.append(self.make_case(team, opened, rows[pos : pos + size]))
                pos += size
        return cases

    # ---- 2026: a few cases so that year filters matter
    def sample_profile(self) -> _Profile:
        rng = self.rng
        typology = self.pick(dict(TYPOLOGY_COUNTS))
        nat = "foreign" if typology == "migrant_smuggling" else self.pick(dict(NATIONALITY_COUNTS))
        ages = dict(AGE_RANGE_COUNTS)
        if typology in EXPLOITATION_TYPOLOGIES:
            del ages["0_10"]
        p = _Profile(self.pick(dict(SEX_COUNTS)), self.pick(ages), nat, typology, rng.random())
        if typology == "trafficking":
            p.purpose = self.pick({k: v for k, v in PURPOSE_COUNTS.items() if k != "child_sale"})
            p.modality = self.pick(dict(MODALITY_COUNTS))
        p.violence = {k: self.pick(dict(v)) for k, v in VIOLENCE_COUNTS.items()}
        return p

    def recent_cases(self) -> list[Record]:
        cases: list[Record] = []
        weights = {t: sum(CASES_GRID[t]) for t in TEAMS}
        for _ in range(self.rng.randint(24, 36)):
            team = self.pick(dict(weights))
            first = self.sample_profile()
            group = [first] + [self.sample_profile() for _ in range(int(self.rng.random() < 0.3))]
            for p in group[1:]:
                p.typology, p.purpose, p.modality = first.typology, first.purpose, first.modality
                if p.typology in EXPLOITATION_TYPOLOGIES and p.age_range == "0_10":
                    p.age_range = "11_17"
                if p.typology == "migrant_smuggling":
                    p.nat_group = "foreign"
            opened = self.day_between(date(2026, 1, 1), date(2026, 11, 15))
            cases.append(self.make_case(team, opened, group))
        return cases

    # ---- cases and victims
    def make_case(self, team: str, opened: date, group: list[_Profile]) -> Record:
        rng = self.rng
        year_end = min(date(opened.year, 12, 31), TODAY)
        intakes = sorted(
            [opened]
            + [min(opened + timedelta(days=rng.randint(0, 20)), year_end) for _ in group[1:]]
        )
        status = self.pick(
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
            reason = self.pick(
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
            "referred_by": self.pick(
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
            "created_by": f"demo_{self.pick({'abo': 5, 'ts': 3, 'psi': 2})}_{slug}",
            "victims": [self.make_victim(team, p, d) for p, d in zip(group, intakes, strict=True)],
        }

    def make_victim(self, team: str, p: _Profile, intake: date) -> Record:
        rng = self.rng
        low, high = {
            "0_10": (0, 10),
            "11_17": (11, 17),
            "18_25": (18, 25),
            "26_39": (26, 39),
            "40_plus": (40, 62),
        }[p.age_range]
        if p.purpose == "child_sale":
            high = 6
        age = rng.randint(low, high)
        if p.age_range == "11_17":
            age = rng.choices(range(11, 18), weights=[1, 1, 2, 3, 4, 4, 4])[0]
        nationality = "PE" if p.nat_group == "peruvian" else self.pick(dict(FOREIGN_BY_TEAM[team]))
        if nationality == "PE":
            migration = "national"
        elif p.typology == "migrant_smuggling":
            migration = self.pick({"irregular": 8, "refugee_applicant": 2})
        elif nationality == "VE":
            migration = self.pick({"regular": 35, "irregular": 35, "refugee_applicant": 30})
        else:
            migration = self.pick({"regular": 50, "irregular": 45, "refugee_applicant": 5})
        reflection = None
        if (
            p.typology == "trafficking"
            and nationality != "PE"
            and age >= 18
            and rng.random() < 0.3
            and intake + timedelta(days=30) <= TODAY
        ):
            reflection = intake + timedelta(days=30)
        return {
            "key": "",
            "intake_on": intake,
            "sex": p.sex,
            "age_at_intake": age,
            "birth_date": None,
            "nationality": nationality,
            "typology": p.typology,
            "trafficking_purpose": p.purpose,
            "capture_modality": p.modality,
            "trafficker_relation": self.relation(p, age),
            "education_level": self.education(age),
            "disability": {"no": False, "yes": True, "": None}[
                self.pick({"no": 85, "yes": 4, "": 11})
            ],
            "indigenous_language": self.language(team) if nationality == "PE" else None,
            "migration_status": migration,
            "reflection_until": reflection,
            "violence_history": dict(p.violence),
            "route": [],
            "identity": self.identity(p.sex, nationality),
            "consents": [
                {"purpose": "attention", "given_on": intake},
                {"purpose": "publication", "given_on": intake},
            ],
            "follow_ups": [],
            "plans": [],
            "referrals": [],
            "protection_measures": [],
        }

    def relation(self, p: _Profile, age: int) -> str | None:
        if self.rng.random() < 0.1:
            return None
        if p.modality == "ict":
            return "online_contact"
        if p.modality == "sponsorship":
            return "godparent"
        if p.modality == "seduction":
            return "partner"
        if p.typology == "violence_women_family":
            return self.pick({"partner": 5 if age >= 16 else 0, "family": 4, "guardian": 2})
        if p.typology in EXPLOITATION_TYPOLOGIES:
            return self.pick(
                {
                    "acquaintance": 4,
                    "unknown": 3,
                    "employer_agency": 4,
                    "criminal_org": 2,
                    "family": 1,
                }
            )
        if p.typology == "migrant_smuggling":
            return self.pick({"criminal_org": 3, "unknown": 3, "other": 1})
        return None

    def education(self, age: int) -> str | None:
        if age < 6:
            return "none"
        if age < 12:
            return self.pick({"primary": 75, "none": 10, "unknown": 15})
        if age < 18:
            return self.pick({"secondary": 60, "primary": 25, "unknown": 10, "none": 5})
        return (
            self.pick(
                {
                    "secondary": 45,
                    "primary": 20,
                    "technical": 12,
                    "university": 8,
                    "unknown": 10,
                    "none": 5,
                }
            )
            if self.rng.random() > 0.05
            else None
        )

    def language(self, team: str) -> str | None:
        options = {
            "puno": ({"aymara": 1, "quechua": 1}, 0.4),
            "cusco": ({"quechua": 1}, 0.4),
            "loreto": ({"awajun": 2, "shipibo_konibo": 2, "other": 1}, 0.15),
            "madre_de_dios": ({"quechua": 3, "other": 1}, 0.15),
            "lima": ({"quechua": 1}, 0.05),
        }
        weights, share = options[team]
        return self.pick(dict(weights)) if self.rng.random() < share else None

    def identity(self, sex: str, nationality: str) -> Record:
        rng = self.rng
        self.identities += 1
        i = self.identities
        given = GIVEN_FEMALE if sex == "female" else GIVEN_MALE
        number = self.doc_numbers.pop()
        if nationality == "PE":
            doc_type, doc = "dni", f"{number:08d}"
        else:
            doc_type = self.pick({"foreign_id": 3, "passport": 3, "ptp": 4})
            doc = {
                "foreign_id": f"E{number:08d}",
                "passport": f"P{number:08d}",
                "ptp": f"CPP{number:08d}",
            }[doc_type]
        return {
            "given_names": " ".join(rng.sample(given, rng.choice((1, 2)))),
            "family_names": " ".join(rng.sample(FAMILY_NAMES, 2)),
            "document_type": doc_type,
            "document_number": doc,
            "phone": f"900 {i // 1000:03d} {i % 1000:03d}",
            "address": f"{rng.choice(STREETS)} {rng.randint(1, 999)}",
        }

    # ---- routes
    def routes(self, pairs: list[tuple[Record, Record]], gap: int, gap4: int) -> None:
        rng = self.rng
        captured: list[tuple[Record, Record]] = []  # captured in Peru
        exploited: list[tuple[Record, Record]] = []  # exploited in Peru
        abroad: dict[str, str] = {}
        for case, v in pairs:
            nat = v["nationality"]
            if v["typology"] == "migrant_smuggling":
                legs = [(("capture", nat, None))] + self.entry(nat, None)
                if rng.random() < 0.5:
                    legs.append(("transit", "PE", rng.choice(("15", "23"))))
                v["route"] = [{"stage": s, "country": c, "region": r} for s, c, r in legs]
                continue
            if v["typology"] not in ROUTE_TYPOLOGIES:
                continue
            if nat != "PE" and rng.random() < 0.88:
                v["route"] = [{"stage": "capture", "country": nat, "region": None}]
            else:
                v["route"] = [{"stage": "capture", "country": "PE", "region": None}]
                captured.append((case, v))
            if nat == "PE" and rng.random() < 0.04:
                abroad[v["key"]] = rng.choice(("CL", "AR", "BO", "EC", "BR"))
            else:
                exploited.append((case, v))
        capture_quota = _quotas(len(captured), CAPTURE_TOP, CAPTURE_REST, 0.48, gap, gap4)
        rng.shuffle(captured)
        for (_, v), region in zip(
            captured,
            self.assign([CAPTURE_PREFS[c["team"]] for c, _ in captured], capture_quota),
            strict=True,
        ):
            v["route"][0]["region"] = region
        rng.shuffle(exploited)
        exploited.sort(key=lambda cv: cv[1]["route"][0]["country"] == "PE")  # from abroad first
        prefs = []
        for c, v in exploited:
            bonus = EXPLOITATION_BY_NATIONALITY.get(v["route"][0]["country"], {})
            prefs.append({r: w * bonus.get(r, 1) for r, w in EXPLOITATION_PREFS[c["team"]].items()})
        exploit_quota = _quotas(
            len(exploited), EXPLOITATION_TOP, EXPLOITATION_REST, 0.43, gap, gap4
        )
        targets = dict(
            zip((v["key"] for _, v in exploited), self.assign(prefs, exploit_quota), strict=True)
        )
        for _, v in pairs:
            if v["typology"] in EXPLOITATION_TYPOLOGIES:
                self.finish_route(v, targets.get(v["key"]), abroad.get(v["key"]))

    def assign(self, prefs: Sequence[Mapping[str, float]], quota: dict[str, int]) -> list[str]:
        """One region per victim, following its preferences, using each quota up exactly."""
        left = dict(quota)
        out: list[str] = []
        for pref in prefs:
            options = [r for r in REGIONS if left.get(r, 0) > 0]
            region = self.rng.choices(
                options, weights=[pref.get(r, 0.05) * left[r] for r in options]
            )[0]
            left[region] -= 1
            out.append(region)
        return out

    def entry(self, country: str, target: str | None) -> list[tuple[str, str, str | None]]:
        legs: list[tuple[str, str, str | None]] = []
        if country == "VE" and self.rng.random() < 0.6:
            legs += [("transit", "CO", None), ("transit", "EC", None)]
        elif country == "CO" and self.rng.random() < 0.4:
            legs.append(("transit", "EC", None))
        region = ENTRY_REGION.get(country, "07")
        if region != target:
            legs.append(("transit", "PE", region))
        return legs

    def finish_route(self, v: Record, region: str | None, country: str | None) -> None:
        capture = v["route"][0]
        legs: list[tuple[str, str, str | None]] = []
        if capture["country"] != "PE":
            legs = self.entry(capture["country"], region)
        elif country is not None:  # Peruvian taken abroad, leaving through the border
            exit_region = {"CL": "23", "AR": "23", "BO": "21", "EC": "24", "BR": "17"}[country]
            if exit_region != capture["region"]:
                legs.append(("transit", "PE", exit_region))
        elif self.rng.random() < 0.3:
            hubs = [h for h in TRANSIT_HUBS if h not in (capture["region"], region)]
            legs.append(("transit", "PE", self.rng.choice(hubs)))
        legs.append(("exploitation", country or "PE", None if country else region))
        v["route"] += [{"stage": s, "country": c, "region": r} for s, c, r in legs]

    # ---- work on each victim
    def work(self, case: Record, v: Record) -> None:
        rng = self.rng
        start, end = v["intake_on"], case["closed_on"] or TODAY
        slug = TEAM_SLUGS[case["team"]]
        for _ in range(rng.choices((0, 1, 2, 3), weights=(55, 27, 11, 7))[0]):
            kind = self.pick(dict(FOLLOW_UP_KINDS))
            if kind == "employment" and v["age_at_intake"] < 15:
                kind = "education"
            fu = {
                "occurred_on": self.day_between(start + timedelta(days=1), end),
                "kind": kind,
                "narrative": NARRATIVES[kind],
                "author": f"demo_{KIND_ROLE.get(kind, 'ts')}_{slug}",
                "actions": [],
            }
            v["follow_ups"].append(fu)
            self.follow_ups.append((fu, v, rng.choices((0, 1, 2, 3), weights=(15, 50, 25, 10))[0]))
        v["follow_ups"].sort(key=lambda f: f["occurred_on"])
        if rng.random() < 0.4:
            v["plans"].append(self.plan(case, v, start, end, slug))
        if rng.random() < 0.3:
            v["referrals"].append(self.referral(v, start, end))
        if rng.random() < 0.1:
            kind = self.pick(dict.fromkeys(PROTECTION_KINDS, 1))
            granted = self.day_between(start, end)
            ends = granted + timedelta(days=rng.randint(60, 365))
            institution = PROTECTION_KINDS[kind]
            if kind == "shelter" and v["age_at_intake"] >= 18:
                institution = "mimp"
            v["protection_measures"].append(
                {
                    "kind": kind,
                    "institution": institution,
                    "granted_on": granted,
                    "ends_on": ends if ends <= end and rng.random() < 0.5 else None,
                }
            )

    def plan(self, case: Record, v: Record, start: date, end: date, slug: str) -> Record:
        rng = self.rng
        closed = case["status"] == "closed"
        if closed:
            status = (
                "abandoned"
                if case["close_reason"] in ("voluntary_withdrawal", "lost_contact")
                else self.pick({"completed": 3, "implemented": 1})
            )
        elif case["status"] == "follow_up":
            status = self.pick({"implemented": 1, "in_progress": 1})
        else:
            status = self.pick({"drafted": 2, "in_progress": 3})
        assessed = self.day_between(start, min(start + timedelta(days=30), end))
        dims = rng.sample(PLAN_DIMENSIONS, rng.randint(2, 4))
        needs = [
            {
                "dimension": d,
                "description": f"Necesidad ficticia: {DIMENSION_TEXT[d]}.",
                "priority": self.pick({"high": 2, "medium": 2, "low": 1}),
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
                "due_on": self.day_between(
                    min(assessed + timedelta(days=30), end),
                    min(assessed + timedelta(days=240), end),
                ),
                "status": self.pick(dict(goal_status)),
            }
            for d in (dims + rng.sample(PLAN_DIMENSIONS, 2))[: rng.randint(1, 4)]
        ]
        reviews = []
        n_reviews = 0 if status == "drafted" else rng.randint(0, 2)
        dates = sorted(
            self.day_between(assessed + timedelta(days=1), end) for _ in range(n_reviews)
        )
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

    def referral(self, v: Record, start: date, end: date) -> Record:
        direction = "in" if self.rng.random() < 0.35 else "out"
        institution = self.rng.choice(REFERRALS_IN if direction == "in" else REFERRALS_OUT)
        on = start if direction == "in" else self.day_between(start, end)
        kind = EXTERNAL_REF_KIND.get(institution, "other")
        return {
            "direction": direction,
            "institution": institution,
            "referred_on": on,
            "reason": "Motivo ficticio: "
            + (
                "derivación recibida para atención integral."
                if direction == "in"
                else "derivación para atención especializada."
            ),
            "outcome": (
                "accepted"
                if direction == "in"
                else self.pick(
                    {
                        "pending": 2,
                        "accepted": 5,
                        "rejected": 1,
                        "wrong_referral": 1,
                        "no_answer": 1,
                    }
                )
            ),
            "external_ref_kind": kind,
            "external_ref": f"{EXTERNAL_REF_PREFIX[kind]}-DEMO-{on.year}-"
            f"{self.rng.randint(1, 9999):04d}",
        }

    def actions(self) -> None:
        """Give the follow-ups their actions: exactly 548 in those dated 2023-2025."""
        rng = self.rng
        counted = [
            i for i, (fu, _, _) in enumerate(self.follow_ups) if fu["occurred_on"].year in YEARS
        ]
        wanted = [n for _, _, n in self.follow_ups]
        if 3 * len(counted) < FOLLOW_UP_ACTIONS:
            raise ValueError("too few follow-ups to hold the published actions")
        while sum(wanted[i] for i in counted) > FOLLOW_UP_ACTIONS:
            wanted[rng.choice([i for i in counted if wanted[i] > 0])] -= 1
        while sum(wanted[i] for i in counted) < FOLLOW_UP_ACTIONS:
            wanted[rng.choice([i for i in counted if wanted[i] < 3])] += 1
        for (fu, v, _), n in zip(self.follow_ups, wanted, strict=True):
            # Distinct action types within one follow-up, drawn first from its kind's own.
            own = [
                a
                for a in KIND_ACTIONS[fu["kind"]]
                if a != "repatriation" or v["nationality"] != "PE"
            ]
            generic = [a for a in ("orientation", "accompaniment", "referral") if a not in own]
            rng.shuffle(own)
            rng.shuffle(generic)
            for action in (own + generic)[:n]:
                institution = rng.choice(ACTION_INSTITUTIONS[action])
                if action == "documentation":
                    institution = "reniec" if v["nationality"] == "PE" else "migraciones"
                fu["actions"].append(
                    {
                        "type": action,
                        "institution": institution,
                        "status": self.pick({"done": 82, "planned": 12, "cancelled": 6}),
                    }
                )

    # ---- detections
    def detections(self, cases: list[Record]) -> list[Record]:
        rng = self.rng
        published = [c for c in cases if c["opened_on"].year in YEARS]
        recent = [c for c in cases if c["opened_on"].year not in YEARS]
        items = [(pol, cat) for pol, cats in PRACTICE_COUNTS.items() for cat in _expand(cats)]
        items += [
            (self.pick({"good": 159, "bad": 210}), self.pick(dict(PRACTICE_COUNTS["bad"])))
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
                    "detected_on": self.day_between(case["opened_on"], end),
                    "polarity": polarity,
                    "category": category,
                    "institution": rng.choice(PRACTICE_INSTITUTIONS[category]),
                    "stage": rng.choice(PRACTICE_STAGES[category]),
                    "description": PRACTICE_TEXT[polarity],
                    "author": f"demo_{self.pick({'abo': 6, 'ts': 3, 'psi': 1})}_"
                    f"{TEAM_SLUGS[case['team']]}",
                }
            )
        out.sort(key=lambda d: (d["detected_on"], d["case_key"]))
        for i, d in enumerate(out, 1):
            d["key"] = f"d{i:04d}"
        return out

    def duplicates(self, cases: list[Record]) -> None:
        """Give three people a second intake by another team, with the same document."""
        pool = [
            (c["team"], v)
            for c in cases
            if c["opened_on"].year in YEARS
            for v in c["victims"]
            if v["nationality"] == "PE"
        ]
        self.rng.shuffle(pool)
        used: list[int] = []
        for number in DUPLICATE_DOCUMENTS:
            for team_a, a in pool:
                if id(a) in used:
                    continue
                b = next(
                    (
                        v
                        for t, v in pool
                        if t != team_a
                        and id(v) not in used
                        and v["sex"] == a["sex"]
                        and v["intake_on"] > a["intake_on"]
                        and v["age_at_intake"] - a["age_at_intake"]
                        == v["intake_on"].year - a["intake_on"].year
                    ),
                    None,
                )
                if b is not None:
                    break
            else:
                raise ValueError("no pair of victims for a duplicate document")
            used += [id(a), id(b)]
            for key in ("given_names", "family_names", "document_type"):
                b["identity"][key] = a["identity"][key]
            a["identity"]["document_number"] = b["identity"]["document_number"] = number

    # ---- all together
    def build(self) -> DemoDataset:
        users = _users()
        self.doc_numbers = self.rng.sample(range(10_000_000, 98_999_999), 1000)
        cases = self.published_cases() + self.recent_cases()
        cases.sort(key=lambda c: (c["opened_on"], TEAMS.index(c["team"])))
        for i, case in enumerate(cases, 1):
            case["key"] = f"c{i:04d}"
            for j, v in enumerate(case["victims"], 1):
                v["key"] = f"{case['key']}-v{j}"
        pairs = [(c, v) for c in cases for v in c["victims"]]
        self.routes([(c, v) for c, v in pairs if c["opened_on"].year in YEARS], gap=10, gap4=5)
        self.routes([(c, v) for c, v in pairs if c["opened_on"].year not in YEARS], gap=0, gap4=0)
        for case, v in pairs:
            self.work(case, v)
        self.actions()
        self.duplicates(cases)
        return DemoDataset(users=users, cases=cases, detections=self.detections(cases))


def _users() -> list[Record]:
    users: list[Record] = []
    for team in TEAMS:
        slug, label = TEAM_SLUGS[team], TEAM_LABELS[team]
        for prefix, role, title in (
            ("psi", "psychologist", "Psicóloga"),
            ("abo", "lawyer", "Abogado"),
            ("ts", "social_worker", "Trabajadora social"),
        ):
            users.append(
                {
                    "username": f"demo_{prefix}_{slug}",
                    "full_name": f"{title} Demo {label}",
                    "role": role,
                    "teams": [team],
                }
            )
    users.append(
        {
            "username": "demo_coord",
            "full_name": "Coordinación Demo",
            "role": "coordinator",
            "teams": list(TEAMS),
        }
    )
    users.append(
        {"username": "demo_admin", "full_name": "Administración Demo", "role": "admin", "teams": []}
    )
    return users
