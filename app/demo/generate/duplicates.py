"""People attended twice: by two teams with the same document (the search across teams
finds them), and near-duplicates the name search finds (a typo, names in another order, an
accent or spelling variant; some of them without any document)."""

from __future__ import annotations

import random
import unicodedata

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
    near_duplicates(cases, used)


# (how the second record's name differs, whether it keeps a document): each twice, once
# within a team and once across two teams.
NEAR_DUPLICATES = (
    ("typo", True),
    ("typo", False),
    ("order", True),
    ("order", False),
    ("variant", True),
    ("variant", False),
)


def _typo(name: str) -> str:
    words = name.split()
    w = words[0]
    i = len(w) // 2
    words[0] = w[: i - 1] + w[i] + w[i - 1] + w[i + 1 :] if len(w) >= 4 else w + w[-1]
    return " ".join(words)


def _variant(name: str) -> str:
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", name) if not unicodedata.combining(ch)
    )
    if plain != name:
        return plain
    if "v" in name.lower():
        return name.replace("V", "B").replace("v", "b")
    return f"H{name[0].lower()}{name[1:]}" if name[0] in "AEIOU" else name.upper()


def near_duplicates(cases: list[Record], used: list[int]) -> None:
    """Give a few foreign victims a later second record of the same person, its name written
    differently. An own random stream: the main one draws the published figures."""
    rng = random.Random(16)
    pool = [
        (c["team"], v)
        for c in cases
        for v in c["victims"]
        if v["nationality"] != "PE" and v.get("identity") and id(v) not in used
    ]
    rng.shuffle(pool)
    for n, (how, with_document) in enumerate(NEAR_DUPLICATES * 2):
        across = n >= len(NEAR_DUPLICATES)
        pair = next(
            (
                (a, b)
                for ta, a in pool
                if id(a) not in used
                for tb, b in pool
                if id(b) not in used
                and a is not b
                and (ta != tb) == across
                and b["sex"] == a["sex"]
                and b["intake_on"] > a["intake_on"]
                and b["age_at_intake"] - a["age_at_intake"]
                == b["intake_on"].year - a["intake_on"].year
            ),
            None,
        )
        if pair is None:
            continue
        a, b = pair
        used += [id(a), id(b)]
        given, family = a["identity"]["given_names"], a["identity"]["family_names"]
        if how == "typo":
            given = _typo(given)
        elif how == "order":
            given, family = " ".join(reversed(given.split())), " ".join(reversed(family.split()))
        else:
            given = _variant(given)
        b["identity"]["given_names"], b["identity"]["family_names"] = given, family
        if not with_document:
            b["identity"]["document_type"] = b["identity"]["document_number"] = None
