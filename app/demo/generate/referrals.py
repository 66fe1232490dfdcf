"""Referrals (received and made) and protection measures of the victims."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo.generate.draw import Draw, Record

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


def referral(draw: Draw, start: date, end: date) -> Record:
    """A referral received at intake, or made to an institution during the attention."""
    direction = "in" if draw.rng.random() < 0.35 else "out"
    institution = draw.rng.choice(REFERRALS_IN if direction == "in" else REFERRALS_OUT)
    on = start if direction == "in" else draw.day_between(start, end)
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
            else draw.pick(
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
        f"{draw.rng.randint(1, 9999):04d}",
    }


def protection_measure(draw: Draw, v: Record, start: date, end: date) -> Record:
    kind = draw.pick(dict.fromkeys(PROTECTION_KINDS, 1))
    granted = draw.day_between(start, end)
    ends = granted + timedelta(days=draw.rng.randint(60, 365))
    institution = PROTECTION_KINDS[kind]
    if kind == "shelter" and v["age_at_intake"] >= 18:
        institution = "mimp"
    return {
        "kind": kind,
        "institution": institution,
        "granted_on": granted,
        "ends_on": ends if ends <= end and draw.rng.random() < 0.5 else None,
    }
