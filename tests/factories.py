"""Builders for test data: plain functions that add, flush and return ORM objects."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import (
    TEAM_PREFIX,
    CaseStatus,
    Role,
    Sex,
    Team,
    TraffickingPurpose,
    Typology,
)
from app.users.models import User, UserTeam
from app.users.security import hash_password
from app.victims.models import RouteLeg, Victim, VictimIdentity

_seq = itertools.count(1)
PASSWORD = "clave-de-prueba-123"


def make_user(
    db: Session,
    *,
    role: Role = Role.psychologist,
    teams: list[Team] | None = None,
    **overrides: Any,
) -> User:
    n = next(_seq)
    if teams is None:
        teams = [] if role in (Role.admin, Role.visualiser) else [Team.lima]
    fields: dict[str, Any] = {
        "username": f"user{n}",
        "full_name": f"Persona Usuaria {n}",
        "password_hash": hash_password(PASSWORD, fast=True),
        "role": role,
    }
    fields.update(overrides)
    user = User(**fields, team_links=[UserTeam(team=t) for t in teams])
    db.add(user)
    db.flush()
    return user


def make_case(
    db: Session, *, team: Team = Team.lima, opened_on: date | None = None, **overrides: Any
) -> Case:
    n = next(_seq)
    opened = opened_on or date(2024, 3, 1)
    fields: dict[str, Any] = {
        "team": team,
        "year": opened.year,
        "seq": n,
        "code": f"{TEAM_PREFIX[team]}-{opened.year}-{n:04d}",
        "opened_on": opened,
        "status": CaseStatus.open,
    }
    fields.update(overrides)
    case = Case(**fields)
    db.add(case)
    db.flush()
    return case


def make_victim(
    db: Session,
    *,
    case: Case | None = None,
    identity: dict[str, Any] | None = None,
    route: list[tuple[str, str, str | None]] | None = None,
    **overrides: Any,
) -> Victim:
    case = case or make_case(db)
    n = next(_seq)
    fields: dict[str, Any] = {
        "case_id": case.id,
        "seq": n,
        "code": f"{case.code}-V{n}",
        "intake_on": case.opened_on,
        "sex": Sex.female,
        "age_at_intake": 16,
        "nationality": "PE",
        "typology": Typology.trafficking,
        "trafficking_purpose": TraffickingPurpose.sexual,
    }
    fields.update(overrides)
    if fields["typology"] != Typology.trafficking and "trafficking_purpose" not in overrides:
        fields["trafficking_purpose"] = None
    victim = Victim(**fields)
    db.add(victim)
    db.flush()
    if identity is not None:
        db.add(VictimIdentity(victim_id=victim.id, **identity))
    for pos, (stage, country, region) in enumerate(route or []):
        db.add(
            RouteLeg(victim_id=victim.id, position=pos, stage=stage, country=country, region=region)
        )
    db.flush()
    return victim
