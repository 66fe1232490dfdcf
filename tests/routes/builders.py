"""Hand-built victims with routes, in small known numbers, for the routes tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import ConsentPurpose, Team
from app.consents.models import Consent
from app.routes.cellkey import Cell
from app.routes.disclosure import Disclosure
from app.victims.models import Victim
from tests.factories import make_case, make_victim

Leg = tuple[str, str, str | None]
LIMA, LORETO, PUNO, CUSCO, MDD, TUMBES = "15", "16", "21", "08", "17", "24"


def exact(k: int = 5) -> Disclosure:
    """What coordinators and admins get."""
    return Disclosure(k)


def protected(k: int = 5) -> Disclosure:
    """What casework staff and visualiser tokens get."""
    return Disclosure(k, exact=False)


def cell_of(victims: list[Victim]) -> Cell:
    """The cell holding exactly these (flushed) victims, from their stored record keys."""
    return Cell.of_keys([v.route_key for v in victims])


def pe(region: str, stage: str = "capture") -> Leg:
    return (stage, "PE", region)


def flow(origin: str, target: str) -> list[Leg]:
    """A Peruvian capture → exploitation route between two departments."""
    return [pe(origin), pe(target, "exploitation")]


def add_victims(
    db: Session,
    n: int,
    route: list[Leg],
    *,
    team: Team = Team.lima,
    year: int = 2024,
    case: Case | None = None,
    **overrides: Any,
) -> list[Victim]:
    """`n` victims sharing one route, each in a case of its own (unless `case` is given)."""
    return [
        make_victim(
            db,
            case=case or make_case(db, team=team, opened_on=date(year, 3, 1)),
            route=route,
            **overrides,
        )
        for _ in range(n)
    ]


def revoke_publication(db: Session, victim: Victim, *, renewed: bool = False) -> None:
    db.add(
        Consent(
            victim_id=victim.id,
            purpose=ConsentPurpose.publication,
            given_on=date(2024, 1, 1),
            revoked_on=date(2024, 6, 1),
        )
    )
    if renewed:
        db.add(
            Consent(
                victim_id=victim.id, purpose=ConsentPurpose.publication, given_on=date(2024, 9, 1)
            )
        )
    db.flush()
