"""Victims: each counted profile with the fields the tables do not count (exact age,
nationality, relation to the trafficker, education, language, migration status...)."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.generate.draw import Draw, Record, weights
from app.demo.generate.figures import EXPLOITATION_TYPOLOGIES, TODAY
from app.demo.generate.identity import Identities
from app.demo.generate.profiles import Profile

FOREIGN_BY_TEAM = {
    "lima": weights("VE:55 CO:14 EC:8 BO:4 CN:4 DO:5 BR:2 PY:3 AR:2 CL:3"),
    "loreto": weights("CO:35 BR:25 VE:25 EC:15"),
    "puno": weights("BO:65 VE:15 AR:8 PY:6 CL:6"),
    "madre_de_dios": weights("BO:40 BR:35 VE:15 PY:5 CO:5"),
    "cusco": weights("VE:40 BO:25 AR:10 CL:10 CO:10 BR:5"),
}


def make_victim(draw: Draw, identities: Identities, team: str, p: Profile, intake: date) -> Record:
    """One victim: the counted profile plus the other fields, identity and consents."""
    rng = draw.rng
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
    nationality = "PE" if p.nat_group == "peruvian" else draw.pick(dict(FOREIGN_BY_TEAM[team]))
    if nationality == "PE":
        migration = "national"
    elif p.typology == "migrant_smuggling":
        migration = draw.pick({"irregular": 8, "refugee_applicant": 2})
    elif nationality == "VE":
        migration = draw.pick({"regular": 35, "irregular": 35, "refugee_applicant": 30})
    else:
        migration = draw.pick({"regular": 50, "irregular": 45, "refugee_applicant": 5})
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
        "trafficker_relation": relation(draw, p, age),
        "education_level": education(draw, age),
        "disability": {"no": False, "yes": True, "": None}[draw.pick({"no": 85, "yes": 4, "": 11})],
        "indigenous_language": language(draw, team) if nationality == "PE" else None,
        "migration_status": migration,
        "reflection_until": reflection,
        "violence_history": dict(p.violence),
        "route": [],
        "identity": identities.new(draw, p.sex, nationality),
        "consents": [
            {"purpose": "attention", "given_on": intake},
            {"purpose": "publication", "given_on": intake},
        ],
        "follow_ups": [],
        "plans": [],
        "referrals": [],
        "protection_measures": [],
    }


def relation(draw: Draw, p: Profile, age: int) -> str | None:
    if draw.rng.random() < 0.1:
        return None
    if p.modality == "ict":
        return "online_contact"
    if p.modality == "sponsorship":
        return "godparent"
    if p.modality == "seduction":
        return "partner"
    if p.typology == "violence_women_family":
        return draw.pick({"partner": 5 if age >= 16 else 0, "family": 4, "guardian": 2})
    if p.typology in EXPLOITATION_TYPOLOGIES:
        return draw.pick(
            {
                "acquaintance": 4,
                "unknown": 3,
                "employer_agency": 4,
                "criminal_org": 2,
                "family": 1,
            }
        )
    if p.typology == "migrant_smuggling":
        return draw.pick({"criminal_org": 3, "unknown": 3, "other": 1})
    return None


def education(draw: Draw, age: int) -> str | None:
    if age < 6:
        return "none"
    if age < 12:
        return draw.pick({"primary": 75, "none": 10, "unknown": 15})
    if age < 18:
        return draw.pick({"secondary": 60, "primary": 25, "unknown": 10, "none": 5})
    return (
        draw.pick(
            {
                "secondary": 45,
                "primary": 20,
                "technical": 12,
                "university": 8,
                "unknown": 10,
                "none": 5,
            }
        )
        if draw.rng.random() > 0.05
        else None
    )


def language(draw: Draw, team: str) -> str | None:
    options = {
        "puno": ({"aymara": 1, "quechua": 1}, 0.4),
        "cusco": ({"quechua": 1}, 0.4),
        "loreto": ({"awajun": 2, "shipibo_konibo": 2, "other": 1}, 0.15),
        "madre_de_dios": ({"quechua": 3, "other": 1}, 0.15),
        "lima": ({"quechua": 1}, 0.05),
    }
    weights, share = options[team]
    return draw.pick(dict(weights)) if draw.rng.random() < share else None
