"""The counted attributes of each victim (sex, age range, nationality, typology, purpose,
modality, violence history), before the victims are placed in cases.

The published victims' values are built as exact multisets, paired at random and repaired by
swapping values between victims, so the multisets (the published tables) never change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.demo.generate.draw import Draw, expand
from app.demo.generate.figures import (
    AGE_RANGE_COUNTS,
    CHILD_TYPOLOGIES,
    EXPLOITATION_TYPOLOGIES,
    MODALITY_COUNTS,
    NATIONALITY_COUNTS,
    PURPOSE_COUNTS,
    SEX_COUNTS,
    TEAMS,
    TYPOLOGY_COUNTS,
    VICTIMS_GRID,
    VIOLENCE_COUNTS,
)


@dataclass
class Profile:
    """The counted attributes of one victim, before it is placed in a case."""

    sex: str
    age_range: str
    nat_group: str
    typology: str
    tiebreak: float
    purpose: str | None = None
    modality: str | None = None
    violence: dict[str, str] = field(default_factory=dict)


def _swap(
    draw: Draw,
    profiles: list[Profile],
    attr: str,
    bad: Callable[[Profile], bool],
    donor: Callable[[Profile], bool],
) -> None:
    """Swap `attr` of every `bad` profile with a random `donor`; the multiset stays put."""
    for p in profiles:
        if bad(p):
            q = draw.rng.choice([d for d in profiles if d is not p and donor(d)])
            a, b = getattr(p, attr), getattr(q, attr)
            setattr(p, attr, b)
            setattr(q, attr, a)


def published_profiles(draw: Draw) -> list[Profile]:
    """The 738 published victims' counted attributes: every published multiset exactly."""
    rng = draw.rng
    columns = [
        expand(c) for c in (SEX_COUNTS, AGE_RANGE_COUNTS, NATIONALITY_COUNTS, TYPOLOGY_COUNTS)
    ]
    for col in columns:
        rng.shuffle(col)
    profiles = [Profile(s, a, n, t, rng.random()) for s, a, n, t in zip(*columns, strict=True)]
    for vtype, counts in VIOLENCE_COUNTS.items():
        answers = expand(counts)
        rng.shuffle(answers)
        for p, answer in zip(profiles, answers, strict=True):
            p.violence[vtype] = answer
    trafficking = [p for p in profiles if p.typology == "trafficking"]
    purposes = expand(PURPOSE_COUNTS)
    rng.shuffle(purposes)
    for p, purpose in zip(trafficking, purposes, strict=True):
        p.purpose = purpose

    def child_sale(p: Profile) -> bool:
        return p.purpose == "child_sale"

    def smuggled(p: Profile) -> bool:
        return p.typology == "migrant_smuggling"

    # Each rule: the attribute, the profiles that may not keep their value, and who may
    # take it in exchange (so every published count stays put); applied in this order.
    rules: list[tuple[str, Callable[[Profile], bool], Callable[[Profile], bool]]] = [
        (
            "nat_group",
            lambda p: smuggled(p) and p.nat_group == "peruvian",
            lambda p: not smuggled(p) and not child_sale(p) and p.nat_group == "foreign",
        ),
        (
            "nat_group",
            lambda p: child_sale(p) and p.nat_group == "foreign",
            lambda p: not smuggled(p) and not child_sale(p) and p.nat_group == "peruvian",
        ),
        (
            "age_range",
            lambda p: child_sale(p) and p.age_range != "0_10",
            lambda p: not child_sale(p) and p.age_range == "0_10",
        ),
        # Young children are kept out of exploitation typologies (child sale aside).
        (
            "age_range",
            lambda p: (
                p.typology in EXPLOITATION_TYPOLOGIES
                and p.age_range == "0_10"
                and not child_sale(p)
            ),
            lambda p: p.typology in CHILD_TYPOLOGIES and p.age_range == "11_17",
        ),
    ]
    for attr, bad, donor in rules:
        _swap(draw, profiles, attr, bad, donor)
    modalities = expand(MODALITY_COUNTS)
    rng.shuffle(modalities)
    for p in (p for p in trafficking if child_sale(p)):
        p.modality = next(m for m in modalities if m in ("sponsorship", "kidnapping", "other"))
        modalities.remove(p.modality)
    for p, modality in zip((p for p in trafficking if not child_sale(p)), modalities, strict=True):
        p.modality = modality
    for p in profiles:
        if p.typology in ("sexual_exploitation", "forced_labour") and rng.random() < 0.6:
            p.modality = draw.pick({"false_job_offer": 5, "seduction": 2, "ict": 2, "other": 1})
    return profiles


def partition(draw: Draw, profiles: list[Profile]) -> dict[str, list[Profile]]:
    """The published victims per team, as many as Tablas 10-11 give each."""
    children = [p for p in profiles if p.purpose == "child_sale"]
    rest = [p for p in profiles if p.purpose != "child_sale"]
    draw.rng.shuffle(rest)
    by_team: dict[str, list[Profile]] = {}
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


def sample_profile(draw: Draw) -> Profile:
    """One victim of a 2026 case, drawn from the published shares."""
    rng = draw.rng
    typology = draw.pick(dict(TYPOLOGY_COUNTS))
    nat = "foreign" if typology == "migrant_smuggling" else draw.pick(dict(NATIONALITY_COUNTS))
    ages = dict(AGE_RANGE_COUNTS)
    if typology in EXPLOITATION_TYPOLOGIES:
        del ages["0_10"]
    p = Profile(draw.pick(dict(SEX_COUNTS)), draw.pick(ages), nat, typology, rng.random())
    if typology == "trafficking":
        p.purpose = draw.pick({k: v for k, v in PURPOSE_COUNTS.items() if k != "child_sale"})
        p.modality = draw.pick(dict(MODALITY_COUNTS))
    p.violence = {k: draw.pick(dict(v)) for k, v in VIOLENCE_COUNTS.items()}
    return p
