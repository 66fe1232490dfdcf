"""People attended twice, by two teams: the duplicates the search across teams finds."""

from __future__ import annotations

from app.demo.generate.draw import Draw, Record
from app.demo.generate.figures import YEARS

# The same person attended by two teams: each number is held by exactly two victims.
DUPLICATE_DOCUMENTS = ("99000001", "99000002", "99000003")


def duplicates(draw: Draw, cases: list[Record]) -> None:
    """Give three people a second intake by another team, with the same document."""
    pool = [
        (c["team"], v)
        for c in cases
        if c["opened_on"].year in YEARS
        for v in c["victims"]
        if v["nationality"] == "PE"
    ]
    draw.rng.shuffle(pool)
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
